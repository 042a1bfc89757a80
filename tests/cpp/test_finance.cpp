// Finance engine: discount factors, NIST factors and cash-flow measures.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

#include "catch.hpp"
#include "trustcost/core/parallel.hpp"
#include "trustcost/finance/annuity.hpp"
#include "trustcost/finance/discount.hpp"
#include "trustcost/finance/measures.hpp"
#include "trustcost/finance/roots.hpp"

using namespace trustcost::finance;

namespace {
double npv1(double rate, const std::vector<double>& v, Timing timing = Timing::End) {
    double out;
    npv({v.data(), 1, v.size()}, &rate, 1, timing, true, &out);
    return out;
}
double irr1(const std::vector<double>& v, unsigned max_iter = 100) {
    double out;
    IrrStatus status;
    irr({v.data(), 1, v.size()}, max_iter, std::numeric_limits<double>::quiet_NaN(), &out, &status);
    return out;
}
std::vector<double> roots_of(const std::vector<double>& v) { return irr_all(v.data(), v.size(), 100).rates; }
// NPV at r relative to the size of the discounted flows: ~ machine precision at a root.
double relative_npv(double r, const std::vector<double>& v) {
    double sum = 0, size = 0, f = 1;
    for (double x : v) {
        sum += x * f;
        size += std::abs(x * f);
        f /= 1 + r;
    }
    return std::abs(sum) / size;
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
    // With escalation the amounts are escalated to the same earlier time as they are discounted.
    CHECK(upv(0.03, 10, 0.02, Timing::Begin) == Approx(upv(0.03, 10, 0.02) * 1.03 / 1.02).epsilon(1e-13));
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
    npv({v.data(), 3, 3}, rates.data(), 3, Timing::End, true, out.data());
    for (int i = 0; i < 3; ++i)
        CHECK(out[i] == Approx(npv1(rates[i], {v[3 * i], v[3 * i + 1], v[3 * i + 2]})));
}

TEST_CASE("npv grid: every row at every rate, rate-major (numpy-financial's K x M)") {
    const std::vector<double> v = {-4000, 500, 800, -5000, 600, 900};
    const std::vector<double> rates = {0.0, 0.05, 0.10};
    std::vector<double> out(6);
    npv({v.data(), 2, 3}, rates.data(), 3, Timing::End, false, out.data());
    // numpy-financial's npv docstring: [[-2700, -3500], [-2798.19, -3612.24], [-2884.3, -3710.74]].
    const std::vector<double> expected = {-2700, -3500, -2798.19, -3612.24, -2884.30, -3710.74};
    for (int i = 0; i < 6; ++i) CHECK(out[i] == Approx(expected[i]).margin(0.005));
}

TEST_CASE("irr: numpy-financial's documented examples") {
    CHECK(irr1({-100, 39, 59, 55, 20}) == Approx(0.28095).margin(5e-6));
    CHECK(irr1({-100, 0, 0, 74}) == Approx(-0.0955).margin(5e-5));
    CHECK(irr1({-100, 100, 0, -7}) == Approx(-0.0833).margin(5e-5));   // two negative roots: closest to 0
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
    const auto roots = roots_of(v);
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
    for (int i = 0; i < 5000; i += 3) v[i * 20 + 7] = -900.0 - i;  // several sign changes in a third
    std::vector<double> one(5000), two(5000);
    std::vector<IrrStatus> status(5000);
    const double no_guess = std::numeric_limits<double>::quiet_NaN();
    trustcost::core::set_num_threads(1);
    irr({v.data(), 5000, 20}, 100, no_guess, one.data(), status.data());
    trustcost::core::set_num_threads(2);
    irr({v.data(), 5000, 20}, 100, no_guess, two.data(), status.data());
    CHECK(std::memcmp(one.data(), two.data(), one.size() * sizeof(double)) == 0);
}

TEST_CASE("xnpv and xirr on dated flows (Actual/365)") {
    // Excel's XIRR documentation example: -10000 on 2008-01-01, then four flows; XIRR = 0.373362535.
    const std::vector<double> amounts = {-10000, 2750, 4250, 3250, 2750};
    const std::vector<std::int64_t> days = {13879, 13939, 14182, 14290, 14335};  // days since 1970-01-01
    CHECK(xirr(amounts.data(), 5, days.data(), 5, DayCount::Act365F, 100, std::nan("")).rate ==
          Approx(0.373362535).epsilon(1e-8));
    CHECK(xnpv(0.09, amounts.data(), 5, days.data(), 5, DayCount::Act365F) == Approx(2086.65).margin(0.005));
    // Dates in any order: the flows are sorted first.
    const std::vector<double> shuffled_amounts = {3250, -10000, 2750, 2750, 4250};
    const std::vector<std::int64_t> shuffled_days = {14290, 13879, 14335, 13939, 14182};
    CHECK(xirr(shuffled_amounts.data(), 5, shuffled_days.data(), 5, DayCount::Act365F, 100, std::nan("")).rate ==
          Approx(0.373362535).epsilon(1e-8));
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
    CHECK_THROWS_WITH(npv({v.data(), 1, 3}, &rate, 1, Timing::End, true, &out), "values[0, 1] must be finite, got nan");
    const double bad_rate = -1.5;
    const std::vector<double> ok = {1, 2};
    CHECK_THROWS_WITH(npv({ok.data(), 1, 2}, &bad_rate, 1, Timing::End, true, &out), "rate must be > -1, got -1.5");
    CHECK_THROWS_AS(crf(0.05, 0), std::invalid_argument);
    CHECK_THROWS_AS(upv(0.05, 10, -1.0), std::invalid_argument);
    CHECK_THROWS_AS(parse_timing("middle"), std::invalid_argument);
    // Mismatched lengths are refused where the arithmetic is, not read out of bounds.
    const std::vector<double> four = {-100, 10, 20, 90};
    const std::vector<std::int64_t> one_day = {0};
    CHECK_THROWS_WITH(xnpv(0.05, four.data(), 4, one_day.data(), 1, DayCount::Act365F),
                      "amounts and dates must have the same length, got 4 amounts and 1 dates");
    CHECK_THROWS_AS(xirr(four.data(), 4, one_day.data(), 1, DayCount::Act365F, 100, 0.1), std::invalid_argument);
    CHECK_THROWS_AS(parse_day_count("act/365"), std::invalid_argument);
}

TEST_CASE("numpy-financial test_gh_15: a rate with 1 + r ~ 9.4e-10 is found and is a root") {
    const std::vector<double> v = {
        -3000.0, 2.3926932267015667e-07, 4.1672087103345505e-16, 5.3965110036378706e-25,
        5.1962551071806174e-34, 3.7202955645436402e-43, 1.9804961711632469e-52, 7.8393517651814181e-62,
        2.3072565113911438e-71, 5.0491839233308912e-81, 8.2159177668499263e-91, 9.9403244366963527e-101,
        8.942410813633967e-111, 5.9816122646481191e-121, 2.9750309031844241e-131, 1.1002067043497954e-141,
        3.0252876563518021e-152, 6.1854121948207909e-163, 9.4032980015353301e-174, 1.0629218520017728e-184,
        8.9337141847171845e-196, 5.5830607698467935e-207, 2.5943122036622652e-218, 8.9635842466507006e-230,
        2.3027710094332358e-241, 4.3987510596745562e-253, 6.2476630372575209e-265, 6.598046841695288e-277,
        5.1811095266842017e-289, 3.0250999925830644e-301, 1.3133070599585015e-313};
    const double r = irr1(v);
    CHECK(r == Approx(-0.9999999990596069).epsilon(1e-9));  // the value quoted in numpy-financial's test
    // Near r = -1 neighbouring doubles differ by 1e-16 in r but 1.2e-7 relative in 1 + r: the
    // returned rate is a root to working precision when the NPV (times (1+r)^n, to stay in
    // range) changes sign between the doubles around it.
    auto scaled_npv = [&](double rate) {
        double sum = 0;
        for (std::size_t k = 0; k < v.size(); ++k) sum += v[k] * std::pow(1 + rate, static_cast<double>(v.size() - 1 - k));
        return sum;
    };
    const double below = std::nextafter(r, -1.0), above = std::nextafter(r, 0.0);
    CHECK(scaled_npv(std::nextafter(below, -1.0)) * scaled_npv(std::nextafter(above, 0.0)) <= 0.0);
}

TEST_CASE("irr_all: deterministic, no NaN, with a subnormal last flow") {
    const std::vector<double> v = {-100, 230, -132, 4.9e-322};
    const auto a = roots_of(v), b = roots_of(v);
    CHECK(a == b);
    REQUIRE(a.size() >= 2);
    for (double r : a) CHECK(std::isfinite(r));
    CHECK(a[a.size() - 2] == Approx(0.1));
    CHECK(a.back() == Approx(0.2));
}

TEST_CASE("irr picks numpy-financial's default among several rates") {
    CHECK(irr1({-100, 230, -132}) == Approx(0.1));                    // both >= 0: the smaller
    CHECK(irr1({-5, 10.5, 1, -8, 1}) == Approx(0.08859834).epsilon(1e-7));  // -0.87 dropped: mixed signs
    CHECK(irr1({-1678.87, 771.96, 1814.05, 3520.30, 3552.95, 3584.99, 4789.91, -1}) ==
          Approx(1.00426).margin(1e-4));                               // numpy-financial test_gh_44
    CHECK(select_rate({-0.5, -0.1}) == -0.1);
    CHECK(select_rate({-0.01, 0.3, 0.2}) == 0.2);
    CHECK(nearest_rate({0.1, 0.2}, 0.19) == 0.2);
}

TEST_CASE("VCA isolation finds close and far roots of a product of known factors") {
    // (x - a)(x - b)(x - c)(x - d) in x = 1/(1+r), rates -50%, 1%, 1.1%, 900%.
    const std::vector<double> rates = {-0.5, 0.01, 0.011, 9.0};
    std::vector<double> c = {1.0};
    for (double r : rates) {  // multiply by (x - 1/(1+r))
        const double root = 1.0 / (1.0 + r);
        std::vector<double> next(c.size() + 1, 0.0);
        for (std::size_t k = 0; k < c.size(); ++k) {
            next[k + 1] += c[k];
            next[k] -= root * c[k];
        }
        c = next;
    }
    const auto found = roots_of(c);
    REQUIRE(found.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) CHECK(found[i] == Approx(rates[i]).epsilon(1e-9));
    for (double r : found) CHECK(relative_npv(r, c) < 1e-12);
}

TEST_CASE("a solve that reaches max_iter gives NaN, never a non-root") {
    CHECK(std::isnan(irr1({-40000, 5000, 8000, 12000, 30000}, 1)));
    CHECK(irr_all(std::vector<double>{-40000, 5000, 8000, 12000, 30000}.data(), 5, 1).converged == false);
}

TEST_CASE("dated flows: all roots on the whole line, same choice as irr on yearly dates") {
    const std::vector<double> a = {-100, 230, -132};
    const std::vector<std::int64_t> yearly = {0, 365, 730};
    const auto r = xirr(a.data(), 3, yearly.data(), 3, DayCount::Act365F, 100, std::nan(""));
    CHECK(r.rate == Approx(irr1(a)).epsilon(1e-12));
    // Non-integer times: two roots near 10% and 20% on either side of the same choice.
    const std::vector<std::int64_t> leap = {0, 366, 731};
    const auto all = xirr_all(a.data(), 3, leap.data(), 3, DayCount::Act365F, 100);
    REQUIRE(all.rates.size() == 2);
    for (double rate : all.rates)
        CHECK(std::abs(xnpv(rate, a.data(), 3, leap.data(), 3, DayCount::Act365F)) < 1e-10 * 462);
    // Leading and trailing zeros change nothing.
    const std::vector<double> padded = {0, -100, 230, -132, 0};
    const std::vector<std::int64_t> padded_days = {-30, 0, 366, 731, 800};
    CHECK(xirr_all(padded.data(), 5, padded_days.data(), 5, DayCount::Act365F, 100).rates == all.rates);
}

TEST_CASE("30/360 day count (US bond basis): a 360-day year between month ends") {
    // 2019-01-31 -> 2020-01-31 is one 30/360 year; 1100 after one year at 10% has NPV 1000.
    const std::vector<double> a = {-1000, 1100};
    const std::vector<std::int64_t> days = {17927, 18292};
    CHECK(xirr(a.data(), 2, days.data(), 2, DayCount::Thirty360, 100, std::nan("")).rate == Approx(0.1));
    CHECK(xnpv(0.1, a.data(), 2, days.data(), 2, DayCount::Act360) == Approx(1100 / std::pow(1.1, 365.0 / 360) - 1000));
}

TEST_CASE("annuities: numpy-financial's test values") {
    CHECK(pv(0.07, 20, 12000, 0, 0) == Approx(-127128.17).margin(0.005));
    CHECK(fv(0.075, 20, -2000, 0, 0) == Approx(86609.362673042924).epsilon(1e-10));
    CHECK(fv(0.075, 20, -2000, 0, 1) == Approx(93105.064874).epsilon(1e-10));
    CHECK(pmt(0.08 / 12, 60, 15000, 0, 0) == Approx(-304.145914).epsilon(1e-8));
    CHECK(pmt(0.0, 60, 15000, 0, 0) == Approx(-250.0));
    CHECK(nper(0.075, -2000, 0, 100000, 0) == Approx(21.544944).epsilon(1e-6));
    CHECK(std::isinf(nper(0.0, -0.0, 1000, 0, 0)));
    CHECK(ipmt(0.1 / 12, 1, 24, 2000, 0, 0) == Approx(-16.666667).epsilon(1e-6));
    CHECK(ipmt(0.1 / 12, 1, 24, 2000, 0, 1) == 0.0);
    CHECK(std::isnan(ipmt(0.1 / 12, 0, 24, 2000, 0, 0)));
    CHECK(ppmt(0.1 / 12, 1, 60, 55000, 0, 0) == Approx(-710.254126).epsilon(1e-9));
    CHECK(ppmt(0.1 / 12, 1, 60, 55000, 0, 1) == Approx(-1158.929712).epsilon(1e-9));
    const auto r = rate(10, 0, -3500, 10000, 0, 0.1, 1e-6, 100);
    CHECK(r.converged);
    CHECK(r.rate == Approx(0.1107).margin(5e-5));
    CHECK_FALSE(rate(12, 400, 10000, 5000, 0, 0.1, 1e-6, 100).converged);  // no feasible rate
}

TEST_CASE("annuity batch validates every element and names it") {
    const std::vector<double> r = {0.05, -1.5}, n = {10, 10}, p = {-100, -100}, f = {0, 0}, w = {0, 0};
    const double* args[5] = {r.data(), n.data(), p.data(), f.data(), w.data()};
    const std::size_t steps[5] = {1, 1, 1, 1, 1};
    std::vector<double> out(2);
    CHECK_THROWS_WITH(annuity(Annuity::PV, args, steps, 2, out.data()), "rate[1] must be > -1, got -1.5");
    const std::vector<double> ok_rate = {0.05, 0.05}, bad_when = {0, 2};
    const double* args2[5] = {ok_rate.data(), n.data(), p.data(), f.data(), bad_when.data()};
    CHECK_THROWS_WITH(annuity(Annuity::PV, args2, steps, 2, out.data()), "when[1] must be 0 ('end') or 1 ('begin'), got 2");
    // A step of 0 reuses one value for every element (a broadcast scalar).
    const double rate_once = 0.07, n_once = 20, pmt_once = 12000, fv_once = 0, end_once = 0;
    const double* scalars[5] = {&rate_once, &n_once, &pmt_once, &fv_once, &end_once};
    const std::size_t zero_steps[5] = {0, 0, 0, 0, 0};
    annuity(Annuity::PV, scalars, zero_steps, 2, out.data());
    CHECK(out[0] == out[1]);
    CHECK(out[1] == Approx(-127128.17).margin(0.005));
}

namespace {
// Relative to `scale` where the value is a difference of larger terms (ppmt = pmt - ipmt).
bool close(double a, double b, double rel, double scale = 0.0) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b)) return a == b;
    return std::abs(a - b) <= rel * std::max({std::abs(a), std::abs(b), scale}) + 1e-300;
}
}  // namespace

