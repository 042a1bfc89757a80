#include "trustcost/relationship/covariates.hpp"

#include <cmath>
#include <vector>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"
#include "trustcost/relationship/bgnbd.hpp"

namespace trustcost::relationship::bgnbd_covariates {

namespace {
constexpr std::size_t kBlock = 256;

std::size_t covariate_count(std::span<const double> params) {
    if (params.size() < 4 || (params.size() - 4) % 3 != 0)
        throw core::invalid("params must hold r, alpha, a, b and three coefficients per covariate, got ", params.size(),
                            " values");
    return (params.size() - 4) / 3;
}

double dot(const double* g, const double* z, std::size_t q) {
    double s = 0.0;
    for (std::size_t k = 0; k < q; ++k) s += g[k] * z[k];
    return s;
}
}  // namespace

std::array<double, 4> individual(std::span<const double> p, const double* z, std::size_t q) {
    return {p[0], p[1] * std::exp(-dot(p.data() + 4, z, q)), p[2] * std::exp(dot(p.data() + 4 + q, z, q)),
            p[3] * std::exp(dot(p.data() + 4 + 2 * q, z, q))};
}

double row_log_likelihood(std::span<const double> p, std::span<const double>, std::span<const double> row,
                          std::span<double> grad) {
    const std::size_t q = (p.size() - 4) / 3;
    const double* z = row.data() + 3;
    const auto own = individual(p, z, q);
    std::array<double, 4> g{};
    const double ll = bgnbd::row_log_likelihood(own, {}, row.first(3), grad.empty() ? std::span<double>{} : g);
    if (!grad.empty()) {
        // Chain rule through alpha_i = alpha0 e^{-gp.z}, a_i = a0 e^{ga.z}, b_i = b0 e^{gb.z}.
        grad[0] = g[0];
        grad[1] = g[1] * own[1] / p[1];
        grad[2] = g[2] * own[2] / p[2];
        grad[3] = g[3] * own[3] / p[3];
        for (std::size_t k = 0; k < q; ++k) {
            grad[4 + k] = -g[1] * own[1] * z[k];
            grad[4 + q + k] = g[2] * own[2] * z[k];
            grad[4 + 2 * q + k] = g[3] * own[3] * z[k];
        }
    }
    return ll;
}

FitResult fit(const double* x, const double* t_x, const double* T, const double* z, std::size_t q,
              const double* weights, std::size_t n, const FitOptions& options) {
    if (q == 0 || q > kMaxCovariates) throw core::invalid("covariates must have 1..", kMaxCovariates, " columns, got ", q);
    std::vector<std::vector<double>> columns(q, std::vector<double>(n));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < q; ++k) {
            const double v = z[i * q + k];
            if (!std::isfinite(v)) throw core::invalid("covariates must be finite, got ", v, " at row ", i, ", column ", k);
            columns[k][i] = v;
        }
    // Start at the fit without covariates (coefficients 0), where the model is well behaved.
    FitOptions plain_options = options;
    plain_options.positive = static_cast<std::size_t>(-1);
    const FitResult plain = bgnbd::fit(x, t_x, T, weights, n, plain_options);
    std::vector<double> start(4 + 3 * q, 0.0);
    for (std::size_t j = 0; j < 4; ++j) start[j] = plain.converged ? plain.params[j] : 1.0;
    Rows rows{{x, t_x, T}, weights, n};
    for (const auto& c : columns) rows.columns.push_back(c.data());
    FitOptions mixed = options;
    mixed.positive = 4;
    return fit_positive({&row_log_likelihood}, rows, start, mixed);
}

void p_alive(std::span<const double> p, const double* z, std::size_t q, const double* x, const double* t_x,
             const double* T, std::size_t n, double* out) {
    if (covariate_count(p) != q) throw core::invalid("covariates must have ", covariate_count(p), " columns, got ", q);
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            bgnbd::p_alive(individual(p, z + i * q, q), x + i, t_x + i, T + i, 1, out + i);
    });
}

void expected_purchases(std::span<const double> p, const double* z, std::size_t q, const double* t, const double* x,
                        const double* t_x, const double* T, std::size_t n, double* out) {
    if (covariate_count(p) != q) throw core::invalid("covariates must have ", covariate_count(p), " columns, got ", q);
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            bgnbd::expected_purchases(individual(p, z + i * q, q), t + i, x + i, t_x + i, T + i, 1, out + i);
    });
}

}  // namespace trustcost::relationship::bgnbd_covariates
