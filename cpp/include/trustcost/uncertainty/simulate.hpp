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
#include "trustcost/stats/distributions.hpp"
#include "trustcost/uncertainty/path_sums.hpp"

namespace trustcost::uncertainty {

// An uncertain input: one draw per path from `distribution` on its own named stream. Inputs that
// share a stream (the same element and field in several offers) get the same uniform on each
// path: paired sampling, or common random numbers.
struct Input {
    stats::Distribution distribution;
    std::uint64_t stream;
};

// How a sampled input x sets item parameter `param`: Replace p = factor x; Scale p *= factor x
// (factor = 1 / mean: a multiplicative part of a product such as hours x rate); ScaleOnePlus
// (1 + p) *= factor (1 + x) (a growth rate compounded with another).
enum class Effect : std::int32_t { Replace = 0, Scale = 1, ScaleOnePlus = 2 };

struct Binding {
    std::size_t item;
    std::size_t param;
    Effect effect;
    std::size_t input;
    double factor;
};

// Per-path outputs, row r for path first_path + r.
struct Output {
    double* present_values;       // paths x offers
    double* inputs;               // sampled values, inputs per row, of the paths numbered below input_paths, or nullptr
    std::uint64_t input_paths;    // inputs are kept for the paths numbered 0..input_paths-1 (of the whole run)
    double* yearly;               // paths x offers x years (real, undiscounted), or nullptr
};

// `event_streams[item]` keys the failure and default events of each item: items with the same
// key (an element's failure cost and its downtime) see the same events. Simulates paths
// [first_path, first_path + paths) and returns their present values' sums by offer and
// category (cells offer * categories + category), from which summarize() gives the mean and
// standard error.
PathSums simulate(const lcc::StudySpec& study, const lcc::Items& items, const std::vector<Input>& inputs,
                  const std::vector<Binding>& bindings, const std::uint64_t* event_streams, std::uint64_t first_path,
                  std::size_t paths, std::uint64_t seed, const Output& out, const core::Progress& progress = {});

}  // namespace trustcost::uncertainty
