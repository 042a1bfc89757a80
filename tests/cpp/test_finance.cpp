// Finance engine: discount factors, NIST factors and cash-flow measures.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "catch.hpp"
#include "trustcost/core/parallel.hpp"
#include "trustcost/finance/discount.hpp"
#include "trustcost/finance/measures.hpp"

using namespace trustcost::finance;

namespace {
double npv1(double rate, const std::vector<double>& v, Timing timing = Timing::End) {
    double out;
    npv({v.data(), 1, v.size()}, &rate, 1, timing, &out);
    return out;
}
double irr1(const std::vector<double>& v) {
    double out;
    irr({v.data(), 1, v.size()}, &out);
    return out;
}
}  // namespace

TEST_CASE("compound-interest table values (Newnan, Engineering Economic Analysis, App. C)") {
    CHECK(spv(0.10, 10) == Approx(0.3855).margin(5e-5));      // P/F 10%, 10
    CHECK(upv(0.10, 10) == Approx(6.1446).margin(5e-5));      // P/A 10%, 10
    CHECK(crf(0.10, 10) == Approx(0.16275).margin(5e-6));     // A/P 10%, 10
    CHECK(upv(0.07, 20) == Approx(10.5940).margin(5e-5));     // P/A 7%, 20
    CHECK(crf(0.07, 20) == Approx(0.09439).margin(5e-6));     // A/P 7%, 20
    CHECK(spv(0.05, 20) == Approx(0.3769).margin(5e-5));      // P/F 5%, 20
}

TEST_CASE("UPV* equals the direct sum of escalating, discounted payments") {
    for (double e : {-0.02, 0.0, 0.02, 0.03, 0.05}) {
        double sum = 0.0;
        for (int t = 1; t <= 25; ++t) sum += std::pow(1.0 + e, t) / std::pow(1.03, t);
        CHECK(upv(0.03, 25, e) == Approx(sum).epsilon(1e-13));
    }
    // d == e: each payment is worth exactly 1 today.
    CHECK(upv(0.04, 12, 0.04) == Approx(12.0).epsilon(1e-14));
}

TEST_CASE("mid-year and beginning-of-year timing shift the factors") {
    double mid = 0.0;
    for (int t = 1; t <= 10; ++t) mid += std::pow(1.03, -(t - 0.5));
    CHECK(upv(0.03, 10, 0.0, Timing::Mid) == Approx(mid).epsilon(1e-13));
    CHECK(upv(0.03, 10, 0.0, Timing::Begin) == Approx(upv(0.03, 10) * 1.03).epsilon(1e-14));
    const auto f = discount_factors(0.05, 3, Timing::Mid);
    CHECK(f[0] == Approx(std::pow(1.05, -0.5)));
    CHECK(f[2] == Approx(std::pow(1.05, -2.5)));
    const auto c = discount_factors(0.05, 2, Timing::End, true);
    CHECK(c[1] == Approx(std::exp(-0.10)));
}

TEST_CASE("crf and upv are reciprocal; crf(0) = 1/n") {
    for (double d : {0.0, 1e-9, 0.01, 0.07, 0.5}) CHECK(crf(d, 17) * upv(d, 17) == Approx(1.0).epsilon(1e-12));
    CHECK(crf(0.0, 8) == Approx(0.125));
}

TEST_CASE("real and nominal rates follow the Fisher relation") {
    CHECK(real_rate(0.05, 0.02) == Approx(1.05 / 1.02 - 1));
    CHECK(nominal_rate(real_rate(0.07, 0.03), 0.03) == Approx(0.07).epsilon(1e-14));
}

TEST_CASE("npv: numpy-financial's documented example") {
    CHECK(npv1(0.08, {-40000, 5000, 8000, 12000, 30000}) == Approx(3065.22).epsilon(1e-6));
}

TEST_CASE("npv batch with one rate per row equals row-by-row") {
    const std::vector<double> v = {-100, 50, 60, -10, 20, 30, 5, 5, 5};
    const std::vector<double> rates = {0.05, 0.1, -0.2};
    std::vector<double> out(3);
    npv({v.data(), 3, 3}, rates.data(), 3, Timing::End, out.data());
    for (int i = 0; i < 3; ++i)
        CHECK(out[i] == Approx(npv1(rates[i], {v[3 * i], v[3 * i + 1], v[3 * i + 2]})));
}

TEST_CASE("irr: numpy-financial's documented examples") {
    CHECK(irr1({-100, 39, 59, 55, 20}) == Approx(0.28095).margin(5e-6));
    CHECK(irr1({-100, 0, 0, 74}) == Approx(-0.0955).margin(5e-5));
    CHECK(irr1({-100, 100, 0, -7}) == Approx(-0.0833).margin(5e-5));   // two roots: closest to 0
    CHECK(irr1({-100, 100, 0, 7}) == Approx(0.06206).margin(5e-6));
    CHECK(irr1({-5, 10.5, 1, -8, 1}) == Approx(0.0886).margin(5e-5));
}

