#include "trustcost/stats/distributions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <boost/math/distributions/weibull.hpp>
#include <boost/math/quadrature/gauss.hpp>

#include "trustcost/core/errors.hpp"

namespace trustcost::stats {

using core::invalid;
namespace bm = boost::math;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

void require_ordered(double low, double high, const char* low_name, const char* high_name) {
    core::require_finite(low, low_name);
    core::require_finite(high, high_name);
    if (!(low < high)) throw invalid(low_name, " must be < ", high_name, ", got ", low_name, "=", low, " and ", high_name, "=", high);
}

void require_mode(double low, double mode, double high) {
    require_ordered(low, high, "low", "high");
    core::require_finite(mode, "mode");
    if (mode < low || mode > high) throw invalid("mode must be in [low, high] = [", low, ", ", high, "], got ", mode);
}

void require_probability_open(double p) {
    if (!(p >= 0.0 && p <= 1.0)) throw invalid("probability must be in [0, 1], got ", p);
}

// Mills ratio R(x) = Q(x) / phi(x), x >= 0, Q the upper tail of the standard normal: directly
// while Q and phi are far from underflow, beyond by the continued fraction
// R(x) = 1 / (x + 1 / (x + 2 / (x + 3 / (x + ...)))) (Abramowitz & Stegun 26.2.14), which at
// x >= 30 reaches full precision well within 60 terms.
double mills_ratio(double x) {
    const bm::normal_distribution<> z;
    if (x < 30.0) return bm::cdf(bm::complement(z, x)) / bm::pdf(z, x);
    double f = x;
    for (int k = 60; k >= 1; --k) f = x + k / f;
    return 1.0 / f;
}

struct Moments {
    double mean, variance;
};

// Mean and variance of the standard normal truncated to [a, b] (a < b, either may be infinite),
// without the cancellation of the textbook (phi(a) - phi(b)) / (Phi(b) - Phi(a)) in the tails:
// narrow intervals by Gauss-Legendre quadrature of the density relative to its largest value on
// the interval; one-tailed intervals reflected into the upper tail and scaled by phi(a) through
// the Mills ratio; intervals around 0 by the textbook formulas, which are well conditioned there.
Moments truncated_standard_normal(double a, double b) {
    if (std::isinf(a) && std::isinf(b)) return {0.0, 1.0};
    if (!std::isinf(a) && !std::isinf(b) && (b - a) * std::max({std::abs(a), std::abs(b), 1.0}) <= 4.0) {
        const double c = std::clamp(0.0, a, b);  // where the density peaks on [a, b]
        auto w = [c](double z) { return std::exp(-0.5 * (z - c) * (z + c)); };
        using Gauss = bm::quadrature::gauss<double, 20>;
        const double mass = Gauss::integrate(w, a, b);
        const double mean = Gauss::integrate([&](double z) { return z * w(z); }, a, b) / mass;
        const double var = Gauss::integrate([&](double z) { return (z - mean) * (z - mean) * w(z); }, a, b) / mass;
        return {mean, var};
    }
    if (a >= 0.0 || b <= 0.0) {
        const bool reflect = b <= 0.0;
        const double lo = reflect ? -b : a, hi = reflect ? -a : b;  // 0 <= lo < hi
        // Everything divided by phi(lo): r = phi(hi) / phi(lo), mass = (Q(lo) - Q(hi)) / phi(lo).
        const double r = std::isinf(hi) ? 0.0 : std::exp(-0.5 * (hi - lo) * (hi + lo));
        const double mass = mills_ratio(lo) - (r > 0.0 ? r * mills_ratio(hi) : 0.0);
        const double mean = (1.0 - r) / mass;
        const double second = 1.0 + (lo - (r > 0.0 ? hi * r : 0.0)) / mass;  // E[Z^2]
        return {reflect ? -mean : mean, std::max(0.0, second - mean * mean)};
    }
    const bm::normal_distribution<> z;
    const double pa = std::isinf(a) ? 0.0 : bm::pdf(z, a), pb = std::isinf(b) ? 0.0 : bm::pdf(z, b);
    const double apa = std::isinf(a) ? 0.0 : a * pa, bpb = std::isinf(b) ? 0.0 : b * pb;
    const double mass = (std::isinf(b) ? 1.0 : bm::cdf(z, b)) - (std::isinf(a) ? 0.0 : bm::cdf(z, a));
    const double mean = (pa - pb) / mass;
    return {mean, 1.0 + (apa - bpb) / mass - mean * mean};
}

// Probability of [lower, upper] under Normal(mean, sd), from the tail the interval lies in.
double normal_mass(const bm::normal_distribution<>& n, double lower, double upper) {
    if (lower > n.mean())
        return bm::cdf(bm::complement(n, lower)) - (std::isinf(upper) ? 0.0 : bm::cdf(bm::complement(n, upper)));
    return (std::isinf(upper) ? 1.0 : bm::cdf(n, upper)) - (std::isinf(lower) ? 0.0 : bm::cdf(n, lower));
}

// Marsaglia & Tsang (2000), "A simple method for generating gamma variables": squeeze and
// rejection around a cubed normal, the normal by inverse CDF (one uniform, then one for the
// test), as the Monte Carlo's vector kernels draw it. Shapes below 1 use the boost
// Gamma(a) = Gamma(a + 1) U^(1/a).
double standard_gamma(double shape, const Stream& s, std::uint64_t& k) {
    if (shape < 1.0) {
        const double boost_shape = standard_gamma(shape + 1.0, s, k);
        return boost_shape * std::pow(s.uniform(k++), 1.0 / shape);
    }
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
        const double x = bm::quantile(bm::normal_distribution<>(), s.uniform(k++));
        double v = 1.0 + c * x;
        if (v <= 0.0) continue;
        v = v * v * v;
        const double u = s.uniform(k++);
        if (marsaglia_tsang_accepts(x, v, d, u, std::log(u), std::log(v))) return d * v;
    }
}

