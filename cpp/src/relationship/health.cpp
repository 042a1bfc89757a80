#include "trustcost/relationship/health.hpp"

#include <cmath>
#include <limits>

#include "trustcost/core/errors.hpp"

namespace trustcost::relationship::health {

namespace {
void check(double decay_rate, double effect) {
    core::require_positive(decay_rate, "decay_rate");
    core::require_non_negative(effect, "effect");
}
}  // namespace

double after(double h0, double decay_rate, double effect, double effort, double duration) {
    check(decay_rate, effect);
    core::require_probability(h0, "initial_health");
    core::require_non_negative(effort, "effort");
    core::require_non_negative(duration, "duration");
    const double speed = decay_rate + effect * effort;
    const double equilibrium = effect * effort / speed;
    return equilibrium + (h0 - equilibrium) * std::exp(-speed * duration);
}

void path(double h0, double decay_rate, double effect, const double* starts, const double* efforts,
          std::size_t pieces, const double* times, std::size_t n, double* out) {
    if (pieces == 0 || starts[0] != 0.0) throw core::invalid("effort_starts must begin at 0");
    for (std::size_t j = 1; j < pieces; ++j)
        if (!(starts[j] > starts[j - 1])) throw core::invalid("effort_starts must increase, got ", starts[j], " at row ", j);
    double h = h0, clock = 0.0;
    std::size_t piece = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!(times[i] >= clock)) throw core::invalid("times must be sorted and >= 0, got ", times[i], " at row ", i);
        // Advance piece by piece to times[i], chaining the closed form.
        while (piece + 1 < pieces && starts[piece + 1] <= times[i]) {
            h = after(h, decay_rate, effect, efforts[piece], starts[piece + 1] - clock);
            clock = starts[++piece];
        }
        h = after(h, decay_rate, effect, efforts[piece], times[i] - clock);
        clock = times[i];
        out[i] = h;
    }
}

double effort_to_hold(double threshold, double decay_rate, double effect) {
    check(decay_rate, effect);
    core::require_probability(threshold, "threshold");
    // No finite effort exists in these two cases: an error naming the argument, not an inf to compute with.
    if (threshold >= 1.0)
        throw core::invalid("threshold must be < 1: no finite effort holds health at 1 (the equilibrium ",
                            "k u / (delta + k u) only approaches it), got ", threshold);
    if (threshold == 0.0) return 0.0;
    if (effect == 0.0)
        throw core::invalid("effect must be > 0 to hold a threshold above 0 (effort without effect restores ",
                            "nothing), got 0");
    const double effort = decay_rate * threshold / (effect * (1.0 - threshold));
    if (!std::isfinite(effort))
        throw core::overflow("the effort to hold threshold ", threshold, " overflows double precision for this ",
                             "decay_rate (", decay_rate, ") and effect (", effect, ")");
    return effort;
}

double time_to_threshold(double h0, double threshold, double decay_rate, double effect, double effort) {
    check(decay_rate, effect);
    core::require_probability(h0, "initial_health");
    core::require_probability(threshold, "threshold");
    core::require_non_negative(effort, "effort");
    const double speed = decay_rate + effect * effort;
    const double equilibrium = effect * effort / speed;
    if (h0 == threshold) return 0.0;
    // h(t) - h* = (h0 - h*) e^{-speed t}: reachable only if threshold lies between h0 and h*.
    const double ratio = (threshold - equilibrium) / (h0 - equilibrium);
    if (!(ratio > 0.0 && ratio < 1.0)) return std::numeric_limits<double>::infinity();  // never: documented
    const double time = -std::log(ratio) / speed;
    if (!std::isfinite(time))  // reached, but later than a double can say: not the "never" inf
        throw core::overflow("the time to threshold overflows double precision for this decay_rate (", decay_rate,
                             "), effect (", effect, ") and effort (", effort, ")");
    return time;
}

}  // namespace trustcost::relationship::health
