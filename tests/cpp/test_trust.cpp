// Trust: transaction-cost model calibrated to Dyer & Chu (2003) and Dyer (1997), and beta
// reputation dynamics (Josang & Ismail 2002).
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <boost/math/distributions/poisson.hpp>

#include "catch.hpp"
#include "trustcost/core/parallel.hpp"
#include "trustcost/lcc/evaluate.hpp"
#include "trustcost/trust/cost_model.hpp"
#include "trustcost/stats/poisson.hpp"
#include "trustcost/trust/dynamics.hpp"
#include "trustcost/trust/event_counts.hpp"

namespace tt = trustcost::trust;

namespace {

// Calibration anchors of the Python defaults (TransactionCostModel): 47% vs half of it;
// procurement 5x; no inspection at full trust. Other levels are illustrative.
std::vector<double> default_model() {
    std::vector<double> m(tt::kModelParams);
    m[tt::kHours] = 400, m[tt::kHourlyCost] = 90;
    m[tt::kShareLow] = 0.47, m[tt::kShareHigh] = 0.235;
    m[tt::kProcurementLow] = 0.025, m[tt::kProcurementHigh] = 0.005;
    m[tt::kLotsPerYear] = 200, m[tt::kCostPerLot] = 150;
    m[tt::kInspectionLow] = 1.0, m[tt::kInspectionHigh] = 0.0;
    m[tt::kCostPerDispute] = 8000, m[tt::kDisputesLow] = 4, m[tt::kDisputesHigh] = 0.5;
    m[tt::kSharingLow] = 0.0, m[tt::kSharingHigh] = 0.01;
    m[tt::kCurvature] = 1.0;
    return m;
}

}  // namespace

TEST_CASE("calibration anchors reproduce Dyer & Chu's ratios") {
    const auto m = default_model();
    const auto low = tt::line_costs(m.data(), 0.0, 1e6), high = tt::line_costs(m.data(), 1.0, 1e6);
    // 47% of face-to-face time at the least trusted, about half of that at the most trusted.
    CHECK(low[tt::kTransaction] == Approx(400 * 90 * 0.47));
    CHECK(low[tt::kTransaction] / high[tt::kTransaction] == Approx(2.0));
    // Procurement costs five times higher at the least trusted.
    CHECK(low[tt::kProcurement] / high[tt::kProcurement] == Approx(5.0));
    // The most trusted did not inspect.
    CHECK(high[tt::kInspection] == 0.0);
    CHECK(low[tt::kInspection] == Approx(200 * 150));
    CHECK(high[tt::kInformationSharing] == Approx(-0.01 * 1e6));
}

TEST_CASE("interpolation is linear at curvature 1 and hits both anchors for any curvature") {
    CHECK(tt::level(0.47, 0.235, 1.0, 0.5) == Approx(0.3525));
    for (double c : {0.3, 1.0, 2.5}) {
        CHECK(tt::level(4, 1, c, 0.0) == 4.0);
        CHECK(tt::level(4, 1, c, 1.0) == Approx(1.0));
    }
    CHECK(tt::level(4, 1, 0.5, 0.25) == Approx(4 - 3 * 0.5));  // 0.25^0.5 = 0.5
}

TEST_CASE("more trust never raises the total cost with default anchors") {
    const auto m = default_model();
    double previous = INFINITY;
    for (int i = 0; i <= 100; ++i) {
        const auto c = tt::line_costs(m.data(), i / 100.0, 2e6);
        double total = 0;
        for (double x : c) total += x;
        CHECK(total <= previous);
        previous = total;
    }
}

