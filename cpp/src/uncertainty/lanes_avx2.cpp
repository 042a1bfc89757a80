// The avx2 build of the vector kernels (see lanes_kernels.inl and CMakeLists.txt for its flags).
#define TRUSTCOST_LANES_NS avx2
#define TRUSTCOST_LANES_NAME "avx2"
#define TRUSTCOST_LANES_WIDTH 4
#include "lanes_kernels.inl"
