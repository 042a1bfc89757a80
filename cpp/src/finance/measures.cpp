#include "trustcost/finance/measures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Dense>
#include <boost/math/tools/roots.hpp>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"

namespace trustcost::finance {

using core::invalid;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kBlock = 2048;  // rows per parallel block

[[noreturn]] void throw_bad_flow(const char* name, const Series& v, std::size_t row) {
    const double* x = v.row(row);
    for (std::size_t j = 0; j < v.cols; ++j)
        if (!std::isfinite(x[j]))
            throw invalid(name, "[", row, ", ", j, "] must be finite, got ", x[j]);
    throw invalid(name, " row ", row, " gives a non-finite result");
}

// p(x) = sum_k c[k] x^k and p'(x) by Horner.
struct PolyValue {
    double value, slope;
};
inline PolyValue horner(const double* c, std::size_t n, double x) {
    double p = c[n - 1], dp = 0.0;
    for (std::size_t k = n - 1; k-- > 0;) {
        dp = dp * x + p;
        p = p * x + c[k];
    }
    return {p, dp};
}

// Dot product for the shared-rate npv, the one memory-bound hot loop. Eight independent sums
// let the compiler fill vector registers; target_clones picks AVX2 at run time where the CPU
// has it, while the wheel stays runnable on any x86-64. The summation order is fixed by the
// source, so every clone gives the same bits.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
double dot(const double* a, const double* b, std::size_t n) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) s[k] += a[i + k] * b[i + k];
    for (; i < n; ++i) s[i % 8] += a[i] * b[i];
    return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}

inline int sign(double x) { return (x > 0) - (x < 0); }

// Root of p in (lo, hi), where p(lo) and p(hi) differ in sign: TOMS 748 to about 1e-10,
// then Newton steps to full precision as long as they stay inside the bracket.
double bracketed_root(const double* c, std::size_t n, double lo, double hi) {
    auto f = [&](double x) { return horner(c, n, x).value; };
    boost::uintmax_t max_iter = 100;
    auto tol = [](double a, double b) { return std::abs(b - a) <= 1e-10 * std::max(1e-300, std::abs(a)); };
    auto [a, b] = boost::math::tools::toms748_solve(f, lo, hi, tol, max_iter);
    double x = 0.5 * (a + b);
    for (int step = 0; step < 3; ++step) {
        const auto [p, dp] = horner(c, n, x);
        if (p == 0.0 || dp == 0.0) break;
        const double next = x - p / dp;
        if (!(next > lo && next < hi) || next == x) break;
        x = next;
    }
    return x;
}

// The IRR of a series with exactly one sign change: one positive root x = 1/(1+r).
// Roots with x > 1 (negative rates) are found as roots y = 1/x of the reversed polynomial,
// so Horner never evaluates powers above 1 and cannot overflow.
double single_root_rate(const double* c, std::size_t n, double* reversed) {
    double at_one = 0.0;
    for (std::size_t k = 0; k < n; ++k) at_one += c[k];
    if (at_one == 0.0) return 0.0;
    if (sign(at_one) != sign(c[0])) return 1.0 / bracketed_root(c, n, 0.0, 1.0) - 1.0;
    std::reverse_copy(c, c + n, reversed);
    return bracketed_root(reversed, n, 0.0, 1.0) - 1.0;
}

// All positive real roots of p (degree n-1) as rates, via companion-matrix eigenvalues.
std::vector<double> all_root_rates(const double* c, std::size_t n) {
    const std::size_t d = n - 1;
    Eigen::MatrixXd companion = Eigen::MatrixXd::Zero(d, d);
    for (std::size_t i = 1; i < d; ++i) companion(i, i - 1) = 1.0;
    for (std::size_t i = 0; i < d; ++i) companion(i, d - 1) = -c[i] / c[d];
    Eigen::EigenSolver<Eigen::MatrixXd> solver(companion, false);
    std::vector<double> rates;
    for (const auto& z : solver.eigenvalues()) {
        if (std::abs(z.imag()) > 1e-9 * std::max(1.0, std::abs(z)) || z.real() <= 0.0) continue;
        double x = z.real();
        for (int step = 0; step < 4; ++step) {  // polish the eigenvalue on p itself
            const auto [p, dp] = horner(c, n, x);
            if (dp == 0.0 || p == 0.0) break;
            const double next = x - p / dp;
            if (!(next > 0.0)) break;
            x = next;
        }
        rates.push_back(1.0 / x - 1.0);
    }
    std::sort(rates.begin(), rates.end());
    rates.erase(std::unique(rates.begin(), rates.end(),
                            [](double a, double b) { return std::abs(a - b) <= 1e-12 * (1 + std::abs(a)); }),
                rates.end());
    return rates;
}