TEST_CASE("batch evaluation equals the single-relationship formula and names bad cells") {
    auto m = default_model();
    std::vector<double> models(m), trust{0.0, 0.3, 0.9}, spend{1e6, 1.1e6, 1.2e6};
    std::vector<double> out(3 * tt::kLines);
    tt::evaluate_lines(models.data(), trust.data(), spend.data(), 1, 3, out.data());
    for (std::size_t y = 0; y < 3; ++y) {
        const auto c = tt::line_costs(m.data(), trust[y], spend[y]);
        for (std::size_t l = 0; l < tt::kLines; ++l) CHECK(out[y * tt::kLines + l] == c[l]);
    }
    trust[2] = 1.2;
    CHECK_THROWS_WITH(tt::evaluate_lines(models.data(), trust.data(), spend.data(), 1, 3, out.data()),
                      "trust[0, 2] must be in [0, 1], got 1.2");
    trust[2] = 0.5;
    spend[1] = -1;
    CHECK_THROWS_WITH(tt::evaluate_lines(models.data(), trust.data(), spend.data(), 1, 3, out.data()),
                      "spend[0, 1] must be >= 0 and finite, got -1");
    spend[1] = 1;
    models[tt::kHours] = -5;
    CHECK_THROWS_WITH(tt::evaluate_lines(models.data(), trust.data(), spend.data(), 1, 3, out.data()),
                      "model 0: hours must be >= 0, got -5");
}

TEST_CASE("counts stated per million of spend scale their lines with spend; per-year counts do not") {
    auto m = default_model();
    m[tt::kHours] = 200, m[tt::kLotsPerYear] = 50, m[tt::kDisputesLow] = 1, m[tt::kDisputesHigh] = 0.125;
    m[tt::kHoursBasis] = m[tt::kLotsBasis] = m[tt::kDisputesBasis] = tt::kPerMillionSpend;
    const auto small = tt::line_costs(m.data(), 0.4, 15e3), large = tt::line_costs(m.data(), 0.4, 1.5e6);
    for (std::size_t l = 0; l < tt::kLines; ++l) {
        CHECK(large[l] == Approx(100 * small[l]));
        CHECK(tt::scales_with_spend(m.data(), static_cast<tt::Line>(l)));
    }
    // By hand at 1.5 million: 200 hours per million x 1.5 x 90 x share(0.4).
    CHECK(large[tt::kTransaction] == Approx(300 * 90 * (0.47 - 0.235 * 0.4)));
    CHECK(large[tt::kDisputes] == Approx(1.5 * 8000 * (1 - 0.875 * 0.4)));
    const auto fixed = default_model();
    CHECK(tt::line_costs(fixed.data(), 0.4, 15e3)[tt::kInspection] == tt::line_costs(fixed.data(), 0.4, 1.5e6)[tt::kInspection]);
    CHECK_FALSE(tt::scales_with_spend(fixed.data(), tt::kDisputes));
    m[tt::kLotsBasis] = 0.5;
    CHECK_THROWS_WITH(tt::validate_model(m.data(), 2), "model 2: lots_basis must be 0 (per year) or 1 (per million of spend), got 0.5");
}

TEST_CASE("Josang & Ismail expectation with W = 2, a = 1/2") {
    const tt::Reputation p;
    CHECK(tt::expectation(p, {8, 2}) == Approx(9.0 / 12.0));  // (r + 1) / (r + s + 2)
    CHECK(tt::expectation(p, {}) == 0.5);
}

TEST_CASE("a broken promise costs more trust than a kept one gains, by the weight ratio") {
    tt::Reputation p;
    p.half_life = INFINITY;
    p.weight[tt::kPromiseKept] = 1.0;
    p.weight[tt::kPromiseBroken] = 3.0;
    // From a balanced state (tau = a) with evidence n: gain = w+ (1-a) / (N + w+), loss =
    // w- a / (N + w-), N = n + W; so loss / gain -> w- / w+ as evidence accumulates.
    for (double n : {0.0, 10.0, 1000.0}) {
        const auto start = tt::start_from(p, 0.5, n);
        const double t0 = tt::expectation(p, start);
        double after[3], at;
        const double time = 1.0, one = 1.0;
        std::int32_t kept = tt::kPromiseKept, broken = tt::kPromiseBroken;
        tt::replay(p, start, 0.0, &time, &kept, &one, 1, nullptr, 0, after, &at);
        const double gain = after[0] - t0;
        tt::replay(p, start, 0.0, &time, &broken, &one, 1, nullptr, 0, after, &at);
        const double loss = t0 - after[0];
        const double N = n + p.prior_weight;
        CHECK(gain == Approx(0.5 / (N + 1)));
        CHECK(loss == Approx(3 * 0.5 / (N + 3)));
        CHECK(loss / gain == Approx(3.0 * (N + 1) / (N + 3)));
        CHECK(loss > gain);
    }
}

