#include "trustcost/finance/roots.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <tuple>


#include "trustcost/core/errors.hpp"
#include "trustcost/core/vecmath.hpp"

namespace trustcost::finance {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEps = std::numeric_limits<double>::epsilon();
constexpr int kMaxDepth = 52;         // bisections below 2^-52 cannot separate doubles in (0, 1)
constexpr std::size_t kMaxNodes = 4096;  // bounds the work on pathological clusters
constexpr double kMaxWork = 4e9;         // nodes x degree^2: a few seconds at most

inline int sign(double x) { return (x > 0) - (x < 0); }

inline double horner(const double* c, std::size_t n, double x) {
    double p = c[n - 1];
    for (std::size_t k = n - 1; k-- > 0;) p = p * x + c[k];
    return p;
}

// sum |c_k| x^k: the size of the terms whose rounding errors horner() accumulates.
inline double horner_abs(const double* c, std::size_t n, double x) {
    double p = std::abs(c[n - 1]);
    for (std::size_t k = n - 1; k-- > 0;) p = p * x + std::abs(c[k]);
    return p;
}

// Coefficients of a(x + 1) from those of a(x), in place: the classical Taylor shift, pass i
// doing a[j] += a[j + 1] for j = n-2 .. i. Passes run in pairs, the second one element behind
// the first, so that two chains of additions overlap; the additions and their order are the
// classical ones, so the result is bit-identical to it.
void taylor_shift1(double* a, std::size_t n) {
    std::size_t i = 0;
    for (; i + 2 < n; i += 2) {
        double first = a[n - 1] + a[n - 2], second = a[n - 1];
        a[n - 2] = first;
        for (std::size_t j = n - 2; j-- > i;) {
            second += a[j + 1];
            a[j + 1] = second;
            first += a[j];
            a[j] = first;
        }
    }
    for (; i + 1 < n; ++i) {
        double carry = a[n - 1];
        for (std::size_t j = n - 1; j-- > i;) {
            carry += a[j];
            a[j] = carry;
        }
    }
}

// Scales by a power of two (exact) so the largest coefficient is in [0.5, 1): roots unchanged.
void normalise(double* q, std::size_t n) {
    double big = 0.0;
    for (std::size_t k = 0; k < n; ++k) big = std::max(big, std::abs(q[k]));
    if (big == 0.0 || !std::isfinite(big)) return;
    int e;
    std::frexp(big, &e);
    for (std::size_t k = 0; k < n; ++k) q[k] = std::ldexp(q[k], -e);
}

// Descartes' bound on the roots of q in (0, 1): sign changes of (1 + y)^d q(1 / (1 + y)).
int descartes01(const std::vector<double>& q, std::vector<double>& tmp) {
    tmp.assign(q.rbegin(), q.rend());
    taylor_shift1(tmp.data(), tmp.size());
    return sign_changes(tmp.data(), tmp.size());
}

// Vincent-Collins-Akritas bisection: appends brackets (in q's variable) of the roots of q in
// (0, 1), each holding one root (or, past the depth limit, an unresolved cluster). Returns
// false when the work budget ran out first (the remaining intervals were not isolated).
bool isolate01(const std::vector<double>& q0, RootWorkspace& w) {
    auto& nodes = w.nodes;
    std::size_t top = 0, visited = 0;
    auto push = [&](const std::vector<double>& q, double lo, double hi, int depth) {
        if (nodes.size() <= top) nodes.emplace_back();
        nodes[top].q.assign(q.begin(), q.end());
        nodes[top].lo = lo;
        nodes[top].hi = hi;
        nodes[top].depth = depth;
        ++top;
    };
    push(q0, 0.0, 1.0, 0);
    bool complete = true;
    auto& cur = w.side;
    while (top > 0) {
        --top;
        std::swap(cur, nodes[top].q);
        const double lo = nodes[top].lo, hi = nodes[top].hi;
        const int depth = nodes[top].depth;
        ++visited;
        const int count = descartes01(cur, w.scratch);
        if (count == 0) continue;
        if (count == 1 || depth >= kMaxDepth) {
            w.brackets.emplace_back(lo, hi);
            continue;
        }
        if (visited >= kMaxNodes || static_cast<double>(visited) * cur.size() * cur.size() > kMaxWork) {
            w.brackets.emplace_back(lo, hi);
            complete = false;
            continue;
        }
        const double mid = 0.5 * (lo + hi);
        for (std::size_t k = 0; k < cur.size(); ++k) cur[k] = std::ldexp(cur[k], -static_cast<int>(k));
        normalise(cur.data(), cur.size());  // cur is now q(x / 2): the left half
        // A root at (or within rounding of) the midpoint lies on neither half for Descartes's
        // count, or on one by the noise of its sign: try it as a bracket of its own, which
        // solve_bracket accepts only where the series itself vanishes there to rounding.
        double at_mid = 0.0, size_mid = 0.0;
        for (double v : cur) {
            at_mid += v;
            size_mid += std::abs(v);
        }
        if (std::abs(at_mid) <= 64.0 * static_cast<double>(cur.size()) * kEps * size_mid)
            w.brackets.emplace_back(mid, mid);
        w.shifted.assign(cur.begin(), cur.end());
        taylor_shift1(w.shifted.data(), w.shifted.size());  // q(x / 2 + 1 / 2): the right half
        push(w.shifted, mid, hi, depth + 1);
        push(cur, lo, mid, depth + 1);
    }
    return complete;
}

// p(u), p'(u) and sum |c_k| u^k (the rounding scale of p) in one Horner pass, for u >= 0.
inline void horner2(const double* c, std::size_t n, double u, double& p, double& dp, double& scale) {
    p = c[n - 1];
    dp = 0.0;
    scale = std::abs(c[n - 1]);
    for (std::size_t k = n - 1; k-- > 0;) {
        dp = dp * u + p;
        p = p * u + c[k];
        scale = scale * u + std::abs(c[k]);
    }
}

// Horner's rounding bound (Higham, Accuracy and Stability of Numerical Algorithms, eq. 5.3):
// below it the computed sign of c(u) means nothing, and u is a root to working precision.
inline bool zero_to_rounding(const double* c, std::size_t n, double u, double p) {
    return std::abs(p) <= 2.0 * static_cast<double>(n) * kEps * horner_abs(c, n, u);
}

// Newton steps kept inside the bracket [lo, hi] with f(lo) = flo of the opposite sign to f(hi),
// bisecting whenever a step leaves the bracket or shrinks it too slowly (Press et al., Numerical
// Recipes, rtsafe). eval(u, f, f') returns true where f(u) is zero to rounding (a root to
// working precision). Converged when the bracket or the step is within a few ulps of the root
// (plus `floor`, for roots at 0); NaN (not converged) after max_iter steps.
template <class Eval>
double safeguarded_newton(const Eval& eval, double lo, double hi, double flo, unsigned max_iter, double floor,
                          bool& converged) {
    double neg = flo < 0.0 ? lo : hi, pos = flo < 0.0 ? hi : lo;  // f(neg) < 0 < f(pos)
    double u = 0.5 * (lo + hi);
    double step_before = std::abs(hi - lo), step = step_before;
    for (unsigned it = 0; it < max_iter; ++it) {
        double p, dp;
        if (eval(u, p, dp)) return u;
        (p < 0.0 ? neg : pos) = u;
        const double next = u - p / dp;
        const double a = std::min(neg, pos), b = std::max(neg, pos);
        if (dp == 0.0 || !(next > a && next < b) || std::abs(2.0 * p) > std::abs(step_before * dp)) {
            step_before = step;
            step = 0.5 * (b - a);
            u = a + step;
        } else {
            step_before = step;
            step = next - u;
            u = next;
        }
        if (b - a <= 4.0 * kEps * std::abs(u) + floor || std::abs(step) <= 2.0 * kEps * std::abs(u) + floor) return u;
    }
    converged = false;
    return kNaN;
}

// The polynomial's root in a bracket (p' comes with p from one Horner pass).
double refine(const double* c, std::size_t n, double lo, double hi, double flo, unsigned max_iter, bool& converged) {
    const auto eval = [&](double u, double& p, double& dp) {
        double scale;
        horner2(c, n, u, p, dp, scale);
        return std::abs(p) <= 2.0 * kEps * scale;
    };
    return safeguarded_newton(eval, lo, hi, flo, max_iter, 0.0, converged);
}

// A point between `end` and `other` (closer and closer to `end`: other + (end - other)(1 - 2^-k))
// where c has the sign `wanted`, or NaN. Used where c(end) is within rounding of zero and so
// hides on which side of the root inside the bracket `end` lies.
double probe(const double* c, std::size_t n, double end, double other, int wanted) {
    for (int k = 1; k <= 64; ++k) {
        const double u = end + std::ldexp(other - end, -k);
        if (u == end) break;
        if (sign(horner(c, n, u)) == wanted) return u;
    }
    return kNaN;
}

// The root of c (Horner in u) in a bracket [lo, hi] that Descartes' rule says holds one root
// inside (or, past the depth limit, a cluster), or NaN. Where c changes sign between the ends,
// refine() solves. Where an end is within rounding of zero (a root at or next to it, e.g. a
// root of the whole series at r = 0 beside one inside), the sign change is sought by probing
// inward from that end. Failing all that, a point where c vanishes to rounding (a double root).
double solve_bracket(const double* c, std::size_t n, double lo, double hi, unsigned max_iter, bool& converged) {
    const double flo = horner(c, n, lo), fhi = horner(c, n, hi);
    if (sign(flo) * sign(fhi) < 0) return refine(c, n, lo, hi, flo, max_iter, converged);
    const bool lo_zero = zero_to_rounding(c, n, lo, flo), hi_zero = zero_to_rounding(c, n, hi, fhi);
    if (hi_zero && !lo_zero) {
        const double u = probe(c, n, hi, lo, -sign(flo));
        if (!std::isnan(u)) return refine(c, n, lo, u, flo, max_iter, converged);
    }
    if (lo_zero && !hi_zero) {
        const double u = probe(c, n, lo, hi, -sign(fhi));
        if (!std::isnan(u)) return refine(c, n, u, hi, horner(c, n, u), max_iter, converged);
    }
    const double mid = 0.5 * (lo + hi), fmid = horner(c, n, mid);
    if (lo_zero && hi_zero && !zero_to_rounding(c, n, mid, fmid)) {
        double u = probe(c, n, lo, mid, -sign(fmid));
        if (!std::isnan(u)) return refine(c, n, u, mid, horner(c, n, u), max_iter, converged);
        u = probe(c, n, hi, mid, -sign(fmid));
        if (!std::isnan(u)) return refine(c, n, mid, u, fmid, max_iter, converged);
    }
    if (zero_to_rounding(c, n, mid, fmid)) return mid;
    if (lo_zero) return lo;
    if (hi_zero) return hi;
    return kNaN;
}

// Roots in (0, 1) of one side's polynomial q, appended to `out` as values of u.
void side_roots(const std::vector<double>& q, unsigned max_iter, RootWorkspace& w, std::vector<double>& out,
                bool& converged) {
    w.brackets.clear();
    if (!isolate01(q, w)) converged = false;  // some roots may be missing: the choice is not safe
    const std::size_t before = out.size();
    for (const auto& [lo, hi] : w.brackets) {
        const double u = solve_bracket(q.data(), q.size(), lo, hi, max_iter, converged);
        if (u > 0.0 && u < 1.0) out.push_back(u);
    }
    // Parity: q(0) and q(1) of opposite signs mean an odd number of roots in (0, 1). Should
    // rounding have hidden them from the isolation, the whole interval is a valid bracket.
    const double at_one = horner(q.data(), q.size(), 1.0);
    if (out.size() == before && !zero_to_rounding(q.data(), q.size(), 1.0, at_one) && sign(q.front()) != sign(at_one)) {
        const double u = solve_bracket(q.data(), q.size(), 0.0, 1.0, max_iter, converged);
        if (u > 0.0 && u < 1.0) out.push_back(u);
    }
}

void sort_unique(std::vector<double>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Sorted rates closer than a few ulps of 1 + r are one root found twice (say r = 0 from the
// test at x = 1 and again from a side's bracket ending there): keep one, r = 0 if it is one.
void merge_neighbours(std::vector<double>& rates) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < rates.size(); ++i) {
        if (kept > 0 && rates[i] - rates[kept - 1] <= 8.0 * kEps * (1.0 + rates[i])) {
            if (rates[i] == 0.0) rates[kept - 1] = 0.0;
            continue;
        }
        rates[kept++] = rates[i];
    }
    rates.resize(kept);
}

}  // namespace

