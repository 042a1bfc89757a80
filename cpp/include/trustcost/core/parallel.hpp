// Deterministic parallel loops: work is cut into fixed-size blocks, so every block computes
// the same thing whatever the thread count, and results are bit-identical. The helper threads
// are kept between calls (a call costs a wake-up, not a thread start).
#pragma once

#include <cstddef>
#include <functional>

namespace trustcost::core {

// Threads used by parallel_for; defaults to the hardware concurrency.
void set_num_threads(int n);
int num_threads();

// Called between blocks from the calling thread with (rows done, rows total); returning false
// cancels the remaining blocks and parallel_for throws Cancelled.
using Progress = std::function<bool(std::size_t done, std::size_t total)>;

struct Cancelled : std::exception {
    const char* what() const noexcept override { return "cancelled"; }
};

// Runs body(begin, end) over [0, n) in blocks of `block` rows. An exception in any block is
// rethrown after all threads stop (the one from the lowest block, for reproducible errors).
void parallel_for(std::size_t n, std::size_t block,
                  const std::function<void(std::size_t, std::size_t)>& body,
                  const Progress& progress = {});

}  // namespace trustcost::core
