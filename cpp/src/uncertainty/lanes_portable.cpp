// The portable build of the vector kernels (see lanes_kernels.inl and CMakeLists.txt for its flags).
#define TRUSTCOST_LANES_NS portable
#define TRUSTCOST_LANES_NAME "portable"
#define TRUSTCOST_LANES_WIDTH 2
#include "lanes_kernels.inl"
