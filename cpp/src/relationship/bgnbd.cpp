#include "trustcost/relationship/bgnbd.hpp"

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <cmath>
#include <vector>

#include "trustcost/core/parallel.hpp"
#include "trustcost/relationship/hypergeometric.hpp"
#include "trustcost/relationship/near_one.hpp"
#include "trustcost/relationship/scoring.hpp"

namespace trustcost::relationship::bgnbd {

namespace {
constexpr std::size_t kBlock = 1024;
using boost::math::digamma;

double lbeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

// Terms of eq. (6) that depend on the parameters and x only (8 per x): log A1 A2 without
// r log(alpha), the digamma parts of d/dr, d/da, d/db, log(a / (b + x - 1)) of A4, and the
// trigamma parts of d2/dr2, d2/da2 (= d2/dadb) and d2/db2.
constexpr std::size_t kStride = 8;

void count_terms(double r, double a, double b, double x, double* out) {
    using boost::math::trigamma;
    const double psi_ab = digamma(a + b), psi_abx = digamma(a + b + x);
    out[0] = std::lgamma(r + x) - std::lgamma(r) + std::lgamma(a + b) + std::lgamma(b + x) - std::lgamma(b) -
             std::lgamma(a + b + x);
    out[1] = digamma(r + x) - digamma(r);
    out[2] = psi_ab - psi_abx;
    out[3] = psi_ab + digamma(b + x) - digamma(b) - psi_abx;
    out[4] = x > 0.0 ? std::log(a) - std::log(b + x - 1.0) : 0.0;
    out[5] = trigamma(r + x) - trigamma(r);
    out[6] = trigamma(a + b) - trigamma(a + b + x);
    out[7] = out[6] + trigamma(b + x) - trigamma(b);
}
}  // namespace

void prepare(std::span<const double> p, std::size_t max_count, std::vector<double>& table) {
    const double r = p[0], a = p[2], b = p[3];
    table.resize((max_count + 1) * kStride);
    count_terms(r, a, b, 0.0, table.data());
    // Gamma(z + 1) = z Gamma(z) and psi(z + 1) = psi(z) + 1/z: each x from the previous one.
    for (std::size_t x = 1; x <= max_count; ++x) {
        const double* prev = table.data() + (x - 1) * kStride;
        double* cur = table.data() + x * kStride;
        const double xm = static_cast<double>(x - 1);
        cur[0] = prev[0] + std::log(r + xm) + std::log(b + xm) - std::log(a + b + xm);
        cur[1] = prev[1] + 1.0 / (r + xm);
        cur[2] = prev[2] - 1.0 / (a + b + xm);
        cur[3] = prev[3] + 1.0 / (b + xm) - 1.0 / (a + b + xm);
        cur[4] = std::log(a) - std::log(b + xm);  // b + x - 1 with x = xm + 1
        // psi'(z + 1) = psi'(z) - 1/z^2.
        cur[5] = prev[5] - 1.0 / ((r + xm) * (r + xm));
        cur[6] = prev[6] + 1.0 / ((a + b + xm) * (a + b + xm));
        cur[7] = prev[7] + 1.0 / ((a + b + xm) * (a + b + xm)) - 1.0 / ((b + xm) * (b + xm));
    }
}

namespace {
// Row log-likelihood, its gradient (when grad is non-empty) and Hessian (when hess is non-empty,
// row-major 4 x 4) in (r, alpha, a, b). With L = A1 A2 [A3 + A4]: log L = T0 + r log(alpha) +
// LSE(A3, A4), whose Hessian is w3 H3 + w4 H4 + w3 w4 (G3 - G4)(G3 - G4)^T.
double evaluate_row(std::span<const double> p, std::span<const double> table, std::span<const double> row,
                    std::span<double> grad, std::span<double> hess) {
    const double r = p[0], alpha = p[1], a = p[2], b = p[3];
    const double x = row[0], t_x = row[1], T = row[2];
    std::array<double, kStride> direct;
    const double* terms;
    if (const auto ix = static_cast<std::size_t>(x); (ix + 1) * kStride <= table.size()) {
        terms = table.data() + ix * kStride;
    } else {
        count_terms(r, a, b, x, direct.data());
        terms = direct.data();
    }
    // FHL (2005) eq. (6): L = A1 A2 [A3 + (x > 0) A4].
    const double log_alpha = std::log(alpha), log_aT = std::log(alpha + T);
    const double log_a3 = -(r + x) * log_aT;
    double w4 = 0.0, log_bracket = log_a3, log_atx = 0.0;
    if (x > 0.0) {
        log_atx = std::log(alpha + t_x);
        const double log_a4 = terms[4] - (r + x) * log_atx;
        // log(e^{A3} + e^{A4}) = A3 + log1p(e^{A4 - A3}); w4 = e^{A4} / (e^{A3} + e^{A4}).
        const double d = log_a4 - log_a3;
        const double e = std::exp(-std::abs(d));
        log_bracket = std::max(log_a3, log_a4) + std::log1p(e);
        w4 = d > 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }
    const double w3 = 1.0 - w4;
    if (!grad.empty()) {
        grad[0] = terms[1] + log_alpha - w3 * log_aT - w4 * log_atx;
        grad[1] = r / alpha - w3 * (r + x) / (alpha + T) - w4 * (r + x) / (alpha + t_x);
        grad[2] = terms[2] + w4 / a;
        grad[3] = terms[3] - (x > 0.0 ? w4 / (b + x - 1.0) : 0.0);
    }
    if (!hess.empty()) {
        const double iT = 1.0 / (alpha + T), it = x > 0.0 ? 1.0 / (alpha + t_x) : 0.0;
        const double ib = x > 0.0 ? 1.0 / (b + x - 1.0) : 0.0;
        // G3 - G4 (A3 has no a, b; A4 only when x > 0).
        const double dr = -log_aT + log_atx, dal = -(r + x) * (iT - it), da = -1.0 / a, db = ib;
        const std::array<double, 4> dg{dr, dal, da, db};
        const double c = w3 * w4;
        std::array<double, 16> h{};
        h[0] = terms[5];
        h[1] = 1.0 / alpha - w3 * iT - w4 * it;
        h[5] = -r / (alpha * alpha) + (r + x) * (w3 * iT * iT + w4 * it * it);
        h[10] = terms[6] - w4 / (a * a);
        h[11] = terms[6];
        h[15] = terms[7] + w4 * ib * ib;
        for (int i = 0; i < 4; ++i)
            for (int j = i; j < 4; ++j) hess[i * 4 + j] = hess[j * 4 + i] = h[i * 4 + j] + c * dg[i] * dg[j];
    }
    return terms[0] + r * log_alpha + log_bracket;
}
}  // namespace

double row_log_likelihood(std::span<const double> p, std::span<const double> table, std::span<const double> row,
                          std::span<double> grad) {
    return evaluate_row(p, table, row, grad, {});
}

double row_hessian(std::span<const double> p, std::span<const double> table, std::span<const double> row,
                   std::span<double> grad, std::span<double> hess) {
    return evaluate_row(p, table, row, grad, hess);
}

FitResult fit(const double* x, const double* t_x, const double* T, const double* weights, std::size_t n,
              const FitOptions& options) {
    const Rows rows{{x, t_x, T}, weights, n};
    double longest = 1.0;  // the time scale of alpha (and beta): rates per unit of the data's time
    for (std::size_t i = 0; i < n; ++i) longest = std::max(longest, T[i]);
    return fit_positive({&row_log_likelihood, &prepare, &row_hessian}, rows, {1.0, 1.0, 1.0, 1.0}, options, {1.0, longest, 1.0, 1.0});
}

namespace {
// 1 / (1 + a/(b + x - 1) ((alpha + T)/(alpha + t_x))^(r + x)) for x > 0, else 1.
void alive(std::span<const double> p, const double* x, const double* t_x, const double* T, std::size_t n, double* out,
           bool check_rows) {
    require_params(p, 4, "BG/NBD");
    scoring::alive_by_dropout_odds(p[0], p[1], p[2], p[3] - 1.0, true, x, t_x, T, n, out, check_rows);
}
}  // namespace

void p_alive(std::span<const double> p, const double* x, const double* t_x, const double* T, std::size_t n,
             double* out) {
    alive(p, x, t_x, T, n, out, false);
}

void p_alive_checking_rows(std::span<const double> p, const double* x, const double* t_x, const double* T,
                           std::size_t n, double* out) {
    alive(p, x, t_x, T, n, out, true);
}

namespace {
// Eqs. (9) and (10) divide by a - 1 a bracket that vanishes at a = 1: near_one.hpp.
constexpr double kNearOne = 1e-5;

// E[X(t)] of a new customer as the mean over p ~ Beta(a, b) of FHL (2005) eq. (7) averaged over
// lambda: (1/p) (1 - (alpha / (alpha + p t))^r). Used where eq. (9)'s 2F1 fails (a + b <= 1 makes
// its third parameter zero or negative); tanh-sinh copes with the p^(a-1) endpoint singularity.
double population_by_integral(double r, double alpha, double a, double b, double t) {
    if (t <= 0.0) return 0.0;
    using boost::math::quadrature::gauss_kronrod;
    const double log_norm = lbeta(a, b);
    const auto mean = [&](double p) {  // (1/p)(1 - (alpha/(alpha + p t))^r), its limit r t/alpha at p = 0
        return p > 0.0 ? -std::expm1(-r * std::log1p(p * t / alpha)) / p : r * t / alpha;  // log1p: exact for tiny p
    };
    // The Beta density's endpoint singularities are taken out by p = u^(1/a) on [0, 1/2] and
    // 1 - p = v^(1/b) on [1/2, 1]: both integrands are then smooth for adaptive Gauss-Kronrod.
    const auto low = [&](double u) {
        const double p = std::pow(u, 1.0 / a);
        return mean(p) * std::exp((b - 1.0) * std::log1p(-p) - log_norm) / a;
    };
    const auto high = [&](double v) {
        const double q = std::pow(v, 1.0 / b), p = 1.0 - q;
        return mean(p) * std::exp((a - 1.0) * std::log(p) - log_norm) / b;
    };
    return gauss_kronrod<double, 31>::integrate(low, 0.0, std::pow(0.5, a), 15, 1e-13) +
           gauss_kronrod<double, 31>::integrate(high, 0.0, std::pow(0.5, b), 15, 1e-13);
}

// Eq. (9)'s 2F1(r, b; a + b - 1; z) needs a positive third parameter; below this the integral.
constexpr double kSmallC = 1e-3;
}  // namespace

double expected_if_alive(std::span<const double> p, double t, double x, double T) {
    const double r = p[0], alpha = p[1], b = p[3];
    // max(0, .): for t near 0 the closed form's rounding can leave a tiny negative value.
    return std::max(0.0, across_a_one(p[2], kNearOne, [&](double a) {
        const double horizon = alpha + T + t, c = a + b + x - 1.0;
        const double log_term =
            -(r + x) * std::log1p(t / (alpha + T)) + log_hyp2f1(r + x, b + x, c, t / horizon, (alpha + T) / horizon);
        // 1 - exp(log_term) by expm1: exact for small t.
        const double value = c / (a - 1.0) * -std::expm1(log_term);
        // Alive at T the customer is a new one with posterior (r + x, alpha + T, a, b + x).
        return std::isfinite(value) && c >= kSmallC ? value : population_by_integral(r + x, alpha + T, a, b + x, t);
    }));
}

void expected_purchases(std::span<const double> p, const double* t, const double* x, const double* t_x,
                        const double* T, std::size_t n, double* out) {
    require_params(p, 4, "BG/NBD");
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        p_alive(p, x + begin, t_x + begin, T + begin, end - begin, out + begin);  // one block: inline
        for (std::size_t i = begin; i < end; ++i) out[i] *= expected_if_alive(p, t[i], x[i], T[i]);
    });
}