int sign_changes(const double* c, std::size_t n) {
    int changes = 0, last = 0;
    for (std::size_t k = 0; k < n; ++k) {  // without branches: random signs mispredict them
        const int s = sign(c[k]);
        changes += (s != 0) & (last != 0) & (s != last);
        last = s != 0 ? s : last;
    }
    return changes;
}

Rates polynomial_rates(const double* values, std::size_t n, unsigned max_iter, RootWorkspace& w) {
    Rates result;
    // Zeros at either end only add roots at x = 0 (r = inf) or x = inf (r = -1): drop them.
    std::size_t lo = 0, hi = n;
    while (lo < hi && values[lo] == 0.0) ++lo;
    while (hi > lo && values[hi - 1] == 0.0) --hi;
    const double* c = values + lo;
    const std::size_t m = hi - lo;
    if (m < 2) return result;
    // Flows near the ends of the float range (1e308) would overflow in the sums below: scale
    // them by a power of two (exact; the roots are unchanged).
    double big = 0.0;
    for (std::size_t k = 0; k < m; ++k) big = std::max(big, std::abs(c[k]));
    if (big > 0x1p900 || big < 0x1p-900) {
        w.scratch.assign(c, c + m);
        normalise(w.scratch.data(), m);
        c = w.scratch.data();
    }
    const int changes = sign_changes(c, m);
    if (changes == 0) return result;
    // x = 1 (r = 0) splits the two sides. Where p(1) is within rounding of zero its computed
    // sign is noise, and the two sides' isolations (each summing the coefficients in its own
    // order) may each leave a root there to the other: r = 0 is then taken as the root.
    const double at_one = horner(c, m, 1.0);
    const bool root_at_one = zero_to_rounding(c, m, 1.0, at_one);

    auto& negative_side = w.negative;  // y = 1 / x in (0, 1): the reversed polynomial
    auto reverse_into_negative_side = [&] {
        negative_side.assign(c, c + m);
        std::reverse(negative_side.begin(), negative_side.end());
    };
    auto& xs = w.xs;
    auto& ys = w.ys;
    xs.clear();
    ys.clear();
    if (changes == 1) {  // exactly one root: its side follows from the sign at x = 1
        if (root_at_one) {
            result.rates.push_back(0.0);
            return result;
        }
        if (sign(at_one) != sign(c[0])) {
            const double u = solve_bracket(c, m, 0.0, 1.0, max_iter, result.converged);
            if (u > 0.0 && u < 1.0) xs.push_back(u);
        } else {
            reverse_into_negative_side();
            const double u = solve_bracket(negative_side.data(), m, 0.0, 1.0, max_iter, result.converged);
            if (u > 0.0 && u < 1.0) ys.push_back(u);
        }
    } else {
        reverse_into_negative_side();
        w.positive.assign(c, c + m);
        side_roots(w.positive, max_iter, w, xs, result.converged);
        side_roots(negative_side, max_iter, w, ys, result.converged);
    }
    for (double y : ys)  // a root with 1 + r below half an ulp of 1 has no rate > -1 as a double
        if (y - 1.0 > -1.0) result.rates.push_back(y - 1.0);
    if (root_at_one) result.rates.push_back(0.0);
    for (double x : xs) {
        const double r = (1.0 - x) / x;
        if (std::isfinite(r)) result.rates.push_back(r);
    }
    sort_unique(result.rates);
    merge_neighbours(result.rates);
    return result;
}

