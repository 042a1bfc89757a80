#include "trustcost/relationship/covariates.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"
#include "trustcost/relationship/bgnbd.hpp"
#include "trustcost/relationship/pareto_nbd.hpp"

namespace trustcost::relationship {

namespace {
constexpr std::size_t kBlock = 256;

// Number of covariates from the parameter count: 4 model parameters + `blocks` coefficients each.
std::size_t covariate_count(std::span<const double> params, std::size_t blocks, std::size_t q) {
    if (params.size() < 4 || (params.size() - 4) % blocks != 0 || (params.size() - 4) / blocks != q)
        throw core::invalid("params must hold the 4 model parameters and ", blocks, " coefficients for each of ", q,
                            " covariates, got ", params.size(), " values");
    return q;
}

double dot(const double* g, const double* z, std::size_t q) {
    double s = 0.0;
    for (std::size_t k = 0; k < q; ++k) s += g[k] * z[k];
    return s;
}

// Covariates (row-major n x q) as q checked columns for Rows.
std::vector<std::vector<double>> covariate_columns(const double* z, std::size_t q, std::size_t n, std::size_t most) {
    if (q == 0 || q > most) throw core::invalid("covariates must have 1..", most, " columns, got ", q);
    std::vector<std::vector<double>> columns(q, std::vector<double>(n));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < q; ++k) {
            const double v = z[i * q + k];
            if (!std::isfinite(v)) throw core::invalid("covariates must be finite, got ", v, " at row ", i, ", column ", k);
            columns[k][i] = v;
        }
    return columns;
}

// The shared optimiser fits positive parameters on their logs. A real coefficient c rides on it
// as the positive number e^c, so the optimiser's log-parameter is c itself: no bounds, same steps.
// The row functions decode e^c back to c (Decoded) and scale d/dc by dc/d(e^c) = e^-c.
struct Decoded {
    std::array<double, 32> values{};
    std::span<const double> view;
    Decoded(std::span<const double> encoded) {
        for (std::size_t j = 0; j < encoded.size(); ++j) values[j] = j < 4 ? encoded[j] : std::log(encoded[j]);
        view = {values.data(), encoded.size()};
    }
};

void encode_gradient(std::span<const double> encoded, std::span<double> grad) {
    for (std::size_t j = 4; j < grad.size(); ++j) grad[j] /= encoded[j];
}

// Fit with covariates from the model without them (coefficients 0), then report the coefficients
// and the Hessian of -LL in (model parameters, coefficients): at the maximum the Hessian in c is
// the one in e^c scaled by e^c on both sides (the gradient term vanishes there).
FitResult fit_with_covariates(const Likelihood& f, const FitResult& plain, const double* x, const double* t_x,
                              const double* T, const std::vector<std::vector<double>>& columns, std::size_t blocks,
                              bool rate_at_3, const double* weights, std::size_t n, const FitOptions& options) {
    if (options.penalizer != 0.0)
        throw core::invalid("penalizer must be 0 for a model with covariates, got ", options.penalizer);
    const std::size_t k = 4 + blocks * columns.size();
    std::vector<double> start(k, 1.0);  // e^0 for every coefficient
    for (std::size_t j = 0; j < 4; ++j) start[j] = plain.converged ? plain.params[j] : 1.0;
    Rows rows{{x, t_x, T}, weights, n};
    for (const auto& c : columns) rows.columns.push_back(c.data());
    // Run-off scales: alpha (and Pareto's beta, `rate_at_3`) in the data's time unit, the rest 1.
    double longest = 1.0;
    for (std::size_t i = 0; i < n; ++i) longest = std::max(longest, T[i]);
    std::vector<double> scales(k, 1.0);
    scales[1] = longest;
    if (rate_at_3) scales[3] = longest;
    FitResult result = fit_positive(f, rows, start, options, scales);
    std::vector<double> scale(k, 1.0);
    for (std::size_t j = 4; j < k; ++j) {
        scale[j] = result.params[j];
        result.params[j] = std::log(result.params[j]);
    }
    if (result.hessian.size() == k * k)
        for (std::size_t i = 0; i < k; ++i)
            for (std::size_t j = 0; j < k; ++j) result.hessian[i * k + j] *= scale[i] * scale[j];
    return result;
}

// Batch prediction with each customer's own parameters: `own(params, z_row, q)` gives them and
// `predict(own, i)` computes row i through the model's one-parameter-set function.
template <class Own, class Predict>
void per_customer(std::span<const double> p, const double* z, std::size_t q, std::size_t n, Own own, Predict predict) {
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) predict(own(p, z + i * q, q), i);
    });
}
}  // namespace