void expected_purchases_population(std::span<const double> p, const double* t, std::size_t n, double* out) {
    require_params(p, 4, "BG/NBD");
    const double r = p[0], alpha = p[1], a = p[2], b = p[3];
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            out[i] = std::max(0.0, across_a_one(a, kNearOne, [&](double a_) {
                const double log_term = r * (std::log(alpha) - std::log(alpha + t[i])) +
                                        log_hyp2f1(r, b, a_ + b - 1.0, t[i] / (alpha + t[i]));
                if (a_ + b - 1.0 < kSmallC) return population_by_integral(r, alpha, a_, b, t[i]);
                const double value = (a_ + b - 1.0) / (a_ - 1.0) * -std::expm1(log_term);
                return std::isfinite(value) ? value : population_by_integral(r, alpha, a_, b, t[i]);
            }));
        }
    });
}

namespace {
// P(X(t) = m) of a customer alive at the start of t: FHL (2005) eq. (8).
double pmf(double r, double alpha, double a, double b, double m, double t) {
    const double q = alpha / (alpha + t);
    // Still active at t: negative binomial count (log pmf).
    double value = std::exp(lbeta(a, b + m) - lbeta(a, b) + std::lgamma(r + m) - std::lgamma(r) -
                            std::lgamma(m + 1.0) + r * std::log(q) + (m > 0.0 ? m * std::log1p(-q) : 0.0));
    // Dropped out after exactly m purchases; the bracket 1 - P(NB(r, q) <= m - 1) is the
    // complemented regularised incomplete beta 1 - I_q(r, m), accurate where the sum cancels.
    if (m > 0.0 && t > 0.0) value += std::exp(lbeta(a + 1.0, b + m - 1.0) - lbeta(a, b)) * boost::math::ibetac(r, m, q);
    return value;
}
}  // namespace

