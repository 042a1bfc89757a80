#include "trustcost/finance/annuity.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"
#include "trustcost/core/vecmath.hpp"

namespace trustcost::finance {

using core::invalid;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// log of the largest double, rounded down so that expm1 of it is finite.
constexpr double kLogMaxDouble = 709.78;
constexpr std::size_t kBlock = 4096;

// (1 + rate)^nper and (1 + rate)^nper - 1, the latter without cancellation at small rates.
struct Growth {
    double factor, minus_one;
};
inline Growth growth(double rate, double nper) {
    const double log_growth = nper * std::log1p(rate);
    const double factor = std::exp(log_growth);
    // expm1 only where factor - 1 would cancel (it costs as much as the rest together).
    return {factor, std::abs(log_growth) < 0.5 ? std::expm1(log_growth) : factor - 1.0};
}

// Payments-to-value factor: sum of the nper payments' growth to the end of the term.
inline double annuity_factor(double rate, double nper, double when, const Growth& g) {
    return rate == 0.0 ? nper : (1.0 + rate * when) * g.minus_one / rate;
}

void check_when(double when, std::size_t i) {
    if (when != 0.0 && when != 1.0) throw invalid("when[", i, "] must be 0 ('end') or 1 ('begin'), got ", when);
}

void check_finite(double v, const char* name, std::size_t i) {
    if (!std::isfinite(v)) throw invalid(name, "[", i, "] must be finite, got ", v);
}

void check_rate(double r, const char* name, std::size_t i) {
    check_finite(r, name, i);
    if (r <= -1.0) throw invalid(name, "[", i, "] must be > -1, got ", r);
}

// pmt (is_pmt) or pv where (1 + r)^nper overflows and the plain formula gave inf or NaN:
// with q = (1 + r)^-nper, pmt = -(fv q + pv) / A' and pv = -(fv q + pmt A') with
// A' = (1 + r w)(1 - q) / r; pmt(1e6, 60, 1e5) is about -1e11 so. `plain` is kept where
// this form is not finite either (a true overflow).
double limit_where_growth_overflows(bool is_pmt, double rate, double nper, double x, double fv, double when,
                                    double plain) {
    if (rate == 0.0) return plain;
    const double lg = -nper * std::log1p(rate);
    const double q = std::exp(lg), head = (1.0 + rate * when) * -std::expm1(lg) / rate;
    const double value = is_pmt ? -(fv * q + x) / head : -(fv * q + x * head);
    return std::isfinite(value) ? value : plain;
}

}  // namespace

double fv(double rate, double nper, double pmt, double pv, double when) {
    const Growth g = growth(rate, nper);
    return -pv * g.factor - pmt * annuity_factor(rate, nper, when, g);
}

double pv(double rate, double nper, double pmt, double fv, double when) {
    const Growth g = growth(rate, nper);
    const double value = -(fv + pmt * annuity_factor(rate, nper, when, g)) / g.factor;
    return std::isfinite(value) ? value : limit_where_growth_overflows(false, rate, nper, pmt, fv, when, value);
}

double pmt(double rate, double nper, double pv, double fv, double when) {
    const Growth g = growth(rate, nper);
    const double value = -(fv + pv * g.factor) / annuity_factor(rate, nper, when, g);
    return std::isfinite(value) ? value : limit_where_growth_overflows(true, rate, nper, pv, fv, when, value);
}

// nper solves (1 + r)^nper = ratio = (z - fv) / (pv + z), z = pmt (1 + r when) / r. Both terms
// of the ratio are multiplied by min(r, 1) (so neither pmt / r overflows for pmt = -1e308 nor pv r
// for r = 1e308), and near ratio = 1 the logarithm is a series in ratio - 1 = rs q, q kept apart
// (a rate of 5e-324 keeps q = 5, where log(ratio) would be log(1) = 0).
struct NperTerms {
    double q;      // (ratio - 1) / rs; NaN where no real number of periods exists (ratio <= 0)
    double ratio;  // the argument of log (1 where unused)
};

