// Repeat-purchase likelihoods: analytic gradients against finite differences, the 2F1 series
// against Boost.Math, the RFM reduction on a log worked by hand, and summary checks.
#include <array>
#include <boost/math/special_functions/gamma.hpp>  // before pFq: Boost 1.74 only forward-declares lgamma
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "trustcost/relationship/bgnbd.hpp"
#include "trustcost/relationship/gamma_gamma.hpp"
#include "trustcost/relationship/health.hpp"
#include "trustcost/relationship/hypergeometric.hpp"
#include "trustcost/relationship/markov.hpp"
#include "trustcost/relationship/model.hpp"
#include "trustcost/relationship/pareto_nbd.hpp"
#include "trustcost/relationship/rfm.hpp"

using namespace trustcost::relationship;

namespace {

// Central differences of the log-likelihood against the analytic gradient, component by
// component, with the per-x table (when the model has one) and without it.
void check_gradient(Likelihood f, std::vector<double> params, std::vector<double> row) {
    std::vector<double> table;
    if (f.prepare) f.prepare(params, static_cast<std::size_t>(row[0]), table);
    std::vector<double> grad(params.size()), direct(params.size());
    const double value = f.row(params, table, row, grad);
    CHECK(value == Approx(f.row(params, {}, row, direct)).epsilon(1e-12));
    for (std::size_t j = 0; j < params.size(); ++j) {
        const double h = 1e-6 * params[j];
        auto up = params, down = params;
        up[j] += h;
        down[j] -= h;
        const double numeric = (f.row(up, {}, row, {}) - f.row(down, {}, row, {})) / (2.0 * h);
        INFO("parameter " << j << " row x=" << row[0]);
        CHECK(grad[j] == Approx(numeric).epsilon(1e-6).margin(1e-7));
        CHECK(direct[j] == Approx(grad[j]).epsilon(1e-10).margin(1e-12));
    }
}

}  // namespace

TEST_CASE("BG/NBD gradient matches finite differences", "[relationship]") {
    for (const auto& row : std::vector<std::vector<double>>{{0, 0, 38.86}, {2, 30.43, 38.86}, {1, 1.71, 38.86}, {250, 38.0, 39.0}})
        check_gradient({&bgnbd::row_log_likelihood, &bgnbd::prepare}, {0.243, 4.414, 0.793, 2.426}, row);
}

TEST_CASE("BG/NBD Hessian matches finite differences of the gradient", "[relationship]") {
    const std::vector<double> params{0.243, 4.414, 0.793, 2.426};
    for (const auto& row : std::vector<std::vector<double>>{{0, 0, 38.86}, {2, 30.43, 38.86}, {1, 1.71, 38.86}, {250, 38.0, 39.0}}) {
        std::vector<double> table, grad(4), hess(16), direct_grad(4), direct_hess(16);
        bgnbd::prepare(params, static_cast<std::size_t>(row[0]), table);
        const double value = bgnbd::row_hessian(params, table, row, grad, hess);
        bgnbd::row_hessian(params, {}, row, direct_grad, direct_hess);  // special functions directly
        CHECK(value == Approx(bgnbd::row_log_likelihood(params, table, row, {})).epsilon(1e-14));
        for (std::size_t j = 0; j < 4; ++j) {
            const double h = 1e-5 * params[j];
            auto up = params, down = params;
            up[j] += h;
            down[j] -= h;
            std::vector<double> g_up(4), g_down(4);
            bgnbd::row_log_likelihood(up, {}, row, g_up);
            bgnbd::row_log_likelihood(down, {}, row, g_down);
            for (std::size_t i = 0; i < 4; ++i) {
                INFO("entry " << i << "," << j << " row x=" << row[0]);
                CHECK(hess[i * 4 + j] == Approx((g_up[i] - g_down[i]) / (2.0 * h)).epsilon(1e-5).margin(1e-6));
                CHECK(hess[i * 4 + j] == Approx(hess[j * 4 + i]).epsilon(1e-14));
                CHECK(direct_hess[i * 4 + j] == Approx(hess[i * 4 + j]).epsilon(1e-9).margin(1e-12));
            }
        }
    }
}
TEST_CASE("Pareto/NBD gradient matches finite differences on both sides of alpha = beta", "[relationship]") {
    const std::vector<std::vector<double>> rows{{0, 0, 38.86}, {2, 30.43, 38.86}, {7, 5.0, 38.86}, {150, 20.0, 39.0}};
    for (const auto& row : rows) {
        check_gradient({&pareto_nbd::row_log_likelihood, &pareto_nbd::prepare}, {0.55, 10.58, 0.61, 11.67}, row);  // alpha < beta
        check_gradient({&pareto_nbd::row_log_likelihood, &pareto_nbd::prepare}, {0.55, 15.0, 0.61, 3.0}, row);     // alpha > beta
    }
}

