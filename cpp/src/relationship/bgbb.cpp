#include "trustcost/relationship/bgbb.hpp"

#include <algorithm>
#include <array>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <limits>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"

namespace trustcost::relationship::bgbb {

namespace {
constexpr std::size_t kBlock = 256;
constexpr double kInf = std::numeric_limits<double>::infinity();
using boost::math::digamma;

double lbeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

// log of a sum of exp(l_i) with the gradient sum_i exp(l_i) g_i / sum_i exp(l_i), accumulated
// term by term with a running maximum (no allocation, no overflow).
struct LogSum {
    double top = -kInf, scaled = 0.0;
    std::array<double, 4> g{};
    void add(double l, const std::array<double, 4>& gl) {
        if (l > top) {
            const double shrink = std::exp(top - l);
            scaled *= shrink;
            for (double& v : g) v *= shrink;
            top = l;
        }
        const double w = std::exp(l - top);
        scaled += w;
        for (std::size_t j = 0; j < 4; ++j) g[j] += w * gl[j];
    }
    double value() const { return top + std::log(scaled); }
};

// log B(alpha + u, beta + v) - log B(alpha, beta) and its (alpha, beta) gradient; `base` holds
// psi(alpha) - psi(alpha + beta) and psi(beta) - psi(alpha + beta).
struct BetaRatio {
    double log_value, d_first, d_second;
};
BetaRatio beta_ratio(double a, double b, double u, double v, double log_b0, double base_a, double base_b, bool grad) {
    BetaRatio out{lbeta(a + u, b + v) - log_b0, 0.0, 0.0};
    if (grad) {
        const double psi_sum = digamma(a + b + u + v);
        out.d_first = digamma(a + u) - psi_sum - base_a;
        out.d_second = digamma(b + v) - psi_sum - base_b;
    }
    return out;
}

struct Constants {
    double alpha, beta, gamma, delta, lb_ab, lb_gd, base_alpha, base_beta, base_gamma, base_delta;
};
Constants constants(std::span<const double> p, bool grad) {
    Constants c{p[0], p[1], p[2], p[3], lbeta(p[0], p[1]), lbeta(p[2], p[3]), 0.0, 0.0, 0.0, 0.0};
    if (grad) {
        const double psi_ab = digamma(p[0] + p[1]), psi_gd = digamma(p[2] + p[3]);
        c.base_alpha = digamma(p[0]) - psi_ab;
        c.base_beta = digamma(p[1]) - psi_ab;
        c.base_gamma = digamma(p[2]) - psi_gd;
        c.base_delta = digamma(p[3]) - psi_gd;
    }
    return c;
}

// Eq. (5): alive through all n opportunities, or alive through t_x + i and gone at the start of
// t_x + i + 1 for i = 0..n - t_x - 1. Consecutive terms differ by one step in the second
// argument of both beta functions, so the sum runs on B(a, b + 1) = B(a, b) b / (a + b) and
// psi(z + 1) = psi(z) + 1/z.
struct Split {
    double log_alive, log_dead;  // log of the first term and of the sum (-inf when empty)
    double log_total;
};
double log_likelihood(const Constants& c, double x, double t_x, double n, std::span<double> grad, Split* split) {
    const bool want = !grad.empty();
    LogSum sum;
    {
        const auto pb = beta_ratio(c.alpha, c.beta, x, n - x, c.lb_ab, c.base_alpha, c.base_beta, want);
        const auto pd = beta_ratio(c.gamma, c.delta, 0.0, n, c.lb_gd, c.base_gamma, c.base_delta, want);
        sum.add(pb.log_value + pd.log_value, {pb.d_first, pb.d_second, pd.d_first, pd.d_second});
    }
    const double log_alive = sum.top;
    double log_dead = -kInf;
    const auto gaps = static_cast<long>(n - t_x);
    if (gaps > 0) {
        auto pb = beta_ratio(c.alpha, c.beta, x, t_x - x, c.lb_ab, c.base_alpha, c.base_beta, want);
        auto pd = beta_ratio(c.gamma, c.delta, 1.0, t_x, c.lb_gd, c.base_gamma, c.base_delta, want);
        LogSum dead;
        for (long i = 0; i < gaps; ++i) {
            if (i > 0) {
                const double bv = c.beta + t_x - x + static_cast<double>(i - 1);  // beta + v before the step
                const double abv = c.alpha + x + bv;
                const double dv = c.delta + t_x + static_cast<double>(i - 1);
                const double gdv = c.gamma + 1.0 + dv;
                pb.log_value += std::log(bv) - std::log(abv);
                pd.log_value += std::log(dv) - std::log(gdv);
                if (want) {
                    pb.d_first -= 1.0 / abv;
                    pb.d_second += 1.0 / bv - 1.0 / abv;
                    pd.d_first -= 1.0 / gdv;
                    pd.d_second += 1.0 / dv - 1.0 / gdv;
                }
            }
            const std::array<double, 4> g{pb.d_first, pb.d_second, pd.d_first, pd.d_second};
            sum.add(pb.log_value + pd.log_value, g);
            if (split) dead.add(pb.log_value + pd.log_value, g);
        }
        if (split) log_dead = dead.value();
    }
    const double total = sum.value();
    if (want)
        for (std::size_t j = 0; j < 4; ++j) grad[j] = sum.g[j] / sum.scaled;
    if (split) *split = {log_alive, log_dead, total};
    return total;
}

// sum_{k=1..m} B(gamma, delta + b + k) / B(gamma, delta + b): expected alive opportunities among
// the next m for a customer alive at b. Closed form (delta + b)/(gamma - 1) [1 - G(m)] with G a
// gamma-function ratio (FHS 2010 eq. 9 and 13); near gamma = 1 the form is 0/0, so the terms are
// summed by their ratio (delta + b + k - 1)/(gamma + delta + b + k - 1) instead.
double alive_opportunities(double gamma, double delta, double b, double m) {
    if (m <= 0.0) return 0.0;
    const double d = delta + b;
    if (std::abs(gamma - 1.0) < 1e-3) {
        double term = 1.0, total = 0.0;
        for (double k = 1.0; k <= m; k += 1.0) {
            term *= (d + k - 1.0) / (gamma + d + k - 1.0);
            total += term;
        }
        return total;
    }
    const double log_g = std::lgamma(gamma + d) + std::lgamma(1.0 + d + m) - std::lgamma(gamma + d + m) - std::lgamma(1.0 + d);
    return d / (gamma - 1.0) * -std::expm1(log_g);
}

double log_choose(double j, double k) { return std::lgamma(j + 1.0) - std::lgamma(k + 1.0) - std::lgamma(j - k + 1.0); }

double log_add(double a, double b) {
    if (a == -kInf) return b;
    if (b == -kInf) return a;
    return std::max(a, b) + std::log1p(std::exp(-std::abs(a - b)));
}

bool whole(double v) { return std::isfinite(v) && v == std::floor(v); }

// The likelihood and the conditional sums run one term per opportunity: a bound keeps a typo
// (a date in place of a count) from running for hours.
constexpr double kMaxOpportunities = 1e6;

void check_periods(const double* m, std::size_t n, const char* name) {
    for (std::size_t i = 0; i < n; ++i)
        if (!whole(m[i]) || m[i] < 0.0 || m[i] > kMaxOpportunities)
            throw core::invalid(name, " must be whole numbers in [0, ", kMaxOpportunities, "], got ", m[i], " at row ", i);
}
}  // namespace

double row_log_likelihood(std::span<const double> p, std::span<const double>, std::span<const double> row,
                          std::span<double> grad) {
    return log_likelihood(constants(p, !grad.empty()), row[0], row[1], row[2], grad, nullptr);
}

void check_rows(const double* x, const double* t_x, const double* n_periods, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        const double xi = x[i], ti = t_x[i], ni = n_periods[i];
        if (!whole(xi) || !whole(ti) || !whole(ni))
            throw core::invalid("frequency, recency and n_periods must be whole numbers, got (", xi, ", ", ti, ", ", ni,
                                ") at row ", i);
        if (xi < 0.0 || ti < xi || ni < ti)
            throw core::invalid("rows must have 0 <= frequency <= recency <= n_periods, got (", xi, ", ", ti, ", ", ni,
                                ") at row ", i);
        if (xi == 0.0 && ti != 0.0)
            throw core::invalid("recency must be 0 when frequency is 0, got ", ti, " at row ", i);
    }
    check_periods(n_periods, n, "n_periods");
}