inline NperTerms nper_terms(double r, double pmt, double pv, double fv, double when) {
    const double rs = std::min(r, 1.0), s = r > 1.0 ? 1.0 / r : 1.0;
    const double a = pmt * (s + rs * when), den = pv * rs + a, ratio = (a - fv * rs) / den;
    if (!(ratio > 0.0)) return {kNaN, 1.0};
    if (std::isinf(ratio)) return {ratio, 1.0};
    return {-(fv + pv) / den, ratio};
}

inline double nper_periods(double r, double log1p_r, double q, double log_ratio) {
    if (std::isnan(q) || std::isinf(q)) return q / log1p_r;  // none, or ratio = inf
    const double rs = std::min(r, 1.0), x = rs * q;
    if (std::abs(x) >= 1e-3) return log_ratio / log1p_r;
    // log1p(x) / x to double precision (the next term is x^6 / 7 < 1.5e-19)
    const double series = 1.0 - x * (1.0 / 2 - x * (1.0 / 3 - x * (1.0 / 4 - x * (1.0 / 5 - x / 6))));
    return q * (rs / log1p_r) * series;
}

double nper(double rate, double pmt, double pv, double fv, double when) {
    if (rate == 0.0) return -(fv + pv) / pmt;
    const NperTerms t = nper_terms(rate, pmt, pv, fv, when);
    return nper_periods(rate, std::log1p(rate), t.q, std::log(t.ratio));
}

double ipmt(double rate, double per, double nper, double pv, double fv, double when) {
    if (!(per >= 1.0)) return kNaN;
    if (when == 1.0 && per == 1.0) return 0.0;  // the first payment falls before any interest
    const double payment = pmt(rate, nper, pv, fv, when);
    // Interest on the balance left after per - 1 payments. That balance is the value at that
    // time of the payments still to come (and fv) as well as the compounded loan less the
    // compounded payments; each form is free of cancellation on one side of r = 0.
    const double balance = rate > 0.0 ? -finance::pv(rate, nper - (per - 1.0), payment, fv, when)
                                      : finance::fv(rate, per - 1.0, payment, pv, when);
    const double interest = balance * rate;
    return when == 1.0 ? interest / (1.0 + rate) : interest;
}

double ppmt(double rate, double per, double nper, double pv, double fv, double when) {
    return pmt(rate, nper, pv, fv, when) - ipmt(rate, per, nper, pv, fv, when);
}

