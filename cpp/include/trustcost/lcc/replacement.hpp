// When to replace: the economic life of an asset and the optimal age-replacement interval.
#pragma once

#include <cstddef>
#include <vector>

namespace trustcost::lcc {

// Equivalent annual cost of keeping an asset for n = 1..ages years and then selling it:
// EAC(n) = [price + sum_{t=1..n} c_t (1+i)^-t - S_n (1+i)^-n] * crf(i, n)
// (e.g. Blank & Tarquin, Engineering Economy, ch. 11 "economic service life").
// operating_costs[t-1] = c_t and salvage_values[n-1] = S_n, each of length `ages`.
std::vector<double> economic_life_eac(double price, const double* operating_costs,
                                      const double* salvage_values, std::size_t ages, double rate);

struct AgeReplacement {
    double interval;   // T*, infinite when replacing only at failure is best
    double cost_rate;  // C(T*) per unit time
};

// Long-run cost per unit time of replacing a Weibull item at age T or at failure, whichever
// comes first (Barlow & Proschan 1965, ch. 4): C(T) = (cp R(T) + cf F(T)) / int_0^T R(t) dt.
double age_replacement_cost_rate(double shape, double scale, double preventive_cost,
                                 double failure_cost, double interval);

// Minimises C(T). The optimum solves r(T) int_0^T R - F(T) = cp / (cf - cp), whose left side
// rises from 0 when the hazard r rises (shape > 1); it is bracketed by doubling and solved by
// TOMS 748. With shape <= 1 or cf <= cp no finite T beats failure-only replacement.
AgeReplacement optimal_age_replacement(double shape, double scale, double preventive_cost,
                                       double failure_cost);

}  // namespace trustcost::lcc
