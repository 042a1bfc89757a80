// Probability distributions for uncertain inputs. CDFs and quantiles come from Boost.Math.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trustcost/stats/random.hpp"

namespace trustcost::stats {

enum class Family { Fixed, Uniform, Triangular, Pert, Normal, LogNormal, Gamma, Beta, Weibull, Empirical };

class Distribution {
public:
    static Distribution fixed(double value);
    static Distribution uniform(double low, double high);
    static Distribution triangular(double low, double mode, double high);
    // PERT: a Beta on [low, high] with mean (low + lambda mode + high) / (lambda + 2); lambda = 4
    // is the classic PERT (Malcolm et al. 1959; Vose, Risk Analysis, 3rd ed., §9.1.3).
    static Distribution pert(double low, double mode, double high, double lambda = 4.0);
    // Normal, optionally truncated to [lower, upper] (use +-inf for no bound).
    static Distribution normal(double mean, double sd, double lower, double upper);
    static Distribution lognormal(double mean, double sd);                 // mean and sd of X
    static Distribution lognormal_from_median_p90(double median, double p90);
    static Distribution gamma(double shape, double scale);
    static Distribution beta(double alpha, double beta, double low = 0.0, double high = 1.0);
    static Distribution weibull(double shape, double scale);
    static Distribution empirical(std::vector<double> samples);
    // Rebuilds a distribution from family(), parameters() and samples() (pickling), validating
    // them as the factories do.
    static Distribution restore(Family family, const std::vector<double>& parameters, std::vector<double> samples);

    Family family() const { return family_; }
    const std::vector<double>& parameters() const { return p_; }
    const std::vector<double>& samples() const { return sorted_; }  // Empirical only, ascending

    double quantile(double probability) const;
    // One draw from the uniforms stream.uniform(0), uniform(1), ...: by inverse CDF (one uniform,
    // so equal streams give comonotone draws) except Gamma, Beta and PERT, whose quantile is an
    // iterative inversion (~10 us); they use Marsaglia & Tsang (2000, ACM TOMS 26(3)) instead,
    // Beta (and PERT) as X / (X + Y) from the gammas X then Y.
    double sample(const Stream& stream) const;
    double cdf(double x) const;
    double mean() const;
    double variance() const;
    bool is_fixed() const { return family_ == Family::Fixed; }
    bool operator==(const Distribution&) const = default;

private:
    double cdf_unchecked(double x) const;
    double quantile_unchecked(double probability) const;
    Distribution(Family family, std::vector<double> parameters) : family_(family), p_(std::move(parameters)) {}
    Family family_;
    std::vector<double> p_;        // family parameters (internal form, e.g. mu, sigma)
    std::vector<double> sorted_;   // empirical samples, ascending
};

std::string family_name(Family family);
Family family_from_name(std::string_view name);  // inverse of family_name; throws on unknown names

// Beta shape parameters (alpha, beta) of a PERT with parameters {low, mode, high, lambda}.
std::pair<double, double> pert_shapes(const std::vector<double>& parameters);

// Marsaglia & Tsang's test for the candidate d v, v = (1 + c x)^3 > 0: the squeeze, else the
// exact log test. Gamma(shape >= 1) draws are d v for the first accepted (x, u).
inline bool marsaglia_tsang_accepts(double x, double v, double d, double u, double log_u, double log_v) {
    return u < 1.0 - 0.0331 * x * x * x * x || log_u < 0.5 * x * x + d * (1.0 - v + log_v);
}

}  // namespace trustcost::stats