namespace {
// g(r) = fv + pv (1+r)^n + pmt (1 + r w) ((1+r)^n - 1) / r, its slope, and the size of its terms.
struct RateValue {
    double g, slope, scale;
};
RateValue rate_equation(double nper, double pmt, double pv, double fv, double when, double r) {
    if (r == 0.0)  // limits at r = 0
        return {fv + pv + pmt * nper, nper * pv + pmt * (nper * when + nper * (nper - 1.0) / 2.0),
                std::abs(fv) + std::abs(pv) + std::abs(pmt * nper)};
    const double log_growth = nper * std::log1p(r);
    const double t1 = std::exp(log_growth), t2 = t1 / (1.0 + r);
    const double head = 1.0 + r * when;
    const double payments = pmt * head * std::expm1(log_growth) / r;
    return {fv + t1 * pv + payments,
            nper * t2 * pv - pmt * (t1 - 1.0) * head / (r * r) + nper * pmt * t2 * head / r + pmt * (t1 - 1.0) * when / r,
            std::abs(fv) + std::abs(t1 * pv) + std::abs(payments)};
}

// Where Newton from `guess` finds no root: the annuity equation is bracketed on a grid in
// s = log(1 + r) (r from -99.995% up to where (1 + r)^nper would overflow), the sign change
// nearest `guess` is bisected to the last bit, and the rate is kept if it solves the equation
// relative to its terms. rate(10, -50000, 100000, 0) = 0.49078 is found so (Newton from 0.1
// overshoots to r < -1 there). NaN where no sign change is seen.
double bracketed_rate(double nper, double pmt, double pv, double fv, double when, double guess) {
    // The equation relative to its terms; where (1 + r)^nper = e^L grows, every term is divided
    // by it first, so that a long annuity (nper = 1e4 or 1e12: root -pmt / pv = 1/7 where e^L
    // overflows) is still bracketed.
    auto value = [&](double s) {
        const double r = std::expm1(s), L = nper * std::log1p(r);
        if (r == 0.0 || !(L > 0.0)) {
            const RateValue v = rate_equation(nper, pmt, pv, fv, when, r);
            return v.g / v.scale;
        }
        const double shrink = std::exp(-L), payments = -pmt * (1.0 + r * when) * std::expm1(-L) / r;
        return (fv * shrink + pv + payments) / (std::abs(fv * shrink) + std::abs(pv) + std::abs(payments));
    };
    constexpr int kPoints = 400;
    const double target = std::log1p(guess);
    double best_a = kNaN, best_b = kNaN;
    auto scan = [&](double lo, double hi) {
        double prev_s = lo, prev = value(lo);
        for (int k = 1; k <= kPoints; ++k) {
            const double s = lo + (hi - lo) * k / kPoints, v = value(s);
            if (std::isfinite(prev) && std::isfinite(v) && (prev < 0.0) != (v < 0.0) &&
                (std::isnan(best_a) || std::abs(0.5 * (prev_s + s) - target) < std::abs(0.5 * (best_a + best_b) - target))) {
                best_a = prev_s;
                best_b = s;
            }
            prev_s = s;
            prev = v;
        }
    };
    scan(-10.0, 20.0);
    // Rates beyond e^20 per period (pmt = 1e12 on 700; pmt = -1e308 on 700: 1.4e305) up to the
    // largest double, and down to where 1 + r = e^s is still resolved beside 1 (e^-36 = 2.3e-16).
    if (std::isnan(best_a)) scan(20.0, kLogMaxDouble);
    if (std::isnan(best_a)) scan(-36.0, -10.0);
    if (std::isnan(best_a)) return kNaN;
    double a = best_a, b = best_b, fa = value(a);
    for (int it = 0; it < 200 && b - a > 0.0; ++it) {
        const double m = 0.5 * (a + b);
        if (m <= a || m >= b) break;
        const double fm = value(m);
        if (fm == 0.0) return std::expm1(m);
        if ((fm < 0.0) == (fa < 0.0)) a = m, fa = fm;
        else b = m;
    }
    const double best = std::abs(value(a)) <= std::abs(value(b)) ? a : b, r = std::expm1(best);
    // Near r = -1 the rate holds 1 + r only to 1.1e-16 absolute (1e-6 relative at 1 + r = 1e-10),
    // so the equation cannot reach 1e-9 there: a sign change between two adjacent doubles of r
    // (the equation is continuous) is the rate to the last bit all the same.
    const double va = value(a), vb = value(b);
    const bool adjacent = std::isfinite(va) && std::isfinite(vb) && (va < 0.0) != (vb < 0.0) &&
                          std::nextafter(std::expm1(a), std::numeric_limits<double>::infinity()) >= std::expm1(b);
    return (std::abs(value(best)) <= 1e-9 || adjacent) && r > -1.0 ? r : kNaN;
}
}  // namespace

RateResult rate(double nper, double pmt, double pv, double fv, double when, double guess, double tol,
                unsigned max_iter) {
    auto evaluate = [&](double r) { return rate_equation(nper, pmt, pv, fv, when, r); };
    double r = guess;
    bool stopped = false;
    for (unsigned it = 0; it < max_iter && !stopped; ++it) {
        if (!(r > -1.0) || !std::isfinite(r)) break;
        const RateValue v = evaluate(r);
        const double next = r - v.g / v.slope;
        stopped = std::abs(next - r) < tol;
        r = next;
    }
    if (!stopped || !(r > -1.0) || !std::isfinite(r)) {
        const double bracketed = bracketed_rate(nper, pmt, pv, fv, when, guess);
        return {bracketed, !std::isnan(bracketed)};
    }
    // A small step is not enough (numpy-financial stops there): where g is steep Newton creeps
    // with small steps far from any root. Two more steps polish a true root to full precision;
    // then the rate must solve the equation relative to its terms.
    for (int polish = 0; polish < 2; ++polish) {
        const RateValue v = evaluate(r);
        const double next = r - v.g / v.slope;
        if (!(next > -1.0) || !std::isfinite(next)) break;
        r = next;
    }
    const RateValue v = evaluate(r);
    if (!(std::abs(v.g) <= 1e-9 * v.scale)) {
        const double bracketed = bracketed_rate(nper, pmt, pv, fv, when, guess);
        return {bracketed, !std::isnan(bracketed)};
    }
    return {r, true};
}