FitResult fit(const double* x, const double* t_x, const double* n_periods, const double* weights, std::size_t n,
              const FitOptions& options) {
    // Rows checked by the model contract (model.hpp), which calls check_rows.
    const Rows rows{{x, t_x, n_periods}, weights, n};
    return fit_positive({&row_log_likelihood}, rows, {1.0, 1.0, 1.0, 1.0}, options);
}

void p_alive(std::span<const double> p, const double* m, const double* x, const double* t_x, const double* n_periods,
             std::size_t n, double* out) {
    const Constants c = constants(p, false);
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const double ll = log_likelihood(c, x[i], t_x[i], n_periods[i], {}, nullptr);
            // A ratio of a likelihood term to the sum that holds it: at most 1 (rounding aside).
            out[i] = std::min(1.0, std::exp(lbeta(c.alpha + x[i], c.beta + n_periods[i] - x[i]) - c.lb_ab +
                                            lbeta(c.gamma, c.delta + n_periods[i] + m[i]) - c.lb_gd - ll));
        }
    });
}

void expected_purchases(std::span<const double> p, const double* m, const double* x, const double* t_x,
                        const double* n_periods, std::size_t n, double* out) {
    const Constants c = constants(p, false);
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const double xi = x[i], ni = n_periods[i];
            const double ll = log_likelihood(c, xi, t_x[i], ni, {}, nullptr);
            // Alive at n with p ~ Beta(alpha + x, beta + n - x): E[p] per future alive opportunity.
            const double log_alive_p = lbeta(c.alpha + xi + 1.0, c.beta + ni - xi) - c.lb_ab +
                                       lbeta(c.gamma, c.delta + ni) - c.lb_gd - ll;
            out[i] = std::exp(log_alive_p) * alive_opportunities(c.gamma, c.delta, ni, m[i]);
        }
    });
}

