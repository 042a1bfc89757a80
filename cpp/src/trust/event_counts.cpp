#include "trustcost/trust/event_counts.hpp"

#include <array>
#include <cmath>
#include <vector>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"
#include "trustcost/stats/poisson.hpp"
#include "trustcost/stats/random.hpp"
#include "trustcost/trust/dynamics.hpp"

namespace trustcost::trust {

void event_counts(const double* rates, std::size_t paths, std::size_t steps, double dt, std::uint64_t seed,
                  double* counts, const core::Progress& progress) {
    if (!(dt > 0.0 && std::isfinite(dt))) throw core::invalid("dt must be > 0 and finite, got ", dt);
    std::array<double, kEvents> mean{};
    std::vector<stats::Stream> streams;
    std::vector<stats::PoissonQuantile> count;
    for (std::size_t k = 0; k < kEvents; ++k) {
        if (!(rates[k] >= 0.0 && std::isfinite(rates[k]))) throw core::invalid("rate of event kind ", k, " must be >= 0, got ", rates[k]);
        mean[k] = rates[k] * dt;
        if (mean[k] > 1e12) throw core::invalid("rate x dt of event kind ", k, " must be <= 1e12, got ", mean[k]);
        // One stream per kind, named by it: a kind's counts do not move when another's rate does.
        streams.emplace_back(seed, stats::stream_id("trust.events") ^ stats::mix64(k + 1));
        count.emplace_back(mean[k]);
    }
    core::parallel_for(paths, 256, [&](std::size_t begin, std::size_t end) {
        for (std::size_t path = begin; path < end; ++path)
            for (std::size_t k = 0; k < kEvents; ++k) {
                const stats::Stream s = streams[k].substream(path);
                for (std::size_t step = 0; step < steps; ++step)
                    counts[(path * steps + step) * kEvents + k] = mean[k] == 0.0 ? 0.0 : count[k](s.uniform(step));
            }
    }, progress);
}

}  // namespace trustcost::trust