TEST_CASE("irr is a root of npv and NaN without a sign change") {
    const std::vector<double> v = {-1000, 120, 250, 300, 410, 180};
    const double r = irr1(v);
    CHECK(std::abs(npv1(r, v)) < 1e-9);
    CHECK(std::isnan(irr1({100, 20, 30})));
    CHECK(std::isnan(irr1({0, 0, 0})));
    CHECK(std::isnan(irr1({-5})));
    CHECK(irr1({0, -100, 110, 0}) == Approx(0.10));  // leading and trailing zeros carry no rate
}

TEST_CASE("irr_all lists every root") {
    // (1+r)^-k expansion of -(x - 1/1.1)(x - 1/1.2)(x - 1/1.3) * const: rates 10%, 20%, 30%.
    const double a = 1 / 1.1, b = 1 / 1.2, c = 1 / 1.3;
    const std::vector<double> v = {-a * b * c, a * b + b * c + a * c, -(a + b + c), 1.0};
    const auto roots = irr_all(v.data(), v.size());
    REQUIRE(roots.size() == 3);
    CHECK(roots[0] == Approx(0.1));
    CHECK(roots[1] == Approx(0.2));
    CHECK(roots[2] == Approx(0.3));
}

TEST_CASE("irr results do not depend on the thread count") {
    std::vector<double> v;
    for (int i = 0; i < 5000; ++i) {
        v.push_back(-1000.0 - i);
        for (int t = 1; t < 20; ++t) v.push_back(50.0 + (i * 37 + t * 11) % 200);
    }
    std::vector<double> one(5000), two(5000);
    trustcost::core::set_num_threads(1);
    irr({v.data(), 5000, 20}, one.data());
    trustcost::core::set_num_threads(2);
    irr({v.data(), 5000, 20}, two.data());
    CHECK(one == two);
}

TEST_CASE("xnpv and xirr on dated flows (Actual/365)") {
    // Excel's XIRR documentation example: -10000 on 2008-01-01, then four flows; XIRR = 0.373362535.
    const std::vector<double> amounts = {-10000, 2750, 4250, 3250, 2750};
    const std::vector<std::int64_t> days = {13879, 13939, 14182, 14290, 14335};  // days since 1970-01-01
    CHECK(xirr(amounts.data(), days.data(), 5) == Approx(0.373362535).epsilon(1e-8));
    CHECK(xnpv(0.09, amounts.data(), days.data(), 5) == Approx(2086.65).margin(0.005));  // Excel XNPV example
}

TEST_CASE("payback: simple, discounted and fractional") {
    const std::vector<double> v = {-100, 30, 40, 50};
    double out;
    payback({v.data(), 1, 4}, nullptr, false, &out);
    CHECK(out == 3.0);
    payback({v.data(), 1, 4}, nullptr, true, &out);
    CHECK(out == Approx(2.6));
    const double rate = 0.5;
    payback({v.data(), 1, 4}, &rate, false, &out);
    CHECK(std::isnan(out));
}

TEST_CASE("NIST SIR and AIRR conventions") {
    CHECK(sir(150, 100) == Approx(1.5));
    CHECK(std::isinf(sir(10, 0)));
    CHECK(std::isnan(sir(0, 0)));
    CHECK(std::isnan(sir(-5, -10)));
    // AIRR = (1 + r) SIR^(1/N) - 1 (NIST Handbook 135 eq. 6.9); SIR = 1 gives the reinvestment rate.
    CHECK(airr(1.0, 0.03, 20) == Approx(0.03));
    CHECK(airr(2.0, 0.03, 10) == Approx(1.03 * std::pow(2.0, 0.1) - 1));
}

TEST_CASE("bad input names the argument and the value") {
    double out;
    const std::vector<double> v = {-100, std::numeric_limits<double>::quiet_NaN(), 50};
    const double rate = 0.1;
    CHECK_THROWS_WITH(npv({v.data(), 1, 3}, &rate, 1, Timing::End, &out), "values[0, 1] must be finite, got nan");
    const double bad_rate = -1.5;
    const std::vector<double> ok = {1, 2};
    CHECK_THROWS_WITH(npv({ok.data(), 1, 2}, &bad_rate, 1, Timing::End, &out), "rate must be > -1, got -1.5");
    CHECK_THROWS_AS(crf(0.05, 0), std::invalid_argument);
    CHECK_THROWS_AS(upv(0.05, 10, -1.0), std::invalid_argument);
    CHECK_THROWS_AS(parse_timing("middle"), std::invalid_argument);
    const std::vector<std::int64_t> days = {10, 5};
    CHECK_THROWS_AS(xnpv(0.1, ok.data(), days.data(), 2), std::invalid_argument);
}