TEST_CASE("annuity batches agree with the one-element functions on a grid of edge cases") {
    // Independent paths: the batch runs column loops over vector log1p/expm1/exp/log, the
    // one-element functions std::log1p/exp/expm1/log; zero and negative rates, long terms,
    // payments at the beginning, per < 1 and per = 1 included.
    std::vector<double> r, n, per, p, present, future, w;
    for (double rate : {-0.6, -0.05, -1e-9, 0.0, 1e-12, 0.004, 0.08, 0.9})
        for (double periods : {0.5, 1.0, 12.0, 360.0, 1000.0})
            for (double k : {0.0, 1.0, 2.0, 0.5 * periods + 1.0})
                for (double when : {0.0, 1.0}) {
                    r.push_back(rate), n.push_back(periods), per.push_back(k), w.push_back(when);
                    p.push_back(-150.0 + 7.0 * k), present.push_back(20000.0 - 300.0 * k), future.push_back(rate < 0 ? 10.0 : -500.0);
                }
    const std::size_t size = r.size(), ones[6] = {1, 1, 1, 1, 1, 1};
    std::vector<double> out(size);
    struct Case {
        Annuity kind;
        std::vector<const double*> args;
    };
    const Case cases[] = {{Annuity::FV, {r.data(), n.data(), p.data(), present.data(), w.data()}},
                          {Annuity::PV, {r.data(), n.data(), p.data(), future.data(), w.data()}},
                          {Annuity::PMT, {r.data(), n.data(), present.data(), future.data(), w.data()}},
                          {Annuity::NPER, {r.data(), p.data(), present.data(), future.data(), w.data()}},
                          {Annuity::IPMT, {r.data(), per.data(), n.data(), present.data(), future.data(), w.data()}},
                          {Annuity::PPMT, {r.data(), per.data(), n.data(), present.data(), future.data(), w.data()}}};
    for (const auto& c : cases) {
        annuity(c.kind, c.args.data(), ones, size, out.data());
        for (std::size_t i = 0; i < size; ++i) {
            const double* a[6];
            for (std::size_t j = 0; j < c.args.size(); ++j) a[j] = c.args[j] + i;
            double one = 0, scale = 0;
            switch (c.kind) {
                case Annuity::FV: one = fv(*a[0], *a[1], *a[2], *a[3], *a[4]); break;
                case Annuity::PV: one = pv(*a[0], *a[1], *a[2], *a[3], *a[4]); break;
                case Annuity::PMT: one = pmt(*a[0], *a[1], *a[2], *a[3], *a[4]); break;
                case Annuity::NPER: one = nper(*a[0], *a[1], *a[2], *a[3], *a[4]); break;
                case Annuity::IPMT: one = ipmt(*a[0], *a[1], *a[2], *a[3], *a[4], *a[5]); break;
                case Annuity::PPMT:
                    one = ppmt(*a[0], *a[1], *a[2], *a[3], *a[4], *a[5]);
                    scale = std::abs(pmt(*a[0], *a[2], *a[3], *a[4], *a[5]));
                    break;
            }
            INFO("kind " << static_cast<int>(c.kind) << " element " << i << ": " << out[i] << " vs " << one);
            CHECK(close(out[i], one, 1e-11, scale));
        }
    }
    // rate: the batch walks Newton's stages for many elements at once; same answers and flags.
    std::vector<double> rates(size);
    std::vector<std::uint8_t> ok(size);
    const double* rate_args[5] = {n.data(), p.data(), present.data(), future.data(), w.data()};
    rate(rate_args, ones, size, 0.1, 1e-6, 100, rates.data(), ok.data());
    std::size_t found = 0;
    for (std::size_t i = 0; i < size; ++i) {
        const RateResult one = rate(n[i], p[i], present[i], future[i], w[i], 0.1, 1e-6, 100);
        INFO("rate element " << i << ": " << rates[i] << " vs " << one.rate);
        CHECK(bool(ok[i]) == one.converged);
        CHECK(close(rates[i], one.converged ? one.rate : std::numeric_limits<double>::quiet_NaN(), 1e-9));
        found += ok[i];
    }
    CHECK(found > size / 4);
}

