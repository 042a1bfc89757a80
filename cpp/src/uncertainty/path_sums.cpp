#include "trustcost/uncertainty/path_sums.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "trustcost/core/errors.hpp"

namespace trustcost::uncertainty {

using core::invalid;

PathSums::PathSums(std::uint64_t first, std::uint64_t n, std::size_t cells_)
    : first_path(first), paths(n), cells(cells_) {
    if (n == 0) throw invalid("paths must be > 0, got 0");
    if (first > std::numeric_limits<std::uint64_t>::max() - n)
        throw invalid("first_path + paths must be < 2**64, got first_path ", first, " and paths ", n);
    sums.assign(blocks() * cells * 2, 0.0);
    std::size_t edge_paths = 0;
    const std::uint64_t last = first_block() + blocks() - 1;
    for (std::uint64_t k : {first_block(), last}) {
        if (!whole(k)) edge_paths += static_cast<std::size_t>(covered(k).second - covered(k).first);
        if (last == first_block()) break;
    }
    edges.assign(edge_paths * cells, 0.0);
}

std::size_t PathSums::blocks() const {
    return paths == 0 ? 0 : static_cast<std::size_t>((first_path + paths - 1) / kPathBlock - first_block() + 1);
}

std::pair<std::uint64_t, std::uint64_t> PathSums::covered(std::uint64_t block) const {
    const std::uint64_t begin = block * kPathBlock, end = begin + kPathBlock;
    return {std::max(begin, first_path), std::min(end, first_path + paths)};
}

bool PathSums::whole(std::uint64_t block) const {
    const auto [begin, end] = covered(block);
    return end - begin == kPathBlock;
}

std::size_t PathSums::edge_offset(std::uint64_t block) const {
    // Only the first block can come before it in `edges`.
    return block == first_block() || whole(first_block())
               ? 0
               : static_cast<std::size_t>(covered(first_block()).second - covered(first_block()).first);
}

void block_sums(const double* values, std::size_t cell_step, std::size_t path_step, std::size_t cells,
                std::uint64_t first_path, std::size_t n, double* sums) {
    for (std::size_t c = 0; c < cells; ++c) {
        const double* v = values + c * cell_step;
        double sum[4] = {}, squares[4] = {};
        for (std::size_t j = 0; j < n; ++j) sum[(first_path + j) % 4] += v[j * path_step];
        const double total = (sum[0] + sum[1]) + (sum[2] + sum[3]);
        // Squares about the block's own mean (a second pass over the block's values): the sum of
        // squares of raw values loses every digit of the variance when the mean dwarfs the spread.
        const double mean = total / static_cast<double>(n);
        for (std::size_t j = 0; j < n; ++j) {
            const double d = v[j * path_step] - mean;
            squares[(first_path + j) % 4] += d * d;
        }
        sums[c * 2] = total;
        sums[c * 2 + 1] = (squares[0] + squares[1]) + (squares[2] + squares[3]);
    }
}

PathSums merge(const std::vector<PathSums>& parts) {
    if (parts.empty()) throw invalid("parts must not be empty");
    std::uint64_t paths = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const PathSums& p = parts[i];
        if (p.cells != parts[0].cells) throw invalid("part ", i, " has ", p.cells, " cells, part 0 has ", parts[0].cells);
        if (p.first_path != parts[0].first_path + paths)
            throw invalid("part ", i, " must start at path ", parts[0].first_path + paths, " (right after part ", i - 1,
                          "), got first_path ", p.first_path);
        if (p.sums.size() != p.blocks() * p.cells * 2 || p.paths == 0)
            throw invalid("part ", i, " is malformed: ", p.sums.size(), " sums for ", p.blocks(), " blocks");
        paths += p.paths;
    }
    PathSums out(parts[0].first_path, paths, parts[0].cells);
    const std::size_t cells = out.cells;
    std::size_t part = 0;  // the first part that may overlap the block
    std::vector<double> values;
    for (std::size_t b = 0; b < out.blocks(); ++b) {
        const std::uint64_t k = out.first_block() + b;
        const auto [begin, end] = out.covered(k);
        while (parts[part].first_path + parts[part].paths <= begin) ++part;
        double* sums = out.sums.data() + b * cells * 2;
        const PathSums& p = parts[part];
        if (p.first_path <= begin && p.first_path + p.paths >= end) {
            // One part holds the block's paths: its sums (and values, if the block stays partial).
            std::copy_n(p.sums.data() + (k - p.first_block()) * cells * 2, cells * 2, sums);
            if (!out.whole(k))
                std::copy_n(p.edges.data() + p.edge_offset(k) * cells, (end - begin) * cells,
                            out.edges.data() + out.edge_offset(k) * cells);
            continue;
        }
        // Split between parts: their values, in path order, summed as one run sums them.
        values.clear();
        for (std::size_t q = part; q < parts.size() && parts[q].first_path < end; ++q) {
            const PathSums& r = parts[q];
            const auto [from, to] = r.covered(k);
            const double* v = r.edges.data() + r.edge_offset(k) * cells;
            values.insert(values.end(), v, v + (to - from) * cells);
        }
        block_sums(values.data(), 1, cells, cells, begin, static_cast<std::size_t>(end - begin), sums);
        if (!out.whole(k)) std::copy(values.begin(), values.end(), out.edges.data() + out.edge_offset(k) * cells);
    }
    return out;
}

void summarize(const PathSums& s, double* mean, double* std_error) {
    const double n = static_cast<double>(s.paths);
    for (std::size_t c = 0; c < s.cells; ++c) {
        // Blocks combined in order by Chan, Golub & LeVeque (1979): count, mean and squares about
        // the mean of the paths so far, updated by each block's own (never a raw sum of squares).
        double count = 0.0, m = 0.0, squares = 0.0, sum = 0.0;
        for (std::size_t b = 0; b < s.blocks(); ++b) {
            const auto [begin, end] = s.covered(s.first_block() + b);
            const double nb = static_cast<double>(end - begin);
            sum += s.sums[(b * s.cells + c) * 2];
            const double mb = s.sums[(b * s.cells + c) * 2] / nb;
            const double delta = mb - m, total = count + nb;
            m += delta * (nb / total);
            squares += s.sums[(b * s.cells + c) * 2 + 1] + delta * delta * (count * nb / total);
            count = total;
        }
        const double variance = s.paths > 1 ? squares / (n - 1.0) : 0.0;
        mean[c] = sum / n;  // the plain mean of the paths, as a reader recomputes it
        std_error[c] = std::sqrt(variance / n);
    }
}

}  // namespace trustcost::uncertainty