namespace {

// s = log(1 + r) is searched on [kLogLo, kLogHi]: below kLogLo, 1 + r rounds to 0 (r = -1
// exactly, not a rate); above kLogHi, (1 + r)^t overflows for t >= 1.
const double kLogLo = std::log(2.0 * kEps);
constexpr double kLogHi = 700.0;

// Level k of the Rolle recursion: sum_{i >= k} b[i] exp(-(t[i] - t[k]) s), evaluated after
// division by its largest exponential so that nothing overflows; the divisor is positive and
// continuous in s, so signs and roots are those of the sum.
struct Level {
    const double* b;
    const double* t;
    std::size_t k, n;
    // The sum, or exactly 0 where it is within its rounding bound (each term's exponent carries
    // an error of about eps |exponent|, the summation about n eps): the solver then stops there
    // instead of chasing signs that are noise (flows of 1e9 and 1 put the root of their sum
    // where 1e9-sized terms cancel, below what any further iteration can resolve).
    double operator()(double s) const {
        const double shift = s < 0.0 ? -(t[n - 1] - t[k]) * s : 0.0;
        double sum = 0.0, size = 0.0, exponent_error = 0.0;
        for (std::size_t i = k; i < n; ++i) {
            const double exponent = -(t[i] - t[k]) * s - shift;
            const double term = b[i] * std::exp(exponent);
            sum += term;
            size += std::abs(term);
            exponent_error += std::abs(term * exponent);
        }
        return std::abs(sum) <= kEps * (exponent_error + static_cast<double>(n - k + 2) * size) ? 0.0 : sum;
    }
    double scale(double s) const {
        const double shift = s < 0.0 ? -(t[n - 1] - t[k]) * s : 0.0;
        double sum = 0.0;
        for (std::size_t i = k; i < n; ++i) sum += std::abs(b[i]) * std::exp(-(t[i] - t[k]) * s - shift);
        return sum;
    }
};

// The one root of a level whose flows change sign once (Laguerre's rule allows at most one,
// and the signs at s = -inf and +inf differ, so there is one): the bracket grows from
// s = log(1.1) until the sign changes, then safeguarded Newton steps solve it. No isolation,
// and each evaluation gives the value, its derivative and its rounding bound in one pass.
struct SingleSum {
    const double* a;
    const double* t;
    std::size_t n;
    // The sum divided by exp(shift(s)) (as Level, so nothing overflows; the divisor is positive,
    // so sign and root are the sum's), its derivative, and log(P / N) with its derivative, P and
    // N the sums of the positive and of the negative terms' sizes: that logarithm has the sum's
    // roots and signs and is nearly linear in s (exactly so for one negative and one positive
    // date), so Newton's method on it starts well from afar. `zero` when within rounding.
    // The exponentials run a register at a time (core::vecmath; each element on its own, so
    // the same bits in any batch or thread): they were a third of xirr's time one by one. Their
    // few ulps of error are within the (n + 2) eps |term| the rounding bound allows.
    struct Point {
        double value, slope, log_ratio, log_slope, log_curve;
        bool zero;
        // Halley's step on log(P / N) (Newton's where the correction is large): cubic
        // convergence saves an evaluation or two per root over Newton's quadratic.
        double step(bool& cubic) const {
            const double newton = -log_ratio / log_slope;
            const double correction = 0.5 * log_ratio * log_curve / (log_slope * log_slope);
            cubic = std::abs(correction) < 0.5;
            return cubic ? newton / (1.0 - correction) : newton;
        }
    };
    double shift(double s) const { return s < 0.0 ? -(t[n - 1] - t[0]) * s : 0.0; }
    // The terms a[i] exp(-(t[i] - t[0]) s - shift(s)) into w[0, n).
    void terms(double s, double* w) const {
        if (s == 0.0) {  // every factor is exp(-0) = 1
            std::copy(a, a + n, w);
            return;
        }
        const double sh = shift(s);
        for (std::size_t i = 0; i < n; ++i) w[i] = -(t[i] - t[0]) * s - sh;
        core::vecmath::exp(w, n);
        for (std::size_t i = 0; i < n; ++i) w[i] *= a[i];
    }
    void eval(double s, Point& p) const {
        thread_local std::vector<double> w;
        if (w.size() < n) w.resize(n);
        terms(s, w.data());
        point(s, w.data(), p);
    }
    // The point at s from its terms.
    void point(double s, const double* w, Point& p) const {
        const double dshift = s < 0.0 ? -(t[n - 1] - t[0]) : 0.0;
        // Two interleaved sets of sums (even and odd terms), so that the additions' latency
        // overlaps; the order is fixed, so the bits are the same in any batch or thread.
        double sum[2] = {0.0, 0.0}, d[2] = {0.0, 0.0}, d2[2] = {0.0, 0.0},
               negative[2] = {0.0, 0.0}, dnegative[2] = {0.0, 0.0}, d2negative[2] = {0.0, 0.0};
        const auto add = [&](std::size_t i, int k) {
            const double rate = -(t[i] - t[0] + dshift), term = w[i], below = std::min(term, 0.0);
            sum[k] += term;
            d[k] += rate * term;
            d2[k] += rate * rate * term;
            negative[k] += below;
            dnegative[k] += rate * below;
            d2negative[k] += rate * rate * below;
        };
        std::size_t i = 0;
        for (; i + 1 < n; i += 2) {
            add(i, 0);
            add(i + 1, 1);
        }
        if (i < n) add(i, 0);
        const double positive = sum[0] + sum[1] - (negative[0] + negative[1]);
        const double mean = (d[0] + d[1] - (dnegative[0] + dnegative[1])) / positive,
                     mean_negative = (dnegative[0] + dnegative[1]) / (negative[0] + negative[1]);
        // d2/ds2 log(P / N): the variance of the terms' rates under P's weights less under N's.
        p.log_curve = ((d2[0] + d2[1] - (d2negative[0] + d2negative[1])) / positive - mean * mean) -
                      ((d2negative[0] + d2negative[1]) / (negative[0] + negative[1]) - mean_negative * mean_negative);
        // The terms' sizes add up to P + N = sum - 2 negative (to rounding: it only scales a bound).
        const double below = negative[0] + negative[1];
        point_from_sums(s, w, sum[0] + sum[1], d[0] + d[1], positive - below, below, dnegative[0] + dnegative[1], p);
    }
    void point_from_sums(double s, const double* w, double sum, double d, double size, double negative,
                         double dnegative, Point& p) const {
        const double sh = shift(s);
        // N = -negative, P = sum + N: log(P / N) = log1p(sum / N), d/ds = P' / P - N' / N. Near
        // a root (|x| < 2^-10) four terms of log1p's series serve: Newton needs the function's
        // sign and shape, not its last bits, and log1p was a tenth of the time.
        const double x = sum / -negative;
        p.value = sum;
        p.slope = d;
        p.log_ratio = std::abs(x) < 0x1p-10 ? x * (1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))) : std::log1p(x);
        p.log_slope = (d - dnegative) / (sum - negative) - dnegative / negative;
        // Rounding: each exponent is off by about eps |exponent| <= eps span |s|, the sum by
        // (n + 2) eps size. The exact sum of |term exponent| only where the cheap bound is in doubt.
        const double bound = static_cast<double>(n + 2) * size;
        if (std::abs(sum) > 1.0625 * kEps * (bound + (t[n - 1] - t[0]) * std::abs(s) * size)) {
            p.zero = false;
        } else {
            double exponent_error = 0.0;
            for (std::size_t i = 0; i < n; ++i) exponent_error += std::abs(w[i] * (-(t[i] - t[0]) * s - sh));
            p.zero = std::abs(sum) <= kEps * (exponent_error + bound);
        }
    }
    void eval(double s, double& value, double& slope, bool& zero) const {
        Point p;
        eval(s, p);
        value = p.value;
        slope = p.slope;
        zero = p.zero;
    }
};

