// Streaming sums of a Monte Carlo run, mergeable bit for bit: a run over paths [a, b) and a run
// over [b, c) merge into exactly the sums (and so the mean and standard error) of one run over
// [a, c), whatever the thread counts. Paths are summed in blocks of kPathBlock counted from
// path 0, each block in a fixed order, and the blocks added in order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace trustcost::uncertainty {

constexpr std::size_t kPathBlock = 1024;  // paths per block: blocks start at multiples of it

struct PathSums {
    std::uint64_t first_path = 0;
    std::uint64_t paths = 0;
    std::size_t cells = 0;      // values per path (offers x categories)
    std::vector<double> sums;   // per block touched, in order: cells x (sum, squares about the block mean)
    // Values of the paths of a block the range covers only in part (at most its first and last
    // block), path by path, cells values each: a neighbouring range completes the block.
    std::vector<double> edges;

    PathSums() = default;
    // Sized for the range, sums and edges zero.
    PathSums(std::uint64_t first_path, std::uint64_t paths, std::size_t cells);

    std::uint64_t first_block() const { return first_path / kPathBlock; }
    std::size_t blocks() const;
    // Paths [begin, end) of block k (absolute number) that the range covers.
    std::pair<std::uint64_t, std::uint64_t> covered(std::uint64_t block) const;
    bool whole(std::uint64_t block) const;
    // Offset (in paths) into `edges` of block k's paths; k must be partly covered.
    std::size_t edge_offset(std::uint64_t block) const;
};

// Sums of one block's values, value(c, j) = values[c * cell_step + j * path_step] for cell c and
// path first_path + j (j < n), into sums[2 c] (the sum) and sums[2 c + 1] (the sum of squared
// deviations from the block's mean, a second pass: no cancellation). Four running sums by path
// number modulo 4 (a single chain of adds is slow), so a block summed from the values of
// several ranges gives the same bits.
void block_sums(const double* values, std::size_t cell_step, std::size_t path_step, std::size_t cells,
                std::uint64_t first_path, std::size_t n, double* sums);

// The sums of one run over the union of `parts`, which must be adjacent ranges in path order
// with the same cells.
PathSums merge(const std::vector<PathSums>& parts);

// Mean and standard error of the mean of every cell (the sample variance with n - 1).
void summarize(const PathSums& sums, double* mean, double* std_error);

}  // namespace trustcost::uncertainty
