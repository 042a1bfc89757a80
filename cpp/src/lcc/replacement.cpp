#include "trustcost/lcc/replacement.hpp"

#include <cmath>
#include <limits>

#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/roots.hpp>

#include "trustcost/core/errors.hpp"
#include "trustcost/finance/discount.hpp"

namespace trustcost::lcc {

using core::invalid;

std::vector<double> economic_life_eac(double price, const double* operating_costs,
                                      const double* salvage_values, std::size_t ages, double rate) {
    core::require_finite(price, "price");
    core::require_rate(rate, "rate");
    if (ages == 0) throw invalid("operating_costs must cover at least one year, got 0");
    std::vector<double> eac(ages);
    double pv_operating = 0.0;
    for (std::size_t n = 1; n <= ages; ++n) {
        core::require_finite(operating_costs[n - 1], "operating_costs");
        core::require_finite(salvage_values[n - 1], "salvage_values");
        const double v = finance::spv(rate, static_cast<double>(n));
        pv_operating += operating_costs[n - 1] * v;
        eac[n - 1] = finance::eac(price + pv_operating - salvage_values[n - 1] * v, rate, static_cast<double>(n));
    }
    return eac;
}

namespace {

void require_age_inputs(double shape, double scale, double cp, double cf) {
    core::require_positive(shape, "shape");
    core::require_positive(scale, "scale");
    core::require_positive(cp, "preventive_cost");  // cp = 0 would make T -> 0 optimal
    core::require_non_negative(cf, "failure_cost");
}

// int_0^T R(t) dt = (eta / beta) lower_gamma(1/beta, (T/eta)^beta).
double mean_uptime(double shape, double scale, double t) {
    const double a = 1.0 / shape;
    return scale * std::tgamma(1.0 + a) * boost::math::gamma_p(a, std::pow(t / scale, shape));
}

}  // namespace

double age_replacement_cost_rate(double shape, double scale, double cp, double cf, double interval) {
    require_age_inputs(shape, scale, cp, cf);
    core::require_positive(interval, "interval");
    const double z = std::pow(interval / scale, shape);
    // F = -expm1(-z), not 1 - R: at short ages R rounds to 1 and a dear failure's share vanishes.
    return (cp * std::exp(-z) - cf * std::expm1(-z)) / mean_uptime(shape, scale, interval);
}

AgeReplacement optimal_age_replacement(double shape, double scale, double cp, double cf) {
    require_age_inputs(shape, scale, cp, cf);
    const double mean = scale * std::tgamma(1.0 + 1.0 / shape);
    if (shape <= 1.0 || cf <= cp) return {std::numeric_limits<double>::infinity(), cf / mean};
    const double target = cp / (cf - cp);
    // g(T) = r(T) int_0^T R - F(T) - target; r(T) = (beta/eta) (T/eta)^(beta-1).
    auto g = [&](double t) {
        const double z = std::pow(t / scale, shape);
        const double hazard = shape / scale * std::pow(t / scale, shape - 1.0);
        return hazard * mean_uptime(shape, scale, t) + std::expm1(-z) - target;
    };
    double lo = 1e-9 * scale, hi = scale;
    if (std::isnan(g(lo)) || std::isnan(g(hi)))  // pow(t / scale, shape) is 0 * inf for huge shapes
        throw invalid("shape ", shape, " (scale ", scale, ") is too steep for the cost rate to be computed in double precision");
    // A failure far dearer than prevention puts the optimum near age 0: move lo down until the
    // root is bracketed, or say that it lies below what double precision resolves.
    for (int k = 0; g(lo) >= 0.0; ++k) {
        if (k > 100 || lo < std::numeric_limits<double>::min())
            throw invalid("failure_cost / preventive_cost = ", cf / cp, " puts the optimal age below what double ",
                          "precision resolves for shape ", shape, ", scale ", scale);
        lo *= 1e-3;
    }
    int doublings = 0;
    while (g(hi) < 0.0) {
        lo = hi;
        hi *= 2.0;
        if (++doublings > 200) throw invalid("no optimum bracketed for shape ", shape, ", scale ", scale);
    }
    boost::uintmax_t max_iter = 200;
    auto tol = boost::math::tools::eps_tolerance<double>(50);
    const auto [a, b] = boost::math::tools::toms748_solve(g, lo, hi, tol, max_iter);
    if (max_iter >= 200)
        throw invalid("no optimal age found to double precision for shape ", shape, ", scale ", scale,
                      " and failure_cost / preventive_cost = ", cf / cp);
    const double t = 0.5 * (a + b), rate = age_replacement_cost_rate(shape, scale, cp, cf, t);
    if (!std::isfinite(t) || !std::isfinite(rate))
        throw invalid("shape ", shape, " (scale ", scale, ") gives no finite optimum in double precision");
    return {t, rate};
}

}  // namespace trustcost::lcc
