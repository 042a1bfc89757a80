#include "trustcost/relationship/gamma_gamma.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

#include "trustcost/core/errors.hpp"

#include "trustcost/core/parallel.hpp"

namespace trustcost::relationship::gamma_gamma {

using boost::math::digamma;

double row_log_likelihood(std::span<const double> params, std::span<const double> /*table*/, std::span<const double> row,
                          std::span<double> grad) {
    const double p = params[0], q = params[1], v = params[2];
    const double x = row[0], m = row[1];
    // Density of the mean m of x spends (each gamma(p, nu), nu ~ gamma(q, v)), as in lifetimes:
    // Gamma(px+q)/(Gamma(px)Gamma(q)) v^q m^(px-1) x^(px) / (v + x m)^(px+q).
    const double px = p * x, log_vxm = std::log(v + x * m);
    const double ll = std::lgamma(px + q) - std::lgamma(px) - std::lgamma(q) + q * std::log(v) +
                      (px - 1.0) * std::log(m) + px * std::log(x) - (px + q) * log_vxm;
    if (!grad.empty()) {
        const double psi = digamma(px + q);
        grad[0] = x * (psi - digamma(px) + std::log(m) + std::log(x) - log_vxm);
        grad[1] = psi - digamma(q) + std::log(v) - log_vxm;
        grad[2] = q / v - (px + q) / (v + x * m);
    }
    return ll;
}

namespace {
// The likelihood in (p, q - 1, v): the fit keeps q > 1, where the mean spend p v / (q - 1) exists.
double row_shifted(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                   std::span<double> grad) {
    const std::array<double, 3> natural{params[0], params[1] + 1.0, params[2]};
    return row_log_likelihood(natural, table, row, grad);  // d/d(q - 1) = d/dq
}
}  // namespace

FitResult fit(const double* x, const double* m, const double* weights, std::size_t n, const FitOptions& options) {
    const Rows rows{{x, m}, weights, n};
    for (std::size_t i = 0; i < n; ++i) {
        if (!(std::isfinite(x[i]) && x[i] > 0.0 && x[i] == std::floor(x[i])))
            throw core::invalid("frequency must be a whole number > 0 (repeat buyers only), got ", x[i], " at row ", i);
        if (!(std::isfinite(m[i]) && m[i] > 0.0))
            throw core::invalid("monetary_value must be finite and > 0, got ", m[i], " at row ", i);
    }
    // v is in money units: the mean spend is its scale (run-off test) and its starting value.
    double spend = 0.0, total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double w = weights ? weights[i] : 1.0;
        spend += w * m[i];
        total += w;
    }
    spend = total > 0.0 && spend > 0.0 ? spend / total : 1.0;
    FitResult result = fit_positive({&row_shifted}, rows, {1.0, 1.0, spend}, options, {1.0, 1.0, spend});
    result.params[1] += 1.0;
    if (result.diverged == 1 && result.params[1] < 2.0) {
        std::ostringstream msg;
        msg << "q fell to " << result.params[1] << ": the spend per transaction is too heavy-tailed across "
            << "customers for the Gamma-Gamma model (at q <= 1 the mean spend per customer, p v / (q - 1), does "
            << "not exist)";
        result.message = msg.str();
    } else if (result.diverged >= 0) {
        std::ostringstream msg;
        msg << (result.diverged == 0 ? "p" : result.diverged == 1 ? "q" : "v") << " ran off to "
            << result.params[static_cast<std::size_t>(result.diverged)]
            << ": the spend data do not identify the Gamma-Gamma model (too few repeat buyers, or spend that "
            << "hardly varies across customers)";
        result.message = msg.str();
    }
    return result;
}

void expected_average_value(std::span<const double> params, const double* x, const double* m, std::size_t n,
                            double* out) {
    require_params(params, 3, "Gamma-Gamma");
    const double p = params[0], q = params[1], v = params[2];
    if (!(q > 1.0))
        throw core::invalid("Gamma-Gamma q must be > 1 for the mean spend p v / (q - 1) to exist, got q = ", q);
    core::parallel_for(n, 4096, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] = p * (v + x[i] * m[i]) / (p * x[i] + q - 1.0);
    });
}

}  // namespace trustcost::relationship::gamma_gamma