void expected_purchases_population(std::span<const double> p, const double* n_periods, std::size_t n, double* out) {
    const double mean_p = p[0] / (p[0] + p[1]);
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] = mean_p * alive_opportunities(p[2], p[3], 0.0, n_periods[i]);
    });
}

// Given the history, the customer is either gone before n (then no future transactions) or alive
// at n with weight p^x (1-p)^(n-x) (1-theta)^n. Alive at n, she stays alive through j of the next
// m opportunities with probability theta (1-theta)^j (j < m) or (1-theta)^m (j = m), and transacts
// Binomial(j, p) in them. Integrating p and theta against their Beta priors:
//   P(k | x, t_x, n) = ( [k = 0] D + C(m,k) B(a+x+k, b+n-x+m-k) B(g, d+n+m)
//                        + sum_{j=k}^{m-1} C(j,k) B(a+x+k, b+n-x+j-k) B(g+1, d+n+j) ) / (B(a,b) B(g,d) L)
// with D the "gone before n" part of the likelihood L (eq. 5).
namespace {
double conditional_row(const Constants& c, double mi, double ki, double xi, double ti, double ni) {
    if (ki > mi) return 0.0;
    Split split{};
    log_likelihood(c, xi, ti, ni, {}, &split);
    const double norm = c.lb_ab + c.lb_gd;
    double log_p = ki == 0.0 ? split.log_dead : -kInf;
    log_p = log_add(log_p, log_choose(mi, ki) + lbeta(c.alpha + xi + ki, c.beta + ni - xi + mi - ki) +
                               lbeta(c.gamma, c.delta + ni + mi) - norm);
    for (double j = ki; j < mi; j += 1.0)
        log_p = log_add(log_p, log_choose(j, ki) + lbeta(c.alpha + xi + ki, c.beta + ni - xi + j - ki) +
                                   lbeta(c.gamma + 1.0, c.delta + ni + j) - norm);
    return std::exp(log_p - split.log_total);
}
}  // namespace

void conditional_probability_of_n_purchases(std::span<const double> p, const double* k, const double* m,
                                            const double* x, const double* t_x, const double* n_periods,
                                            std::size_t n, double* out) {
    const Constants c = constants(p, false);
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] = conditional_row(c, m[i], k[i], x[i], t_x[i], n_periods[i]);
    });
}

void probability_of_n_purchases(std::span<const double> p, const double* n_periods, const double* k, std::size_t n,
                                double* out) {
    const Constants c = constants(p, false);
    // A new customer is the special case without history: x = t_x = n = 0.
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] = conditional_row(c, n_periods[i], k[i], 0.0, 0.0, 0.0);
    });
}

}  // namespace trustcost::relationship::bgbb
