// Monte Carlo lifetime cost: agreement with the expected-value model, reproducibility, pairing.
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "trustcost/core/parallel.hpp"
#include "trustcost/lcc/evaluate.hpp"
#include "trustcost/uncertainty/lanes.hpp"
#include "trustcost/uncertainty/path_sums.hpp"
#include "trustcost/uncertainty/simulate.hpp"

using namespace trustcost;
using lcc::ItemKind;

namespace {
// One offer: purchase, Weibull failures with block replacement every 3 years, supplier risk.
struct Fixture {
    std::vector<std::int32_t> kind{0, 3, 4, 5};
    std::vector<std::int32_t> category{0, 1, 2, 3};
    std::vector<double> params{
        100000, 0, 0, 0, 0, 0, 0, 0,        // purchase in year 0
        5000, 1, 10, 0.02, 0, 2.0, 4.0, 3,   // failures: shape 2, scale 4, tau 3, 2% escalation
        8000, 1, 10, 0.0, 0, 0, 0, 3,        // preventive renewal every 3 years
        20000, 1, 10, 0.0, 0, 0.05, 3000, 0, // default probability 5%, premium 3000 a year after
    };
    std::vector<std::int64_t> start{0, 4};
    std::vector<std::uint64_t> events{1, 2, 2, 3};
    lcc::StudySpec study{10, 0.04, finance::Timing::End, 0.0, 4};
    lcc::Items items() const { return {kind.data(), category.data(), params.data(), start.data(), 1}; }
};

struct Run {
    std::vector<double> pv, mean, se, inputs, yearly;
    uncertainty::PathSums sums;
};

Run run(const Fixture& f, std::size_t paths, std::uint64_t seed, const std::vector<uncertainty::Input>& inputs = {},
        const std::vector<uncertainty::Binding>& bindings = {}, std::uint64_t first_path = 0, bool keep_years = false) {
    Run r{std::vector<double>(paths), std::vector<double>(4), std::vector<double>(4),
          std::vector<double>(paths * inputs.size()), std::vector<double>(keep_years ? paths * 11 : 0), {}};
    const uncertainty::SimulationPlan plan{inputs, bindings, f.events, first_path, paths, seed, first_path + paths, keep_years};
    r.sums = uncertainty::simulate(f.study, f.items(), plan,
                                   {r.pv.data(), r.inputs.data(), keep_years ? r.yearly.data() : nullptr});
    uncertainty::summarize(r.sums, r.mean.data(), r.se.data());
    return r;
}

template <class T>
std::vector<T> concatenated(const std::vector<Run>& runs, std::vector<T> Run::*field) {
    std::vector<T> all;
    for (const Run& r : runs) all.insert(all.end(), (r.*field).begin(), (r.*field).end());
    return all;
}
}  // namespace

TEST_CASE("the Monte Carlo mean of each category converges to the expected-value model") {
    const Fixture f;
    std::vector<double> costs(11 * 4), expected(4);
    lcc::evaluate(f.study, f.items(), costs.data(), expected.data());
    const Run r = run(f, 200000, 7);
    for (std::size_t c = 0; c < 4; ++c) {
        INFO("category " << c);
        CHECK(std::abs(r.mean[c] - expected[c]) < 5 * r.se[c] + 1e-6 * std::abs(expected[c]));
    }
}

TEST_CASE("results are bit-identical whatever the thread count") {
    const Fixture f;
    core::set_num_threads(1);
    const Run one = run(f, 5000, 3);
    core::set_num_threads(2);
    const Run two = run(f, 5000, 3);
    CHECK(one.pv == two.pv);
    CHECK(one.mean == two.mean);
    CHECK(run(f, 5000, 4).pv != one.pv);
}

