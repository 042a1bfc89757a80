// Poisson draws by inversion of the CDF, so one counter-based uniform gives one count (the
// same uniform, the same count, whatever the thread or process that draws it).
#pragma once

namespace trustcost::stats {

// The smallest k with P(X <= k) >= u for X ~ Poisson(mean), u in (0, 1). The pmf is walked from
// 0 (mean < 30) or from the mode (P and the pmf there from Boost.Math, once per mean), so a draw
// costs about sqrt(mean) steps and exp(-mean) never underflows. Throws std::invalid_argument
// unless 0 <= mean <= 1e12 (constructor) and 0 < u < 1.
class PoissonQuantile {
public:
    explicit PoissonQuantile(double mean);
    double operator()(double u) const;

private:
    double mean_, k0_ = 0.0, pmf0_ = 1.0, cdf0_ = 1.0;  // the walk's start: k0, P(X = k0), P(X <= k0)
};

inline double poisson_quantile(double mean, double u) { return PoissonQuantile(mean)(u); }

}  // namespace trustcost::stats
