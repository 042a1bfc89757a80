#include "trustcost/relationship/mbgnbd.hpp"

#include <algorithm>
#include <array>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <cmath>
#include <vector>

#include "trustcost/core/parallel.hpp"
#include "trustcost/relationship/hypergeometric.hpp"
#include "trustcost/relationship/near_one.hpp"
#include "trustcost/relationship/scoring.hpp"

namespace trustcost::relationship::mbgnbd {

namespace {
constexpr std::size_t kBlock = 1024;
using boost::math::digamma;

double lbeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }
double log1p_exp(double v) { return v > 0.0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v)); }

// Per x: lgamma(r+x) - lgamma(r) + log B(a, b+x+1) - log B(a, b) (the row's constant), the
// digamma parts of d/dr, d/da, d/db and the trigamma parts of d2/dr2, d2/da2 (= d2/dadb), d2/db2.
constexpr std::size_t kStride = 7;
void count_terms(double r, double a, double b, double x, double* out) {
    using boost::math::trigamma;
    const double psi_ab = digamma(a + b), psi_abx = digamma(a + b + x + 1.0);
    out[0] = std::lgamma(r + x) - std::lgamma(r) + lbeta(a, b + x + 1.0) - lbeta(a, b);
    out[1] = digamma(r + x) - digamma(r);
    out[2] = psi_ab - psi_abx;
    out[3] = psi_ab + digamma(b + x + 1.0) - digamma(b) - psi_abx;
    out[4] = trigamma(r + x) - trigamma(r);
    out[5] = trigamma(a + b) - trigamma(a + b + x + 1.0);
    out[6] = out[5] + trigamma(b + x + 1.0) - trigamma(b);
}
}  // namespace

void prepare(std::span<const double> p, std::size_t max_count, std::vector<double>& table) {
    const double r = p[0], a = p[2], b = p[3];
    table.resize((max_count + 1) * kStride);
    count_terms(r, a, b, 0.0, table.data());
    // Gamma(z + 1) = z Gamma(z), psi(z + 1) = psi(z) + 1/z: each x from the previous one.
    for (std::size_t x = 1; x <= max_count; ++x) {
        const double* prev = table.data() + (x - 1) * kStride;
        double* cur = table.data() + x * kStride;
        const double xm = static_cast<double>(x - 1);
        cur[0] = prev[0] + std::log(r + xm) + std::log(b + xm + 1.0) - std::log(a + b + xm + 1.0);
        cur[1] = prev[1] + 1.0 / (r + xm);
        cur[2] = prev[2] - 1.0 / (a + b + xm + 1.0);
        cur[3] = prev[3] + 1.0 / (b + xm + 1.0) - 1.0 / (a + b + xm + 1.0);
        // psi'(z + 1) = psi'(z) - 1/z^2.
        const double ab2 = (a + b + xm + 1.0) * (a + b + xm + 1.0), b2 = (b + xm + 1.0) * (b + xm + 1.0);
        cur[4] = prev[4] - 1.0 / ((r + xm) * (r + xm));
        cur[5] = prev[5] + 1.0 / ab2;
        cur[6] = prev[6] + 1.0 / ab2 - 1.0 / b2;
    }
}

// log L = c(x) + r log(alpha) - (r + x) log(alpha + T) + log(1 + exp(D)), D the log dropout odds
// (Batislam et al. 2007 eq. 8; the form of lifetimes' ModifiedBetaGeoFitter). Gradient and, when
// hess is non-empty, the Hessian (row-major 4 x 4) in (r, alpha, a, b): the log(1 + e^D) part
// contributes w H_D + w (1 - w) g_D g_D^T with w = 1/(1 + e^-D).
namespace {
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
    const double log_alpha = std::log(alpha), log_aT = std::log(alpha + T), log_atx = std::log(alpha + t_x);
    const double gap = log_aT - log_atx, iT = 1.0 / (alpha + T), it = 1.0 / (alpha + t_x), ib = 1.0 / (b + x);
    const double d = std::log(a) - std::log(b + x) + (r + x) * gap;
    const double w = 1.0 / (1.0 + std::exp(-d));  // d log(1 + e^D) / dD
    const std::array<double, 4> gd{gap, (r + x) * (iT - it), 1.0 / a, -ib};
    if (!grad.empty()) {
        grad[0] = terms[1] + log_alpha - log_aT + w * gd[0];
        grad[1] = r / alpha - (r + x) * iT + w * gd[1];
        grad[2] = terms[2] + w * gd[2];
        grad[3] = terms[3] + w * gd[3];
    }
    if (!hess.empty()) {
        std::array<double, 16> h{};
        h[0] = terms[4];
        h[1] = 1.0 / alpha - iT + w * (iT - it);
        h[5] = -r / (alpha * alpha) + (r + x) * iT * iT + w * (r + x) * (it * it - iT * iT);
        h[10] = terms[5] - w / (a * a);
        h[11] = terms[5];
        h[15] = terms[6] + w * ib * ib;
        const double c = w * (1.0 - w);
        for (int i = 0; i < 4; ++i)
            for (int j = i; j < 4; ++j) hess[i * 4 + j] = hess[j * 4 + i] = h[i * 4 + j] + c * gd[i] * gd[j];
    }
    return terms[0] + r * log_alpha - (r + x) * log_aT + log1p_exp(d);
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
    double longest = 1.0;  // the time scale of alpha: rates per unit of the data's time
    for (std::size_t i = 0; i < n; ++i) longest = std::max(longest, T[i]);
    return fit_positive({&row_log_likelihood, &prepare, &row_hessian}, rows, {1.0, 1.0, 1.0, 1.0}, options,
                        {1.0, longest, 1.0, 1.0});
}

