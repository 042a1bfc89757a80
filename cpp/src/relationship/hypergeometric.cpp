#include "trustcost/relationship/hypergeometric.hpp"

// gamma.hpp first: Boost 1.74 pFq only forward-declares lgamma (undefined symbol otherwise).
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <algorithm>
#include <cmath>
#include <limits>

namespace trustcost::relationship {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Series of huge terms are kept below kRescale by dividing them down and counting the log.
constexpr double kRescale = 1e200, kLogRescale = 460.51701859880914;  // log(1e200)

double try_log_pfq(double a, double b, double c, double z) {
    try {
        const double value = boost::math::hypergeometric_pFq({a, b}, {c}, z);
        return value > 0.0 && std::isfinite(value) ? std::log(value) : kNaN;
    } catch (const std::exception&) {
        return kNaN;
    }
}
// Positive a, b, c: every term (a)_n (b)_n / ((c)_n n!) z^n is positive, so the plain sum is
// accurate (no cancellation) and an order of magnitude faster than Boost's general pFq, which
// tracks cancellation. NaN when it needs more than kMaxTerms terms (a, b much larger than c with
// z near 1), where Boost takes over.
double log_positive_series(double a, double b, double c, double z) {
    constexpr int kMaxTerms = 20000;
    // tail: the sum past the first term, for log1p while unscaled (for small z, log(1 + 1e-12)
    // from a rounded sum keeps four digits).
    double sum = 1.0, tail = 0.0, term = 1.0, log_scale = 0.0;
    for (int n = 0; n < kMaxTerms; ++n) {
        const double ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        term *= ratio;
        sum += term;
        tail += term;
        if (sum > kRescale) {
            sum /= kRescale;
            term /= kRescale;
            log_scale += kLogRescale;
        }
        // The ratios tend to z monotonically from one side, so the rest is below term q / (1 - q):
        // small against the tail itself while log1p takes it.
        const bool unscaled = log_scale == 0.0;
        const double q = std::max(ratio, z);
        if (q < 1.0 && term * q < 1e-17 * (unscaled ? tail : sum) * (1.0 - q))
            return unscaled ? std::log1p(tail) : std::log(sum) + log_scale;
    }
    return kNaN;
}

// sum_n (a)_n (b)_n / ((c)_n n!) w^n for 0 <= w <= 1/2 and parameters of any sign: NaN unless it
// settles within kMaxTerms (it does: the terms shrink like w^n n^(a + b - c - 1)).
double plain_series(double a, double b, double c, double w) {
    constexpr int kMaxTerms = 2000;
    double sum = 1.0, term = 1.0;
    for (int n = 0; n < kMaxTerms; ++n) {
        term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * w;
        sum += term;
        if (std::abs(term) <= 1e-17 * std::abs(sum)) return sum;
    }
    return kNaN;
}

// log |Gamma(x)| and its sign (Gamma is negative on (-1, 0), (-3, -2), ...).
double log_abs_gamma(double x, int& sign) {
    sign = x > 0.0 || static_cast<long long>(std::floor(x)) % 2 == 0 ? 1 : -1;
    return std::lgamma(x);
}

// log 2F1(a, b; c; z) near z = 1 from w = 1 - z (given exactly by the caller where z is t / (t + T):
// 1 - z computed from a rounded z loses its digits), by the connection formula of Abramowitz &
// Stegun 15.3.6 for s = c - a - b not an integer:
//   2F1 = G(c) G(s) / (G(c-a) G(c-b)) F(a, b; 1-s; w) + w^s G(c) G(-s) / (G(a) G(b)) F(c-a, c-b; 1+s; w),
// both series fast for small w. NaN where s is (nearly) an integer or the two terms cancel.
double log_near_one(double a, double b, double c, double w) {
    const double s = c - a - b;
    if (!(w > 0.0 && w <= 0.5) || std::abs(s - std::round(s)) < 1e-6) return kNaN;
    int g_c, g_s, g_ms, g_ca, g_cb, g_a, g_b;
    const double lc = log_abs_gamma(c, g_c), ls = log_abs_gamma(s, g_s), lms = log_abs_gamma(-s, g_ms);
    const double lca = log_abs_gamma(c - a, g_ca), lcb = log_abs_gamma(c - b, g_cb);
    const double la = log_abs_gamma(a, g_a), lb = log_abs_gamma(b, g_b);
    const double f1 = plain_series(a, b, 1.0 - s, w), f2 = plain_series(c - a, c - b, 1.0 + s, w);
    if (!std::isfinite(f1) || !std::isfinite(f2)) return kNaN;
    // Each term as sign * exp(log): a Gamma pole in a denominator (c - a a non-positive integer) is
    // an infinite lgamma, so that term's log is -inf and it adds nothing.
    const double l1 = lc + ls - lca - lcb + std::log(std::abs(f1));
    const double l2 = s * std::log(w) + lc + lms - la - lb + std::log(std::abs(f2));
    const int s1 = g_c * g_s * g_ca * g_cb * (f1 < 0.0 ? -1 : 1), s2 = g_c * g_ms * g_a * g_b * (f2 < 0.0 ? -1 : 1);
    const double top = std::max(l1, l2);
    if (!std::isfinite(top)) return kNaN;
    const double e1 = std::isfinite(l1) ? std::exp(l1 - top) : 0.0, e2 = std::isfinite(l2) ? std::exp(l2 - top) : 0.0;
    const double total = s1 * e1 + s2 * e2;
    if (!(total > 1e-8 * (e1 + e2))) return kNaN;  // cancellation (or a negative value): not to be trusted
    return std::log(total) + top;
}
}  // namespace

