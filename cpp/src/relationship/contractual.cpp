#include "trustcost/relationship/contractual.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <cmath>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"
#include "trustcost/relationship/hypergeometric.hpp"

namespace trustcost::relationship::sbg {

namespace {
constexpr std::size_t kBlock = 1024;
using boost::math::digamma;

double lbeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

void require_whole(double t, double lowest, const char* name, std::size_t row) {
    if (!std::isfinite(t) || t != std::floor(t) || t < lowest)
        throw core::invalid(name, " must be whole numbers >= ", lowest, ", got ", t, " at row ", row);
}

// The 2F1 series' terms shrink at least by 1/(1 + d) each, so it needs about 40/d terms; below
// 1e-4 per period it could stop short (and with d = 0 it diverges when alpha <= 1).
constexpr double kMinDiscount = 1e-4;
void require_discount(double d) {
    if (!std::isfinite(d) || d < kMinDiscount)
        throw core::invalid("discount_rate must be >= ", kMinDiscount, " per period, got ", d);
}
}  // namespace

double row_log_likelihood(std::span<const double> p, std::span<const double>, std::span<const double> row,
                          std::span<double> grad) {
    const double alpha = p[0], beta = p[1], t = row[0];
    const bool lost = row[1] != 0.0;
    // P(T = t) = B(alpha + 1, beta + t - 1)/B(alpha, beta); S(t) = B(alpha, beta + t)/B(alpha, beta).
    const double u = lost ? 1.0 : 0.0, v = lost ? t - 1.0 : t;
    if (!grad.empty()) {
        const double psi_ab = digamma(alpha + beta), psi_all = digamma(alpha + beta + u + v);
        grad[0] = digamma(alpha + u) - psi_all - digamma(alpha) + psi_ab;
        grad[1] = digamma(beta + v) - psi_all - digamma(beta) + psi_ab;
    }
    return lbeta(alpha + u, beta + v) - lbeta(alpha, beta);
}

FitResult fit(const double* period, const double* lost, const double* weights, std::size_t n,
              const FitOptions& options) {
    // Rows checked by the model contract (model.hpp: check_contract_rows).
    const Rows rows{{period, lost}, weights, n};
    return fit_positive({&row_log_likelihood}, rows, {1.0, 1.0}, options);
}

void survival(std::span<const double> p, const double* t, std::size_t n, double* out) {
    for (std::size_t i = 0; i < n; ++i) require_whole(t[i], 0.0, "t", i);
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] = std::exp(lbeta(p[0], p[1] + t[i]) - lbeta(p[0], p[1]));
    });
}

void retention(std::span<const double> p, const double* t, std::size_t n, double* out) {
    for (std::size_t i = 0; i < n; ++i) require_whole(t[i], 1.0, "t", i);
    for (std::size_t i = 0; i < n; ++i) out[i] = (p[1] + t[i] - 1.0) / (p[0] + p[1] + t[i] - 1.0);
}

void churn(std::span<const double> p, const double* t, std::size_t n, double* out) {
    for (std::size_t i = 0; i < n; ++i) require_whole(t[i], 1.0, "t", i);
    for (std::size_t i = 0; i < n; ++i) out[i] = std::exp(lbeta(p[0] + 1.0, p[1] + t[i] - 1.0) - lbeta(p[0], p[1]));
}

void residual_lifetime(std::span<const double> p, double discount_rate, const double* renewals, std::size_t n,
                       double* out) {
    require_discount(discount_rate);
    for (std::size_t i = 0; i < n; ++i) require_whole(renewals[i], 0.0, "renewals", i);
    const double alpha = p[0], beta = p[1], z = 1.0 / (1.0 + discount_rate);
    core::parallel_for(n, 64, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const double b = beta + renewals[i];
            // Posterior theta ~ Beta(alpha, beta + n): E[(1 - theta)^(k+1)] for the k-th future renewal.
            const double series = log_hyp2f1_unit_a(b + 1.0, alpha + b + 1.0, z).value;
            out[i] = std::exp(lbeta(alpha, b + 1.0) - lbeta(alpha, b) + series);
        }
    });
}

double expected_lifetime(std::span<const double> p, double discount_rate) {
    require_discount(discount_rate);
    return std::exp(log_hyp2f1_unit_a(p[1], p[0] + p[1], 1.0 / (1.0 + discount_rate)).value);
}

}  // namespace trustcost::relationship::sbg
