#include "trustcost/relationship/hypergeometric.hpp"

// gamma.hpp first: Boost 1.74 pFq only forward-declares lgamma (undefined symbol otherwise).
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
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
}  // namespace

double log_hyp2f1(double a, double b, double c, double z) {
    if (z == 0.0) return 0.0;
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