// Strips leading and trailing zeros (roots at x = 0 or infinity carry no rate).
std::pair<const double*, std::size_t> trim(const double* c, std::size_t n) {
    std::size_t lo = 0, hi = n;
    while (lo < hi && c[lo] == 0.0) ++lo;
    while (hi > lo && c[hi - 1] == 0.0) --hi;
    return {c + lo, hi - lo};
}

int sign_changes(const double* c, std::size_t n) {
    int changes = 0, last = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const int s = sign(c[k]);
        if (s == 0) continue;
        if (last != 0 && s != last) ++changes;
        last = s;
    }
    return changes;
}

double irr_one(const double* values, std::size_t n, std::vector<double>& scratch) {
    const auto [c, m] = trim(values, n);
    const int changes = m >= 2 ? sign_changes(c, m) : 0;
    if (changes == 0) return kNaN;  // Descartes: no positive root, so no rate
    if (changes == 1) {
        scratch.resize(m);
        return single_root_rate(c, m, scratch.data());
    }
    const auto rates = all_root_rates(c, m);
    if (rates.empty()) return kNaN;
    return *std::min_element(rates.begin(), rates.end(),
                             [](double a, double b) { return std::abs(a) < std::abs(b); });
}

void require_columns(const Series& values) {
    if (values.cols == 0) throw invalid("values must have at least one period, got 0 columns");
}

void require_finite_flows(const char* name, const double* x, std::size_t n) {
    for (std::size_t j = 0; j < n; ++j)
        if (!std::isfinite(x[j])) throw invalid(name, "[", j, "] must be finite, got ", x[j]);
}

}  // namespace

void npv(const Series& values, const double* rates, std::size_t rates_size, Timing timing,
         double* out) {
    if (rates_size != 1 && rates_size != values.rows)
        throw invalid("rate must be a scalar or have one value per row (", values.rows,
                      "), got ", rates_size, " values");
    for (std::size_t i = 0; i < rates_size; ++i) core::require_rate(rates[i], "rate");
    require_columns(values);
    const std::size_t cols = values.cols;

    std::vector<double> shared;  // one discount vector when all rows share the rate
    auto fill_factors = [&](double rate, double* f) {
        for (std::size_t t = 0; t < cols; ++t) f[t] = std::pow(1.0 + rate, -flow_time(t, timing));
    };
    if (rates_size == 1) {
        shared.resize(cols);
        fill_factors(rates[0], shared.data());
    }
    core::parallel_for(values.rows, kBlock, [&](std::size_t begin, std::size_t end) {
        std::vector<double> own(rates_size == 1 ? 0 : cols);
        for (std::size_t i = begin; i < end; ++i) {
            const double* f = shared.data();
            if (rates_size != 1) {
                fill_factors(rates[i], own.data());
                f = own.data();
            }
            out[i] = dot(values.row(i), f, cols);
        }
        // NaN or inf flows surface in the result: find and name them without a separate pass.
        for (std::size_t i = begin; i < end; ++i)
            if (!std::isfinite(out[i])) throw_bad_flow("values", values, i);
    });
}

void irr(const Series& values, double* out) {
    require_columns(values);
    core::parallel_for(values.rows, kBlock / 4, [&](std::size_t begin, std::size_t end) {
        std::vector<double> scratch;
        for (std::size_t i = begin; i < end; ++i) {
            const double* x = values.row(i);
            for (std::size_t j = 0; j < values.cols; ++j)
                if (!std::isfinite(x[j])) throw_bad_flow("values", values, i);
            out[i] = irr_one(x, values.cols, scratch);
        }
    });
}

std::vector<double> irr_all(const double* values, std::size_t n) {
    require_finite_flows("values", values, n);
    const auto [c, m] = trim(values, n);
    if (m < 2 || sign_changes(c, m) == 0) return {};
    return all_root_rates(c, m);
}

namespace {
struct DatedFlows {
    std::vector<double> amounts, years;
};

DatedFlows dated(const double* amounts, const std::int64_t* days, std::size_t n) {
    if (n == 0) throw invalid("amounts must not be empty");
    require_finite_flows("amounts", amounts, n);
    DatedFlows flows{{amounts, amounts + n}, std::vector<double>(n)};
    for (std::size_t i = 0; i < n; ++i) {
        if (days[i] < days[0])
            throw invalid("dates[", i, "] is before dates[0]: the first date must be the earliest");
        flows.years[i] = static_cast<double>(days[i] - days[0]) / 365.0;
    }
    return flows;
}

double xnpv_years(double rate, const DatedFlows& f) {
    const double log_base = std::log1p(rate);
    double sum = 0.0;
    for (std::size_t i = 0; i < f.amounts.size(); ++i) sum += f.amounts[i] * std::exp(-f.years[i] * log_base);
    return sum;
}
}  // namespace