// log of standard_gamma's draw, from the same uniforms: for shapes below 1 the factor U^(1/a)
// underflows to 0 when a is small (Gamma(1e-3) draws are often below 1e-300), its log does not.
double log_standard_gamma(double shape, const Stream& s, std::uint64_t& k) {
    if (shape < 1.0) {
        const double boost_shape = standard_gamma(shape + 1.0, s, k);
        return std::log(boost_shape) + std::log(s.uniform(k++)) / shape;
    }
    return std::log(standard_gamma(shape, s, k));
}

double standard_beta(double a, double b, const Stream& s) {
    std::uint64_t k = 0;
    if (a < 1.0 || b < 1.0) {
        // X / (X + Y) = 1 / (1 + exp(log Y - log X)): X and Y may both underflow (Beta(1e-3, 1e-3)
        // gave 0 / 0), their logs may not. The result may round to 0 or 1, inside the support.
        const double log_x = log_standard_gamma(a, s, k);
        const double log_y = log_standard_gamma(b, s, k);
        return 1.0 / (1.0 + std::exp(log_y - log_x));
    }
    const double x = standard_gamma(a, s, k);
    const double y = standard_gamma(b, s, k);
    return x / (x + y);
}

// The extreme uniforms a Stream yields below 1: every inverse-CDF draw lies between their quantiles.
constexpr double kLowestUniform = 0x1.0p-54, kHighestUniform = 1.0 - 0x1.0p-53;

// Refuses parameters whose draws or moments leave double precision (Weibull(1e-3, 1) has mean
// 1000! = inf and draws up to 37^1000), so every draw is finite and inside the support.
constexpr double kMaxBetaShape = 1e15;

// "Gamma(2, 1e+308)": the distribution and its parameters, as errors name them.
std::string describe(const Distribution& d) {
    std::ostringstream params;
    params.precision(17);
    for (std::size_t i = 0; i < d.parameters().size(); ++i) params << (i ? ", " : "") << d.parameters()[i];
    return std::string(family_name(d.family())) + "(" + params.str() + ")";
}

