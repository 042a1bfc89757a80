#include "trustcost/trust/dynamics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"

namespace trustcost::trust {

using core::invalid;

namespace {

constexpr std::size_t kBlock = 64;  // paths per parallel block

constexpr const char* kEventNames[kEvents] = {"promise_kept", "promise_broken", "complaint_resolved",
                                              "complaint_ignored", "contact"};

Evidence add(const Reputation& p, Evidence e, std::size_t kind, double count) {
    const double w = p.weight[kind] * count;
    (kPositive[kind] ? e.positive : e.negative) += w;
    return e;
}

}  // namespace

void validate(const Reputation& p) {
    core::require_probability(p.baseline, "baseline");
    core::require_positive(p.prior_weight, "prior_weight");
    if (!(p.half_life > 0.0)) throw invalid("half_life must be > 0, got ", p.half_life);
    for (std::size_t k = 0; k < kEvents; ++k)
        core::require_non_negative(p.weight[k], std::string("weight of ") + kEventNames[k]);
}

double expectation(const Reputation& p, const Evidence& e) {
    return (e.positive + p.prior_weight * p.baseline) / (e.positive + e.negative + p.prior_weight);
}

Evidence forget(const Reputation& p, const Evidence& e, double dt) {
    if (std::isinf(p.half_life) || dt == 0.0) return e;
    const double keep = std::exp2(-dt / p.half_life);
    return {e.positive * keep, e.negative * keep};
}

Evidence start_from(const Reputation& p, double trust, double weight) {
    core::require_probability(trust, "initial_trust");
    core::require_non_negative(weight, "initial_weight");
    // Solve (r + W a) / (weight + W) = trust with r + s = weight.
    const double r = trust * (weight + p.prior_weight) - p.prior_weight * p.baseline;
    const double s = weight - r;
    const double tol = 1e-12 * (weight + p.prior_weight);
    if (r < -tol || s < -tol) {
        const double lo = p.prior_weight * p.baseline / (weight + p.prior_weight);
        const double hi = (weight + p.prior_weight * p.baseline) / (weight + p.prior_weight);
        throw invalid("initial_trust must be in [", lo, ", ", hi, "] with initial_weight ", weight,
                      " (evidence cannot be negative); got ", trust, ": raise initial_weight");
    }
    return {std::max(r, 0.0), std::max(s, 0.0)};
}

void replay(const Reputation& p, Evidence e, double t0, const double* times, const std::int32_t* kinds,
            const double* strength, std::size_t n, const double* query, std::size_t m, double* after, double* at) {
    validate(p);
    core::require_finite(t0, "start");
    double previous = t0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string row = "events row " + std::to_string(i) + ": ";
        if (!std::isfinite(times[i])) throw invalid(row, "time must be finite, got ", times[i]);
        if (times[i] < previous)
            throw invalid(row, "time must not go back (events out of time order), got ", times[i], " after ",
                          previous);
        if (kinds[i] < 0 || kinds[i] >= kEvents) throw invalid(row, "kind must be 0..", kEvents - 1, ", got ", kinds[i]);
        core::require_non_negative(strength[i], row + "strength");
        previous = times[i];
    }
    previous = t0;
    for (std::size_t j = 0; j < m; ++j) {
        if (!std::isfinite(query[j]) || query[j] < previous)
            throw invalid("times must be finite, non-decreasing and >= start, got ", query[j], " at position ", j);
        previous = query[j];
    }
    double now = t0;
    std::size_t j = 0;
    // Query times equal to an event time see the state after that event; "equal" allows for
    // round-off (grid k * step against an event at k / 12), 1e-9 years is about 30 ms.
    for (std::size_t i = 0; i <= n; ++i) {
        const double next = i < n ? times[i] : std::numeric_limits<double>::infinity();
        for (; j < m && query[j] < next - 1e-9; ++j) at[j] = expectation(p, forget(p, e, std::max(0.0, query[j] - now)));
        if (i == n) break;
        e = add(p, forget(p, e, next - now), static_cast<std::size_t>(kinds[i]), strength[i]);
        now = next;
        after[3 * i] = expectation(p, e);
        after[3 * i + 1] = e.positive;
        after[3 * i + 2] = e.negative;
    }
}

void evolve(const Reputation& p, Evidence start, const double* counts, std::size_t paths, std::size_t steps,
            double dt, double* trust) {
    validate(p);
    core::require_positive(dt, "dt");
    for (std::size_t i = 0; i < paths * steps * kEvents; ++i)
        if (!(counts[i] >= 0.0)) throw invalid("counts must be >= 0, got ", counts[i], " at flat position ", i);
    const double keep = std::isinf(p.half_life) ? 1.0 : std::exp2(-dt / p.half_life);
    core::parallel_for(paths, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t path = begin; path < end; ++path) {
            Evidence e = start;
            double* out = trust + path * (steps + 1);
            out[0] = expectation(p, e);
            for (std::size_t t = 0; t < steps; ++t) {
                e.positive *= keep, e.negative *= keep;
                const double* c = counts + (path * steps + t) * kEvents;
                for (std::size_t k = 0; k < kEvents; ++k) e = add(p, e, k, c[k]);
                out[t + 1] = expectation(p, e);
            }
        }
    });
}

}  // namespace trustcost::trust
