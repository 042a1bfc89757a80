// The vector kernels, included by lanes_avx512.cpp, lanes_avx2.cpp and lanes_portable.cpp with
// TRUSTCOST_LANES_NS (the namespace) and TRUSTCOST_LANES_WIDTH (doubles per register) defined;
// the first two are compiled with their instruction set enabled. Only raw arrays, builtins,
// intrinsics and libmvec there: nothing whose inline copies the linker could share with code
// that must run on any x86-64 (the lanes_isolation test checks the object files).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if TRUSTCOST_LANES_WIDTH > 2
#include <immintrin.h>
#else
#include <Eigen/Core>
#endif

#include "trustcost/uncertainty/lanes.hpp"

namespace trustcost::uncertainty::lanes::TRUSTCOST_LANES_NS {

namespace {

constexpr int W = TRUSTCOST_LANES_WIDTH;
typedef double D __attribute__((vector_size(W * sizeof(double))));
typedef std::uint64_t U __attribute__((vector_size(W * sizeof(double))));
typedef std::int64_t I __attribute__((vector_size(W * sizeof(double))));

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// SplitMix64's mixer, as stats::mix64, on one number and on a register of them.
inline std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
inline U mix(U z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
// stats::Stream::substream(path).key() for a register of path numbers.
inline U substream_keys(std::uint64_t stream_key, U paths) { return mix(stream_key ^ mix(paths + 1)); }
// stats::Stream::uniform: 53 bits, offset by half a step; exact, so the same on every build.
inline D to_uniform(U bits) { return (__builtin_convertvector((I)(bits >> 11), D) + 0.5) * 0x1.0p-53; }

inline D load(const double* p) { D v; std::memcpy(&v, p, sizeof v); return v; }
inline void store(double* p, D v) { std::memcpy(p, &v, sizeof v); }
inline D splat(double x) { return D{} + x; }

// log and exp: glibc's libmvec on the AVX builds (table-driven, at most 4 ulp, and faster than
// Eigen's rational forms here), Eigen's packet functions on the portable one (about 1 ulp; code
// of our own binary, so the portable build is the same code on every machine).
#if TRUSTCOST_LANES_WIDTH == 8
extern "C" __m512d _ZGVeN8v_log(__m512d);
extern "C" __m512d _ZGVeN8v_exp(__m512d);
inline D vlog(D x) { return (D)_ZGVeN8v_log((__m512d)x); }
inline D vexp(D x) { return (D)_ZGVeN8v_exp((__m512d)x); }
inline D vsqrt(D x) { return (D)_mm512_sqrt_pd((__m512d)x); }
inline D vceil(D x) { return (D)_mm512_roundscale_pd((__m512d)x, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC); }
inline D gather(const double* table, I index) { return (D)_mm512_i64gather_pd((__m512i)index, table, 8); }
inline bool any(I mask) { return _mm512_test_epi64_mask((__m512i)mask, (__m512i)mask) != 0; }
#elif TRUSTCOST_LANES_WIDTH == 4
extern "C" __m256d _ZGVdN4v_log(__m256d);
extern "C" __m256d _ZGVdN4v_exp(__m256d);
inline D vlog(D x) { return (D)_ZGVdN4v_log((__m256d)x); }
inline D vexp(D x) { return (D)_ZGVdN4v_exp((__m256d)x); }
inline D vsqrt(D x) { return (D)_mm256_sqrt_pd((__m256d)x); }
inline D vceil(D x) { return (D)_mm256_ceil_pd((__m256d)x); }
inline D gather(const double* table, I index) { return (D)_mm256_i64gather_pd(table, (__m256i)index, 8); }
inline bool any(I mask) { return _mm256_movemask_pd((__m256d)mask) != 0; }
#else
template <class F>
inline D each(D x, F f) {
    for (int l = 0; l < W; ++l) x[l] = f(x[l]);
    return x;
}
// Eigen's packets of the baseline instruction set (SSE2 on x86-64, NEON on ARM, or plain doubles).
using Packet = Eigen::internal::packet_traits<double>::type;
constexpr int kPacket = Eigen::internal::packet_traits<double>::size;
static_assert(W % kPacket == 0);
template <class F>
inline D packets(D x, F f) {
    double v[W];
    std::memcpy(v, &x, sizeof x);
    for (int l = 0; l < W; l += kPacket) Eigen::internal::pstoreu(v + l, f(Eigen::internal::ploadu<Packet>(v + l)));
    std::memcpy(&x, v, sizeof x);
    return x;
}
inline D vlog(D x) { return packets(x, [](const Packet& p) { return Eigen::internal::plog(p); }); }
inline D vexp(D x) { return packets(x, [](const Packet& p) { return Eigen::internal::pexp(p); }); }
inline D vsqrt(D x) { return each(x, [](double v) { return std::sqrt(v); }); }
inline D vceil(D x) { return each(x, [](double v) { return std::ceil(v); }); }
inline D gather(const double* table, I index) {
    D out;
    for (int l = 0; l < W; ++l) out[l] = table[index[l]];
    return out;
}
inline bool any(I mask) {
    for (int l = 0; l < W; ++l)
        if (mask[l]) return true;
    return false;
}
#endif

// Applies f to x[0..n) a register at a time; the ragged end goes through a padded register.
template <class F>
inline void in_place(double* x, std::size_t n, double pad, F f) {
    std::size_t j = 0;
    for (; j + W <= n; j += W) store(x + j, f(load(x + j)));
    if (j < n) {
        double tmp[W];
        for (int l = 0; l < W; ++l) tmp[l] = j + l < n ? x[j + l] : pad;
        store(tmp, f(load(tmp)));
        std::memcpy(x + j, tmp, (n - j) * sizeof(double));
    }
}

// Horner's rule with coefficients from the highest degree down.
template <std::size_t N>
inline D horner(D r, const double (&c)[N]) {
    D acc = splat(c[0]);
    for (std::size_t k = 1; k < N; ++k) acc = acc * r + c[k];
    return acc;
}

// Wichura (1988), Algorithm AS 241, Applied Statistics 37(3) 477-484: PPND16, the normal
// quantile to about 1 part in 1e16, in three rational pieces.
constexpr double kA[] = {2.5090809287301226727e3, 3.3430575583588128105e4, 6.7265770927008700853e4,
                         4.5921953931549871457e4, 1.3731693765509461125e4, 1.9715909503065514427e3,
                         1.3314166789178437745e2, 3.3871328727963666080e0};
constexpr double kB[] = {5.2264952788528545610e3, 2.8729085735721942674e4, 3.9307895800092710610e4,
                         2.1213794301586595867e4, 5.3941960214247511077e3, 6.8718700749205790830e2,
                         4.2313330701600911252e1, 1.0};
constexpr double kC[] = {7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1,
                         1.27045825245236838258e0,  3.64784832476320460504e0,  5.76949722146069140550e0,
                         4.63033784615654529590e0,  1.42343711074968357734e0};
constexpr double kD[] = {1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2,
                         1.48103976427480074590e-1, 6.89767334985100004550e-1, 1.67638483018380384940e0,
                         2.05319162663775882187e0,  1.0};
constexpr double kE[] = {2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3,
                         2.65321895265761230930e-2, 2.96560571828504891230e-1, 1.78482653991729133580e0,
                         5.46378491116411436990e0,  6.65790464350110377720e0};
constexpr double kF[] = {2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5,
                         7.86869131145613259100e-4,  1.48753612908506148525e-2, 1.36929880922735805310e-1,
                         5.99832206555887937690e-1,  1.0};

inline D ppnd16(D p) {
    const D q = p - 0.5;
    const D r = 0.180625 - q * q;
    const D central = q * horner(r, kA) / horner(r, kB);
    const I tail = (q < 0.0 ? -q : q) > 0.425;
    if (!any(tail)) return central;
    const D s = tail ? (q < 0.0 ? p : 1.0 - p) : splat(0.5);  // central lanes: any safe value
    const D t = vsqrt(-vlog(s));
    const D near = t - 1.6, far = t - 5.0;
    D z = t <= 5.0 ? horner(near, kC) / horner(near, kD) : horner(far, kE) / horner(far, kF);
    z = q < 0.0 ? -z : z;
    return tail ? z : central;
}

void uniforms(std::uint64_t stream_key, std::uint64_t first_path, std::size_t n, std::uint64_t index, double* out) {
    U lane;
    for (int l = 0; l < W; ++l) lane[l] = static_cast<std::uint64_t>(l);
    std::size_t j = 0;
    const std::uint64_t step = (index + 1) * kGolden;
    auto draw = [&](std::size_t at) { return to_uniform(mix(substream_keys(stream_key, lane + (first_path + at)) + step)); };
    for (; j + W <= n; j += W) store(out + j, draw(j));
    if (j < n) {
        double tmp[W];
        store(tmp, draw(j));
        std::memcpy(out + j, tmp, (n - j) * sizeof(double));
    }
}

void log_kernel(double* x, std::size_t n) { in_place(x, n, 1.0, [](D v) { return vlog(v); }); }
void exp_kernel(double* x, std::size_t n) { in_place(x, n, 0.0, [](D v) { return vexp(v); }); }
void normal_quantile(double* p, std::size_t n) { in_place(p, n, 0.5, [](D v) { return ppnd16(v); }); }
void floor_quotient(double* x, std::size_t n, double divisor) {
    in_place(x, n, 0.0, [divisor](D v) { return vceil(-(v / divisor)) * -1.0; });  // floor(y) = -ceil(-y)
}

#if TRUSTCOST_LANES_WIDTH == 8
inline __mmask8 to_mask(I m) { return _mm512_test_epi64_mask((__m512i)m, (__m512i)m); }
inline void pack(double* dst, D v, __mmask8 keep) { _mm512_storeu_pd(dst, _mm512_maskz_compress_pd(keep, (__m512d)v)); }
inline void pack(std::uint64_t* dst, U v, __mmask8 keep) {
    _mm512_storeu_si512(dst, _mm512_maskz_compress_epi64(keep, (__m512i)v));
}
inline std::size_t kept(__mmask8 keep) { return static_cast<std::size_t>(__builtin_popcount(keep)); }
#elif TRUSTCOST_LANES_WIDTH == 4
// AVX2 has no compress: a lookup table turns the 4-bit mask into a permutation of 32-bit halves.
struct PackTable {
    alignas(32) std::int32_t index[16][8] = {};
    constexpr PackTable() {
        for (int mask = 0; mask < 16; ++mask)
            for (int l = 0, w = 0; l < 4; ++l)
                if (mask >> l & 1) {
                    index[mask][w++] = 2 * l;
                    index[mask][w++] = 2 * l + 1;
                }
    }
};
constexpr PackTable kPack;
inline int to_mask(I m) { return _mm256_movemask_pd((__m256d)m); }
template <class V, class T>
inline void pack(T* dst, V v, int keep) {
    const __m256i order = _mm256_load_si256(reinterpret_cast<const __m256i*>(kPack.index[keep]));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm256_permutevar8x32_epi32((__m256i)v, order));
}
inline std::size_t kept(int keep) { return static_cast<std::size_t>(__builtin_popcount(keep)); }
#else
inline I to_mask(I m) { return m; }
template <class V, class T>
inline void pack(T* dst, V v, I keep) {
    std::size_t w = 0;
    for (int l = 0; l < W; ++l) {
        dst[w] = v[l];
        w += keep[l] & 1;
    }
}
inline std::size_t kept(I keep) {
    std::size_t k = 0;
    for (int l = 0; l < W; ++l) k += keep[l] & 1;
    return k;
}
#endif

// weight[index] for a register of indexes: a gather, or on AVX-512 with at most 32 weights four
// registers and two permutes (a gather's latency is most of a renewal step's logic).
struct GatherTable {
    const double* weight;
    D operator()(I index) const { return gather(weight, index); }
};
#if TRUSTCOST_LANES_WIDTH == 8
struct RegisterTable {
    __m512d part[4];
    explicit RegisterTable(const double* weight, std::size_t n) {
        double padded[32] = {};
        std::memcpy(padded, weight, n * sizeof(double));
        for (int k = 0; k < 4; ++k) part[k] = _mm512_loadu_pd(padded + 8 * k);
    }
    D operator()(I index) const {
        const __m512i i = (__m512i)index;
        const __m512d low = _mm512_permutex2var_pd(part[0], i, part[1]);
        const __m512d high = _mm512_permutex2var_pd(part[2], i, part[3]);
        return (D)_mm512_mask_blend_pd(_mm512_test_epi64_mask(i, _mm512_set1_epi64(16)), low, high);
    }
};
#endif

// Renewal in passes over the paths still running: pass k draws every such path's k-th life,
// then the running ones are packed to the front. The paths of a pass are independent, so the
// long latency of log and exp overlaps across registers (a path per lane with refills would
// chain every step to the previous one). Scale, tau and service are carried along only when
// they differ between paths.
template <bool Exponential, bool PerPath, class Table>
bool renewal_passes(const Renewal& job, const Table& weight_of, double* out) {
    const std::size_t n = job.n, size = n + W;
    auto* memory = static_cast<double*>(::operator new(sizeof(double) * 11 * size));
    std::memset(memory, 0, sizeof(double) * 11 * size);  // the ragged last register reads defined zeros
    double *renewed = memory, *next_block = renewed + size, *acc = next_block + size, *scale = acc + size,
           *tau = scale + size, *service = tau + size, *lives = service + size, *finished_acc = lives + size;
    auto* key = reinterpret_cast<std::uint64_t*>(finished_acc + size);
    auto* path = key + size;
    auto* finished_path = path + size;
    for (std::size_t j = 0; j < n; ++j) {
        renewed[j] = acc[j] = 0.0;
        scale[j] = job.scale[j];
        tau[j] = job.tau[j];
        service[j] = job.service[j];
        next_block[j] = tau[j] > 0.0 ? tau[j] : __builtin_inf();
        path[j] = j;
    }
    for (std::size_t j = 0; j < n; j += W) {  // the paths' sub-stream keys, as Stream::substream
        U p;
        std::memcpy(&p, path + j, sizeof p);
        const U k = substream_keys(job.stream_key, p + job.first_path);
        std::memcpy(key + j, &k, sizeof k);
    }
    const D max_index = splat(static_cast<double>(job.weights - 1));
    I iota;
    for (int l = 0; l < W; ++l) iota[l] = l;
    std::size_t running = n, finished = 0;
    for (std::uint64_t count = 1; running > 0; ++count) {
        if (count > kMaxLivesPerPath) {  // the caller throws: no exception code in an instruction-set build
            ::operator delete(memory);
            return false;
        }
        // The lives first, in a loop of independent steps that keeps log and exp busy.
        for (std::size_t j = 0; j < running; j += W) {
            U k;
            std::memcpy(&k, key + j, sizeof k);
            const D e = -vlog(to_uniform(mix(k + count * kGolden)));  // Exp(1) from uniform number count - 1
            store(lives + j, Exponential ? e : vexp(vlog(e) * job.inverse_shape));
        }
        std::size_t w = 0;
        for (std::size_t j = 0; j < running; j += W) {
            D r = load(renewed + j), nb = load(next_block + j), a = load(acc + j);
            const D sc = PerPath ? load(scale + j) : splat(scale[0]);
            const D t = PerPath ? load(tau + j) : splat(tau[0]);
            const D sv = PerPath ? load(service + j) : splat(service[0]);
            U k, p;
            std::memcpy(&k, key + j, sizeof k);
            std::memcpy(&p, path + j, sizeof p);
            const D failure = r + sc * load(lives + j);
            const I preventive = failure >= nb;  // the preventive renewal comes first
            r = preventive ? nb : r;
            nb = preventive ? nb + t : nb;
            const I inside = ~preventive & (failure <= sv);
            D year = vceil(inside ? failure : splat(1.0));
            year = year < 1.0 ? splat(1.0) : year;
            year = year > max_index ? max_index : year;
            a += inside ? weight_of(__builtin_convertvector(year, I)) : splat(0.0);
            r = inside ? failure : r;
            const I valid = iota < static_cast<std::int64_t>(running - j);
            const I done = valid & (preventive ? (I)(r >= sv) : ~inside);
            const auto dm = to_mask(done);
            pack(finished_acc + finished, a, dm);
            pack(finished_path + finished, p, dm);
            finished += kept(dm);
            const auto km = to_mask(valid & ~done);
            pack(renewed + w, r, km);
            pack(next_block + w, nb, km);
            pack(acc + w, a, km);
            if (PerPath) {
                pack(scale + w, sc, km);
                pack(tau + w, t, km);
                pack(service + w, sv, km);
            }
            pack(key + w, k, km);
            pack(path + w, p, km);
            w += kept(km);
        }
        running = w;
    }
    for (std::size_t j = 0; j < n; ++j) out[finished_path[j]] = finished_acc[j];
    ::operator delete(memory);
    return true;
}

bool renewal(const Renewal& job, double* out) {
    bool per_path = false;
    for (std::size_t j = 1; j < job.n && !per_path; ++j)
        per_path = job.scale[j] != job.scale[0] || job.tau[j] != job.tau[0] || job.service[j] != job.service[0];
    auto run = [&](const auto& table) {
        const bool exponential = job.inverse_shape == 1.0;
        if (exponential) return per_path ? renewal_passes<true, true>(job, table, out)
                                         : renewal_passes<true, false>(job, table, out);
        return per_path ? renewal_passes<false, true>(job, table, out) : renewal_passes<false, false>(job, table, out);
    };
#if TRUSTCOST_LANES_WIDTH == 8
    if (job.weights <= 32) return run(RegisterTable(job.weight, job.weights));
#endif
    return run(GatherTable{job.weight});
}

}  // namespace

const Kernels& table() {
    static const Kernels k{TRUSTCOST_LANES_NAME, uniforms, log_kernel, exp_kernel, normal_quantile, floor_quotient, renewal};
    return k;
}

}  // namespace trustcost::uncertainty::lanes::TRUSTCOST_LANES_NS