Distribution check_representable(Distribution d) {
    auto fail = [&](const char* what, double value) {
        return invalid(describe(d), ": ", what, " is ", value,
                       ", beyond double precision; choose parameters of a less extreme distribution");
    };
    // Boost reports overflow by throwing (tgamma of a Weibull's 1 + 1/shape): the same refusal.
    auto value = [&](auto f) {
        try {
            return f();
        } catch (const std::overflow_error&) {
            return kInf;
        }
    };
    if (d.family() == Family::Beta || d.family() == Family::Pert) {
        // Boost's beta inversion slows with the shapes (0.1 s at 1e15, past 10 s at 1e20); at such
        // shapes the distribution is a point mass for any double anyway.
        const auto& p = d.parameters();
        const auto [a, b] = d.family() == Family::Pert ? pert_shapes(p) : std::pair{p[0], p[1]};
        if (std::max(a, b) > kMaxBetaShape)
            throw invalid(describe(d), ": beta shapes ", a, " and ", b, " exceed ", kMaxBetaShape,
                          ", where the distribution is a point mass to double precision; use Fixed(value)");
    }
    try {  // Boost's iterative inversions give up on extreme shapes (PERT with lambda 1e11)
        (void)d.quantile(0.5);
    } catch (const boost::math::evaluation_error& e) {
        throw invalid(family_name(d.family()), ": Boost.Math cannot invert its CDF at these parameters (", e.what(),
                      "); choose parameters of a less extreme distribution");
    } catch (const std::overflow_error&) {
    }
    if (const double m = value([&] { return d.mean(); }); !std::isfinite(m)) throw fail("the mean", m);
    if (const double v = value([&] { return d.variance(); }); !std::isfinite(v)) throw fail("the variance", v);
    const auto& p = d.parameters();
    switch (d.family()) {
        case Family::Gamma: {  // Marsaglia & Tsang's largest candidate d (1 + c x)^3, x the largest normal
            const double shape = p[0] < 1.0 ? p[0] + 1.0 : p[0], dd = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * dd);
            const double x = bm::quantile(bm::normal_distribution<>(), kHighestUniform);
            const double top = p[1] * dd * std::pow(1.0 + c * x, 3);
            if (!std::isfinite(top)) throw fail("the largest possible draw", top);
            break;
        }
        case Family::Beta:
        case Family::Pert: break;  // low + (high - low) X, X in [0, 1]: finite with the variance
        default: {
            const double lo = value([&] { return d.quantile(kLowestUniform); });
            const double hi = value([&] { return d.quantile(kHighestUniform); });
            if (!std::isfinite(lo)) throw fail("the smallest possible draw", lo);
            if (!std::isfinite(hi)) throw fail("the largest possible draw", hi);
        }
    }
    return d;
}

// Every refusal names the distribution and its parameters: Boost.Math's own errors ("Alpha
// argument is inf") and a quantile that does not converge would otherwise name neither.
Distribution representable(Distribution d) {
    const std::string name = describe(d);
    try {
        return check_representable(std::move(d));
    } catch (const std::invalid_argument& e) {
        if (std::string_view(e.what()).substr(0, name.size()) == name) throw;
        throw invalid(name, ": ", e.what(), "; choose parameters of a less extreme distribution");
    } catch (const std::domain_error& e) {
        throw invalid(name, ": Boost.Math cannot represent it (", e.what(),
                      "); choose parameters of a less extreme distribution");
    }
}

}  // namespace

double Distribution::sample(const Stream& s) const {
    const auto& p = p_;
    switch (family_) {
        case Family::Gamma: {
            std::uint64_t k = 0;
            return p[1] * standard_gamma(p[0], s, k);
        }
        case Family::Beta: return std::clamp(p[2] + (p[3] - p[2]) * standard_beta(p[0], p[1], s), p[2], p[3]);
        case Family::Pert: {
            const auto [a, b] = pert_shapes(p);
            return std::clamp(p[0] + (p[2] - p[0]) * standard_beta(a, b, s), p[0], p[2]);
        }
        default: return quantile(s.uniform(0));
    }
}

