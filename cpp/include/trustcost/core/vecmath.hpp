// Elementwise log, log1p, exp and expm1 over arrays, for batch loops whose time is their
// transcendental functions. On x86-64 with glibc they run glibc's libmvec (AVX-512 or AVX2,
// picked at run time, or named by the environment variable TRUSTCOST_SIMD; at most 4 ulp);
// elsewhere, on older CPUs or with TRUSTCOST_SIMD=portable, the scalar std:: functions.
// Results may differ by a few ulps between machines, never between thread counts or block cuts
// (every element is computed on its own).
#pragma once

#include <cstddef>

namespace trustcost::core::vecmath {

// In place over x[0, n).
void log(double* x, std::size_t n);
void log1p(double* x, std::size_t n);
void exp(double* x, std::size_t n);
void expm1(double* x, std::size_t n);

// The build in use: "avx512", "avx2" or "scalar".
const char* build();

}  // namespace trustcost::core::vecmath
