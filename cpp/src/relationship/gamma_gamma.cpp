#include "trustcost/relationship/gamma_gamma.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <cmath>

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

FitResult fit(const double* x, const double* m, const double* weights, std::size_t n, const FitOptions& options) {
    const Rows rows{{x, m}, weights, n};
    return fit_positive({&row_log_likelihood}, rows, {1.0, 1.0, 1.0}, options);
}

void expected_average_value(std::span<const double> params, const double* x, const double* m, std::size_t n,
                            double* out) {
    const double p = params[0], q = params[1], v = params[2];
    core::parallel_for(n, 4096, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] = p * (v + x[i] * m[i]) / (p * x[i] + q - 1.0);
    });
}

}  // namespace trustcost::relationship::gamma_gamma