TEST_CASE("Gamma-Gamma gradient matches finite differences", "[relationship]") {
    for (const auto& row : std::vector<std::vector<double>>{{1, 12.5}, {5, 30.0}, {40, 100.0}})
        check_gradient({&gamma_gamma::row_log_likelihood}, {6.25, 3.74, 15.44}, row);
}

TEST_CASE("Series for 2F1(1, b; c; z) agrees with Boost.Math and Euler's transformation", "[relationship]") {
    for (const auto& [b, c, z] : std::vector<std::array<double, 3>>{{0.7, 2.1, 0.3}, {5.0, 6.2, 0.9}, {1.61, 3.16, 0.99}}) {
        const double boost = boost::math::hypergeometric_pFq({1.0, b}, {c}, z);
        CHECK(std::exp(log_hyp2f1_unit_a(b, c, z).value) == Approx(boost).epsilon(1e-12));
        CHECK(log_hyp2f1(1.0, b, c, z) == Approx(std::log(boost)).epsilon(1e-12));
        // d log F / dz against a central difference
        const double h = 1e-6;
        const double numeric = (log_hyp2f1_unit_a(b, c, z + h).value - log_hyp2f1_unit_a(b, c, z - h).value) / (2 * h);
        CHECK(log_hyp2f1_unit_a(b, c, z).d_z == Approx(numeric).epsilon(1e-6));
    }
}