TEST_CASE("ranges of paths give exactly the rows and the sums of one run, whatever the thread count") {
    const Fixture f;
    const std::vector<uncertainty::Input> inputs{{stats::Distribution::gamma(3.0, 20000.0), 99}};
    const std::vector<uncertainty::Binding> bindings{{3, lcc::kAmount, uncertainty::Effect::Replace, 0, 1.0}};
    const bool keep_years = GENERATE(false, true);  // the per-item routes, and everything year by year
    INFO("keep_years " << keep_years);
    core::set_num_threads(2);
    const Run whole = run(f, 5000, 3, inputs, bindings, 0, keep_years);
    // Splits inside blocks, on block edges, a range within one block, and a one-path range.
    const std::vector<std::uint64_t> cuts{0, 1, 700, 1024, 1030, 2048, 2049, 4100, 5000};
    std::vector<Run> parts;
    std::vector<uncertainty::PathSums> sums;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        core::set_num_threads(k % 2 == 0 ? 1 : 2);
        parts.push_back(run(f, cuts[k + 1] - cuts[k], 3, inputs, bindings, cuts[k], keep_years));
        sums.push_back(parts.back().sums);
    }
    CHECK(concatenated(parts, &Run::pv) == whole.pv);
    CHECK(concatenated(parts, &Run::inputs) == whole.inputs);
    CHECK(concatenated(parts, &Run::yearly) == whole.yearly);
    const uncertainty::PathSums merged = uncertainty::merge(sums);
    CHECK(merged.sums == whole.sums.sums);
    CHECK(merged.edges == whole.sums.edges);
    std::vector<double> mean(4), se(4);
    uncertainty::summarize(merged, mean.data(), se.data());
    CHECK(mean == whole.mean);
    CHECK(se == whole.se);
    // A range that does not start at path 0 merges the same way.
    const Run tail = run(f, 3000, 3, inputs, bindings, 2000, keep_years);
    const auto tail_sums = uncertainty::merge(
        {run(f, 1500, 3, inputs, bindings, 2000, keep_years).sums, run(f, 1500, 3, inputs, bindings, 3500, keep_years).sums});
    CHECK(tail_sums.sums == tail.sums.sums);
    CHECK(std::vector<double>(whole.pv.begin() + 2000, whole.pv.end()) == tail.pv);
    CHECK_THROWS_WITH(uncertainty::merge({sums[0], sums[2]}), "part 1 must start at path 1 (right after part 0), got first_path 700");
}

TEST_CASE("with certain events a path is costed exactly as evaluate() costs the item") {
    // The Monte Carlo shares evaluate()'s per-year costing: a supplier that surely defaults in
    // its first year (q = 1) or never (q = 0), a nominal recurring cost and a purchase give the
    // same bits on every path, year by year and discounted.
    for (const double q : {0.0, 1.0}) {
        INFO("default probability " << q);
        const std::vector<std::int32_t> kind{0, 1, 5}, category{0, 1, 2};
        const std::vector<double> params{
            100000, 0, 0, 0, 0, 0, 0, 0,         // purchase
            1200, 1, 10, 0.03, 1, 0, 0, 0,       // nominal recurring, 3% escalation
            20000, 1, 10, 0.02, 0, q, 3000, 0,   // switching cost, premium after the default
        };
        const std::vector<std::int64_t> start{0, 3};
        const lcc::StudySpec study{10, 0.04, finance::Timing::Mid, 0.02, 3};
        const lcc::Items items{kind.data(), category.data(), params.data(), start.data(), 1};
        std::vector<double> costs(11 * 3), expected(3);
        lcc::evaluate(study, items, costs.data(), expected.data());
        const std::size_t paths = 50;
        std::vector<double> pv(paths), yearly(paths * 11);
        const uncertainty::SimulationPlan plan{{}, {}, {1, 2, 3}, 0, paths, 9, 0, true};
        const auto sums = uncertainty::simulate(study, items, plan, {pv.data(), nullptr, yearly.data()});
        double total = 0.0;
        for (double c : expected) total += c;
        for (std::size_t j = 0; j < paths; ++j) {
            REQUIRE(pv[j] == Approx(total).epsilon(1e-15));
            for (std::size_t y = 0; y < 11; ++y)
                REQUIRE(yearly[j * 11 + y] == (costs[y * 3] + costs[y * 3 + 1]) + costs[y * 3 + 2]);
        }
        std::vector<double> mean(3), se(3);
        uncertainty::summarize(sums, mean.data(), se.data());
        for (std::size_t c = 0; c < 3; ++c) CHECK(mean[c] == Approx(expected[c]).epsilon(1e-14));
    }
}

TEST_CASE("every vector build gives the same paths to a few ulps, and is thread-count exact") {
    const Fixture f;
    const std::string before = uncertainty::lanes::kernels().name;
    std::vector<Run> runs;
    for (const auto& name : uncertainty::lanes::available()) {
        INFO(name);
        uncertainty::lanes::use(name);
        core::set_num_threads(1);
        runs.push_back(run(f, 3001, 9));
        core::set_num_threads(2);
        CHECK(run(f, 3001, 9).pv == runs.back().pv);
    }
    uncertainty::lanes::use(before);
    REQUIRE_THROWS_AS(uncertainty::lanes::use("sse9"), std::invalid_argument);
    for (const Run& r : runs)
        for (std::size_t j = 0; j < r.pv.size(); ++j) REQUIRE(std::abs(r.pv[j] - runs[0].pv[j]) <= 1e-9 * std::abs(runs[0].pv[j]));
}