namespace {

// The batch runs in chunks that stay in L1. Each step is one loop over the chunk without
// branches (both sides computed, then selected), so the compiler vectorises it, and the
// transcendental steps run a register of elements at a time (core::vecmath). On x86-64 the
// loops are built for AVX-512, AVX2 and the baseline and picked at load time.
// No fused multiply-adds: the compiler would fuse the vector body and the scalar tail of a
// loop differently, and an element's bits would depend on its place in the chunk.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TRUSTCOST_CLONES \
    __attribute__((target_clones("avx512f", "avx2", "default"), optimize("fp-contract=off")))
#elif defined(__GNUC__) && !defined(__clang__)
#define TRUSTCOST_CLONES __attribute__((optimize("fp-contract=off")))
#else
#define TRUSTCOST_CLONES
#endif

constexpr std::size_t kChunk = 256;
// Columns that do not overlap the one written (or the compiler keeps the loop scalar).
using In = const double* __restrict;
using Out = double* __restrict;

struct Chunk {
    std::size_t n;
    const double* x[6];  // the arguments in the order of the kind's signature (in place, or a column of a scalar)
    double a[kChunk], b[kChunk], c[kChunk], d[kChunk], e[kChunk];  // work columns
};

// Whether every element is valid: rate finite and > -1, the others finite, when 0 or 1. Tested
// on the bits, in integer steps the compiler vectorises (its floating-point comparisons with
// NaN in play it does not): bit 63 of `bad` ends up set by any bad element.
inline std::uint64_t bits(double v) { return std::bit_cast<std::uint64_t>(v); }
constexpr std::uint64_t kExponent = 0x7ff0000000000000ULL, kExponentStep = 0x0010000000000000ULL;
constexpr std::uint64_t kMinusOne = 0xbff0000000000000ULL, kOne = 0x3ff0000000000000ULL;
// Bit 63 set where v is inf or NaN: an all-ones exponent carries into it.
inline std::uint64_t non_finite(std::uint64_t v) { return (v & kExponent) + kExponentStep; }

TRUSTCOST_CLONES bool all_valid(const double* const* x, std::size_t nargs, std::size_t n) {
    std::uint64_t bad = 0;
    const double *r = x[0], *w = x[nargs - 1];
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t u = bits(r[i]), v = bits(w[i]);
        // Negative rates sort upward as unsigned integers of their bits: -1 and below from kMinusOne.
        const std::uint64_t at_or_below_minus_one = static_cast<std::uint64_t>(u >= kMinusOne) << 63;
        const std::uint64_t not_when = static_cast<std::uint64_t>(((v << 1) != 0) & (v != kOne)) << 63;
        bad |= non_finite(u) | at_or_below_minus_one | not_when;
    }
    for (std::size_t j = 1; j + 1 < nargs; ++j)
        for (std::size_t i = 0; i < n; ++i) bad |= non_finite(bits(x[j][i]));
    return (bad >> 63) == 0;
}

// Payments-to-value factor (as annuity_factor above), without a branch.
inline double factor_of(double r, double m, double w, double em1) {
    const double q = (1.0 + r * w) * em1 / r;
    return r == 0.0 ? m : q;
}

// (1 + r)^m - 1 into em1 and (1 + r)^m into f, from log1p(r) in lg. f = em1 + 1 costs no
// second function and loses nothing while f >= 5/8; below (rates < 0 and long terms) f is
// exp(m lg), computed only for chunks that have such an element. Either way an element's value
// depends on its own arguments alone.
constexpr double kLowGrowth = -0.375;

TRUSTCOST_CLONES void log_growth(In lg, In m, std::size_t n, Out out) {
    for (std::size_t i = 0; i < n; ++i) out[i] = m[i] * lg[i];
}