TEST_CASE("mirr: numpy-financial's test values") {
    const std::vector<double> v = {-120000, 39000, 30000, 21000, 37000, 46000};
    const double f = 0.10, re = 0.12;
    double out;
    std::uint8_t ok;
    mirr({v.data(), 1, v.size()}, &f, &re, 1, &out, &ok);
    CHECK(out == Approx(0.126094).margin(5e-7));
    const std::vector<double> one_sign = {39000, 30000, 21000, 37000, 46000};
    mirr({one_sign.data(), 1, one_sign.size()}, &f, &re, 1, &out, &ok);
    CHECK(std::isnan(out));
    CHECK(ok == 0);
}

TEST_CASE("UPV* mid-year escalates and discounts at mid-year (MIL-HDBK-1003/13A table)") {
    // Table value 18.049 for d = 10%, e = 7%, 25 years; the exact sum is 18.04796.
    CHECK(upv(0.10, 25, 0.07, Timing::Mid) == Approx(18.049).margin(1.5e-3));
    double exact = 0;
    for (int t = 1; t <= 25; ++t) exact += std::pow(1.07 / 1.10, t - 0.5);
    CHECK(upv(0.10, 25, 0.07, Timing::Mid) == Approx(exact).epsilon(1e-13));
}

TEST_CASE("irr_all: a root at r = 0 beside another does not hide it (hypothesis regressions)") {
    // 1 - x - x^2 + x^4 = (x - 1)(x^3 + x^2 - 1): the bracket's end at x = 1 is a root too.
    // x^3 + x^2 - 1 = 0 at x = 0.75487766624669276 (Cardano), so r = 1/x - 1.
    const auto roots = roots_of({1, -1, -1, 0, 1});
    REQUIRE(roots.size() == 2);
    CHECK(roots[0] == 0.0);
    CHECK(roots[1] == Approx(1.0 / 0.75487766624669276 - 1.0).epsilon(1e-13));
    // npv(0) = the sum of the flows, zero up to rounding: r = 0 is the one root in (-1, inf).
    CHECK(irr1({-358139214.22158885, -1.5275053055931775, 358139214.22158885, 1.5275053055931775}) == 0.0);
    // (x - 1)(a x^2 + (a - b) x + a): r = 0 between a rate near -1 and one near b / a.
    const double a = 172.36, b = 102158363330.15;
    const auto three = roots_of({-a, b, -b, a});
    REQUIRE(three.size() == 3);
    CHECK(three[1] == 0.0);
    CHECK(1.0 + three[0] == Approx(a / (b - a)).epsilon(1e-6));
    CHECK(three[2] == Approx((b - a) / a - 1.0).epsilon(1e-6));
}

