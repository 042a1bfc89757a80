// The avx512 build of the vector kernels (see lanes_kernels.inl and CMakeLists.txt for its flags).
#define TRUSTCOST_LANES_NS avx512
#define TRUSTCOST_LANES_NAME "avx512"
#define TRUSTCOST_LANES_WIDTH 8
#include "lanes_kernels.inl"