// The root of g between `inner` and `limit` when there is exactly one there (or none that 1 + r
// can represent): Halley steps on log(P / N) from `inner` (Point::step; the first one is about
// the rate of a first-order expansion there), each kept beyond the last point of inner's sign
// and at most `reach` past it (reach growing fourfold whenever a step is cut or goes back), until
// a point of the other sign brackets the root; then the same steps safeguarded inside the bracket
// (Press et al., rtsafe: bisection where a step leaves it or shrinks too slowly). The steps start
// from where the last evaluation was, not from the middle of a bracket. NaN if none before the
// limit.
// With `limit_other` the limit is known to have the other sign (a bracket from the start).
double one_root(const SingleSum& g, double inner, double limit, unsigned max_iter, bool& converged,
                const SingleSum::Point* at_inner = nullptr, bool limit_other = false) {
    constexpr double kFloor = 1e-300;  // roots at s = 0
    if (inner == limit) return kNaN;  // nothing lies beyond (a pivot at kLogLo or kLogHi)
    SingleSum::Point p;
    if (at_inner) p = *at_inner;
    else g.eval(inner, p);
    if (p.zero) return inner;
    const double direction = limit > inner ? 1.0 : -1.0;
    const int inner_sign = sign(p.value);
    double same = inner, other = limit;  // f(same) has inner's sign; f(other) the opposite once found
    bool bracketed = limit_other;
    double u = inner, reach = 1.0, step = std::abs(limit - inner), step_before = step;
    const double span = g.t[g.n - 1] - g.t[0];
    for (unsigned it = 0; it < max_iter; ++it) {
        bool cubic;
        double next = u + p.step(cubic);
        if (bracketed) {
            const double a = std::min(same, other), b = std::max(same, other);
            if (!(next > a && next < b) || std::abs(2.0 * p.log_ratio) > std::abs(step_before * p.log_slope)) {
                next = 0.5 * (a + b);
                cubic = false;
            }
        } else {
            const double move = (next - same) * direction;
            if (!(move > 0.0) || move > reach) {  // back, or too far (or not a number)
                next = same + direction * reach;
                reach *= 4.0;
                cubic = false;
            }
            if ((limit - next) * direction < 0.0) {
                next = limit;
                cubic = false;
            }
        }
        step_before = step;
        step = next - u;
        if (std::abs(step) <= 2.0 * kEps * std::abs(next) + kFloor ||
            (bracketed && std::abs(other - same) <= 4.0 * kEps * std::abs(next) + kFloor))
            return next;
        // Halley's step from u leaves an error of about (h2^2 / (4 h1^2) - h3 / (6 h1)) e^3 for an
        // error e ~ step at u, h1..h3 the derivatives of h = log(P / N): differences of the
        // cumulants of the terms' rates (in an interval of width span) under P's and N's
        // weights, so |h2| <= span^2 and |h3| <= span^3. Where even that bound leaves less than
        // half an ulp, the step lands on the root and needs no evaluation to confirm it.
        if (cubic) {
            const double slope = std::abs(p.log_slope), e = std::abs(step);
            const double bound = (span * span * span * span / (slope * slope) + span * span * span / slope) * e * e * e;
            if (bound <= 0.5 * kEps * std::abs(next)) return next;
        }
        u = next;
        g.eval(u, p);
        if (p.zero) return u;
        if (sign(p.value) == inner_sign) {
            same = u;
            if (!bracketed && u == limit) return kNaN;  // 1 + r not representable (see kLogLo/kLogHi)
        } else {
            other = u;
            bracketed = true;
        }
    }
    converged = false;
    return kNaN;
}