TRUSTCOST_CLONES bool plus_one(In em1, std::size_t n, Out f) {
    std::uint64_t low = 0;
    for (std::size_t i = 0; i < n; ++i) {
        f[i] = em1[i] + 1.0;
        low |= static_cast<std::uint64_t>(em1[i] < kLowGrowth);
    }
    return low != 0;
}

TRUSTCOST_CLONES void keep_exp_where_low(In em1, std::size_t n, Out f) {
    for (std::size_t i = 0; i < n; ++i) f[i] = em1[i] < kLowGrowth ? f[i] : em1[i] + 1.0;
}

void growth_columns(const double* lg, const double* m, std::size_t n, double* em1, double* f) {
    log_growth(lg, m, n, em1);
    core::vecmath::expm1(em1, n);
    if (!plus_one(em1, n, f)) return;
    log_growth(lg, m, n, f);
    core::vecmath::exp(f, n);
    keep_exp_where_low(em1, n, f);
}

TRUSTCOST_CLONES void fv_column(In r, In m, In p, In pv, In w, In em1, In f, std::size_t n, Out out) {
    for (std::size_t i = 0; i < n; ++i) out[i] = -pv[i] * f[i] - p[i] * factor_of(r[i], m[i], w[i], em1[i]);
}

TRUSTCOST_CLONES void pv_column(In r, In m, In p, In fv, In w, In em1, In f, std::size_t n, Out out) {
    for (std::size_t i = 0; i < n; ++i) out[i] = -(fv[i] + p[i] * factor_of(r[i], m[i], w[i], em1[i])) / f[i];
}

TRUSTCOST_CLONES void pmt_column(In r, In m, In pv, In fv, In w, In em1, In f, std::size_t n, Out out) {
    for (std::size_t i = 0; i < n; ++i) out[i] = -(fv[i] + pv[i] * f[i]) / factor_of(r[i], m[i], w[i], em1[i]);
}

// nper_terms of each element (as nper above): q, and the argument of log1p.
TRUSTCOST_CLONES void nper_ratio(In r, In p, In pv, In fv, In w, std::size_t n, Out q, Out log_arg) {
    for (std::size_t i = 0; i < n; ++i) {
        const NperTerms t = nper_terms(r[i], p[i], pv[i], fv[i], w[i]);
        q[i] = t.q;
        log_arg[i] = t.ratio;
    }
}

// NaN where no number of periods reaches fv (as nper above).
TRUSTCOST_CLONES void nper_column(In r, In p, In pv, In fv, In lg, In q, In log_ratio, std::size_t n, Out out) {
    for (std::size_t i = 0; i < n; ++i) {
        const double at_zero = -(fv[i] + pv[i]) / p[i];
        out[i] = r[i] == 0.0 ? at_zero : nper_periods(r[i], lg[i], q[i], log_ratio[i]);
    }
}

// Periods over which ipmt grows its balance (as ipmt above): the payments to come where r > 0,
// the payments made otherwise (each free of cancellation on its side of r = 0).
TRUSTCOST_CLONES void balance_periods(In r, In per, In m, std::size_t n, Out out) {
    for (std::size_t i = 0; i < n; ++i) out[i] = r[i] > 0.0 ? m[i] - (per[i] - 1.0) : per[i] - 1.0;
}

TRUSTCOST_CLONES void interest_column(In r, In per, In pv, In fv, In w, In periods, In em1, In f, In payment,
                                      std::size_t n, Out out) {
    for (std::size_t i = 0; i < n; ++i) {
        const double A = factor_of(r[i], periods[i], w[i], em1[i]);
        const double later = (fv[i] + payment[i] * A) / f[i], earlier = -pv[i] * f[i] - payment[i] * A;
        const double interest = (r[i] > 0.0 ? later : earlier) * r[i];
        const double due = w[i] == 1.0 ? (per[i] == 1.0 ? 0.0 : interest / (1.0 + r[i])) : interest;
        out[i] = per[i] >= 1.0 ? due : kNaN;  // NaN for per < 1
    }
}

