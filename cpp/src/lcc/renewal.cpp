#include "trustcost/lcc/renewal.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/weibull.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "trustcost/core/errors.hpp"

namespace trustcost::lcc {

using core::invalid;

void require_life(const Life& life) {
    core::require_positive(life.shape, "shape");
    core::require_positive(life.scale, "scale");
}

double life_cdf(const Life& life, double t) {
    if (t <= 0.0) return 0.0;
    return boost::math::cdf(boost::math::weibull_distribution<double>(life.shape, life.scale), t);
}

double mean_life(const Life& life) { return life.scale * boost::math::tgamma(1.0 + 1.0 / life.shape); }

std::vector<double> renewal_grid(const Life& life, double t_max, std::size_t n, const core::Progress& poll) {
    require_life(life);
    core::require_positive(t_max, "t_max");
    if (n < 1 || n > 2 * RenewalFunction::kMaxSteps)
        throw invalid("n must be 1..", 2 * RenewalFunction::kMaxSteps, " grid steps, got ", n);
    const double h = t_max / static_cast<double>(n);
    // F at grid points and at midpoints (k + 1/2) h.
    std::vector<double> f(n + 1), f_mid(n), dm(n + 1, 0.0), m(n + 1, 0.0);
    for (std::size_t k = 0; k <= n; ++k) f[k] = life_cdf(life, static_cast<double>(k) * h);
    for (std::size_t k = 0; k < n; ++k) f_mid[k] = life_cdf(life, (static_cast<double>(k) + 0.5) * h);
    std::vector<double> reversed(f_mid.rbegin(), f_mid.rend());  // reversed[n - 1 - k] = f_mid[k]
    const double denominator = 1.0 - f_mid[0];
    for (std::size_t i = 1; i <= n; ++i) {
        if (poll && i % 2048 == 0 && !poll(i, n)) throw core::Cancelled{};
        // sum_{j=1}^{i-1} F((i - j + 1/2) h) dM_j, with f_mid stored reversed so both run forward;
        // four partial sums let the compiler vectorise (the order is fixed, so results are too).
        const double* a = reversed.data() + (n - i);  // a[j - 1] = f_mid[i - j]
        const double* b = dm.data() + 1;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        std::size_t j = 0;
        const std::size_t len = i - 1;
        for (; j + 4 <= len; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < len; ++j) s0 += a[j] * b[j];
        m[i] = (f[i] - f_mid[0] * m[i - 1] + ((s0 + s1) + (s2 + s3))) / denominator;
        dm[i] = m[i] - m[i - 1];
    }
    return m;
}

RenewalFunction::RenewalFunction(Life life, double t_max, double steps_per_scale, const core::Progress& poll)
    : life_(life), t_max_(t_max) {
    require_life(life);
    core::require_non_negative(t_max, "t_max");
    if (std::isnan(steps_per_scale)) throw invalid("steps_per_scale must be a number, got nan");
    if (life.shape == 1.0 || t_max == 0.0) return;  // exact closed form, no grid
    // With a rising hazard the renewal density settles at 1/mean within a few lives (Cox 1962,
    // §4.4; the gap decays exponentially); with a falling one, once nearly every first life has
    // ended. Past that M grows linearly, so the O(n^2) solve need not cover the whole horizon.
    const double mean = mean_life(life);
    const double settled = life.shape > 1.0 ? kSettledLives * mean
                                            : life.scale * std::pow(-std::log(kTailSurvival), 1.0 / life.shape);
    solved_ = std::min(t_max, settled);
    slope_ = 1.0 / mean;
    if (!std::isfinite(slope_) || slope_ <= 0.0)
        throw invalid("the mean life of Weibull(shape=", life.shape, ", scale=", life.scale, ") is ", mean,
                      ": outside the range a renewal function can be computed for");
    // Resolution follows the width of the density: about scale / shape for large shapes.
    if (steps_per_scale <= 0.0) steps_per_scale = life.shape < 1.0 ? 32.0 : 10.0 * life.shape;
    const double steps = std::max(32.0, std::ceil(solved_ / life.scale * steps_per_scale));
    if (!(steps <= static_cast<double>(kMaxSteps)))
        throw invalid("the renewal function of Weibull(shape=", life.shape, ", scale=", life.scale, ") up to t=",
                      solved_, " needs ", steps, " grid steps, more than the limit of ", kMaxSteps,
                      ": the life is too short (or too sharply peaked) for the span asked; use a longer scale, a "
                      "smaller shape, or an Exponential life");
    const auto n = static_cast<std::size_t>(steps);
    step_ = solved_ / static_cast<double>(n);
    const auto coarse = renewal_grid(life, solved_, n, poll);
    const auto fine = renewal_grid(life, solved_, 2 * n, poll);
    ratio_.resize(n + 1);
    ratio_[0] = 1.0;
    for (std::size_t i = 1; i <= n; ++i) {
        const double m = (4.0 * fine[2 * i] - coarse[i]) / 3.0;  // Richardson: error O(h^2) cancels
        const double f = life_cdf(life, static_cast<double>(i) * step_);
        ratio_[i] = f > 0.0 ? m / f : 1.0;
    }
    m_solved_ = ratio_[n] * life_cdf(life, solved_);
}

double RenewalFunction::operator()(double t) const {
    if (t <= 0.0) return 0.0;
    if (t > t_max_ * (1.0 + 1e-12)) throw invalid("t must be <= t_max = ", t_max_, ", got ", t);
    if (ratio_.empty()) return t / life_.scale;
    if (t > solved_) return m_solved_ + (t - solved_) * slope_;
    const std::size_t n = ratio_.size() - 1;
    const double x = std::min(t / step_, static_cast<double>(n));
    const auto i = std::min(static_cast<std::size_t>(x), n - 1);
    const double u = x - static_cast<double>(i);
    // Cubic Hermite with centred-difference slopes (one-sided at the ends).
    auto slope = [&](std::size_t k) {
        if (k == 0) return ratio_[1] - ratio_[0];
        if (k == n) return ratio_[n] - ratio_[n - 1];
        return 0.5 * (ratio_[k + 1] - ratio_[k - 1]);
    };
    const double p0 = ratio_[i], p1 = ratio_[i + 1], d0 = slope(i), d1 = slope(i + 1);
    const double u2 = u * u, u3 = u2 * u;
    const double ratio = (2 * u3 - 3 * u2 + 1) * p0 + (u3 - 2 * u2 + u) * d0 + (-2 * u3 + 3 * u2) * p1 +
                         (u3 - u2) * d1;
    return ratio * life_cdf(life_, t);
}

double expected_failures(const RenewalFunction& m, double tau, double t) {
    if (t <= 0.0) return 0.0;
    if (tau <= 0.0) return m(t);
    const double cycles = std::floor(t / tau);
    // M is built up to min(tau, service): no full cycle, no M(tau) (an interval longer than the service).
    return (cycles > 0 ? cycles * m(tau) : 0.0) + m(std::min(t - cycles * tau, tau));
}

}  // namespace trustcost::lcc