TEST_CASE("an uncertain amount moves the present value by its discounted draw") {
    const Fixture f;
    const std::vector<uncertainty::Input> inputs{{stats::Distribution::uniform(90000, 110000), 99}};
    const std::vector<uncertainty::Binding> bindings{{0, lcc::kAmount, uncertainty::Effect::Replace, 0, 1.0}};
    const Run fixed = run(f, 1000, 5), uncertain = run(f, 1000, 5, inputs, bindings);
    for (std::size_t p = 0; p < 1000; ++p) {
        const double draw = uncertain.pv[p] - fixed.pv[p] + 100000;  // same events, year-0 amount
        REQUIRE(draw >= 90000 - 1e-6);
        REQUIRE(draw <= 110000 + 1e-6);
    }
}

TEST_CASE("bad arguments are rejected") {
    const Fixture f;
    CHECK_THROWS_WITH(run(f, 0, 1), "paths must be > 0, got 0");
    const std::vector<uncertainty::Input> inputs{{stats::Distribution::fixed(1), 1}};
    const std::vector<uncertainty::Binding> bad{{9, 0, uncertainty::Effect::Replace, 0, 1.0}};
    CHECK_THROWS_WITH(run(f, 10, 1, inputs, bad), "binding 0: item must be < 4, got 9");
    const std::vector<uncertainty::Binding> bad_param{{0, 8, uncertainty::Effect::Replace, 0, 1.0}};
    CHECK_THROWS_WITH(run(f, 10, 1, inputs, bad_param), "binding 0: param must be < 8, got 8");
    const std::vector<uncertainty::Binding> bad_effect{{0, 0, static_cast<uncertainty::Effect>(7), 0, 1.0}};
    CHECK_THROWS_WITH(run(f, 10, 1, inputs, bad_effect), "effect must be 0..2, got 7");
    const std::vector<uncertainty::Binding> bad_factor{{0, 0, uncertainty::Effect::Multiply, 0, std::nan("")}};
    CHECK_THROWS_WITH(run(f, 10, 1, inputs, bad_factor), "binding 0: factor must be finite, got nan");
    uncertainty::SimulationPlan short_events{{}, {}, {1, 2}, 0, 10, 1, 0, false};
    std::vector<double> pv(10);
    CHECK_THROWS_WITH(uncertainty::simulate(f.study, f.items(), short_events, {pv.data(), nullptr, nullptr}),
                      "event_streams must have one key per item (4), got 2");
    CHECK(uncertainty::effect_factor(uncertainty::Effect::MultiplyOnePlus, 0.25) == 0.8);
    CHECK_THROWS_WITH(uncertainty::effect_factor(uncertainty::Effect::Multiply, 0.0),
                      "mean must not be 0 for a multiplying input (it scales another field), got 0");
    CHECK_THROWS_WITH(run(f, 10, 1, {}, {}, ~std::uint64_t{0} - 5),
                      "first_path + paths must be < 2**64, got first_path 18446744073709551610 and paths 10");
}

TEST_CASE("the standard error holds where the sum-of-squares formula cancels") {
    // Paths of 1e9 +- 0.5 alternating: mean 1e9, sample variance 0.25 n / (n - 1) exactly. The
    // raw formula (sum x^2 - n mean^2) / (n - 1) subtracts two numbers near 1e21 whose spacing
    // is ~1e5 and keeps no digit of it; squares about each block's mean keep all of them.
    const std::size_t n = 3000;  // three blocks, the last one partial
    std::vector<double> values(n);
    for (std::size_t j = 0; j < n; ++j) values[j] = 1e9 + (j % 2 == 0 ? 0.5 : -0.5);
    uncertainty::PathSums sums(0, n, 1);
    for (std::size_t b = 0; b < sums.blocks(); ++b) {
        const auto [begin, end] = sums.covered(b);
        uncertainty::block_sums(values.data() + begin, 1, 1, 1, begin, static_cast<std::size_t>(end - begin),
                                sums.sums.data() + b * 2);
    }
    double mean = 0.0, se = 0.0;
    uncertainty::summarize(sums, &mean, &se);
    const double exact_variance = 0.25 * n / (n - 1.0);
    CHECK(mean == 1e9);
    CHECK(se == Approx(std::sqrt(exact_variance / n)).epsilon(1e-9));
    double raw = 0.0, total = 0.0;
    for (double x : values) raw += x * x, total += x;
    const double m = total / n, old_variance = (raw - n * m * m) / (n - 1.0);
    // The old formula's cancellation: every square rounds to 1e18 +- 1e9 (the 0.25 lost), so it gives 0.
    CHECK(std::abs(old_variance - exact_variance) > 0.5 * exact_variance);
}