TEST_CASE("without events trust decays to the baseline, halving the gap per half-life at fixed evidence ratio") {
    tt::Reputation p;
    p.baseline = 0.4;
    p.half_life = 2.0;
    const auto start = tt::start_from(p, 0.9, 20);
    CHECK(tt::expectation(p, start) == Approx(0.9));
    const std::vector<double> q{0, 2, 4, 8, 40};
    std::vector<double> at(q.size());
    tt::replay(p, start, 0.0, nullptr, nullptr, nullptr, 0, q.data(), q.size(), nullptr, at.data());
    for (std::size_t j = 1; j < q.size(); ++j) CHECK(at[j] < at[j - 1]);
    CHECK(at.back() == Approx(0.4).margin(1e-4));
    // Evidence halves after one half-life: tau = (r/2 + W a) / ((r + s)/2 + W).
    CHECK(at[1] == Approx((start.positive / 2 + 2 * 0.4) / (10 + 2)));
}

TEST_CASE("evolve on a grid agrees with replaying the same events") {
    tt::Reputation p;
    const std::vector<double> counts{1, 0, 0, 0, 2, 0, 1, 0, 0, 0, 2, 0, 1, 0, 0};  // 3 steps
    std::vector<double> grid(4);
    tt::evolve(p, {}, counts.data(), 1, 3, 0.5, grid.data());
    const std::vector<double> times{0.5, 0.5, 1.0, 1.5, 1.5, 1.5};
    const std::vector<std::int32_t> kinds{tt::kPromiseKept, tt::kContact, tt::kPromiseBroken, tt::kPromiseKept,
                                          tt::kPromiseKept, tt::kComplaintResolved};
    const std::vector<double> ones(6, 1.0), contact_twice{1, 2, 1, 1, 1, 1}, q{0, 0.5, 1.0, 1.5};
    std::vector<double> after(18), at(4);
    tt::replay(p, {}, 0.0, times.data(), kinds.data(), contact_twice.data(), 6, q.data(), 4, after.data(), at.data());
    for (std::size_t j = 0; j < 4; ++j) CHECK(grid[j] == Approx(at[j]));
}

TEST_CASE("bad event logs and parameters name the field and row") {
    tt::Reputation p;
    const std::vector<double> times{0.0, 2.0, 1.0}, ones(3, 1.0);
    const std::vector<std::int32_t> kinds{0, 1, 2};
    std::vector<double> after(9);
    CHECK_THROWS_WITH(tt::replay(p, {}, 0.0, times.data(), kinds.data(), ones.data(), 3, nullptr, 0, after.data(), nullptr),
                      "events row 2: time must not go back (events out of time order), got 1 after 2");
    const std::vector<std::int32_t> bad{0, 7, 2};
    const std::vector<double> sorted{0, 1, 2};
    CHECK_THROWS_WITH(tt::replay(p, {}, 0.0, sorted.data(), bad.data(), ones.data(), 3, nullptr, 0, after.data(), nullptr),
                      "events row 1: kind must be 0..4, got 7");
    p.baseline = 1.5;
    CHECK_THROWS_WITH(tt::validate(p), "baseline must be in [0, 1], got 1.5");
    p = {};
    CHECK_THROWS_WITH(tt::start_from(p, 1.2, 5), "initial_trust must be in [0, 1], got 1.2");
    CHECK_THROWS_AS(tt::start_from(p, 0.99, 1), std::invalid_argument);  // needs more evidence
}