TRUSTCOST_CLONES void subtract(In a, Out b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) b[i] = a[i] - b[i];
}

// Where (1 + r)^nper overflows, pv and pmt are finite limits all the same: recomputed for those
// rare elements only (see limit_where_growth_overflows).
void repair_overflow(Annuity kind, const Chunk& k, double* out) {
    if (kind != Annuity::PV && kind != Annuity::PMT) return;
    for (std::size_t i = 0; i < k.n; ++i)
        if (!std::isfinite(out[i]))
            out[i] = limit_where_growth_overflows(kind == Annuity::PMT, k.x[0][i], k.x[1][i], k.x[2][i], k.x[3][i],
                                                  k.x[4][i], out[i]);
}

void compute(Annuity kind, Chunk& k, double* out) {
    const std::size_t n = k.n;
    const double* r = k.x[0];
    double* lg = k.a;
    std::copy(r, r + n, lg);
    core::vecmath::log1p(lg, n);
    switch (kind) {
        case Annuity::FV:
        case Annuity::PV:
        case Annuity::PMT: {
            growth_columns(lg, k.x[1], n, k.b, k.c);
            auto* column = kind == Annuity::FV ? fv_column : kind == Annuity::PV ? pv_column : pmt_column;
            column(r, k.x[1], k.x[2], k.x[3], k.x[4], k.b, k.c, n, out);
            repair_overflow(kind, k, out);
            break;
        }
        case Annuity::NPER: {
            nper_ratio(r, k.x[1], k.x[2], k.x[3], k.x[4], n, k.b, k.c);
            core::vecmath::log(k.c, n);
            nper_column(r, k.x[1], k.x[2], k.x[3], lg, k.b, k.c, n, out);
            break;
        }
        case Annuity::IPMT:
        case Annuity::PPMT: {
            const double *per = k.x[1], *m = k.x[2], *pv = k.x[3], *fv = k.x[4], *w = k.x[5];
            double* payment = k.e;
            growth_columns(lg, m, n, k.b, k.c);
            pmt_column(r, m, pv, fv, w, k.b, k.c, n, payment);
            balance_periods(r, per, m, n, k.d);
            growth_columns(lg, k.d, n, k.b, k.c);
            interest_column(r, per, pv, fv, w, k.d, k.b, k.c, payment, n, out);
            if (kind == Annuity::PPMT) subtract(payment, out, n);
            break;
        }
    }
}

}  // namespace

void annuity(Annuity kind, const double* const* a, const std::size_t* steps, std::size_t size, double* out) {
    static constexpr const char* kNames[6][6] = {
        {"rate", "nper", "pmt", "pv", "when", ""},  {"rate", "nper", "pmt", "fv", "when", ""},
        {"rate", "nper", "pv", "fv", "when", ""},   {"rate", "pmt", "pv", "fv", "when", ""},
        {"rate", "per", "nper", "pv", "fv", "when"}, {"rate", "per", "nper", "pv", "fv", "when"},
    };
    const bool per_form = kind == Annuity::IPMT || kind == Annuity::PPMT;
    const std::size_t nargs = per_form ? 6 : 5;
    const auto& names = kNames[static_cast<int>(kind)];
    core::parallel_for(size, kBlock, [&](std::size_t begin, std::size_t end) {
        Chunk k;
        double scalars[6][kChunk];  // a column of each one-value argument
        for (std::size_t j = 0; j < nargs; ++j)
            if (steps[j] == 0) std::fill_n(scalars[j], kChunk, a[j][0]);
        for (std::size_t start = begin; start < end; start += kChunk) {
            k.n = std::min(kChunk, end - start);
            for (std::size_t j = 0; j < nargs; ++j) k.x[j] = steps[j] == 0 ? scalars[j] : a[j] + start;
            if (!all_valid(k.x, nargs, k.n))  // name the first bad element, argument by argument
                for (std::size_t c = 0; c < k.n; ++c) {
                    check_rate(k.x[0][c], "rate", start + c);
                    for (std::size_t j = 1; j + 1 < nargs; ++j) check_finite(k.x[j][c], names[j], start + c);
                    check_when(k.x[nargs - 1][c], start + c);
                }
            compute(kind, k, out + start);
        }
    });
}