double log_hyp2f1(double a, double b, double c, double z, double one_minus_z) {
    if (z == 0.0) return 0.0;
    if (a > 0.0 && b > 0.0 && c > 0.0 && z > 0.0 && z < 1.0) {
        const double fast = log_positive_series(a, b, c, z);
        if (std::isfinite(fast)) return fast;
    }
    if (z > 0.5) {  // the positive series needs too many terms this close to 1
        const double near = log_near_one(a, b, c, one_minus_z >= 0.0 ? one_minus_z : 1.0 - z);
        if (std::isfinite(near)) return near;
    }
    const double direct = try_log_pfq(a, b, c, z);
    if (std::isfinite(direct)) return direct;
    const double euler = try_log_pfq(c - a, c - b, c, z);
    return std::isfinite(euler) ? euler + (c - a - b) * std::log1p(-z) : kNaN;
}

namespace {
// F = 2F1(1, b; c; z) near z = 1 from w = 1 - z, where the series in z needs ~40 / w terms (a fit
// whose dropout scale runs off sums a million terms per customer). A & S 15.3.6 with a = 1 and
// sigma = c - 1 - b, whose second series is (1 - w)^(1 - c) in closed form:
//   F = (c - 1) / sigma H + G(c) G(-sigma) / G(b) w^sigma z^(1 - c),  H = 2F1(1, b; 1 - sigma; w),
// with the derivatives of log F in b, c, z from H's terms and digamma. The two terms cancel when
// sigma nears an integer (their poles) or H is large: false unless the value's estimated relative
// error is below kNearOneError, so the caller sums the series in z instead.
constexpr double kNearOneError = 1e-11;
constexpr double kNearOneW = 0.01;  // below it the series in z needs some 4,000 terms or more

bool unit_a_near_one(double b, double c, double z, double w, LogSeries& out) {
    const double d = c - b, sigma = d - 1.0, e = 1.0 - sigma;  // c - b exact when b, c are close
    if (!(w > 0.0 && w < 0.5) || std::abs(sigma - std::round(sigma)) < 1e-6) return false;
    // H and its log-derivatives in b, e and w, its terms kept below 1e200 by a running scale.
    constexpr int kMaxTerms = 20000;
    double sum = 1.0, size = 1.0, term = 1.0, sum_b = 0.0, sum_e = 0.0, sum_n = 0.0, db = 0.0, de = 0.0, log_scale = 0.0;
    bool settled = false;
    for (int n = 0; n < kMaxTerms && !settled; ++n) {
        const double ratio = (b + n) / (e + n) * w;
        db += 1.0 / (b + n);
        de += 1.0 / (e + n);
        term *= ratio;
        sum += term;
        size += std::abs(term);
        sum_b += term * db;
        sum_e -= term * de;
        sum_n += term * (n + 1);
        if (size > kRescale) {
            for (double* v : {&sum, &size, &term, &sum_b, &sum_e, &sum_n}) *v /= kRescale;
            log_scale += kLogRescale;
        }
        // Past the negative denominators the ratios tend to w monotonically: the tail is below |term| q / (1 - q).
        const double q = std::max(std::abs(ratio), w);
        settled = e + n > 0.0 && q < 1.0 && std::abs(term) * q < 1e-17 * std::abs(sum) * (1.0 - q);
    }
    if (!settled || sum == 0.0) return false;
    const double log_w = std::log(w), log_z = std::log1p(-w);
    constexpr double eps = std::numeric_limits<double>::epsilon();
    // log G(c) / G(b) from Boost's ratio (to a few ulps), where two lgammas of 2e4 would differ
    // by 1e-11; from the lgammas, with their absolute rounding, where the ratio over- or underflows.
    double log_gamma_ratio = kNaN, ratio_error = 8.0 * eps;
    try {
        log_gamma_ratio = -std::log(boost::math::tgamma_delta_ratio(b, d));
    } catch (const std::exception&) {
    }
    if (!std::isfinite(log_gamma_ratio)) {
        const double lc = std::lgamma(c), lb = std::lgamma(b);
        log_gamma_ratio = lc - lb;
        ratio_error = 4.0 * eps * (std::abs(lc) + std::abs(lb));
    }
    int sign_gamma;
    const double log_gamma_ms = log_abs_gamma(-sigma, sign_gamma);
    const double l1 = std::log(c - 1.0) - std::log(std::abs(sigma)) + std::log(std::abs(sum)) + log_scale;
    const double l2 = log_gamma_ratio + log_gamma_ms + sigma * log_w + (1.0 - c) * log_z;
    const int s1 = (sigma < 0.0) == (sum < 0.0) ? 1 : -1, s2 = sign_gamma;
    const double top = std::max(l1, l2);
    if (!std::isfinite(top)) return false;
    const double e1 = std::exp(l1 - top), e2 = std::exp(l2 - top), total = s1 * e1 + s2 * e2;
    // Relative rounding of each term: H's cancellation (size / |sum|), the logs summed into l2.
    const double err1 = 8.0 * eps * size / std::abs(sum);
    const double err2 = ratio_error + 8.0 * eps * (4.0 + std::abs(log_gamma_ms) + std::abs(sigma * log_w) +
                                                   std::abs((1.0 - c) * log_z));
    if (!(total > 0.0) || (e1 * err1 + e2 * err2) > kNearOneError * total) return false;
    using boost::math::digamma;
    const double h_b = sum_b / sum, h_e = sum_e / sum, h_w = sum_n / (sum * w);
    const double psi_ms = digamma(-sigma);
    const double t1_b = 1.0 / sigma + h_b + h_e, t1_c = 1.0 / (c - 1.0) - 1.0 / sigma - h_e, t1_z = -h_w;
    const double t2_b = psi_ms - digamma(b) - log_w, t2_c = digamma(c) - psi_ms + log_w - log_z,
                 t2_z = -sigma / w + (1.0 - c) / z;
    const double f1 = s1 * e1 / total, f2 = s2 * e2 / total;
    out = {std::log(total) + top, f1 * t1_b + f2 * t2_b, f1 * t1_c + f2 * t2_c, f1 * t1_z + f2 * t2_z};
    return true;
}
}  // namespace