TEST_CASE("batched lines and trust paths do not depend on the thread count") {
    const std::size_t rows = 3000, years = 7, steps = 24;
    std::vector<double> models, trust(rows * years), spend(rows * years), counts(rows * steps * tt::kEvents);
    for (std::size_t r = 0; r < rows; ++r) {
        auto m = default_model();
        m[tt::kCurvature] = 0.5 + static_cast<double>(r % 7) / 4;
        models.insert(models.end(), m.begin(), m.end());
    }
    for (std::size_t i = 0; i < trust.size(); ++i) trust[i] = static_cast<double>((i * 37) % 101) / 100, spend[i] = 1e5 * (i % 13);
    for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = static_cast<double>((i * 7919) % 5);
    auto run = [&](int threads) {
        trustcost::core::set_num_threads(threads);
        std::vector<double> lines(rows * years * tt::kLines), paths(rows * (steps + 1));
        tt::evaluate_lines(models.data(), trust.data(), spend.data(), rows, years, lines.data());
        tt::evolve(tt::Reputation{}, {}, counts.data(), rows, steps, 1.0 / 12, paths.data());
        lines.insert(lines.end(), paths.begin(), paths.end());
        return lines;
    };
    const auto one = run(1), two = run(2);
    trustcost::core::set_num_threads(4);
    CHECK(one == two);
    CHECK(run(4) == one);
}

TEST_CASE("Trust items in the lifetime-cost evaluation equal the standalone lines") {
    namespace lcc = trustcost::lcc;
    const auto m = default_model();
    const std::size_t horizon = 4, years = horizon + 1;
    const std::vector<double> trust{0.0, 0.2, 0.5, 0.7, 1.0};
    const double spend = 1e6, escalation = 0.03;
    // One Trust item per line (amount = line base, shape/scale = anchors), as Relationship builds them.
    std::vector<std::int32_t> kind(tt::kLines, static_cast<std::int32_t>(lcc::ItemKind::Trust)), category(tt::kLines);
    std::vector<double> params(std::size_t{tt::kLines} * lcc::kParams, 0.0);
    for (std::size_t l = 0; l < tt::kLines; ++l) {
        category[l] = static_cast<std::int32_t>(l);
        double* p = params.data() + l * lcc::kParams;
        const bool per_spend = l == tt::kProcurement || l == tt::kInformationSharing;
        p[lcc::kAmount] = tt::line_base(m.data(), static_cast<tt::Line>(l), spend);
        p[lcc::kStart] = 1, p[lcc::kEnd] = horizon, p[lcc::kEscalation] = per_spend ? escalation : 0.0;
        p[lcc::kShape] = m[tt::kAnchors[l].low], p[lcc::kScale] = m[tt::kAnchors[l].high];
        p[lcc::kInterval] = m[tt::kCurvature];
    }
    const std::vector<std::int64_t> offer_start{0, static_cast<std::int64_t>(tt::kLines)};
    lcc::Items items{kind.data(), category.data(), params.data(), offer_start.data(), 1, trust.data()};
    const lcc::StudySpec spec{horizon, 0.05, trustcost::finance::Timing::End, 0.0, tt::kLines};
    std::vector<double> costs(years * tt::kLines), pv(tt::kLines);
    lcc::evaluate(spec, items, costs.data(), pv.data());
    for (std::size_t y = 1; y < years; ++y) {
        const auto c = tt::line_costs(m.data(), trust[y], spend * std::pow(1 + escalation, y - 1.0));
        for (std::size_t l = 0; l < tt::kLines; ++l) CHECK(costs[y * tt::kLines + l] == Approx(c[l]).epsilon(1e-12));
    }
    for (std::size_t l = 0; l < tt::kLines; ++l) CHECK(costs[l] == 0.0);  // year 0: no operations
    items.trust = nullptr;
    CHECK_THROWS_WITH(lcc::evaluate(spec, items, costs.data(), pv.data()),
                      "item 0 (offer 0): needs the study's trust paths, got none");
}

