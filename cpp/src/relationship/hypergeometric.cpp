#include "trustcost/relationship/hypergeometric.hpp"

// gamma.hpp first: Boost 1.74 pFq only forward-declares lgamma (undefined symbol otherwise).
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <algorithm>
#include <cmath>
#include <limits>

namespace trustcost::relationship {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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
    constexpr double kRescale = 1e200, kLogRescale = 460.51701859880914;  // log(1e200)
    double sum = 1.0, term = 1.0, log_scale = 0.0;
    for (int n = 0; n < kMaxTerms; ++n) {
        const double ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        term *= ratio;
        sum += term;
        if (sum > kRescale) {
            sum /= kRescale;
            term /= kRescale;
            log_scale += kLogRescale;
        }
        // The ratios tend to z monotonically from one side, so the tail is below term q / (1 - q).
        const double q = std::max(ratio, z);
        if (q < 1.0 && term * q < 1e-17 * sum * (1.0 - q)) return std::log(sum) + log_scale;
    }
    return kNaN;
}
}  // namespace

double log_hyp2f1(double a, double b, double c, double z) {
    if (z == 0.0) return 0.0;
    if (a > 0.0 && b > 0.0 && c > 0.0 && z > 0.0 && z < 1.0) {
        const double fast = log_positive_series(a, b, c, z);
        if (std::isfinite(fast)) return fast;
    }
    const double direct = try_log_pfq(a, b, c, z);
    if (std::isfinite(direct)) return direct;
    const double euler = try_log_pfq(c - a, c - b, c, z);
    return std::isfinite(euler) ? euler + (c - a - b) * std::log1p(-z) : kNaN;
}

LogSeries log_hyp2f1_unit_a(double b, double c, double z) {
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