Distribution Distribution::fixed(double value) {
    core::require_finite(value, "value");
    return {Family::Fixed, {value}};
}

Distribution Distribution::uniform(double low, double high) {
    require_ordered(low, high, "low", "high");
    return representable({Family::Uniform, {low, high}});
}

Distribution Distribution::triangular(double low, double mode, double high) {
    require_mode(low, mode, high);
    return representable({Family::Triangular, {low, mode, high}});
}

Distribution Distribution::pert(double low, double mode, double high, double lambda) {
    require_mode(low, mode, high);
    core::require_positive(lambda, "lambda");
    return representable({Family::Pert, {low, mode, high, lambda}});
}

Distribution Distribution::normal(double mean, double sd, double lower, double upper) {
    core::require_finite(mean, "mean");
    core::require_positive(sd, "sd");
    if (std::isnan(lower) || std::isnan(upper) || lower == kInf || upper == -kInf)
        throw invalid("lower and upper must be numbers with lower < +inf and upper > -inf, got lower=", lower, " and upper=", upper);
    if (!(lower < upper)) throw invalid("lower must be < upper, got lower=", lower, " and upper=", upper);
    const double mass = normal_mass(bm::normal_distribution<>(mean, sd), lower, upper);
    if (!(mass > 1e-300)) throw invalid("the truncation interval [", lower, ", ", upper, "] holds no probability of Normal(", mean, ", ", sd, ")");
    return representable({Family::Normal, {mean, sd, lower, upper}});
}

Distribution Distribution::lognormal(double mean, double sd) {
    core::require_positive(mean, "mean");
    core::require_positive(sd, "sd");
    const double sigma2 = std::log1p((sd / mean) * (sd / mean));
    if (!(sigma2 > 0.0) || !std::isfinite(sigma2))  // sd / mean beyond double precision either way
        throw invalid("LogNormal(mean=", mean, ", sd=", sd, "): sd / mean = ", sd / mean,
                      " is beyond double precision; choose parameters of a less extreme distribution");
    return representable({Family::LogNormal, {std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2)}});
}

Distribution Distribution::lognormal_from_median_p90(double median, double p90) {
    core::require_positive(median, "median");
    core::require_finite(p90, "p90");
    if (!(p90 > median)) throw invalid("p90 must be > median, got p90=", p90, " and median=", median);
    const double z90 = bm::quantile(bm::normal_distribution<>(), 0.9);
    return representable({Family::LogNormal, {std::log(median), (std::log(p90) - std::log(median)) / z90}});
}

Distribution Distribution::gamma(double shape, double scale) {
    core::require_positive(shape, "shape");
    core::require_positive(scale, "scale");
    return representable({Family::Gamma, {shape, scale}});
}

Distribution Distribution::beta(double alpha, double beta, double low, double high) {
    core::require_positive(alpha, "alpha");
    core::require_positive(beta, "beta");
    require_ordered(low, high, "low", "high");
    return representable({Family::Beta, {alpha, beta, low, high}});
}

Distribution Distribution::weibull(double shape, double scale) {
    core::require_positive(shape, "shape");
    core::require_positive(scale, "scale");
    return representable({Family::Weibull, {shape, scale}});
}

Distribution Distribution::empirical(std::vector<double> samples) {
    if (samples.empty()) throw invalid("samples must not be empty");
    for (std::size_t i = 0; i < samples.size(); ++i)
        if (!std::isfinite(samples[i])) throw invalid("samples[", i, "] must be finite, got ", samples[i]);
    Distribution d{Family::Empirical, {}};
    d.sorted_ = std::move(samples);
    std::sort(d.sorted_.begin(), d.sorted_.end());
    return representable(std::move(d));  // samples near the double limit: a variance of inf
}