TEST_CASE("2F1(1, b; c; z) near z = 1: value and derivatives against mpmath", "[relationship]") {
    // mpmath 1.3, 40 digits: log hyp2f1(1, b, c, 1 - w) and its derivatives in b, c, z (mp.diff),
    // at the doubles below. Rows: a Pareto/NBD fit whose dropout runs off (s = 21750, beta = 455573,
    // alpha = 10.5, r = 0.553, x = 0, 1, 2, 5, t_x = 0 and 39); long lifetimes (s = 0.5,
    // beta = 1e4); an sBG DERL at a discount of 1e-4; alpha run off (the other branch); b w = 900,
    // where the connection formula's terms near e^900; sigma = c - 1 - b next to an integer (the
    // series in z takes over); either side of the switch at w = 0.01.
    struct Case {
        double b, c, w, value, d_b, d_c, d_z;
    };
    const std::vector<Case> cases{
        {21751.0, 21751.553, 2.304789792195762e-05, 10.216163694269935779, 0.75333434078974418, -0.75332244347159054, 32159.737459498432},
        {21751.0, 21751.553, 0.00010864507519556114, 8.9613652653571404158, 0.28410136599563518, -0.28409557024782581, 8043.8190145411559},
        {21751.0, 21752.553, 2.304789792195762e-05, 9.5851602378136461756, 0.52470098546804324, -0.52467528375164865, 19130.836633533254},
        {21751.0, 21752.553, 0.00010864507519556114, 8.7026529765442587755, 0.23559246445818297, -0.23557857477817766, 6423.0850868767713},
        {21751.0, 21753.553, 2.304789792195762e-05, 9.1389247118050066131, 0.37925420518355002, -0.37922119759332238, 12234.340078597337},
        {21751.0, 21753.553, 0.00010864507519556114, 8.4863229823171963433, 0.19876300305702, -0.19874327599428617, 5254.0734790400321},
        {21751.0, 21756.553, 2.304789792195762e-05, 8.3447604887004149781, 0.18861042511167074, -0.18856977649976594, 5017.4647932220051},
        {21751.0, 21756.553, 0.00010864507519556114, 8.0039124097165656094, 0.1310198562438638, -0.1309901469069832, 3254.4199258165272},
        {1.5, 2.0, 0.0003, 4.7318390042801505786, 6.254703746206664, -5.8789246276206021, 1695.0426929340283},
        {1.5, 3.0, 0.0003, 1.3519499252522280249, 1.7795117377791831, -1.2927585498102342, 56.752052534722996},
        {1.5, 5.0, 0.0003, 0.46970401033884053986, 0.39960134327259588, -0.14980095225432784, 0.99749755862514335},
        {2.2, 2.9, 9.999000099990002e-05, 4.281077442909334186, 5.9078808972879575, -5.5860489726330828, 3261.1797114644147},
        {5000.3, 5001.0, 0.001, 6.7937595381010461952, 0.15579436025106803, -0.15577525069718227, 904.34109848742269},
        {100000.0, 100001.5, 0.009, 4.7088822308268330651, 0.0010980772224081678, -0.0010980607695430628, 110.92663850826477},
        {3.0, 5.0000001, 0.005, 1.3315673631088579741, 0.87345306692757908, -0.63797817160495551, 8.2918879921642362},
        {0.7, 3.4, 0.0099999, 0.33588988121674791594, 0.56565947597332361, -0.16142003811403259, 0.83681622123411302},
        {0.7, 3.4, 0.0100001, 0.33588971385367478692, 0.56565907731824766, -0.16141986807367735, 0.83681451006935328},
    };
    for (const auto& k : cases) {
        INFO("b = " << k.b << ", c = " << k.c << ", w = " << k.w);
        const LogSeries f = log_hyp2f1_unit_a(k.b, k.c, 1.0 - k.w, k.w);
        CHECK(f.value == Approx(k.value).epsilon(1e-12));
        CHECK(f.d_b == Approx(k.d_b).epsilon(1e-9));
        CHECK(f.d_c == Approx(k.d_c).epsilon(1e-9));
        CHECK(f.d_z == Approx(k.d_z).epsilon(1e-9));
    }
}

namespace {
// The summary of a log of period numbers as columns (frequency, recency, T, monetary value) by code.
struct SmallSummary {
    std::vector<std::int64_t> code;
    std::vector<double> f, r, t, m, holdout_f, holdout_m, duration;
};

SmallSummary summarise(const std::vector<std::int64_t>& customer, const std::vector<std::int64_t>& period,
                       const std::vector<double>& value, std::size_t customers, const SummaryWindow& window) {
    const TransactionLog log{customer.data(), period.data(), value.data(), customer.size(), customers, {}};
    const TransactionSummary summary(log, window);
    const std::size_t k = summary.size();
    SmallSummary s{std::vector<std::int64_t>(k), std::vector<double>(k), std::vector<double>(k), std::vector<double>(k),
                   std::vector<double>(k), std::vector<double>(k), std::vector<double>(k), std::vector<double>(k)};
    summary.write({s.code.data(), s.f.data(), s.r.data(), s.t.data(), s.m.data(), s.holdout_f.data(),
                   s.holdout_m.data(), s.duration.data()});
    return s;
}
}  // namespace

TEST_CASE("RFM reduction of a small log worked by hand", "[relationship]") {
    // Customer 0 buys in periods 1, 1, 5 (values 10, 2, 4); customer 1 in 3 and 10 (5, 7); customer 2 in 10.
    const std::vector<std::int64_t> customer{1, 0, 0, 0, 1, 2}, period{3, 1, 1, 5, 10, 10};
    const std::vector<double> value{5, 10, 2, 4, 7, 1};
    const SmallSummary s = summarise(customer, period, value, 3, {std::int64_t{10}});
    CHECK(s.code == std::vector<std::int64_t>{0, 1, 2});
    CHECK(s.f == std::vector<double>{1, 1, 0});
    CHECK(s.r == std::vector<double>{4, 7, 0});
    CHECK(s.t == std::vector<double>{9, 7, 0});
    CHECK(s.m == std::vector<double>{4, 7, 0});
    // An end before period 10: those rows are excluded and counted, customer 2 has none left.
    const TransactionLog log{customer.data(), period.data(), value.data(), 6, 3, {}};
    const TransactionSummary early(log, {std::int64_t{9}});
    CHECK(early.size() == 2);
    CHECK(early.excluded_rows() == 2);
}