// Sign changes of the partial sums a[0], a[0] + a[1], ... (`above`) and a[n-1], a[n-1] + a[n-2],
// ... (`below`); -1 where a partial sum is within its rounding bound, so its sign is not known.
// `total` is the last forward partial sum. Both directions in one loop without branches, so
// that their chains of additions overlap (they were a sixth of xirr's time one after the other).
struct PartialSums {
    int above, below;
    double total;
};

PartialSums partial_sum_changes(const double* a, std::size_t n) {
    const double bound = (static_cast<double>(n) + 3.0) * kEps;
    double sum[2] = {0.0, 0.0}, size[2] = {0.0, 0.0};
    int changes[2] = {0, 0};
    bool unknown[2] = {false, false}, last[2] = {false, false};  // last: the previous partial sum was negative
    for (std::size_t j = 0; j < n; ++j) {
        const double x[2] = {a[j], a[n - 1 - j]};
        for (int k = 0; k < 2; ++k) {
            sum[k] += x[k];
            size[k] += std::abs(x[k]);
            unknown[k] |= std::abs(sum[k]) <= bound * size[k];
            const bool negative = sum[k] < 0.0;
            changes[k] += (j > 0) & (negative != last[k]);
            last[k] = negative;
        }
    }
    return {unknown[0] ? -1 : changes[0], unknown[1] ? -1 : changes[1], sum[0]};
}

// Laguerre's bounds at one pivot s = c (as few_roots): the sign changes of the partial sums of
// the discounted flows from the first (bounding the roots above c) and from the last (below c),
// and the sign of the sum there. False where a partial sum is within its rounding bound.
// The discounted flows themselves stay in `terms` (n from slot * n) for the interval tests of
// piece_count.
struct Pivot {
    double c;
    int above, below, sign;
    std::size_t slot;
};

bool pivot_at(const SingleSum& g, double c, std::vector<double>& terms, Pivot& p) {
    const std::size_t n = g.n, slot = terms.size() / n;
    terms.resize(terms.size() + n);
    double* w = terms.data() + slot * n;
    g.terms(c, w);  // as SingleSum: nothing overflows, and the same terms as its evaluation at c
    const PartialSums sums = partial_sum_changes(w, n);
    p = {c, sums.above, sums.below, sign(sums.total), slot};
    return p.above >= 0 && p.below >= 0 && p.sign != 0;
}

// The pivots computed so far for one schedule (few_roots tries them in turn; pivot_walk goes on
// from them), with their terms; `valid` false once a pivot's signs were lost to rounding.
struct Pivots {
    std::vector<double> terms;
    std::vector<Pivot> list;
    bool valid = true;
};