double xnpv(double rate, const double* amounts, const std::int64_t* days, std::size_t n) {
    core::require_rate(rate, "rate");
    return xnpv_years(rate, dated(amounts, days, n));
}

double xirr(const double* amounts, const std::int64_t* days, std::size_t n) {
    const DatedFlows flows = dated(amounts, days, n);
    // Solve in x = 1/(1+r) in (0, 1] or y = 1+r in (0, 1]: sum a_i x^t_i is a generalised
    // polynomial, so Descartes' rule (flows ordered by time) still bounds its positive roots.
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return flows.years[a] < flows.years[b]; });
    std::vector<double> sorted(n);
    for (std::size_t i = 0; i < n; ++i) sorted[i] = flows.amounts[order[i]];
    if (sign_changes(sorted.data(), n) == 0) return kNaN;

    auto in_x = [&](double x) {  // npv at r = 1/x - 1, x in (0, 1]
        double s = 0.0;
        for (std::size_t i = 0; i < n; ++i) s += flows.amounts[i] * std::pow(x, flows.years[i]);
        return s;
    };
    auto in_y = [&](double y) {  // npv at r = y - 1 scaled by y^T, y in (0, 1]
        const double horizon = flows.years[order.back()];
        double s = 0.0;
        for (std::size_t i = 0; i < n; ++i) s += flows.amounts[i] * std::pow(y, horizon - flows.years[i]);
        return s;
    };
    auto tol = [](double a, double b) { return std::abs(b - a) <= 4 * std::numeric_limits<double>::epsilon() * std::abs(a); };
    auto solve = [&](auto f) -> double {
        const double lo = 1e-300, hi = 1.0;
        if (sign(f(lo)) == sign(f(hi)) || sign(f(lo)) == 0) return kNaN;
        boost::uintmax_t max_iter = 200;
        auto [a, b] = boost::math::tools::toms748_solve(f, lo, hi, tol, max_iter);
        return 0.5 * (a + b);
    };
    const double at_zero = in_x(1.0);
    if (at_zero == 0.0) return 0.0;
    const double x = solve(in_x);
    if (!std::isnan(x)) return 1.0 / x - 1.0;
    const double y = solve(in_y);
    return std::isnan(y) ? kNaN : y - 1.0;
}

void payback(const Series& values, const double* rate, bool fractional, double* out) {
    if (rate) core::require_rate(*rate, "rate");
    require_columns(values);
    core::parallel_for(values.rows, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const double* x = values.row(i);
            double cumulative = 0.0, factor = 1.0, result = kNaN;
            const double step = rate ? 1.0 / (1.0 + *rate) : 1.0;
            for (std::size_t t = 0; t < values.cols; ++t) {
                if (!std::isfinite(x[t])) throw_bad_flow("values", values, i);
                const double flow = x[t] * factor;
                const double before = cumulative;
                cumulative += flow;
                factor *= step;
                if (cumulative >= 0.0) {
                    result = (fractional && t > 0 && flow > 0.0) ? (t - 1) + (-before / flow) : t;
                    break;
                }
            }
            out[i] = result;
        }
    });
}

double sir(double pv_savings, double pv_investment) {
    core::require_finite(pv_savings, "pv_savings");
    core::require_finite(pv_investment, "pv_investment");
    if (pv_investment > 0.0) return pv_savings / pv_investment;
    // No additional investment: the alternative dominates when it also saves (NIST: SIR is
    // infinite); with no savings either, or with both negative, the ratio has no meaning.
    if (pv_savings > 0.0 || (pv_savings == 0.0 && pv_investment < 0.0)) return std::numeric_limits<double>::infinity();
    return kNaN;
}

double airr(double sir_value, double reinvestment_rate, double n) {
    core::require_rate(reinvestment_rate, "reinvestment_rate");
    core::require_finite(n, "n");
    if (n <= 0.0) throw invalid("n must be > 0, got ", n);
    if (std::isnan(sir_value) || sir_value < 0.0) return kNaN;
    if (std::isinf(sir_value)) return sir_value;
    // NIST Handbook 135 eq. 6.9: AIRR = (1 + r) SIR^(1/N) - 1.
    return (1.0 + reinvestment_rate) * std::pow(sir_value, 1.0 / n) - 1.0;
}

}  // namespace trustcost::finance