TEST_CASE("RFM reduction: a log out of time order gives the sums of the sorted log", "[relationship]") {
    // Customer 0's rows go backwards in time (periods 5, 1, 1 with values 4, 10, 2): re-summed sorted.
    const std::vector<std::int64_t> customer{0, 1, 0, 0, 1}, period{5, 3, 1, 1, 10};
    const std::vector<double> value{4, 5, 10, 2, 7};
    const SmallSummary s = summarise(customer, period, value, 2, {});
    CHECK(s.f == std::vector<double>{1, 1});
    CHECK(s.r == std::vector<double>{4, 7});
    CHECK(s.t == std::vector<double>{9, 7});  // the default end is the last period, 10
    CHECK(s.m == std::vector<double>{4, 7});
}

TEST_CASE("Calibration and holdout sums of a small log worked by hand", "[relationship]") {
    // Calibration up to period 5, holdout 6..10. Customer 0: 1, 1, 5 | 7, 7, 9 (values 10, 2, 4 | 1, 2, 6);
    // customer 1: 3 | none; customer 2 first buys in 8 (first seen in the holdout); a row at 11 is after the end.
    const std::vector<std::int64_t> customer{0, 0, 1, 0, 0, 0, 2, 0, 1}, period{1, 1, 3, 5, 7, 7, 8, 9, 11};
    const std::vector<double> value{10, 2, 5, 4, 1, 2, 3, 6, 9};
    SummaryWindow window{std::int64_t{10}, std::int64_t{5}};
    const SmallSummary s = summarise(customer, period, value, 3, window);
    CHECK(s.code == std::vector<std::int64_t>{0, 1});
    CHECK(s.f == std::vector<double>{1, 0});
    CHECK(s.r == std::vector<double>{4, 0});
    CHECK(s.t == std::vector<double>{4, 2});
    CHECK(s.m == std::vector<double>{4, 0});
    CHECK(s.holdout_f == std::vector<double>{2, 0});
    CHECK(s.holdout_m == std::vector<double>{4.5, 0});  // (1 + 2 + 6) / 2 periods
    CHECK(s.duration == std::vector<double>{5, 5});
    const TransactionLog log{customer.data(), period.data(), value.data(), 9, 3, {}};
    const TransactionSummary summary(log, window);
    CHECK(summary.excluded_rows() == 1);
    CHECK(summary.first_seen_in_holdout() == 1);
}

TEST_CASE("Period numbers floor stamps of every unit, before 1970 too", "[relationship]") {
    // 1969-12-31 23:00 and 1970-01-01 00:00 (a Thursday); pandas' numbers: day -1 and 0, week 0 and 0
    // (the week ending Sunday 1970-01-04 holds both), month -1 and 0, hour -1 and 0.
    const std::int64_t hour_ns = 3'600'000'000'000;
    const std::vector<std::int64_t> ns{-hour_ns, 0};
    std::vector<std::int64_t> out(2);
    period_numbers(ns.data(), 2, {StampUnit::nanosecond, PeriodUnit::day}, out.data());
    CHECK(out == std::vector<std::int64_t>{-1, 0});
    period_numbers(ns.data(), 2, {StampUnit::nanosecond, PeriodUnit::week}, out.data());
    CHECK(out == std::vector<std::int64_t>{0, 0});
    period_numbers(ns.data(), 2, {StampUnit::nanosecond, PeriodUnit::month}, out.data());
    CHECK(out == std::vector<std::int64_t>{-1, 0});
    period_numbers(ns.data(), 2, {StampUnit::nanosecond, PeriodUnit::hour}, out.data());
    CHECK(out == std::vector<std::int64_t>{-1, 0});
    // Day stamps: 1969-12-28 (Sunday, day -4) ends the week before.
    const std::vector<std::int64_t> days{-4, -3};
    period_numbers(days.data(), 2, {StampUnit::day, PeriodUnit::week}, out.data());
    CHECK(out == std::vector<std::int64_t>{-1, 0});
    const std::vector<std::int64_t> missing{0, std::numeric_limits<std::int64_t>::min()};
    CHECK_THROWS_WITH(period_numbers(missing.data(), 2, {StampUnit::second, PeriodUnit::day}, out.data(), "when"),
                      "when has a missing date at row 1");
}

