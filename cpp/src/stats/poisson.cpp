#include "trustcost/stats/poisson.hpp"

#include <cmath>

#include <boost/math/distributions/poisson.hpp>

#include "trustcost/core/errors.hpp"

namespace trustcost::stats {

PoissonQuantile::PoissonQuantile(double mean) : mean_(mean) {
    if (!(mean >= 0.0 && mean <= 1e12)) throw core::invalid("mean must be in [0, 1e12], got ", mean);
    if (mean == 0.0) return;
    if (mean < 30.0) {
        pmf0_ = cdf0_ = std::exp(-mean);
    } else {
        const boost::math::poisson_distribution<> d(mean);
        k0_ = std::floor(mean), pmf0_ = boost::math::pdf(d, k0_), cdf0_ = boost::math::cdf(d, k0_);
    }
}

double PoissonQuantile::operator()(double u) const {
    if (!(u > 0.0 && u < 1.0)) throw core::invalid("u must be in (0, 1), got ", u);
    if (mean_ == 0.0) return 0.0;
    double k = k0_, pmf = pmf0_, cdf = cdf0_;
    // Down while the CDF one step lower still reaches u.
    while (k > 0.0 && cdf - pmf >= u) {
        cdf -= pmf;
        pmf *= k / mean_;
        k -= 1.0;
    }
    // Up until the CDF reaches u; a pmf too small to move the CDF ends the walk (u within
    // rounding of 1).
    while (cdf < u) {
        k += 1.0;
        pmf *= mean_ / k;
        if (pmf <= cdf * 0x1p-60) break;
        cdf += pmf;
    }
    return k;
}

}  // namespace trustcost::stats