TEST_CASE("xirr stops where cancelling flows of 1e9 leave only rounding (hypothesis regression)") {
    const std::vector<double> amounts = {-1, -1e9, 1e9};
    const std::vector<std::int64_t> days = {3000, 2198, 0};
    const auto r = xirr(amounts.data(), 3, days.data(), 3, DayCount::Act365F, 100, std::nan(""));
    CHECK(r.status == IrrStatus::Found);
    // 1e9 (1 - (1+r)^-a) = (1+r)^-b with s = log(1+r) tiny: s ~ 1 / (1e9 a) to first order.
    CHECK(std::log1p(r.rate) == Approx(1.0 / (1e9 * 2198.0 / 365.0)).epsilon(1e-6));
}

TEST_CASE("issue 19: rate brackets where Newton misses; pmt and pv past the overflow of (1 + r)^n") {
    const RateResult r = rate(10, -50000, 100000, 0, 0, 0.1, 1e-6, 100);
    CHECK(r.converged);
    CHECK(r.rate == Approx(0.4907776574).epsilon(1e-9));
    CHECK(pmt(1e6, 60, 1e5, 0, 0) == Approx(-1e11).epsilon(1e-12));  // -pv r (1 + 1/f), f = 1e360
    CHECK(pv(1e6, 60, -1e11, 0, 0) == Approx(1e5).epsilon(1e-12));
}