// The fast path, taken when the rules of signs leave at most one root on each side of a pivot
// s = c: roots with s > c are at most the sign changes of the partial sums, from the first flow,
// of the flows discounted to c (a[i] exp(-t[i] c)), those with s < c at most those of the
// partial sums from the last flow (Laguerre's rule for sums of real powers: Polya & Szego,
// Problems and Theorems in Analysis II, Part V, problem 77, applied to f(c + u)). Flows that
// change sign once qualify, and so do most fund schedules (contributions, then distributions
// with the odd call between them) at c = 0 or a pivot near their rate. Each side with one change
// holds exactly one root, which is bracketed and solved; false when no pivot applies.
bool few_roots(const double* a, const double* t, std::size_t n, int changes, unsigned max_iter, Rates& result,
               Pivots& pivots) {
    const SingleSum g{a, t, n};
    SingleSum::Point at;
    if (changes == 1) {
        g.eval(0.0, at);
        // Below the root the sum has the sign of the last flow, above it that of the first.
        const double s =
            at.zero ? 0.0
                    : one_root(g, 0.0, sign(at.value) != sign(a[0]) ? kLogHi : kLogLo, max_iter, result.converged, &at);
        if (const double r = std::expm1(s); r > -1.0 && std::isfinite(r)) result.rates.push_back(r);
        return true;
    }
    // Pivots at rates of 0, then +10%, +25%, +50%, +100%, +200% and -10%, -20%, -33%, -50%, -75%:
    // first on the side where the bound at 0 leaves more than one root (a pivot on the other
    // side only raises that bound), alternating where both do.
    static const double kUp[] = {std::log1p(0.1), std::log1p(0.25), std::log1p(0.5), std::log(2.0), std::log(3.0)};
    static const double kDown[] = {std::log1p(-0.1), std::log1p(-0.2), std::log1p(-1.0 / 3.0), std::log(0.5),
                                   std::log(0.25)};
    constexpr std::size_t kSide = std::size(kUp);
    const auto solve_at = [&](double c) {  // true where the pivot leaves at most one root on each side
        Pivot p;
        if (!pivot_at(g, c, pivots.terms, p)) {
            pivots.valid = false;
            return false;
        }
        pivots.list.push_back(p);
        if (p.above > 1 || p.below > 1) return false;
        g.point(c, pivots.terms.data() + p.slot * n, at);
        if (p.below == 1) {
            const double s = one_root(g, c, kLogLo, max_iter, result.converged, &at);
            if (const double r = std::expm1(s); r > -1.0 && s < c) result.rates.push_back(r);
        }
        if (p.above == 1) {
            const double s = one_root(g, c, kLogHi, max_iter, result.converged, &at);
            if (const double r = std::expm1(s); s > c && std::isfinite(r)) result.rates.push_back(r);
        }
        return true;
    };
    if (solve_at(0.0)) return true;
    const Pivot at_zero = pivots.list.empty() ? Pivot{0.0, 2, 2, 0, 0} : pivots.list.front();
    const bool up_first = at_zero.below <= 1, down_first = at_zero.above <= 1;
    for (std::size_t k = 0; k < 2 * kSide; ++k) {
        const bool up = up_first ? k < kSide : (down_first ? k >= kSide : k % 2 == 0);
        const std::size_t i = (up_first || down_first) ? k % kSide : k / 2;
        if (solve_at(up ? kUp[i] : kDown[i])) return true;
    }
    return false;
}

// The root of g between pivots lo and hi, whose sums have opposite signs: Halley's steps from lo
// inside the bracket (one_root), lo's point coming from its terms without exponentials. NaN
// (and `consistent` false) where g's own rounding test finds no sign at lo, or not the pivot's.
double piece_root(const SingleSum& g, const std::vector<double>& terms, const Pivot& lo, const Pivot& hi,
                  unsigned max_iter, bool& converged, bool& consistent) {
    SingleSum::Point at;
    g.point(lo.c, terms.data() + lo.slot * g.n, at);
    if (at.zero || sign(at.value) != lo.sign) {
        consistent = false;
        return kNaN;
    }
    return one_root(g, lo.c, hi.c, max_iter, converged, &at, true);
}

// The number of roots in the piece between two pivots on the same side of s = 0, where simple
// interval bounds settle it; -1 where they do not. On such a piece each discounted flow
// a_i exp(-(t_i - t_0) s - shift(s)) and its derivative are monotone in s (shift is linear
// there), so the sum and its slope lie between the sums of the smaller and of the larger end
// values: a sum bounded away from 0 has no root; a slope bounded away from 0 makes the sum
// monotone, with one root where the signs at the ends differ and none where they agree. This
// settles what Laguerre's half-line bounds cannot: a pair of complex roots near the axis
// counts in every bound below it, but the sum keeps away from 0 there on a short enough piece.
int piece_count(const double* t, std::size_t n, const std::vector<double>& terms, const Pivot& lo, const Pivot& hi) {
    const double* u = terms.data() + lo.slot * n;
    const double* v = terms.data() + hi.slot * n;
    const double k = hi.c <= 0.0 ? t[n - 1] - t[0] : 0.0;  // the shift's slope: exp(k s) divides the sum
    double low = 0.0, high = 0.0, dlow = 0.0, dhigh = 0.0, size = 0.0, dsize = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double rate = k - (t[i] - t[0]);  // d/ds of the term's exponent
        const double x = u[i], y = v[i], dx = rate * x, dy = rate * y;
        low += std::min(x, y);
        high += std::max(x, y);
        dlow += std::min(dx, dy);
        dhigh += std::max(dx, dy);
        size += std::abs(x) + std::abs(y);
        dsize += std::abs(dx) + std::abs(dy);
    }
    // The terms carry a few ulps from exp, the sums n more: far above that, the bound is sure.
    const double margin = 16.0 * (static_cast<double>(n) + 8.0) * kEps;
    if (low > margin * size || high < -margin * size) return 0;
    if (dlow > margin * dsize || dhigh < -margin * dsize) return lo.sign != hi.sign ? 1 : 0;
    return -1;
}

