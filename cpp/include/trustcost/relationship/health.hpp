// Relationship health without purchase data: health h in [0, 1] erodes at rate delta and is
// restored by maintenance effort u(t) (contact hours, engineers' visits) with saturation,
//     dh/dt = -delta h + k u(t) (1 - h),
// the Vidale-Wolfe (1957) sales-response equation ("An Operations-Research Study of Sales Response
// to Advertising", Operations Research 5(3), 370-381) with health in place of market share.
// For constant u it is linear with equilibrium h* = k u / (delta + k u) and speed delta + k u.
#pragma once

#include <cstddef>

namespace trustcost::relationship::health {

// Health at the end of `duration` under constant effort u, from h0 (closed form).
double after(double h0, double decay_rate, double effect, double effort, double duration);

// Health at each of `times` (sorted, >= 0) under piecewise-constant effort: efforts[j] applies
// from starts[j] (starts[0] = 0, increasing) to the next start, the last one for ever.
void path(double h0, double decay_rate, double effect, const double* starts, const double* efforts,
          std::size_t pieces, const double* times, std::size_t n, double* out);

// Smallest constant effort whose equilibrium is `threshold`: u = delta theta / (k (1 - theta)).
// std::invalid_argument where none exists (threshold 1, or effect 0 with threshold > 0);
// std::overflow_error where it exceeds a double.
double effort_to_hold(double threshold, double decay_rate, double effect);

// Time until health falls (or rises) from h0 to `threshold` under constant effort; inf if never
// (std::overflow_error if reached, but later than a double can hold).
double time_to_threshold(double h0, double threshold, double decay_rate, double effect, double effort);

}  // namespace trustcost::relationship::health