TEST_CASE("issue 18: rate brackets up to the largest double and down to 1 + r = 2.3e-16") {
    // 700 (1 + r)^10 = 1e308 ((1 + r)^10 - 1) / r: r = 1e308 / 700 (1 - (1 + r)^-10) = 1e308 / 700.
    const auto far = rate(10, -1e308, 700, 0, 0, 0.1, 1e-6, 100);
    CHECK(far.converged);
    CHECK(far.rate == Approx(1e308 / 700).epsilon(1e-12));
    // A deep loss: 1e10 in, 1 back a period later (fv + pv (1 + r) = 0): 1 + r = 1e-10, below the
    // first scan's e^-10.
    const auto deep = rate(1, 0, 1e10, -1, 0, 0.1, 1e-6, 100);
    CHECK(deep.converged);
    CHECK(deep.rate == Approx(1e-10 - 1).epsilon(1e-12));
}

TEST_CASE("issue 19: grouped xirr is each group alone; the plausible root") {
    const std::vector<double> amounts = {-1000, 600, 600, -320, 1644, -1300};
    const std::vector<std::int64_t> days = {0, 365, 730, 0, 1, 365};
    const std::vector<std::size_t> offsets = {0, 3, 6};
    double out[2];
    IrrStatus status[2];
    xirr_groups(amounts.data(), days.data(), offsets.data(), 2, DayCount::Act365F, 100, std::nan(""), out, status);
    for (std::size_t g = 0; g < 2; ++g) {
        const auto single = xirr(amounts.data() + offsets[g], 3, days.data() + offsets[g], 3, DayCount::Act365F, 100,
                                 std::nan(""));
        CHECK(std::memcmp(&out[g], &single.rate, sizeof(double)) == 0);
    }
    // Roots -1.82% and (1644 / 320)^365 - 1 = 2.66e259: the one inside (-99%, +1000%) is reported.
    CHECK(out[1] == Approx(-0.018188198).epsilon(1e-7));
    CHECK(plausible_rate({-0.5, 0.2, 20.0}) == 0.2);
    CHECK(plausible_rate({-0.5, 20.0}) == -0.5);
    CHECK(plausible_rate({-0.995, 20.0}) == 20.0);  // none inside: numpy-financial's rule among all
}