Distribution Distribution::restore(Family family, const std::vector<double>& p, std::vector<double> samples) {
    static constexpr std::size_t kCount[] = {1, 2, 3, 4, 4, 2, 2, 4, 2, 0};  // parameters per Family
    const std::size_t want = kCount[static_cast<std::size_t>(family)];
    if (p.size() != want)
        throw invalid(family_name(family), " takes ", want, " parameters, got ", p.size());
    if (family != Family::Empirical && !samples.empty())
        throw invalid(family_name(family), " takes no samples, got ", samples.size());
    switch (family) {
        case Family::Fixed: return fixed(p[0]);
        case Family::Uniform: return uniform(p[0], p[1]);
        case Family::Triangular: return triangular(p[0], p[1], p[2]);
        case Family::Pert: return pert(p[0], p[1], p[2], p[3]);
        case Family::Normal: return normal(p[0], p[1], p[2], p[3]);
        case Family::LogNormal:  // internal form (mu, sigma) of log X
            core::require_finite(p[0], "mu");
            core::require_positive(p[1], "sigma");
            return representable({Family::LogNormal, p});
        case Family::Gamma: return gamma(p[0], p[1]);
        case Family::Beta: return beta(p[0], p[1], p[2], p[3]);
        case Family::Weibull: return weibull(p[0], p[1]);
        case Family::Empirical: return empirical(std::move(samples));
    }
    throw invalid("unknown distribution family ", static_cast<int>(family));
}

double Distribution::quantile(double u) const {
    try {
        return quantile_unchecked(u);
    } catch (const boost::math::evaluation_error& e) {  // an iterative inversion gave up (extreme shapes)
        throw invalid("the quantile of ", family_name(family_), " at q=", u, " did not converge: ", e.what());
    }
}

double Distribution::quantile_unchecked(double u) const {
    require_probability_open(u);
    const auto& p = p_;
    if (u == 0.0 || u == 1.0) {  // the ends of the support, infinite ones included (Boost throws there)
        switch (family_) {
            case Family::Normal: return u == 0.0 ? p[2] : p[3];
            case Family::LogNormal:
            case Family::Gamma:
            case Family::Weibull: return u == 0.0 ? 0.0 : kInf;
            default: break;
        }
    }
    switch (family_) {
        case Family::Fixed: return p[0];
        // Bounded families clamped to their support: low + sqrt(...) loses it to rounding on wide ranges.
        case Family::Uniform: return std::clamp(bm::quantile(bm::uniform_distribution<>(p[0], p[1]), u), p[0], p[1]);
        case Family::Triangular:
            return std::clamp(bm::quantile(bm::triangular_distribution<>(p[0], p[1], p[2]), u), p[0], p[2]);
        case Family::Pert: {
            const auto [a, b] = pert_shapes(p);
            return std::clamp(p[0] + (p[2] - p[0]) * bm::quantile(bm::beta_distribution<>(a, b), u), p[0], p[2]);
        }
        case Family::Normal: {
            const bm::normal_distribution<> n(p[0], p[1]);
            if (std::isinf(p[2]) && std::isinf(p[3])) return bm::quantile(n, u);
            // Work in the tail the interval lies in, so far-out truncations keep their digits.
            if (p[2] > p[0]) {
                const double s_lo = bm::cdf(bm::complement(n, p[2]));
                const double s_hi = std::isinf(p[3]) ? 0.0 : bm::cdf(bm::complement(n, p[3]));
                const double s = s_lo - u * (s_lo - s_hi);
                if (!(s > 0.0)) return p[3];  // the tail probability underflowed: the top of the interval
                return std::clamp(bm::quantile(bm::complement(n, s)), p[2], p[3]);
            }
            const double f_lo = std::isinf(p[2]) ? 0.0 : bm::cdf(n, p[2]);
            const double f_hi = std::isinf(p[3]) ? 1.0 : bm::cdf(n, p[3]);
            const double f = f_lo + u * (f_hi - f_lo);
            if (!(f > 0.0)) return p[2];  // underflowed (an interval far in the lower tail): its bottom
            if (!(f < 1.0)) return p[3];
            return std::clamp(bm::quantile(n, f), p[2], p[3]);
        }
        case Family::LogNormal: return bm::quantile(bm::lognormal_distribution<>(p[0], p[1]), u);
        case Family::Gamma: return bm::quantile(bm::gamma_distribution<>(p[0], p[1]), u);
        case Family::Beta:
            return std::clamp(p[2] + (p[3] - p[2]) * bm::quantile(bm::beta_distribution<>(p[0], p[1]), u), p[2], p[3]);
        case Family::Weibull: return bm::quantile(bm::weibull_distribution<>(p[0], p[1]), u);
        case Family::Empirical: {
            // Inverse of the empirical CDF: the smallest sample x with F(x) >= u.
            const auto n = sorted_.size();
            const auto k = static_cast<std::size_t>(std::ceil(u * static_cast<double>(n)));
            return sorted_[std::clamp<std::size_t>(k, 1, n) - 1];
        }
    }
    return std::numeric_limits<double>::quiet_NaN();
}

