// Random event counts that drive trust paths (trust::evolve): Poisson counts per step and kind on
// trustcost's counter-based streams, so a path's counts are a pure function of (seed, path).
#pragma once

#include <cstddef>
#include <cstdint>

#include "trustcost/core/parallel.hpp"

namespace trustcost::trust {

// counts[(path * steps + step) * kEvents + kind] ~ Poisson(rates[kind] * dt), drawn by inversion
// of uniform number `step` of path `path`'s sub-stream of the kind's stream: the same seed gives
// the same counts whatever the thread count, and the first paths of a run are those of a run
// with fewer paths. Paths run in parallel blocks. Throws std::invalid_argument for a negative
// or non-finite rate or dt; `progress` is polled between blocks of paths (false: core::Cancelled).
void event_counts(const double* rates, std::size_t paths, std::size_t steps, double dt, std::uint64_t seed,
                  double* counts, const core::Progress& progress = {});

}  // namespace trustcost::trust