namespace {

// Newton's g(r), slope and scale of `rate` above for a column of rates, at once.
struct RateColumns {
    double r[kChunk], m[kChunk], p[kChunk], pv[kChunk], fv[kChunk], w[kChunk];  // the active elements
    double lg[kChunk], em1[kChunk], f[kChunk], g[kChunk], slope[kChunk], scale[kChunk];
};

TRUSTCOST_CLONES void rate_terms(In r, In m, In p, In pv, In fv, In w, In em1, In t1, std::size_t n, Out g,
                                 Out slope, Out scale) {
    for (std::size_t i = 0; i < n; ++i) {
        const double t2 = t1[i] / (1.0 + r[i]), head = 1.0 + r[i] * w[i];
        const double payments = p[i] * head * em1[i] / r[i];
        const double g_r = fv[i] + t1[i] * pv[i] + payments;
        const double slope_r = m[i] * t2 * pv[i] - p[i] * em1[i] * head / (r[i] * r[i]) +
                               m[i] * p[i] * t2 * head / r[i] + p[i] * em1[i] * w[i] / r[i];
        const double scale_r = std::abs(fv[i]) + std::abs(t1[i] * pv[i]) + std::abs(payments);
        // The limits at r = 0.
        const double g_0 = fv[i] + pv[i] + p[i] * m[i];
        const double slope_0 = m[i] * pv[i] + p[i] * (m[i] * w[i] + m[i] * (m[i] - 1.0) / 2.0);
        const double scale_0 = std::abs(fv[i]) + std::abs(pv[i]) + std::abs(p[i] * m[i]);
        const bool zero = r[i] == 0.0;
        g[i] = zero ? g_0 : g_r;
        slope[i] = zero ? slope_0 : slope_r;
        scale[i] = zero ? scale_0 : scale_r;
    }
}

void evaluate(RateColumns& c, std::size_t n) {
    std::copy(c.r, c.r + n, c.lg);
    core::vecmath::log1p(c.lg, n);
    growth_columns(c.lg, c.m, n, c.em1, c.f);
    rate_terms(c.r, c.m, c.p, c.pv, c.fv, c.w, c.em1, c.f, n, c.g, c.slope, c.scale);
}

// Each element walks the stages of `rate` above (Newton steps until one is below tol, two
// polishing steps, the final check), one evaluation per round; the rounds evaluate the
// elements still walking, packed together, so one slow element does not hold up the rest.
enum class Stage : std::uint8_t { Newton, Polish, Check };

void rate_chunk(const double* const* x, std::size_t n, double guess, double tol, unsigned max_iter, double* out,
                std::uint8_t* converged) {
    std::size_t active[kChunk];
    double r[kChunk];
    unsigned steps[kChunk];
    Stage stage[kChunk];
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = kNaN;
        converged[i] = 0;
        r[i] = guess;
        steps[i] = 0;
        stage[i] = Stage::Newton;
        if (max_iter > 0) active[count++] = i;
    }
    RateColumns c;
    while (count > 0) {
        for (std::size_t k = 0; k < count; ++k) {
            const std::size_t i = active[k];
            c.r[k] = r[i], c.m[k] = x[0][i], c.p[k] = x[1][i], c.pv[k] = x[2][i], c.fv[k] = x[3][i], c.w[k] = x[4][i];
        }
        evaluate(c, count);
        std::size_t still = 0;
        for (std::size_t k = 0; k < count; ++k) {
            const std::size_t i = active[k];
            const double next = c.r[k] - c.g[k] / c.slope[k];
            const bool valid = next > -1.0 && std::isfinite(next);
            bool walking = true;
            switch (stage[i]) {
                case Stage::Newton: {
                    const bool stopped = std::abs(next - r[i]) < tol;
                    r[i] = next;
                    ++steps[i];
                    if (!valid) walking = false;  // no root from here
                    else if (stopped) stage[i] = Stage::Polish, steps[i] = 0;
                    else if (steps[i] == max_iter) walking = false;
                    break;
                }
                case Stage::Polish:
                    if (valid) r[i] = next;
                    if (!valid || ++steps[i] == 2) stage[i] = Stage::Check;
                    break;
                case Stage::Check:
                    if (std::abs(c.g[k]) <= 1e-9 * c.scale[k]) out[i] = r[i], converged[i] = 1;
                    walking = false;
                    break;
            }
            if (walking) active[still++] = i;
        }
        count = still;
    }
}

}  // namespace

