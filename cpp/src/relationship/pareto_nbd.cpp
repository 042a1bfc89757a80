#include "trustcost/relationship/pareto_nbd.hpp"

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <vector>

#include "trustcost/core/parallel.hpp"
#include "trustcost/relationship/hypergeometric.hpp"

namespace trustcost::relationship::pareto_nbd {

namespace {
constexpr std::size_t kBlock = 1024;
using Grad = std::array<double, 4>;

// The likelihood is C [E + s (G(t_x) - G(T))] with C = Gamma(r+x) alpha^r beta^s / Gamma(r),
// E = (alpha+T)^-(r+x) (beta+T)^-s and
//   G(y) = integral_y^inf (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau
//        = (m+y)^-(r+s+x) / (r+s+x) 2F1(r+s+x, b; r+s+x+1; |alpha-beta| / (m+y)),  m = max(alpha, beta),
// which is s/(r+s+x) times the note's A0 pieces. Euler's transformation turns 2F1 into
// (1-z)^(...) 2F1(1, b'; r+s+x+1; z), a series of positive, shrinking terms, with derivatives.
struct LogTerm {
    double value;
    Grad grad;  // d/d(r, alpha, s, beta)
};

LogTerm log_g(double r, double alpha, double s, double beta, double x, double y) {
    const double rsx = r + s + x, c = rsx + 1.0;
    const double la = std::log(alpha + y), lb = std::log(beta + y);
    if (alpha >= beta) {
        const double z = (alpha - beta) / (alpha + y);
        const LogSeries f = log_hyp2f1_unit_a(r + x, c, z, (beta + y) / (alpha + y));
        return {-(r + x) * la - s * lb - std::log(rsx) + f.value,
                {-la - 1.0 / rsx + f.d_b + f.d_c, -(r + x) / (alpha + y) + f.d_z * (beta + y) / ((alpha + y) * (alpha + y)),
                 -lb - 1.0 / rsx + f.d_c, -s / (beta + y) - f.d_z / (alpha + y)}};
    }
    const double z = (beta - alpha) / (beta + y);
    const LogSeries f = log_hyp2f1_unit_a(s + 1.0, c, z, (alpha + y) / (beta + y));
    return {(1.0 - r - x) * la - (s + 1.0) * lb - std::log(rsx) + f.value,
            {-la - 1.0 / rsx + f.d_c, (1.0 - r - x) / (alpha + y) - f.d_z / (beta + y), -lb - 1.0 / rsx + f.d_b + f.d_c,
             -(s + 1.0) / (beta + y) + f.d_z * (alpha + y) / ((beta + y) * (beta + y))}};
}

// log [E + s (G(t_x) - G(T))] and the shares E/B, s G(t_x)/B, s G(T)/B with their gradients.
struct Bracket {
    double log_value;
    double p_alive;  // E / B
    Grad grad;
};

Bracket bracket(double r, double alpha, double s, double beta, double x, double t_x, double T, bool want_grad) {
    const double log_e = -(r + x) * std::log(alpha + T) - s * std::log(beta + T);
    if (t_x >= T) {  // G(t_x) = G(T): only the "still alive" term
        return {log_e, 1.0, {-std::log(alpha + T), -(r + x) / (alpha + T), -std::log(beta + T), -s / (beta + T)}};
    }
    const LogTerm g1 = log_g(r, alpha, s, beta, x, t_x), g2 = log_g(r, alpha, s, beta, x, T);
    const double log_s = std::log(s);
    const double top = std::max(log_e, log_s + g1.value);
    const double e = std::exp(log_e - top), a1 = std::exp(log_s + g1.value - top), a2 = std::exp(log_s + g2.value - top);
    const double total = e + a1 - a2;
    Bracket out{top + std::log(total), e / total, {}};
    if (want_grad) {
        const Grad de{-std::log(alpha + T), -(r + x) / (alpha + T), -std::log(beta + T), -s / (beta + T)};
        for (int j = 0; j < 4; ++j) {
            const double ds = j == 2 ? 1.0 / s : 0.0;
            out.grad[j] = (e * de[j] + a1 * (g1.grad[j] + ds) - a2 * (g2.grad[j] + ds)) / total;
        }
    }
    return out;
}
}  // namespace

void prepare(std::span<const double> p, std::size_t max_count, std::vector<double>& table) {
    // lgamma(r + x) - lgamma(r) and psi(r + x) - psi(r) by the recurrences of Gamma and psi.
    const double r = p[0];
    table.assign((max_count + 1) * 2, 0.0);
    for (std::size_t x = 1; x <= max_count; ++x) {
        const double z = r + static_cast<double>(x - 1);
        table[2 * x] = table[2 * x - 2] + std::log(z);
        table[2 * x + 1] = table[2 * x - 1] + 1.0 / z;
    }
}

double row_log_likelihood(std::span<const double> p, std::span<const double> table, std::span<const double> row,
                          std::span<double> grad) {
    const double r = p[0], alpha = p[1], s = p[2], beta = p[3];
    const double x = row[0], t_x = row[1], T = row[2];
    const Bracket b = bracket(r, alpha, s, beta, x, t_x, T, !grad.empty());
    const auto ix = static_cast<std::size_t>(x);
    const bool tabulated = 2 * ix + 1 < table.size();
    const double log_gamma_ratio = tabulated ? table[2 * ix] : std::lgamma(r + x) - std::lgamma(r);
    if (!grad.empty()) {
        using boost::math::digamma;
        grad[0] = (tabulated ? table[2 * ix + 1] : digamma(r + x) - digamma(r)) + std::log(alpha) + b.grad[0];
        grad[1] = r / alpha + b.grad[1];
        grad[2] = std::log(beta) + b.grad[2];
        grad[3] = s / beta + b.grad[3];
    }
    return log_gamma_ratio + r * std::log(alpha) + s * std::log(beta) + b.log_value;
}

FitResult fit(const double* x, const double* t_x, const double* T, const double* weights, std::size_t n,
              const FitOptions& options) {
    const Rows rows{{x, t_x, T}, weights, n};
    double longest = 1.0;  // the time scale of alpha (and beta): rates per unit of the data's time
    for (std::size_t i = 0; i < n; ++i) longest = std::max(longest, T[i]);
    return fit_positive({&row_log_likelihood, &prepare}, rows, {1.0, 1.0, 1.0, 1.0}, options, {1.0, longest, 1.0, longest});
}

void p_alive(std::span<const double> p, const double* x, const double* t_x, const double* T, std::size_t n,
             double* out) {
    require_params(p, 4, "Pareto/NBD");
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] = bracket(p[0], p[1], p[2], p[3], x[i], t_x[i], T[i], false).p_alive;
    });
}