double Distribution::cdf(double x) const {
    if (std::isnan(x)) throw invalid("x must not be NaN");
    try {
        return cdf_unchecked(x);
    } catch (const std::overflow_error&) {
        // Boost overflows in an intermediate (tgamma of a large Gamma shape) only where the CDF
        // is 0 or 1 to double precision: far below or far above the bulk.
        return x < mean() ? 0.0 : 1.0;
    }
}

double Distribution::cdf_unchecked(double x) const {
    const auto& p = p_;
    auto bounded = [&](auto dist, double low, double high) {
        if (x <= low) return 0.0;
        if (x >= high) return 1.0;
        return bm::cdf(dist, x);
    };
    switch (family_) {
        case Family::Fixed: return x >= p[0] ? 1.0 : 0.0;
        case Family::Uniform: return bounded(bm::uniform_distribution<>(p[0], p[1]), p[0], p[1]);
        case Family::Triangular: return bounded(bm::triangular_distribution<>(p[0], p[1], p[2]), p[0], p[2]);
        case Family::Pert: {
            const auto [a, b] = pert_shapes(p);
            if (x <= p[0]) return 0.0;
            if (x >= p[2]) return 1.0;
            return bm::cdf(bm::beta_distribution<>(a, b), (x - p[0]) / (p[2] - p[0]));
        }
        case Family::Normal: {
            const bm::normal_distribution<> n(p[0], p[1]);
            if (x <= p[2]) return 0.0;
            if (x >= p[3]) return 1.0;
            if (p[2] > p[0]) return normal_mass(n, p[2], x) / normal_mass(n, p[2], p[3]);  // upper tail: complements
            const double f_lo = std::isinf(p[2]) ? 0.0 : bm::cdf(n, p[2]);
            const double f_hi = std::isinf(p[3]) ? 1.0 : bm::cdf(n, p[3]);
            return (bm::cdf(n, x) - f_lo) / (f_hi - f_lo);
        }
        case Family::LogNormal: return x <= 0 ? 0.0 : bounded(bm::lognormal_distribution<>(p[0], p[1]), 0.0, kInf);
        case Family::Gamma: return bounded(bm::gamma_distribution<>(p[0], p[1]), 0.0, kInf);
        case Family::Beta:
            if (x <= p[2]) return 0.0;
            if (x >= p[3]) return 1.0;
            return bm::cdf(bm::beta_distribution<>(p[0], p[1]), (x - p[2]) / (p[3] - p[2]));
        case Family::Weibull: return bounded(bm::weibull_distribution<>(p[0], p[1]), 0.0, kInf);
        case Family::Empirical:
            return static_cast<double>(std::upper_bound(sorted_.begin(), sorted_.end(), x) - sorted_.begin()) /
                   static_cast<double>(sorted_.size());
    }
    return std::numeric_limits<double>::quiet_NaN();
}