TEST_CASE("Summary checks name the column and the first bad row", "[relationship]") {
    const std::vector<double> x{1, 0}, t_x{2, 1}, T{5, 5};
    CHECK_THROWS_WITH(check_summary(x.data(), t_x.data(), T.data(), 2),
                      "recency must be 0 when frequency is 0, got recency 1 at row 1");
}

TEST_CASE("Markov value: two-state chain in closed form", "[relationship]") {
    // State 1 buys again with probability p (reward R), state 2 is lost (reward 0):
    // V1 = R / (1 - p/(1+d)) for the infinite horizon, R (1 + p/(1+d)) for one period ahead.
    const double p = 0.4, reward = 10.0, d = 0.1;
    const auto infinite = markov_customer_value({p, 0.0}, {reward, 0.0}, d, std::nullopt);
    CHECK(infinite[0] == Approx(reward / (1.0 - p / (1.0 + d))).epsilon(1e-14));
    CHECK(infinite[1] == 0.0);
    const auto one = markov_customer_value({p, 0.0}, {reward, 0.0}, d, std::size_t{1});
    CHECK(one[0] == Approx(reward * (1.0 + p / (1.0 + d))).epsilon(1e-14));
}

TEST_CASE("Health: closed form chains across effort changes", "[relationship]") {
    // Two pieces chained equal one call per piece.
    const double starts[] = {0.0, 5.0}, efforts[] = {0.0, 3.0}, times[] = {8.0};
    double out[1];
    health::path(0.9, 0.1, 0.05, starts, efforts, 2, times, 1, out);
    CHECK(out[0] == Approx(health::after(health::after(0.9, 0.1, 0.05, 0.0, 5.0), 0.1, 0.05, 3.0, 3.0)).epsilon(1e-15));
    CHECK(health::after(0.9, 0.1, 0.05, 0.0, 2.0) == Approx(0.9 * std::exp(-0.2)).epsilon(1e-15));
}

#define CHECK_CONTAINS(f, text) CHECK(message_of(f).find(text) != std::string::npos)