TEST_CASE("Poisson counts by inversion match the Poisson CDF") {
    namespace ts = trustcost::stats;
    // Poisson(2): P(X <= 0) = e^-2 = 0.1353, P(X <= 1) = 3 e^-2 = 0.4060, P(X <= 2) = 5 e^-2 = 0.6767.
    CHECK(ts::poisson_quantile(2.0, 0.13) == 0.0);
    CHECK(ts::poisson_quantile(2.0, 0.14) == 1.0);
    CHECK(ts::poisson_quantile(2.0, 0.5) == 2.0);
    CHECK(ts::poisson_quantile(2.0, 0.68) == 3.0);
    // Against Boost's CDF, from the walk from 0 (mean < 30) and from the mode (mean >= 30).
    for (const double mean : {0.3, 5.0, 29.5, 30.0, 250.7, 1e6}) {
        const boost::math::poisson_distribution<> d(mean);
        const ts::PoissonQuantile quantile(mean);
        for (const double u : {1e-9, 0.01, 0.2, 0.5, 0.77, 0.99, 1 - 1e-9}) {
            INFO("mean " << mean << ", u " << u);
            const double k = quantile(u);
            CHECK(boost::math::cdf(d, k) >= u * (1 - 1e-10));
            if (k > 0) CHECK(boost::math::cdf(d, k - 1) < u * (1 + 1e-10));
        }
    }
    CHECK(ts::poisson_quantile(0.0, 0.9) == 0.0);
    CHECK_THROWS_AS(ts::poisson_quantile(-1.0, 0.5), std::invalid_argument);
    CHECK_THROWS_AS(ts::poisson_quantile(1.0, 1.0), std::invalid_argument);
}

TEST_CASE("event counts: Poisson moments, one stream per kind, independent of threads and path count") {
    const std::vector<double> rates{8.0, 1.0, 0.0, 2.0, 60.0};
    const std::size_t paths = 4000, steps = 12;
    const double dt = 1.0 / 12;
    trustcost::core::set_num_threads(1);
    std::vector<double> one(paths * steps * tt::kEvents), two(one.size()), few(10 * steps * tt::kEvents);
    tt::event_counts(rates.data(), paths, steps, dt, 5, one.data());
    trustcost::core::set_num_threads(2);
    tt::event_counts(rates.data(), paths, steps, dt, 5, two.data());
    tt::event_counts(rates.data(), 10, steps, dt, 5, few.data());
    CHECK(one == two);
    CHECK(std::equal(few.begin(), few.end(), one.begin()));
    const double n = static_cast<double>(paths * steps);
    for (std::size_t k = 0; k < tt::kEvents; ++k) {
        INFO("kind " << k);
        double sum = 0, squares = 0;
        for (std::size_t c = k; c < one.size(); c += tt::kEvents) sum += one[c], squares += one[c] * one[c];
        const double lambda = rates[k] * dt, mean = sum / n, variance = squares / n - mean * mean;
        // Mean within 5 standard errors; variance equal to the mean (dispersion index 1).
        CHECK(std::abs(mean - lambda) <= 5 * std::sqrt(lambda / n));
        CHECK(std::abs(variance - lambda) <= 5 * std::sqrt((2 * lambda * lambda + lambda) / n) + 1e-12);
    }
    // Raising one kind's rate leaves the other kinds' counts as they were.
    std::vector<double> more = rates, moved(one.size());
    more[0] = 20.0;
    tt::event_counts(more.data(), paths, steps, dt, 5, moved.data());
    for (std::size_t c = 1; c < one.size(); c += tt::kEvents) REQUIRE(moved[c] == one[c]);
    CHECK_THROWS_WITH(tt::event_counts(std::vector<double>{1, -1, 0, 0, 0}.data(), 1, 1, dt, 5, few.data()),
                      "rate of event kind 1 must be >= 0, got -1");
}
