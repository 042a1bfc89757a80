#include "trustcost/relationship/contractual.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <algorithm>
#include <cmath>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"
#include "trustcost/relationship/hypergeometric.hpp"

namespace trustcost::relationship {
namespace {
// lgamma(x) - lgamma(x + a), a > 0: by its asymptotic series where x is so large that the two
// lgammas (about x log x each) lose the difference's digits or overflow (x = 1e308: inf - inf).
// log G(x + a) - log G(x) = a log x + a (a - 1) / (2x) + O(a^3 / x^2) (Abramowitz & Stegun 6.1.47).
double lgamma_drop(double x, double a) {
    const double direct = std::lgamma(x) - std::lgamma(x + a);
    if ((x < 1e6 || x < 1e4 * a * a) && std::isfinite(direct)) return direct;
    return -(a * std::log(x) + a * (a - 1.0) / (2.0 * x));
}

// log(B(a, b + t) / B(a, b)): a survival curve's log, finite however long the tenure t.
double log_beta_ratio(double a, double b, double t) { return lgamma_drop(b + t, a) - lgamma_drop(b, a); }
}  // namespace
}  // namespace trustcost::relationship

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
        for (std::size_t i = begin; i < end; ++i) out[i] = std::exp(log_beta_ratio(p[0], p[1], t[i]));
    });
}

void retention(std::span<const double> p, const double* t, std::size_t n, double* out) {
    for (std::size_t i = 0; i < n; ++i) require_whole(t[i], 1.0, "t", i);
    for (std::size_t i = 0; i < n; ++i) out[i] = (p[1] + t[i] - 1.0) / (p[0] + p[1] + t[i] - 1.0);
}

void churn(std::span<const double> p, const double* t, std::size_t n, double* out) {
    for (std::size_t i = 0; i < n; ++i) require_whole(t[i], 1.0, "t", i);
    // log(B(alpha + 1, y) / B(alpha, beta)) = log alpha + lgamma_drop(y, alpha + 1) - lgamma_drop(beta, alpha),
    // y = beta + t - 1.
    for (std::size_t i = 0; i < n; ++i)
        out[i] = std::exp(std::log(p[0]) + lgamma_drop(p[1] + t[i] - 1.0, p[0] + 1.0) - lgamma_drop(p[1], p[0]));
}

namespace {
// out[i] = value(b, F) for a customer with renewals[i] renewals: b = beta + renewals (her posterior
// theta ~ Beta(alpha, b)) and F the series 2F1(1, b + 1; alpha + b + 1; 1/(1 + d)) of her DERL.
template <class Value>
void per_tenure(std::span<const double> p, double discount_rate, const double* renewals, std::size_t n, double* out,
                Value value) {
    require_discount(discount_rate);
    for (std::size_t i = 0; i < n; ++i) require_whole(renewals[i], 0.0, "renewals", i);
    const double alpha = p[0], beta = p[1], z = 1.0 / (1.0 + discount_rate), w = discount_rate / (1.0 + discount_rate);
    core::parallel_for(n, 64, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const double b = beta + renewals[i];
            out[i] = value(b, z, log_hyp2f1_unit_a(b + 1.0, alpha + b + 1.0, z, w));
        }
    });
}
}  // namespace

void residual_lifetime(std::span<const double> p, double discount_rate, const double* renewals, std::size_t n,
                       double* out) {
    // Posterior theta ~ Beta(alpha, b): E[(1 - theta)^(k+1)] for the k-th future renewal.
    per_tenure(p, discount_rate, renewals, n, out, [&](double b, double, const LogSeries& f) {
        return std::exp(log_beta_ratio(p[0], b, 1.0) + f.value);
    });
}

void retention_elasticity(std::span<const double> p, double discount_rate, const double* renewals, std::size_t n,
                          double* out) {
    per_tenure(p, discount_rate, renewals, n, out, [](double, double z, const LogSeries& f) { return 1.0 + z * f.d_z; });
}

double expected_lifetime(std::span<const double> p, double discount_rate) {
    require_discount(discount_rate);
    const double z = 1.0 / (1.0 + discount_rate), w = discount_rate / (1.0 + discount_rate);
    return std::exp(log_hyp2f1_unit_a(p[1], p[0] + p[1], z, w).value);
}

}  // namespace trustcost::relationship::sbg

namespace trustcost::relationship::bdw {

namespace {
using boost::math::digamma;

// log S(t) and its gradient in (alpha, beta, c); S(0) = 1.
double log_survival(double alpha, double beta, double c, double t, double* grad) {
    if (t <= 0.0) {
        if (grad) grad[0] = grad[1] = grad[2] = 0.0;
        return 0.0;
    }
    const double tc = std::exp(c * std::log(t));
    if (grad) {
        const double psi_end = digamma(alpha + beta + tc), psi_ab = digamma(alpha + beta);
        grad[0] = psi_ab - psi_end;
        grad[1] = digamma(beta + tc) - psi_end - digamma(beta) + psi_ab;
        grad[2] = (digamma(beta + tc) - psi_end) * tc * std::log(t);
    }
    return log_beta_ratio(alpha, beta, tc);
}
}  // namespace

double row_log_likelihood(std::span<const double> p, std::span<const double>, std::span<const double> row,
                          std::span<double> grad) {
    const double alpha = p[0], beta = p[1], c = p[2], t = row[0];
    double g_now[3], g_before[3];
    double* want_now = grad.empty() ? nullptr : g_now;
    const double now = log_survival(alpha, beta, c, t, want_now);
    if (row[1] == 0.0) {
        if (!grad.empty()) std::copy(g_now, g_now + 3, grad.begin());
        return now;
    }
    // Lost at t: S(t-1) - S(t) = S(t-1) (1 - e^D), D = log S(t) - log S(t-1) < 0.
    const double before = log_survival(alpha, beta, c, t - 1.0, grad.empty() ? nullptr : g_before);
    const double d = now - before, drop = -std::expm1(d);
    if (!grad.empty())
        for (std::size_t j = 0; j < 3; ++j) grad[j] = (g_before[j] - std::exp(d) * g_now[j]) / drop;
    return before + std::log(drop);
}

FitResult fit(const double* period, const double* lost, const double* weights, std::size_t n,
              const FitOptions& options) {
    // Rows checked by the model contract (model.hpp: check_contract_rows).
    const Rows rows{{period, lost}, weights, n};
    return fit_positive({&row_log_likelihood}, rows, {1.0, 1.0, 1.0}, options);
}

void survival(std::span<const double> p, const double* t, std::size_t n, double* out) {
    for (std::size_t i = 0; i < n; ++i) out[i] = std::exp(log_survival(p[0], p[1], p[2], t[i], nullptr));
}

void retention(std::span<const double> p, const double* t, std::size_t n, double* out) {
    for (std::size_t i = 0; i < n; ++i)
        out[i] = std::exp(log_survival(p[0], p[1], p[2], t[i], nullptr) -
                          log_survival(p[0], p[1], p[2], t[i] - 1.0, nullptr));
}

void churn(std::span<const double> p, const double* t, std::size_t n, double* out) {
    for (std::size_t i = 0; i < n; ++i) {
        const double row[2] = {t[i], 1.0};
        out[i] = std::exp(row_log_likelihood(p, {}, row, {}));
    }
}

}  // namespace trustcost::relationship::bdw