TEST_CASE("issue 19: dated roots into a reused output; a pair of complex roots near the axis is no rate") {
    // (x - 1)(x - x(50%))((x - x0)^2 + (0.0156 x0)^2) in x = (1 + r)^(-73 / 365), x0 = x(12.5%):
    // flows every 73 days with the rates 0 and 50% and a complex pair that keeps Laguerre's
    // sign-change bounds one pair too high on both sides of it.
    const double g = 73.0 / 365.0, u = 1.0, v = std::pow(1.5, -g), x0 = std::pow(1.125, -g), q = 0.0156 * x0;
    // Coefficients of the product, highest power first, then reversed into flows (x^k on day 73 k).
    const double c2 = -(u + v), c1 = u * v;                // x^2 + c2 x + c1
    const double d1 = -2.0 * x0, d0 = x0 * x0 + q * q;     // x^2 + d1 x + d0
    const std::vector<double> high = {1.0, c2 + d1, c1 + c2 * d1 + d0, c1 * d1 + c2 * d0, c1 * d0};
    const std::vector<double> flows(high.rbegin(), high.rend());
    std::vector<double> years;
    for (std::size_t k = 0; k < flows.size(); ++k) years.push_back(73.0 * static_cast<double>(k) / 365.0);
    Rates out;
    out.rates = {1.0, 2.0, 3.0};  // left over from another schedule
    out.converged = false;
    dated_rates(flows.data(), years.data(), flows.size(), 100, out);
    CHECK(out.converged);
    REQUIRE(out.rates.size() == 2);
    CHECK(out.rates[0] == Approx(0.0).margin(1e-9));
    CHECK(out.rates[1] == Approx(0.5).epsilon(1e-9));
    CHECK(dated_rates(flows.data(), years.data(), flows.size(), 100).rates == out.rates);
}