double Distribution::mean() const {
    const auto& p = p_;
    switch (family_) {
        case Family::Fixed: return p[0];
        case Family::Uniform: return 0.5 * (p[0] + p[1]);
        case Family::Triangular: return (p[0] + p[1] + p[2]) / 3.0;
        case Family::Pert: return (p[0] + p[3] * p[1] + p[2]) / (p[3] + 2.0);
        case Family::Normal: {
            if (std::isinf(p[2]) && std::isinf(p[3])) return p[0];
            // Truncated normal: mu + sigma E[Z | a < Z < b] (Johnson, Kotz & Balakrishnan 1994, §10.1).
            return p[0] + p[1] * truncated_standard_normal((p[2] - p[0]) / p[1], (p[3] - p[0]) / p[1]).mean;
        }
        case Family::LogNormal: return bm::mean(bm::lognormal_distribution<>(p[0], p[1]));
        case Family::Gamma: return p[0] * p[1];
        case Family::Beta: return p[2] + (p[3] - p[2]) * p[0] / (p[0] + p[1]);
        case Family::Weibull: return bm::mean(bm::weibull_distribution<>(p[0], p[1]));
        case Family::Empirical: {
            double s = 0.0;  // as a mean of x / n: no overflow for samples near the double limit
            for (double x : sorted_) s += x / static_cast<double>(sorted_.size());
            return s;
        }
    }
    return std::numeric_limits<double>::quiet_NaN();
}

double Distribution::variance() const {
    const auto& p = p_;
    switch (family_) {
        case Family::Fixed: return 0.0;
        case Family::Uniform: return bm::variance(bm::uniform_distribution<>(p[0], p[1]));
        case Family::Triangular: return bm::variance(bm::triangular_distribution<>(p[0], p[1], p[2]));
        case Family::Pert: {
            const auto [a, b] = pert_shapes(p);
            return (p[2] - p[0]) * (p[2] - p[0]) * bm::variance(bm::beta_distribution<>(a, b));
        }
        case Family::Normal: {
            if (std::isinf(p[2]) && std::isinf(p[3])) return p[1] * p[1];
            return p[1] * p[1] * truncated_standard_normal((p[2] - p[0]) / p[1], (p[3] - p[0]) / p[1]).variance;
        }
        case Family::LogNormal: return bm::variance(bm::lognormal_distribution<>(p[0], p[1]));
        case Family::Gamma: return p[0] * p[1] * p[1];
        case Family::Beta: return (p[3] - p[2]) * (p[3] - p[2]) * bm::variance(bm::beta_distribution<>(p[0], p[1]));
        case Family::Weibull: return bm::variance(bm::weibull_distribution<>(p[0], p[1]));
        case Family::Empirical: {
            // Scaled by the largest |x| so that squares of samples near 1e154+ do not overflow.
            const double scale = std::max(std::abs(sorted_.front()), std::abs(sorted_.back()));
            if (scale == 0.0) return 0.0;
            double m = 0.0, s = 0.0;
            for (double x : sorted_) m += x / scale;
            m /= static_cast<double>(sorted_.size());
            for (double x : sorted_) s += (x / scale - m) * (x / scale - m);
            return scale * (scale * (s / static_cast<double>(sorted_.size())));
        }
    }
    return std::numeric_limits<double>::quiet_NaN();
}

std::pair<double, double> pert_shapes(const std::vector<double>& p) {
    const double low = p[0], mode = p[1], high = p[2], lambda = p[3];
    return {1.0 + lambda * (mode - low) / (high - low), 1.0 + lambda * (high - mode) / (high - low)};
}

std::string family_name(Family family) {
    switch (family) {
        case Family::Fixed: return "Fixed";
        case Family::Uniform: return "Uniform";
        case Family::Triangular: return "Triangular";
        case Family::Pert: return "PERT";
        case Family::Normal: return "Normal";
        case Family::LogNormal: return "LogNormal";
        case Family::Gamma: return "Gamma";
        case Family::Beta: return "Beta";
        case Family::Weibull: return "Weibull";
        case Family::Empirical: return "Empirical";
    }
    return "?";
}

Family family_from_name(std::string_view name) {
    for (int f = 0; f <= static_cast<int>(Family::Empirical); ++f)
        if (family_name(static_cast<Family>(f)) == name) return static_cast<Family>(f);
    throw invalid("unknown distribution family '", name, "'");
}

}  // namespace trustcost::stats