// Schedules with several rates, isolated without the Rolle recursion. N(c), the number of roots
// above a pivot c, is at most above(c) and of its parity (the signs at c and at +inf are those
// of the last and first partial sums). Walking down from a top pivot with above <= 1 (so N is
// known there), the roots in (c_j, c_j+1] number at most above(c_j) - N(c_j+1): where that is
// <= 1 the signs at the ends decide whether there is one (bracketed and solved), else the piece
// is bisected with a new pivot. Below the lowest pivot, below(c) <= 1 bounds the roots to one.
// The roots found (values of s in [kLogLo, kLogHi], ascending) go to `found`.
// False (`found` untouched) where the bounds do not resolve within kMaxPivots pivots or rounding
// blurs a sign: the caller then takes the Rolle recursion.
bool pivot_walk(const double* a, const double* t, std::size_t n, unsigned max_iter, std::vector<double>& found,
                bool& found_converged, Pivots& pivots) {
    constexpr std::size_t kMaxPivots = 48;  // pieces too close to a double root to settle go to Rolle
    if (!pivots.valid) return false;
    const SingleSum g{a, t, n};
    auto& w = pivots.terms;
    auto& ps = pivots.list;  // few_roots' grid, from log(0.25) to log(3)
    std::sort(ps.begin(), ps.end(), [](const Pivot& x, const Pivot& y) { return x.c < y.c; });
    Pivot p;
    // The end pivots should leave at most one root beyond them; failing that by s = kLogHi
    // (kLogLo), where rates end, the roots beyond are not sought and only the parity of their
    // number is known, a lower bound for the walk below.
    while (ps.back().above > 1 && ps.back().c < kLogHi) {
        if (!pivot_at(g, std::min(2.0 * ps.back().c + 1.0, kLogHi), w, p)) return false;
        ps.push_back(p);
    }
    while (ps.front().below > 1 && ps.front().c > kLogLo) {
        if (!pivot_at(g, std::max(2.0 * ps.front().c - 1.0, kLogLo), w, p)) return false;
        ps.insert(ps.begin(), p);
    }
    bool converged = true, consistent = true;
    std::vector<double> roots;
    // Pivots i and j bound the unresolved part: at least known_below roots lie below c_i and
    // known_above above c_j (exactly, where below or above is <= 1 there: the signs there and at
    // -inf or +inf decide whether there is one, which is solved).
    std::size_t i = 0, j = ps.size() - 1;
    int known_below = ps[i].below & 1, known_above = ps[j].above & 1;
    if (ps[i].below == 1) roots.push_back(one_root(g, ps[i].c, kLogLo, max_iter, converged));
    if (ps[j].above == 1) roots.push_back(one_root(g, ps[j].c, kLogHi, max_iter, converged));
    const auto resolve = [&](std::size_t lo, int& known) {  // the piece (c_lo, c_lo+1) holds at most one root
        if (ps[lo].sign == ps[lo + 1].sign) return;
        roots.push_back(piece_root(g, w, ps[lo], ps[lo + 1], max_iter, converged, consistent));
        ++known;
    };
    const auto settled = [&](std::size_t lo, int& known) {  // the interval bounds leave no doubt
        const int count = piece_count(t, n, w, ps[lo], ps[lo + 1]);
        if (count < 0) return false;
        if (count == 1) resolve(lo, known);
        return true;
    };
    while (i < j) {
        const int top = ps[j - 1].above - known_above, bottom = ps[i + 1].below - known_below;
        if (top < 0 || bottom < 0) return false;  // rounding: the bounds contradict each other
        if (top <= 1) {
            resolve(--j, known_above);
        } else if (bottom <= 1) {
            resolve(i++, known_below);
        } else if (settled(j - 1, known_above)) {
            --j;
        } else if (settled(i, known_below)) {
            ++i;
        } else {  // bisect the piece whose bound is smaller (the top one on a tie)
            const std::size_t lo = top <= bottom ? j - 1 : i;
            const double mid = 0.5 * (ps[lo].c + ps[lo + 1].c);
            if (ps.size() >= kMaxPivots || !(mid > ps[lo].c && mid < ps[lo + 1].c) || !pivot_at(g, mid, w, p))
                return false;
            ps.insert(ps.begin() + static_cast<std::ptrdiff_t>(lo + 1), p);
            ++j;
        }
        if (!consistent) return false;
    }
    if (!converged) found_converged = false;
    sort_unique(roots);
    found.swap(roots);
    return true;
}

// Roots of one level, given the sorted roots of the next (shorter) level: between two of
// those the level is monotone, so each piece holds at most one root.
std::vector<double> level_roots(const Level& g, const std::vector<double>& separators, unsigned max_iter,
                                bool& converged) {
    std::vector<double> points;
    points.reserve(separators.size() + 2);
    points.push_back(kLogLo);
    for (double s : separators)
        if (s > kLogLo && s < kLogHi) points.push_back(s);
    points.push_back(kLogHi);
    std::vector<double> values(points.size());
    for (std::size_t j = 0; j < points.size(); ++j) values[j] = g(points[j]);

    std::vector<double> roots;
    const SingleSum single{g.b + g.k, g.t + g.k, g.n - g.k};
    const auto eval = [&](double u, double& value, double& slope) {
        bool at_root;
        single.eval(u, value, slope, at_root);
        return at_root;
    };
    for (std::size_t j = 0; j < points.size(); ++j) {
        // A separator where the level touches zero is a double root (no sign change around it).
        if (values[j] == 0.0 || (j > 0 && j + 1 < points.size() &&
                                 std::abs(values[j]) <= 8.0 * g.n * kEps * g.scale(points[j]))) {
            roots.push_back(points[j]);
            continue;
        }
        if (j + 1 == points.size() || values[j + 1] == 0.0 || sign(values[j]) == sign(values[j + 1])) continue;
        // One root in a monotone piece: safeguarded Newton steps (the slope comes with the value).
        // The end pieces reach to s = kLogLo or kLogHi: their bracket first grows outward from the
        // separator (or from log 1.1 when there is none), so no evaluations go to shrinking it.
        double root;
        if (points.size() == 2) {
            const double start = std::log1p(0.1);
            root = one_root(single, start, sign(g(start)) == sign(values[0]) ? kLogHi : kLogLo, max_iter, converged);
        } else if (j == 0) {
            root = one_root(single, points[1], kLogLo, max_iter, converged);
        } else if (j + 2 == points.size()) {
            root = one_root(single, points[j], kLogHi, max_iter, converged);
        } else {
            root = safeguarded_newton(eval, points[j], points[j + 1], values[j], max_iter, 1e-300, converged);
        }
        if (!std::isnan(root)) roots.push_back(root);
    }
    sort_unique(roots);
    return roots;
}

bool integer_times(const double* t, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (t[i] != std::floor(t[i]) || t[i] - t[0] > 4096.0) return false;
    return true;
}

}  // namespace