void p_alive(std::span<const double> p, const double* x, const double* t_x, const double* T, std::size_t n,
             double* out) {
    scoring::alive_by_dropout_odds(p[0], p[1], p[2], p[3], false, x, t_x, T, n, out);
}

void p_alive_checking_rows(std::span<const double> p, const double* x, const double* t_x, const double* T,
                           std::size_t n, double* out) {
    require_params(p, 4, "MBG/NBD");
    scoring::alive_by_dropout_odds(p[0], p[1], p[2], p[3], false, x, t_x, T, n, out, true);
}

namespace {
// The expectations are c/(a - 1) [1 - F(a)] with F(1) = 1: near_one.hpp.
constexpr double kNearOne = 1e-5;
}  // namespace

double expected_if_alive(std::span<const double> p, double t, double x, double T) {
    const double r = p[0], alpha = p[1], b = p[3], horizon = alpha + T + t;
    return across_a_one(p[2], kNearOne, [&](double a) {
        const double c = a + b + x;
        const double log_term =
            -(r + x) * std::log1p(t / (alpha + T)) + log_hyp2f1(r + x, b + x + 1.0, c, t / horizon, (alpha + T) / horizon);
        return c / (a - 1.0) * -std::expm1(log_term);  // expm1: exact for small t
    });
}

void expected_purchases(std::span<const double> p, const double* t, const double* x, const double* t_x,
                        const double* T, std::size_t n, double* out) {
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        p_alive(p, x + begin, t_x + begin, T + begin, end - begin, out + begin);  // one block: inline
        for (std::size_t i = begin; i < end; ++i) out[i] *= expected_if_alive(p, t[i], x[i], T[i]);
    });
}

void expected_purchases_population(std::span<const double> p, const double* t, std::size_t n, double* out) {
    const double r = p[0], alpha = p[1], b = p[3];
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            out[i] = across_a_one(p[2], kNearOne, [&](double a) {
                const double log_term = r * (std::log(alpha) - std::log(alpha + t[i])) +
                                        log_hyp2f1(r, b + 1.0, a + b, t[i] / (alpha + t[i]));
                return b / (a - 1.0) * -std::expm1(log_term);
            });
        }
    });
}

void probability_of_n_purchases(std::span<const double> p, const double* t, const double* k, std::size_t n,
                                double* out) {
    const double r = p[0], alpha = p[1], a = p[2], b = p[3];
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const double m = k[i], q = alpha / (alpha + t[i]);
            // Survived m + 1 dropout chances (one at the first purchase): negative binomial count.
            double value = std::exp(lbeta(a, b + m + 1.0) - lbeta(a, b) + std::lgamma(r + m) - std::lgamma(r) -
                                    std::lgamma(m + 1.0) + r * std::log(q) + (m > 0.0 ? m * std::log1p(-q) : 0.0));
            // Dropped out right after purchase m (or at the first purchase when m = 0), which came
            // before t: P(NB(r, q) >= m) = 1 - I_q(r, m), the complemented incomplete beta.
            const double reached = m == 0.0 ? 1.0 : (t[i] > 0.0 ? boost::math::ibetac(r, m, q) : 0.0);
            value += std::exp(lbeta(a + 1.0, b + m) - lbeta(a, b)) * reached;
            out[i] = value;
        }
    });
}

double probability_if_alive(std::span<const double> p, double m, double t, double x, double T) {
    const double r = p[0], alpha = p[1], a = p[2], b = p[3];
    const double rx = r + x, bx = b + x + 1.0, q = (alpha + T) / (alpha + T + t);
    // Eq. (8) of FHL (2005) with the posterior (r + x, alpha + T, a, b + x + 1).
    double future = std::exp(lbeta(a, bx + m) - lbeta(a, bx) + std::lgamma(rx + m) - std::lgamma(rx) -
                             std::lgamma(m + 1.0) + rx * std::log(q) + (m > 0.0 ? m * std::log1p(-q) : 0.0));
    if (m > 0.0 && t > 0.0) future += std::exp(lbeta(a + 1.0, bx + m - 1.0) - lbeta(a, bx)) * boost::math::ibetac(rx, m, q);
    return future;
}

void conditional_probability_of_n_purchases(std::span<const double> p, const double* k, const double* t,
                                            const double* x, const double* t_x, const double* T, std::size_t n,
                                            double* out) {
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        p_alive(p, x + begin, t_x + begin, T + begin, end - begin, out + begin);  // one block: inline
        for (std::size_t i = begin; i < end; ++i) {
            const double alive = out[i];
            out[i] = alive * probability_if_alive(p, k[i], t[i], x[i], T[i]) + (k[i] == 0.0 ? 1.0 - alive : 0.0);
        }
    });
}

}  // namespace trustcost::relationship::mbgnbd
