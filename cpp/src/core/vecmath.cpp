#include "trustcost/core/vecmath.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>

#ifdef TRUSTCOST_LANES_X86
#include <immintrin.h>
#endif

namespace trustcost::core::vecmath {

namespace {

using Kernel = void (*)(double*, std::size_t);

struct Table {
    const char* name;
    Kernel log, log1p, exp, expm1;
};

template <double (*F)(double)>
void scalar(double* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) x[i] = F(x[i]);
}
double log_(double v) { return std::log(v); }
double log1p_(double v) { return std::log1p(v); }
double exp_(double v) { return std::exp(v); }
double expm1_(double v) { return std::expm1(v); }
constexpr Table kScalar{"scalar", scalar<log_>, scalar<log1p_>, scalar<exp_>, scalar<expm1_>};

}  // namespace

#ifdef TRUSTCOST_LANES_X86
// libmvec's vector forms. Only functions of internal linkage follow under the instruction-set
// pragmas, and every header is included above them: no inline copy compiled for AVX could be
// shared with code that must run on any x86-64 (see tests/cpp/check_lanes_isolation.cmake).
extern "C" {
#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq")
__m512d _ZGVeN8v_log(__m512d);
__m512d _ZGVeN8v_log1p(__m512d);
__m512d _ZGVeN8v_exp(__m512d);
__m512d _ZGVeN8v_expm1(__m512d);
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx2,fma")
__m256d _ZGVdN4v_log(__m256d);
__m256d _ZGVdN4v_log1p(__m256d);
__m256d _ZGVdN4v_exp(__m256d);
__m256d _ZGVdN4v_expm1(__m256d);
#pragma GCC pop_options
}

namespace {

#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq")
// Whole registers, then the tail through a padded register (pad 1.0: every function is finite there).
template <__m512d (*F)(__m512d)>
void avx512(double* x, std::size_t n) {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm512_storeu_pd(x + i, F(_mm512_loadu_pd(x + i)));
    if (i < n) {
        const __mmask8 m = static_cast<__mmask8>((1u << (n - i)) - 1u);
        _mm512_mask_storeu_pd(x + i, m, F(_mm512_mask_loadu_pd(_mm512_set1_pd(1.0), m, x + i)));
    }
}
constexpr Table kAvx512{"avx512", avx512<_ZGVeN8v_log>, avx512<_ZGVeN8v_log1p>, avx512<_ZGVeN8v_exp>,
                        avx512<_ZGVeN8v_expm1>};
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx2,fma")
template <__m256d (*F)(__m256d)>
void avx2(double* x, std::size_t n) {
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) _mm256_storeu_pd(x + i, F(_mm256_loadu_pd(x + i)));
    if (i < n) {
        alignas(32) double pad[4] = {1.0, 1.0, 1.0, 1.0};
        for (std::size_t k = i; k < n; ++k) pad[k - i] = x[k];
        _mm256_store_pd(pad, F(_mm256_load_pd(pad)));
        for (std::size_t k = i; k < n; ++k) x[k] = pad[k - i];
    }
}
constexpr Table kAvx2{"avx2", avx2<_ZGVdN4v_log>, avx2<_ZGVdN4v_log1p>, avx2<_ZGVdN4v_exp>, avx2<_ZGVdN4v_expm1>};
#pragma GCC pop_options

}  // namespace
#endif

namespace {

// The widest build this CPU runs, or the one TRUSTCOST_SIMD names ("avx512", "avx2",
// "portable": the switch the Monte Carlo's lanes read too) where this CPU runs it.
const Table& table() {
    static const Table* chosen = [] {
        const char* forced = std::getenv("TRUSTCOST_SIMD");
        const std::string_view want = forced ? forced : "";
        if (want == "portable") return &kScalar;
#ifdef TRUSTCOST_LANES_X86
        const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
        const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        if (avx512 && want != "avx2") return &kAvx512;
        if (avx2) return &kAvx2;
#endif
        return &kScalar;
    }();
    return *chosen;
}

}  // namespace

void log(double* x, std::size_t n) { table().log(x, n); }
void log1p(double* x, std::size_t n) { table().log1p(x, n); }
void exp(double* x, std::size_t n) { table().exp(x, n); }
void expm1(double* x, std::size_t n) { table().expm1(x, n); }
const char* build() { return table().name; }

}  // namespace trustcost::core::vecmath
