// Trust as a state moved by events: a beta reputation with forgetting (Josang & Ismail 2002,
// "The Beta Reputation System", 15th Bled Electronic Commerce Conference).
//
// The state is positive evidence r and negative evidence s. Trust is the expected value of the
// beta distribution with a base rate a (the baseline) and prior weight W:
//     tau = (r + W a) / (r + s + W)
// (W = 2, a = 1/2 gives Josang & Ismail's E = (r + 1) / (r + s + 2)). Events add weighted
// evidence; negative events weigh more than positive ones (trust is lost faster than won).
// Evidence is forgotten continuously, r <- r 2^(-dt / half_life), so without events trust
// drifts back to the baseline a.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace trustcost::trust {

enum Event : std::int32_t {
    kPromiseKept = 0,
    kPromiseBroken = 1,
    kComplaintResolved = 2,
    kComplaintIgnored = 3,
    kContact = 4,
    kEvents = 5,
};

// Whether an event adds positive (true) or negative evidence.
constexpr std::array<bool, kEvents> kPositive{true, false, true, false, true};

struct Reputation {
    double baseline = 0.5;      // a: trust with no evidence, where trust decays to
    double prior_weight = 2.0;  // W: pseudo-evidence behind the baseline
    double half_life = 3.0;     // years for evidence to lose half its weight (inf: never)
    std::array<double, kEvents> weight{1.0, 3.0, 1.0, 3.0, 0.1};  // evidence per event
};

struct Evidence {
    double positive = 0.0;
    double negative = 0.0;
};

void validate(const Reputation& p);

double expectation(const Reputation& p, const Evidence& e);

// Evidence after dt years without events.
Evidence forget(const Reputation& p, const Evidence& e, double dt);

// Evidence adding up to `weight` with expectation `trust` (the starting state); throws naming
// initial_trust when no non-negative evidence of that total reaches it.
Evidence start_from(const Reputation& p, double trust, double weight);

// Replays an event log that starts at t0: times non-decreasing and >= t0, kinds 0..kEvents-1,
// strength >= 0 multiplies the event's weight. Writes trust and evidence after every event
// (after: n x 3 = trust, positive, negative) and trust at the sorted query times (at: m).
void replay(const Reputation& p, Evidence start, double t0, const double* times, const std::int32_t* kinds,
            const double* strength, std::size_t n, const double* query, std::size_t m, double* after, double* at);

// Batch of paths on a regular grid: counts is paths x steps x kEvents (events in each step,
// applied at its end after forgetting over dt). Writes trust paths x (steps + 1), column 0 the
// start.
void evolve(const Reputation& p, Evidence start, const double* counts, std::size_t paths, std::size_t steps,
            double dt, double* trust);

}  // namespace trustcost::trust
