// The vector kernels of the Monte Carlo against scalar references: the uniforms of
// stats::Stream, libm's log and exp, Boost's normal quantile, and block-replacement renewal
// written out one life at a time. Every build this CPU runs is checked.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "catch.hpp"
#include "trustcost/stats/random.hpp"
#include "trustcost/uncertainty/lanes.hpp"
#include "trustcost/uncertainty/sampling.hpp"
#include "trustcost/stats/distributions.hpp"

using namespace trustcost;
using uncertainty::lanes::Kernels;

namespace {

std::vector<const Kernels*> builds() {
    std::vector<const Kernels*> out;
    for (const char* name : {"avx512", "avx2", "portable"})
        if (const Kernels* k = uncertainty::lanes::kernels_for(name)) out.push_back(k);
    return out;
}

// Block replacement renewal, one life at a time, as the expected-value model describes it.
double renewal_reference(const stats::Stream& s, double scale, double tau, double service, double shape,
                         const std::vector<double>& weight) {
    double renewed = 0.0, next_block = tau > 0 ? tau : std::numeric_limits<double>::infinity(), acc = 0.0;
    for (std::uint64_t k = 0;; ++k) {
        const double failure = renewed + scale * std::pow(-std::log(s.uniform(k)), 1.0 / shape);
        if (failure >= next_block) {
            renewed = next_block;
            next_block += tau;
            if (renewed >= service) return acc;
            continue;
        }
        if (failure > service) return acc;
        acc += weight[static_cast<std::size_t>(std::max(1.0, std::ceil(failure)))];
        renewed = failure;
    }
}

}  // namespace

TEST_CASE("the portable build is always there, and kernels() picks a build this CPU runs") {
    REQUIRE(uncertainty::lanes::kernels_for("portable") != nullptr);
    REQUIRE(uncertainty::lanes::kernels_for("sse9") == nullptr);
    const std::string chosen = uncertainty::lanes::kernels().name;
    REQUIRE(uncertainty::lanes::kernels_for(chosen) != nullptr);
}

TEST_CASE("vector uniforms are exactly the scalar Stream's, on every build and ragged length") {
    const stats::Stream stream(42, stats::stream_id("repair"));
    for (const Kernels* k : builds()) {
        INFO(k->name);
        for (std::size_t n : {1u, 7u, 8u, 13u, 1000u}) {
            std::vector<double> u(n);
            for (std::uint64_t index : {0u, 3u}) {
                k->uniforms(stream.key(), 5000, n, index, u.data());
                for (std::size_t j = 0; j < n; ++j) REQUIRE(u[j] == stream.substream(5000 + j).uniform(index));
            }
        }
    }
}

TEST_CASE("vector log and exp agree with libm to a few ulps") {
    std::vector<double> x;
    for (int i = 1; i <= 1001; ++i) x.push_back(std::ldexp(1.0 + i / 1001.0, i % 200 - 100));
    for (const Kernels* k : builds()) {
        INFO(k->name);
        auto y = x;
        k->log(y.data(), y.size());
        for (std::size_t j = 0; j < x.size(); ++j) REQUIRE(std::abs(y[j] - std::log(x[j])) <= 4e-16 * std::max(1.0, std::abs(y[j])));
        auto z = y;
        for (auto& v : z) v *= 0.9;
        auto e = z;
        k->exp(e.data(), e.size());
        for (std::size_t j = 0; j < z.size(); ++j) {
            INFO("x = " << z[j] << ", vector " << e[j] << ", libm " << std::exp(z[j]));
            REQUIRE(std::abs(e[j] / std::exp(z[j]) - 1.0) <= 4.5e-16);
        }
    }
}

TEST_CASE("floor_quotient is floor(x / d) exactly, ragged lengths included") {
    std::vector<double> x;
    for (int i = 0; i < 1003; ++i) x.push_back(-0.05 * i + (i % 7 == 0 ? 0.0 : 1e-3 * i));
    for (const Kernels* k : builds()) {
        INFO(k->name);
        for (double d : {-0.0408219945, -1.0, 0.3}) {
            auto y = x;
            k->floor_quotient(y.data(), y.size(), d);
            for (std::size_t j = 0; j < x.size(); ++j) REQUIRE(y[j] == std::floor(x[j] / d));
        }
    }
}