namespace {
// The message of the std::invalid_argument that `f` throws ("" if none): portable across Catch2 2 and 3.
template <class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("RFM reduction counts the first period when asked", "[relationship]") {
    const std::vector<std::int64_t> customer{0, 0, 0, 1}, period{1, 1, 5, 3};
    const std::vector<double> value{10, 2, 4, 7};
    SummaryWindow window{std::int64_t{10}};
    window.include_first = true;
    const SmallSummary s = summarise(customer, period, value, 2, window);
    CHECK(s.f == std::vector<double>{2, 1});
    CHECK(s.m == std::vector<double>{8, 7});  // (12 + 4) / 2 and 7 / 1
    CHECK(s.r == std::vector<double>{4, 0});
}

TEST_CASE("RFM reduction names the column and the first bad row", "[relationship]") {
    const std::vector<std::int64_t> customer{0, 3, 1}, period{1, 2, 3};
    const std::vector<double> value{1.0, 2.0, std::nan("")};
    TransactionLog log{customer.data(), period.data(), value.data(), 3, 2, {}};
    log.customer_name = "who";
    log.value_name = "amount";
    CHECK_THROWS_WITH(TransactionSummary(log, {}), "who code must be in [0, 2), got 3 at row 1");
    log.customers = 4;
    CHECK_THROWS_WITH(TransactionSummary(log, {}), "amount must be finite, got nan at row 2");
    // write() in a given order: a permutation of the codes, or nothing is written.
    log.value = nullptr;
    const TransactionSummary summary(log, {});
    std::vector<std::int64_t> codes(3);
    std::vector<double> f(3, -1.0), r(3), t(3);
    const std::vector<std::int64_t> twice{3, 3, 1, 0}, reversed{3, 2, 1, 0};
    CHECK_THROWS_WITH(summary.write({codes.data(), f.data(), r.data(), t.data()}, twice.data()),
                      "order must hold each code 0 to 3 once, got 3 at row 1");
    CHECK(f == std::vector<double>{-1, -1, -1});
    summary.write({codes.data(), f.data(), r.data(), t.data()}, reversed.data());
    CHECK(codes == std::vector<std::int64_t>{3, 1, 0});  // code 2 has no purchase
}

TEST_CASE("Fits refuse data that cannot identify the model, saying what they lack", "[relationship]") {
    // Through the model contract, which checks rows and identifiability before fitting.
    const std::vector<double> zeros(5, 0.0), ages{1, 2, 3, 4, 5}, w(5, 1.0);
    const FitOptions options;
    CHECK_CONTAINS([&] { fit<BgNbdModel>({zeros.data(), zeros.data(), ages.data()}, {}, w.data(), 5, options); },
                   "no customer made a repeat purchase");
    const std::vector<double> x{2, 3, 1}, T{10, 12, 8};
    CHECK_CONTAINS([&] { fit<ParetoNbdModel>({x.data(), T.data(), T.data()}, {}, nullptr, 3, options); }, "show no dropout");
    const double one_x = 3, one_t = 2, one_T = 5, one_w = 1;
    CHECK_CONTAINS([&] { fit<BgNbdModel>({&one_x, &one_t, &one_T}, {}, &one_w, 1, options); }, "single customer");
}

TEST_CASE("The model contract checks options, weights and rows before any model runs", "[relationship]") {
    const std::vector<double> x{1.5, 2}, t_x{1, 2}, T{3, 4}, w{1, 1};
    CHECK_CONTAINS([&] { fit<BgNbdModel>({x.data(), t_x.data(), T.data()}, {}, w.data(), 2, FitOptions{}); },
                   "frequency must be a whole number >= 0, got 1.5 at row 0");
    const std::vector<double> good{1, 2};
    FitOptions negative;
    negative.penalizer = -1.0;
    CHECK_CONTAINS([&] { fit<BgNbdModel>({good.data(), t_x.data(), T.data()}, {}, w.data(), 2, negative); },
                   "penalizer must be >= 0");
    const std::vector<double> bad_w{1, -1};
    CHECK_CONTAINS([&] { fit<ParetoNbdModel>({good.data(), t_x.data(), T.data()}, {}, bad_w.data(), 2, FitOptions{}); },
                   "weights must be finite and >= 0, got -1 at row 1");
    // P(alive) refuses recency > T, as the public API does.
    const std::vector<double> params{1, 1, 1, 1}, late{5, 5};
    std::vector<double> out(2);
    CHECK_CONTAINS([&] { predict<BgNbdModel>(std::get<0>(BgNbdModel::predictions), params, {}, {},
                                            {good.data(), late.data(), T.data()}, 2, out.data()); },
                   "recency must be <= T");
    // Per-row log-likelihoods sum to the total the optimiser maximises.
    const std::vector<double> xs{0, 1, 2, 5}, ts{0, 1, 3, 4}, Ts{5, 5, 6, 6};
    std::vector<double> each(4);
    individual_log_likelihood<BgNbdModel>(params, {}, {xs.data(), ts.data(), Ts.data()}, 4, each.data());
    const Rows rows{{xs.data(), ts.data(), Ts.data()}, nullptr, 4};
    const double total = total_log_likelihood(BgNbdModel::likelihood, params, rows, {});
    CHECK(each[0] + each[1] + each[2] + each[3] == Approx(total).epsilon(1e-14));
}

TEST_CASE("Predictions check the parameter vector", "[relationship]") {
    const std::vector<double> short_params{1.0, 1.0}, x{1}, t_x{1}, T{2};
    double out = 0;
    CHECK_THROWS_WITH(bgnbd::p_alive(short_params, x.data(), t_x.data(), T.data(), 1, &out),
                      "BG/NBD params must have 4 values, got 2");
    const std::vector<double> q_below_one{6.0, 0.9, 15.0};
    CHECK_CONTAINS([&] { gamma_gamma::expected_average_value(q_below_one, x.data(), T.data(), 1, &out); }, "q must be > 1");
}

TEST_CASE("Conditional P(n) sums to 1 with the conditional expectation as its mean", "[relationship]") {
    const std::vector<double> bg{0.243, 4.414, 0.793, 2.426}, pareto{0.553, 10.578, 0.606, 11.669};
    const std::size_t count = 600;
    std::vector<double> k(count), t(count, 39.0), x(count, 2.0), t_x(count, 30.43), T(count, 38.86), p(count);
    for (std::size_t i = 0; i < count; ++i) k[i] = static_cast<double>(i);
    for (int model = 0; model < 2; ++model) {
        double mean = 0.0;
        if (model == 0) {
            bgnbd::conditional_probability_of_n_purchases(bg, k.data(), t.data(), x.data(), t_x.data(), T.data(), count, p.data());
            bgnbd::expected_purchases(bg, t.data(), x.data(), t_x.data(), T.data(), 1, &mean);
        } else {
            pareto_nbd::conditional_probability_of_n_purchases(pareto, k.data(), t.data(), x.data(), t_x.data(), T.data(),
                                                               count, p.data());
            pareto_nbd::expected_purchases(pareto, t.data(), x.data(), t_x.data(), T.data(), 1, &mean);
        }
        double total = 0.0, first = 0.0;
        for (std::size_t i = 0; i < count; ++i) {
            total += p[i];
            first += k[i] * p[i];
        }
        INFO("model " << model);
        CHECK(total == Approx(1.0).epsilon(1e-10));
        CHECK(first == Approx(mean).epsilon(1e-8));
    }
}

TEST_CASE("Markov value over a long horizon by doubling equals the step-by-step sum", "[relationship]") {
    const std::vector<double> p{0.3, 0.2, 0.15, 0.05}, reward{40.0, -2.0, -2.0, 0.0};
    for (std::size_t horizon : {0U, 1U, 5U, 33U, 64U}) {
        const auto matrix = recency_transition_matrix(p);
        std::vector<double> expected(4, 0.0), term = reward;
        for (std::size_t step = 0; step <= horizon; ++step) {
            for (std::size_t i = 0; i < 4; ++i) expected[i] += term[i];
            std::vector<double> next(4, 0.0);
            for (std::size_t i = 0; i < 4; ++i)
                for (std::size_t j = 0; j < 4; ++j) next[i] += matrix[i * 4 + j] * term[j] / 1.02;
            term = next;
        }
        const auto value = markov_customer_value(p, reward, 0.02, horizon);
        for (std::size_t i = 0; i < 4; ++i) CHECK(value[i] == Approx(expected[i]).epsilon(1e-12));
    }
    const auto endless = markov_customer_value(p, reward, 0.02, std::size_t{1'000'000'000'000});
    const auto infinite = markov_customer_value(p, reward, 0.02, std::nullopt);
    for (std::size_t i = 0; i < 4; ++i) CHECK(endless[i] == Approx(infinite[i]).epsilon(1e-10));
}

TEST_CASE("log_hyp2f1 near z = 1 by the connection formula in 1 - z (issue 18)") {
    using trustcost::relationship::log_hyp2f1;
    // mpmath's log(hyp2f1(a, b, c, 1 - w)) at 40 digits. c - a - b < 0 (the series diverges at 1:
    // MBG/NBD's E[X(t)] for long horizons) and > 0; 1 - z given exactly, as BG/NBD and MBG/NBD do.
    CHECK(log_hyp2f1(0.77, 1.49, 0.95, 1.0 - 1e-9, 1e-9) == Approx(27.007671927358801441).epsilon(1e-12));
    CHECK(log_hyp2f1(3.77, 4.49, 3.95, 1.0 - 1e-12, 1e-12) == Approx(119.0630361206745372).epsilon(1e-12));
    CHECK(log_hyp2f1(0.5, 0.7, 2.5, 1.0 - 1e-4, 1e-4) == Approx(0.24748471428729223853).epsilon(1e-12));
}
