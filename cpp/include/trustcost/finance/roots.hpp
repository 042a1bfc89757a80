// Every real rate of return of a cash-flow series, found without eigenvalues: the real roots
// are isolated first (Descartes' rule of signs), then each isolating bracket is solved with its
// convergence checked, so a returned rate is always a root. Polynomial brackets are solved by
// Newton steps kept inside the bracket (p' comes with p from one Horner pass; Boost's TOMS 748
// took about 2.5 us per 40-flow series here, more than the whole per-series budget); the dated
// sums by Halley steps in s = log(1 + r) on log(P / N) (inflows over outflows, nearly linear in
// s), its first two derivatives coming with the value from one pass over the flows.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "trustcost/core/parallel.hpp"

namespace trustcost::finance {

// Rates r > -1 at which the flows' NPV is zero, ascending and distinct. `converged` is false
// when a bracket's solve reached `max_iter` iterations: that bracket's root is left out.
struct Rates {
    std::vector<double> rates;
    bool converged = true;
};

// Scratch space reused between series so that a batch does not allocate per row.
struct RootWorkspace {
    struct Node {
        std::vector<double> q;  // the polynomial whose roots in (0, 1) map onto (lo, hi)
        double lo, hi;
        int depth;
    };
    std::vector<double> positive, negative, side, shifted, scratch, xs, ys;
    std::vector<Node> nodes;
    std::vector<std::pair<double, double>> brackets;
};

// Roots of sum_k c[k] (1 + r)^-k, i.e. of the polynomial p(x) = sum_k c[k] x^k at
// x = 1 / (1 + r) in (0, inf). Rates with r >= 0 are roots of p in (0, 1]; rates in (-1, 0)
// are roots in (0, 1) of the reversed polynomial in y = 1 / x = 1 + r. Each side is isolated
// by Vincent-Collins-Akritas bisection (Descartes' rule on (0, 1) after a Moebius map; see
// Collins & Akritas 1976, Rouillier & Zimmermann 2004), with a parity check as a safety net.
Rates polynomial_rates(const double* c, std::size_t n, unsigned max_iter, RootWorkspace& work);

// Roots of sum_i a[i] (1 + r)^-t[i] for real times t (ascending, distinct, a[i] != 0).
// In s = log(1 + r) this is an exponential sum over the whole real line. Laguerre's rule of
// signs bounds its roots by the sign changes of a; multiplying by exp(t_k s) and differentiating
// removes one term, so the roots of the shorter sum separate those of the longer one (Rolle):
// the roots are found from the shortest tail with one sign change up to the full sum, each
// between consecutive roots of the next shorter sum by safeguarded Newton steps in s.
// The work is O(n * k) evaluations of O(n) terms, k the index of the last sign change; beyond
// n * k = kDatedBudget it throws std::invalid_argument (aggregate the flows) instead of running
// long; `progress` is called after each level (returning false throws core::Cancelled).
// Most schedules never get there: where the rules of signs leave at most one root on each side
// of a pivot, each is solved directly from the pivot (see few_roots and one_root in roots.cpp);
// most of those with several rates are isolated from the same bounds at a ladder of pivots,
// bisected where a piece may hold more than one root, with interval bounds on the piece's sum
// and slope where a complex pair near the axis keeps the sign-change bounds high (pivot_walk
// and piece_count in roots.cpp). On 3,000 mixed-sign benchmark schedules none reaches Rolle.
inline constexpr double kDatedBudget = 9e8;
Rates dated_rates(const double* a, const double* t, std::size_t n, unsigned max_iter,
                  const core::Progress& progress = {});
// The same into `out` (its vector's capacity kept: a batch reuses one per thread).
void dated_rates(const double* a, const double* t, std::size_t n, unsigned max_iter, Rates& out,
                 const core::Progress& progress = {});

// numpy-financial's default choice among several rates (its _irr_default_selection): where
// rates of both signs exist only the non-negative ones are kept (its code compares the sum of
// the positive rates with the sum of the negative ones, a comparison the positive side always
// wins), then the one smallest in magnitude is taken. NaN for no rate.
double select_rate(const std::vector<double>& rates);

// The rate an analyst could report: where some rates lie in (kPlausibleLow, kPlausibleHigh) =
// (-99%, +1000%), select_rate among those only (flows of -320 and +1,644 a day apart have roots
// of -65.9% and 1.6e259 a year: the second is no answer); otherwise select_rate among all.
inline constexpr double kPlausibleLow = -0.99, kPlausibleHigh = 10.0;
// Both take the rates ascending, as Rates holds them.
double plausible_rate(const std::vector<double>& rates);

// The rate closest to `guess` (ties: the smaller); NaN for no rate.
double nearest_rate(const std::vector<double>& rates, double guess);

// Number of sign changes in a sequence, zeros skipped (Descartes' bound on positive roots).
int sign_changes(const double* c, std::size_t n);

}  // namespace trustcost::finance