TEST_CASE("AS 241 normal quantile agrees with Boost.Math to 1e-15 across the body and both tails") {
    // Wichura (1988) reports PPND16 accurate to about 1 part in 1e16; allow a few ulps more.
    const boost::math::normal_distribution<> z;
    std::vector<double> p;
    for (double q : {1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.0749, 0.075, 0.0751, 0.3, 0.5}) {
        p.push_back(q);
        p.push_back(1.0 - q == 1.0 ? 0.5 : 1.0 - q);
    }
    const stats::Stream s(7, 1);
    for (int i = 0; i < 2000; ++i) p.push_back(s.uniform(i));
    for (const Kernels* k : builds()) {
        INFO(k->name);
        auto x = p;
        k->normal_quantile(x.data(), x.size());
        for (std::size_t j = 0; j < p.size(); ++j) {
            INFO("p = " << p[j]);
            const double expected = boost::math::quantile(z, p[j]);
            REQUIRE(std::abs(x[j] - expected) <= 1e-15 * std::max(1.0, std::abs(expected)));
        }
    }
    // Symmetry: Phi^-1(1 - p) = -Phi^-1(p) where 1 - p is exact.
    std::vector<double> a{0.125, 0.875, 0.01171875, 0.98828125};
    uncertainty::lanes::kernels().normal_quantile(a.data(), a.size());
    REQUIRE(a[0] == -a[1]);
    REQUIRE(a[2] == -a[3]);
}

TEST_CASE("vector renewal matches the one-life-at-a-time reference path by path") {
    const stats::Stream stream(3, stats::stream_id("breakdowns"));
    const std::size_t n = 1001;  // not a multiple of any width: idle lanes at the end
    std::vector<double> weight(12);
    for (std::size_t a = 0; a < weight.size(); ++a) weight[a] = std::pow(1.04, -static_cast<double>(a)) * (1.0 + 0.01 * a);
    struct Case { double shape, tau; };
    for (const Case c : {Case{2.2, 3.0}, Case{1.0, 0.0}, Case{0.7, 0.0}, Case{3.0, 1.5}}) {
        std::vector<double> scale(n), tau(n, c.tau), service(n);
        for (std::size_t j = 0; j < n; ++j) {
            scale[j] = 0.5 + 4.0 * stream.substream(j).uniform(99);  // a different scale on each path
            service[j] = j % 3 == 0 ? 7.5 : 11.0;
        }
        for (const Kernels* k : builds()) {
            INFO(k->name << " shape " << c.shape << " tau " << c.tau);
            std::vector<double> out(n, -1.0);
            const uncertainty::lanes::Renewal job{stream.key(), 0, n, scale.data(), tau.data(), service.data(),
                                                  1.0 / c.shape, weight.data(), weight.size()};
            REQUIRE(k->renewal(job, out.data()));
            for (std::size_t j = 0; j < n; ++j) {
                const double expected = renewal_reference(stream.substream(j), scale[j], c.tau, service[j], c.shape, weight);
                REQUIRE(std::abs(out[j] - expected) <= 1e-12 * std::max(1.0, expected));
            }
        }
    }
}

TEST_CASE("block sampling gives each path the draw Distribution::sample gives it") {
    using stats::Distribution;
    const stats::Stream stream(11, stats::stream_id("service.amount"));
    const std::vector<Distribution> families{
        Distribution::fixed(3.0), Distribution::uniform(-1.0, 4.0), Distribution::triangular(1.0, 2.0, 7.0),
        Distribution::normal(10.0, 2.0, -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()),
        Distribution::normal(10.0, 2.0, 9.0, 20.0), Distribution::lognormal_from_median_p90(6500.0, 15000.0),
        Distribution::gamma(2.5, 3.0), Distribution::gamma(0.5, 3.0), Distribution::beta(2.0, 5.0, 1.0, 3.0),
        Distribution::beta(0.7, 5.0), Distribution::pert(0.12, 0.16, 0.26), Distribution::weibull(1.5, 2.0),
        Distribution::empirical({1.0, 5.0, 2.0, 9.0})};
    const std::size_t n = 2001;
    std::vector<double> x(n);
    for (const auto& d : families) {
        INFO(stats::family_name(d.family()));
        uncertainty::sample_paths(d, stream, 70000, n, x.data());
        for (std::size_t j = 0; j < n; ++j) {
            const double expected = d.sample(stream.substream(70000 + j));
            REQUIRE(std::abs(x[j] - expected) <= 1e-13 * std::max(1.0, std::abs(expected)));
        }
    }
}