LogSeries log_hyp2f1_unit_a(double b, double c, double z, double one_minus_z) {
    const double w = one_minus_z >= 0.0 ? one_minus_z : 1.0 - z;
    LogSeries near;
    if (w < kNearOneW && unit_a_near_one(b, c, z, w, near)) return near;
    // Terms t_n scaled by t_0 = 1; d log t_n / db = sum_{k<n} 1/(b+k), / dc = -sum 1/(c+k), / dz = n/z.
    double sum = 1.0, sum_b = 0.0, sum_c = 0.0, sum_n = 0.0;
    double term = 1.0, db = 0.0, dc = 0.0;
    constexpr int kMaxTerms = 1'000'000;
    for (int n = 0; n < kMaxTerms; ++n) {
        const double ratio = (b + n) / (c + n) * z;
        db += 1.0 / (b + n);
        dc -= 1.0 / (c + n);
        term *= ratio;
        sum += term;
        sum_b += term * db;
        sum_c += term * dc;
        sum_n += term * (n + 1);
        // Ratios rise towards z, so the remaining terms sum to less than term * z / (1 - z).
        if (term * z < 1e-17 * sum * (1.0 - z)) break;
    }
    return {std::log(sum), sum_b / sum, sum_c / sum, z > 0.0 ? sum_n / (sum * z) : (b / c)};
}

}  // namespace trustcost::relationship
