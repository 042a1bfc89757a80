// Distributions and counter-based random streams.
#include <cmath>
#include <stdexcept>

#include "catch.hpp"
#include "trustcost/stats/distributions.hpp"
#include "trustcost/stats/random.hpp"

using trustcost::stats::Distribution;
using trustcost::stats::Stream;

TEST_CASE("quantiles match closed forms") {
    const auto w = Distribution::weibull(1.7, 5.0);
    CHECK(w.quantile(0.3) == Approx(5.0 * std::pow(-std::log(0.7), 1 / 1.7)));
    const auto t = Distribution::triangular(0, 1, 4);
    CHECK(t.quantile(0.25) == Approx(1.0));  // F(mode) = (mode - low) / (high - low)
    const auto ln = Distribution::lognormal_from_median_p90(100, 250);
    CHECK(ln.quantile(0.5) == Approx(100));
    CHECK(ln.quantile(0.9) == Approx(250));
    const auto l2 = Distribution::lognormal(50, 20);
    CHECK(l2.mean() == Approx(50));
    CHECK(std::sqrt(l2.variance()) == Approx(20));
}

TEST_CASE("PERT mean is (low + 4 mode + high) / 6") {
    const auto p = Distribution::pert(2, 3, 10);
    CHECK(p.mean() == Approx((2 + 4 * 3 + 10) / 6.0));
}

TEST_CASE("truncated normal stays inside its bounds and its cdf inverts its quantile") {
    const auto n = Distribution::normal(0, 1, 2.5, 3.0);
    for (double u : {1e-9, 0.1, 0.5, 0.9, 1 - 1e-9}) {
        const double x = n.quantile(u);
        CHECK(x >= 2.5);
        CHECK(x <= 3.0);
        CHECK(n.cdf(x) == Approx(u).margin(1e-9));
    }
}

TEST_CASE("streams are pure functions of seed, stream and index") {
    const Stream a(7, 1), b(7, 1), c(7, 2), d(8, 1);
    CHECK(a.uniform(12345) == b.uniform(12345));
    CHECK(a.uniform(12345) != c.uniform(12345));
    CHECK(a.uniform(12345) != d.uniform(12345));
    double sum = 0;
    for (int i = 0; i < 100000; ++i) {
        const double u = a.uniform(i);
        REQUIRE(u > 0.0);
        REQUIRE(u < 1.0);
        sum += u;
    }
    CHECK(sum / 100000 == Approx(0.5).margin(5 * std::sqrt(1.0 / 12 / 100000)));
}

TEST_CASE("invalid parameters throw, naming the parameter") {
    CHECK_THROWS_WITH(Distribution::normal(0, -1, -INFINITY, INFINITY), "sd must be > 0, got -1");
    CHECK_THROWS_WITH(Distribution::lognormal_from_median_p90(10, 5), "p90 must be > median, got p90=5 and median=10");
    CHECK_THROWS_AS(Distribution::triangular(1, 0, 2), std::invalid_argument);
    CHECK_THROWS_AS(Distribution::empirical({}), std::invalid_argument);
}

TEST_CASE("restore rebuilds every family from its state, and validates the state") {
    using trustcost::stats::family_from_name;
    using trustcost::stats::family_name;
    const Distribution all[] = {Distribution::fixed(2), Distribution::uniform(1, 3), Distribution::triangular(0, 1, 4),
                                Distribution::pert(0, 1, 4, 6), Distribution::normal(1, 2, 0, 9),
                                Distribution::lognormal(5, 2), Distribution::gamma(0.5, 2),
                                Distribution::beta(2, 3, 1, 5), Distribution::weibull(1.5, 3),
                                Distribution::empirical({3, 1, 2})};
    const Stream s(11, 4);
    for (const auto& d : all) {
        const auto back = Distribution::restore(family_from_name(family_name(d.family())), d.parameters(), d.samples());
        CHECK(back == d);
        CHECK(back.sample(s) == d.sample(s));
    }
    CHECK_THROWS_AS(Distribution::restore(trustcost::stats::Family::Gamma, {1.0}, {}), std::invalid_argument);
    CHECK_THROWS_AS(Distribution::restore(trustcost::stats::Family::LogNormal, {0.0, -1.0}, {}), std::invalid_argument);
    CHECK_THROWS_AS(Distribution::restore(trustcost::stats::Family::Empirical, {}, {}), std::invalid_argument);
    CHECK_THROWS_AS(family_from_name("Cauchy"), std::invalid_argument);
}
