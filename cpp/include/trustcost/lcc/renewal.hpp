// Expected number of failures of an item that is renewed (repaired as new) at each failure:
// the renewal function M(t) = E[N(t)], for Weibull and exponential lives.
#pragma once

#include <cstddef>
#include <vector>

#include "trustcost/core/parallel.hpp"

namespace trustcost::lcc {

// Weibull life with shape beta and scale eta (characteristic life); shape 1 is the
// exponential distribution with mean time between failures eta.
struct Life {
    double shape;
    double scale;
};

void require_life(const Life& life);

double life_cdf(const Life& life, double t);

// Mean life eta * Gamma(1 + 1/beta).
double mean_life(const Life& life);

// M(t) on [0, t_max]. Exponential: M(t) = t / eta exactly (a Poisson process). Otherwise the
// renewal equation M(t) = F(t) + int_0^t F(t - x) dM(x) is solved on a uniform grid by the
// Riemann-Stieltjes midpoint scheme of Xie (1989, Microelectron. Reliab. 29(2), 213-215),
// O(h^2), on grids of step h and h/2 combined by Richardson extrapolation; between grid points
// M/F is interpolated by cubic Hermite (M/F is smooth where M itself behaves like t^beta).
// Past a settling time M continues with slope 1/mean from the solved M (the renewal theorem:
// M(t) - t/mu tends to (sigma^2 - mu^2) / (2 mu^2), Cox 1962 §4.5). For shape > 1 that is
// kSettledLives mean lives (the gap decays exponentially); for shape < 1 (decreasing hazard,
// whose renewal density falls monotonically to 1/mu) it is where the survival of one life drops
// below kTailSurvival, so the continuation misses at most the lives still running past it.
// The grid never exceeds kMaxSteps steps (the solve is O(n^2): about a second at the limit);
// a life too short for the span asked throws std::invalid_argument saying so. `poll` is called
// every few thousand grid rows (done, total); returning false throws core::Cancelled.
class RenewalFunction {
public:
    static constexpr double kSettledLives = 40.0;
    static constexpr double kTailSurvival = 1e-12;
    static constexpr std::size_t kMaxSteps = std::size_t{1} << 15;
    RenewalFunction(Life life, double t_max, double steps_per_scale = 0.0, const core::Progress& poll = {});
    double operator()(double t) const;
    double t_max() const { return t_max_; }

private:
    Life life_;
    double t_max_;
    double step_ = 0.0;
    double solved_ = 0.0;    // the grid covers [0, solved_]
    double slope_ = 0.0;     // 1 / mean life, the settled renewal density
    double m_solved_ = 0.0;  // M(solved_)
    std::vector<double> ratio_;  // M(t_i) / F(t_i) on the grid, ratio_[0] = 1
};

// Solution of the renewal equation by the midpoint scheme alone on n steps of h = t_max / n,
// M(0..n). Exposed for tests that check the order of convergence.
// n must be 1..2 kMaxSteps.
std::vector<double> renewal_grid(const Life& life, double t_max, std::size_t n, const core::Progress& poll = {});

// Expected failures by service time t when, in addition, the item is renewed preventively at
// fixed times tau, 2 tau, ... (block replacement, Barlow & Proschan 1965, ch. 4):
// N(t) = floor(t / tau) M(tau) + M(t - floor(t / tau) tau). tau <= 0 means no preventive renewal.
double expected_failures(const RenewalFunction& m, double tau, double t);

}  // namespace trustcost::lcc
