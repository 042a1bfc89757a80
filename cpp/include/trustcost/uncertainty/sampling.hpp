// Draws of one uncertain input for a run of consecutive paths, by the vector kernels where the
// distribution's inverse CDF is simple, one path at a time otherwise.
#pragma once

#include <cstddef>
#include <cstdint>

#include "trustcost/stats/distributions.hpp"
#include "trustcost/stats/random.hpp"

namespace trustcost::uncertainty {

// out[j] = the draw of path (first_path + j): the same numbers as
// distribution.sample(stream.substream(first_path + j)), up to the last few bits.
void sample_paths(const stats::Distribution& distribution, const stats::Stream& stream, std::uint64_t first_path,
                  std::size_t n, double* out);

}  // namespace trustcost::uncertainty