void probability_of_n_purchases(std::span<const double> p, const double* t, const double* k, std::size_t n,
                                double* out) {
    require_params(p, 4, "BG/NBD");
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] = pmf(p[0], p[1], p[2], p[3], k[i], t[i]);
    });
}

double probability_if_alive(std::span<const double> p, double k, double t, double x, double T) {
    // Alive at T: lambda ~ Gamma(r + x, alpha + T) and p ~ Beta(a, b + x) a posteriori, and the
    // future is a new BG/NBD customer with those parameters.
    return pmf(p[0] + x, p[1] + T, p[2], p[3] + x, k, t);
}

void conditional_probability_of_n_purchases(std::span<const double> p, const double* k, const double* t,
                                            const double* x, const double* t_x, const double* T, std::size_t n,
                                            double* out) {
    require_params(p, 4, "BG/NBD");
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        p_alive(p, x + begin, t_x + begin, T + begin, end - begin, out + begin);  // one block: inline
        for (std::size_t i = begin; i < end; ++i) {  // dropped out: no purchase
            const double alive = out[i];
            out[i] = alive * probability_if_alive(p, k[i], t[i], x[i], T[i]) + (k[i] == 0.0 ? 1.0 - alive : 0.0);
        }
    });
}

}  // namespace trustcost::relationship::bgnbd