void p_alive_at(std::span<const double> p, const double* t, const double* x, const double* t_x, const double* T,
                std::size_t n, double* out) {
    require_params(p, 4, "Pareto/NBD");
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const double alive = bracket(p[0], p[1], p[2], p[3], x[i], t_x[i], T[i], false).p_alive;
            // Alive at T, mu ~ Gamma(s, beta + T): survives t more with E[e^(-mu t)] = ((beta+T)/(beta+T+t))^s.
            out[i] = alive * std::exp(p[2] * (std::log(p[3] + T[i]) - std::log(p[3] + T[i] + t[i])));
        }
    });
}

namespace {
// (1 - (k / (k + t))^(s-1)) / (s - 1), and its limit log((k + t) / k) at s = 1. log1p: for a long
// history (k = beta + T = 1e12, t = 10) log k - log(k + t) keeps four digits, or none (-0) at 1e308.
double decay_factor(double s, double k, double t) {
    const double log_ratio = -std::log1p(t / k);
    return std::abs(s - 1.0) < 1e-12 ? -log_ratio : -std::expm1((s - 1.0) * log_ratio) / (s - 1.0);
}
}  // namespace

double expected_if_alive(std::span<const double> p, double t, double x, double T) {
    const double r = p[0], alpha = p[1], s = p[2], beta = p[3];
    return (r + x) * ((beta + T) / (alpha + T)) * decay_factor(s, beta + T, t);  // (r + x)(beta + T) overflows at T = 1e308
}

void expected_purchases(std::span<const double> p, const double* t, const double* x, const double* t_x,
                        const double* T, std::size_t n, double* out) {
    require_params(p, 4, "Pareto/NBD");
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const double alive = bracket(p[0], p[1], p[2], p[3], x[i], t_x[i], T[i], false).p_alive;
            out[i] = alive * expected_if_alive(p, t[i], x[i], T[i]);
        }
    });
}

void expected_purchases_population(std::span<const double> p, const double* t, std::size_t n, double* out) {
    require_params(p, 4, "Pareto/NBD");
    const double r = p[0], alpha = p[1], s = p[2], beta = p[3];
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] = r * beta / alpha * decay_factor(s, beta, t[i]);
    });
}

namespace {
// P(X(t) = m) of a customer alive at the start of t (see the header).
double pmf(double r, double alpha, double s, double beta, double m, double horizon) {
    const double log_coefficient = std::lgamma(r + m) - std::lgamma(r) - std::lgamma(m + 1.0);
    // log P(m purchases in an active period of length tau): negative binomial.
    const auto log_count = [&](double tau) {
        return log_coefficient + r * (std::log(alpha) - std::log(alpha + tau)) +
               (m > 0.0 ? m * (std::log(tau) - std::log(alpha + tau)) : 0.0);
    };
    double value = std::exp(s * (std::log(beta) - std::log(beta + horizon)) + log_count(horizon));
    if (horizon > 0.0) {
        const auto dropped = [&](double tau) {
            if (m > 0.0 && tau <= 0.0) return 0.0;
            return std::exp(std::log(s) + s * std::log(beta) - (s + 1.0) * std::log(beta + tau) + log_count(tau));
        };
        value += boost::math::quadrature::gauss_kronrod<double, 31>::integrate(dropped, 0.0, horizon, 15, 1e-12);
    }
    return value;
}
}  // namespace

void probability_of_n_purchases(std::span<const double> p, const double* t, const double* k, std::size_t n,
                                double* out) {
    require_params(p, 4, "Pareto/NBD");
    core::parallel_for(n, 64, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] = pmf(p[0], p[1], p[2], p[3], k[i], t[i]);
    });
}

double probability_if_alive(std::span<const double> p, double k, double t, double x, double T) {
    // Alive at T: lambda ~ Gamma(r + x, alpha + T) and mu ~ Gamma(s, beta + T) a posteriori
    // (independent), a new Pareto/NBD customer from T on.
    return pmf(p[0] + x, p[1] + T, p[2], p[3] + T, k, t);
}

void conditional_probability_of_n_purchases(std::span<const double> p, const double* k, const double* t,
                                            const double* x, const double* t_x, const double* T, std::size_t n,
                                            double* out) {
    require_params(p, 4, "Pareto/NBD");
    const double r = p[0], alpha = p[1], s = p[2], beta = p[3];
    core::parallel_for(n, 64, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {  // dropped out: no purchase
            const double alive = bracket(r, alpha, s, beta, x[i], t_x[i], T[i], false).p_alive;
            out[i] = alive * probability_if_alive(p, k[i], t[i], x[i], T[i]) + (k[i] == 0.0 ? 1.0 - alive : 0.0);
        }
    });
}

}  // namespace trustcost::relationship::pareto_nbd