void rate(const double* const* a, const std::size_t* steps, std::size_t size, double guess, double tol,
          unsigned max_iter, double* out, std::uint8_t* converged) {
    core::require_rate(guess, "guess");
    core::require_positive(tol, "tol");
    static constexpr const char* kNames[4] = {"nper", "pmt", "pv", "fv"};
    core::parallel_for(size, kBlock, [&](std::size_t begin, std::size_t end) {
        double scalars[5][kChunk];  // a column of each one-value argument
        for (std::size_t j = 0; j < 5; ++j)
            if (steps[j] == 0) std::fill_n(scalars[j], kChunk, a[j][0]);
        const double* x[5];
        for (std::size_t start = begin; start < end; start += kChunk) {
            const std::size_t n = std::min(kChunk, end - start);
            for (std::size_t j = 0; j < 5; ++j) x[j] = steps[j] == 0 ? scalars[j] : a[j] + start;
            for (std::size_t i = 0; i < n; ++i) {
                for (std::size_t j = 0; j < 4; ++j) check_finite(x[j][i], kNames[j], start + i);
                check_when(x[4][i], start + i);
            }
            rate_chunk(x, n, guess, tol, max_iter, out + start, converged + start);
            for (std::size_t i = 0; i < n; ++i)
                if (!converged[start + i]) {
                    out[start + i] = bracketed_rate(x[0][i], x[1][i], x[2][i], x[3][i], x[4][i], guess);
                    converged[start + i] = !std::isnan(out[start + i]);
                }
        }
    });
}

void mirr(const Series& values, const double* finance_rate, const double* reinvest_rate, std::size_t rates_size,
          double* out, std::uint8_t* has_solution) {
    if (values.cols < 2) throw invalid("values must have at least 2 periods for mirr, got ", values.cols);
    for (std::size_t j = 0; j < rates_size; ++j) {
        if (!std::isfinite(finance_rate[j]) || finance_rate[j] <= -1.0)
            throw invalid("finance_rate[", j, "] must be finite and > -1, got ", finance_rate[j]);
        if (!std::isfinite(reinvest_rate[j]) || reinvest_rate[j] <= -1.0)
            throw invalid("reinvest_rate[", j, "] must be finite and > -1, got ", reinvest_rate[j]);
    }
    const std::size_t n = values.cols;
    core::parallel_for(values.rows, kBlock / 8, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const double* v = values.row(i);
            bool pos = false, neg = false;
            for (std::size_t t = 0; t < n; ++t) {
                if (!std::isfinite(v[t])) throw invalid("values[", i, ", ", t, "] must be finite, got ", v[t]);
                pos |= v[t] > 0.0;
                neg |= v[t] < 0.0;
            }
            for (std::size_t j = 0; j < rates_size; ++j) {
                double* o = out + i * rates_size + j;
                has_solution[i * rates_size + j] = pos && neg;
                if (!(pos && neg)) {
                    *o = kNaN;
                    continue;
                }
                // Present values, as numpy-financial computes them; the ratio is the same as FV/PV.
                double gains = 0.0, costs = 0.0;
                const double step_r = 1.0 / (1.0 + reinvest_rate[j]), step_f = 1.0 / (1.0 + finance_rate[j]);
                double dr = 1.0, df = 1.0;
                for (std::size_t t = 0; t < n; ++t) {
                    if (v[t] > 0.0) gains += v[t] * dr;
                    if (v[t] < 0.0) costs += v[t] * df;
                    dr *= step_r;
                    df *= step_f;
                }
                *o = std::pow(gains / -costs, 1.0 / static_cast<double>(n - 1)) * (1.0 + reinvest_rate[j]) - 1.0;
            }
        }
    });
}

}  // namespace trustcost::finance