namespace bgnbd_covariates {

std::array<double, 4> individual(std::span<const double> p, const double* z, std::size_t q) {
    return {p[0], p[1] * std::exp(-dot(p.data() + 4, z, q)), p[2] * std::exp(dot(p.data() + 4 + q, z, q)),
            p[3] * std::exp(dot(p.data() + 4 + 2 * q, z, q))};
}

double row_log_likelihood(std::span<const double> encoded, std::span<const double>, std::span<const double> row,
                          std::span<double> grad) {
    const Decoded decoded(encoded);
    const auto p = decoded.view;
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
        encode_gradient(encoded, grad);
    }
    return ll;
}

FitResult fit(const double* x, const double* t_x, const double* T, const double* z, std::size_t q,
              const double* weights, std::size_t n, const FitOptions& options) {
    const auto columns = covariate_columns(z, q, n, kMaxCovariates);
    return fit_with_covariates({&row_log_likelihood}, bgnbd::fit(x, t_x, T, weights, n, options), x, t_x, T,
                               columns, 3, false, weights, n, options);
}

void p_alive(std::span<const double> p, const double* z, std::size_t q, const double* x, const double* t_x,
             const double* T, std::size_t n, double* out) {
    covariate_count(p, 3, q);
    per_customer(p, z, q, n, &individual,
                 [&](const std::array<double, 4>& own, std::size_t i) { bgnbd::p_alive(own, x + i, t_x + i, T + i, 1, out + i); });
}

void expected_purchases(std::span<const double> p, const double* z, std::size_t q, const double* t, const double* x,
                        const double* t_x, const double* T, std::size_t n, double* out) {
    covariate_count(p, 3, q);
    per_customer(p, z, q, n, &individual, [&](const std::array<double, 4>& own, std::size_t i) {
        bgnbd::expected_purchases(own, t + i, x + i, t_x + i, T + i, 1, out + i);
    });
}

}  // namespace bgnbd_covariates

namespace pareto_nbd_covariates {

void prepare(std::span<const double> p, std::size_t max_count, std::vector<double>& table) {
    pareto_nbd::prepare(p.first(4), max_count, table);  // depends on r only, shared by every customer
}

std::array<double, 4> individual(std::span<const double> p, const double* z, std::size_t q) {
    return {p[0], p[1] * std::exp(-dot(p.data() + 4, z, q)), p[2], p[3] * std::exp(-dot(p.data() + 4 + q, z, q))};
}

double row_log_likelihood(std::span<const double> encoded, std::span<const double> table,
                          std::span<const double> row, std::span<double> grad) {
    const Decoded decoded(encoded);
    const auto p = decoded.view;
    const std::size_t q = (p.size() - 4) / 2;
    const double* z = row.data() + 3;
    const auto own = individual(p, z, q);
    std::array<double, 4> g{};
    const double ll = pareto_nbd::row_log_likelihood(own, table, row.first(3), grad.empty() ? std::span<double>{} : g);
    if (!grad.empty()) {
        // Chain rule through alpha_i = alpha0 e^{-gp.z} and beta_i = beta0 e^{-gd.z}.
        grad[0] = g[0];
        grad[1] = g[1] * own[1] / p[1];
        grad[2] = g[2];
        grad[3] = g[3] * own[3] / p[3];
        for (std::size_t k = 0; k < q; ++k) {
            grad[4 + k] = -g[1] * own[1] * z[k];
            grad[4 + q + k] = -g[3] * own[3] * z[k];
        }
        encode_gradient(encoded, grad);
    }
    return ll;
}

FitResult fit(const double* x, const double* t_x, const double* T, const double* z, std::size_t q,
              const double* weights, std::size_t n, const FitOptions& options) {
    const auto columns = covariate_columns(z, q, n, kMaxCovariates);
    return fit_with_covariates({&row_log_likelihood, &prepare}, pareto_nbd::fit(x, t_x, T, weights, n, options),
                               x, t_x, T, columns, 2, true, weights, n, options);
}

void p_alive(std::span<const double> p, const double* z, std::size_t q, const double* x, const double* t_x,
             const double* T, std::size_t n, double* out) {
    covariate_count(p, 2, q);
    per_customer(p, z, q, n, &individual, [&](const std::array<double, 4>& own, std::size_t i) {
        pareto_nbd::p_alive(own, x + i, t_x + i, T + i, 1, out + i);
    });
}

void expected_purchases(std::span<const double> p, const double* z, std::size_t q, const double* t, const double* x,
                        const double* t_x, const double* T, std::size_t n, double* out) {
    covariate_count(p, 2, q);
    per_customer(p, z, q, n, &individual, [&](const std::array<double, 4>& own, std::size_t i) {
        pareto_nbd::expected_purchases(own, t + i, x + i, t_x + i, T + i, 1, out + i);
    });
}

}  // namespace pareto_nbd_covariates

}  // namespace trustcost::relationship
