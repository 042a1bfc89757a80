// Monte Carlo lifetime cost: every uncertain input sampled, failures and supplier defaults
// drawn as events, present value per path and offer. Each path is a pure function of
// (seed, path), so results are bit-identical whatever the thread count, and a run over paths
// [a, b) gives exactly rows a..b-1 of a run over [0, b) (a run split over processes or machines).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "trustcost/core/parallel.hpp"
#include "trustcost/lcc/evaluate.hpp"
#include "trustcost/uncertainty/inputs.hpp"
#include "trustcost/uncertainty/path_sums.hpp"

namespace trustcost::uncertainty {

// What to simulate: the inputs and how they bind to items, the event keys of the items, and the
// range of paths. `event_streams[item]` keys the failure and default events of each item: items
// with the same key (an element's failure cost and its downtime) see the same events.
struct SimulationPlan {
    std::vector<Input> inputs;
    std::vector<Binding> bindings;
    std::vector<std::uint64_t> event_streams;  // one per item
    std::uint64_t first_path = 0;
    std::size_t paths = 0;
    std::uint64_t seed = 0;
    std::uint64_t input_paths = 0;  // inputs are kept for the paths numbered below this (of the whole run)
    // Costs per path, offer and year are kept. Every item is then costed year by year, which
    // agrees with the faster per-item routes to rounding, not bit for bit: ranges to be merged
    // must all keep years or all not.
    bool keep_years = false;
};

// Throws std::invalid_argument naming the field unless the plan is consistent in itself (paths,
// range, bindings' parameters, inputs, effects and factors); simulate() also checks it against
// the study's items.
void validate(const SimulationPlan& plan);

// Inputs kept for the plan's range of paths (the rows of Output::inputs).
std::size_t kept_input_rows(const SimulationPlan& plan);

// Per-path outputs, row r for path first_path + r.
struct Output {
    double* present_values;  // paths x offers
    double* inputs;          // kept_input_rows x inputs sampled values, or nullptr
    double* yearly;          // paths x offers x years (real, undiscounted) when keep_years, else nullptr
};

// Simulates paths [first_path, first_path + paths) and returns their present values' sums by
// offer and category (cells offer * categories + category), from which summarize() gives the
// mean and standard error.
PathSums simulate(const lcc::StudySpec& study, const lcc::Items& items, const SimulationPlan& plan, const Output& out,
                  const core::Progress& progress = {});

}  // namespace trustcost::uncertainty