void dated_rates(const double* a, const double* t, std::size_t n, unsigned max_iter, Rates& result,
                 const core::Progress& progress) {
    result.rates.clear();
    result.converged = true;
    const int changes = n < 2 ? 0 : sign_changes(a, n);
    if (changes == 0) return;
    if (integer_times(t, n)) {  // whole periods: the polynomial of irr, so both pick the same rate
        std::vector<double> c(static_cast<std::size_t>(t[n - 1] - t[0]) + 1, 0.0);
        for (std::size_t i = 0; i < n; ++i) c[static_cast<std::size_t>(t[i] - t[0])] += a[i];
        RootWorkspace w;
        result = polynomial_rates(c.data(), c.size(), max_iter, w);
        return;
    }
    thread_local Pivots pivots;  // reused: a batch of small schedules does not allocate per schedule
    pivots.terms.clear();
    pivots.list.clear();
    pivots.valid = true;
    struct Release {  // a long schedule's pivots (up to 48 x n terms) are not kept by the thread
        Pivots& p;
        ~Release() {
            if (p.terms.capacity() > (std::size_t{1} << 16)) std::vector<double>().swap(p.terms);
        }
    } release{pivots};
    if (few_roots(a, t, n, changes, max_iter, result, pivots)) return;
    std::vector<double> roots;  // values of s: of the flows, or of the level below the current one
    const auto rates_of_roots = [&] {
        for (double s : roots)
            if (const double r = std::expm1(s); r > -1.0 && std::isfinite(r)) result.rates.push_back(r);
        sort_unique(result.rates);
    };
    if (pivot_walk(a, t, n, max_iter, roots, result.converged, pivots)) {
        rates_of_roots();
        return;
    }
    // The deepest level: the tail from the last sign change on, which has exactly one root.
    std::size_t deepest = 0;
    for (std::size_t i = 0; i + 1 < n; ++i)
        if (sign(a[i]) != sign(a[i + 1])) deepest = i;

    // Each of the `deepest` levels costs O(n) per evaluation (10,000 dates of random signs: about
    // 3 s). The budget, n x last sign change <= kDatedBudget, admits any schedule of up to
    // 30,000 distinct dates (82 years of daily flows); the levels poll `progress` for Ctrl-C.
    if (static_cast<double>(n) * static_cast<double>(deepest) > kDatedBudget)
        throw core::invalid("dated flows: ", n, " distinct dates with sign changes up to date number ", deepest,
                            " are beyond the exact root finder's budget (n x last sign change <= 9e8, any ",
                            "schedule of up to 30,000 distinct dates); aggregate the flows by week or month");
    // Forward: b at level k+1 is b at level k times (t[i] - t[k]) for i > k, rescaled by a
    // power of two; keep each level's first coefficient and scale to walk back up exactly.
    // The walk stops at the first level K whose partial sums (Laguerre's rule at s = 0, as in
    // few_roots) leave at most one root on each side of s = 0: that level is solved directly and
    // only levels K-1 .. 0 are walked back (the tail from the last sign change always qualifies,
    // so K <= deepest; most schedules with several rates stop within a few levels).
    std::vector<double> b(a, a + n), first;
    std::vector<int> scale_step(1, 0);
    std::size_t top = 0;
    int above = -1, below = -1;
    for (;; ++top) {
        const PartialSums sums = partial_sum_changes(b.data() + top, n - top);
        above = sums.above;
        below = sums.below;
        if (above >= 0 && below >= 0 && above <= 1 && below <= 1) break;
        if (top == deepest) {
            above = below = -1;  // rounding hides the signs: isolate this level the long way
            break;
        }
        first.push_back(b[top]);
        double big = 0.0;
        for (std::size_t i = top + 1; i < n; ++i) {
            b[i] *= t[i] - t[top];
            big = std::max(big, std::abs(b[i]));
        }
        int e = 0;
        std::frexp(big, &e);
        for (std::size_t i = top + 1; i < n; ++i) b[i] = std::ldexp(b[i], -e);
        scale_step.push_back(e);
    }
    if (above < 0) {
        roots = level_roots(Level{b.data(), t, top, n}, roots, max_iter, result.converged);
    } else {
        const SingleSum g{b.data() + top, t + top, n - top};
        if (below == 1)
            if (const double s = one_root(g, 0.0, kLogLo, max_iter, result.converged); s < 0.0) roots.push_back(s);
        if (above == 1)
            if (const double s = one_root(g, 0.0, kLogHi, max_iter, result.converged); s > 0.0) roots.push_back(s);
    }
    for (std::size_t k = top; k-- > 0;) {
        for (std::size_t i = k + 1; i < n; ++i) b[i] = std::ldexp(b[i], scale_step[k + 1]) / (t[i] - t[k]);
        b[k] = first[k];
        if (k == 0) std::copy(a, a + n, b.begin());  // level 0 is the flows themselves
        roots = level_roots(Level{b.data(), t, k, n}, roots, max_iter, result.converged);
        if (progress && !progress(top - k, top + 1)) throw core::Cancelled();
    }
    rates_of_roots();
}

Rates dated_rates(const double* a, const double* t, std::size_t n, unsigned max_iter, const core::Progress& progress) {
    Rates result;
    dated_rates(a, t, n, max_iter, result, progress);
    return result;
}

namespace {
// select_rate over the ascending rates [first, last).
double select_among(const double* first, const double* last) {
    if (first == last) return kNaN;
    const bool mixed = *first < 0.0 && last[-1] >= 0.0;
    double best = kNaN;
    for (const double* r = first; r != last; ++r) {
        if (mixed && *r < 0.0) continue;
        if (std::isnan(best) || std::abs(*r) < std::abs(best)) best = *r;
    }
    return best;
}
}  // namespace

double select_rate(const std::vector<double>& rates) { return select_among(rates.data(), rates.data() + rates.size()); }

double plausible_rate(const std::vector<double>& rates) {
    // The rates are ascending: those inside the plausible range are one run of them.
    const double* all = rates.data();
    const double* end = all + rates.size();
    const double* first = std::upper_bound(all, end, kPlausibleLow);
    const double* last = std::lower_bound(first, end, kPlausibleHigh);
    return rates.size() < 2 || first == last ? select_among(all, end) : select_among(first, last);
}

double nearest_rate(const std::vector<double>& rates, double guess) {
    double best = kNaN;
    for (double r : rates)
        if (std::isnan(best) || std::abs(r - guess) < std::abs(best - guess)) best = r;
    return best;
}

}  // namespace trustcost::finance
