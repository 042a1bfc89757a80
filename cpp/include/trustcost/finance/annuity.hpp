// Level annuities (loans, savings plans) with numpy-financial's names, argument order and sign
// convention (money paid out is negative): pv, fv, pmt, nper, ipmt, ppmt, rate; and mirr.
// `when` is 0 for payments at the end of each period, 1 for the beginning.
#pragma once

#include <cstddef>
#include <cstdint>

#include "trustcost/finance/measures.hpp"

namespace trustcost::finance {

double fv(double rate, double nper, double pmt, double pv, double when);
double pv(double rate, double nper, double pmt, double fv, double when);
double pmt(double rate, double nper, double pv, double fv, double when);
// NaN where no number of periods reaches fv (the logarithm's argument is not positive).
double nper(double rate, double pmt, double pv, double fv, double when);
// Interest and principal parts of payment number `per` (1-based; NaN for per < 1).
double ipmt(double rate, double per, double nper, double pv, double fv, double when);
double ppmt(double rate, double per, double nper, double pv, double fv, double when);

// Rate per period of an annuity by Newton's method from `guess`, as numpy-financial: a step
// below `tol` within `max_iter` steps ends it. Converged only when the rate is finite, > -1 and
// solves the equation to 1e-9 relative to its terms (numpy-financial checks the step alone).
struct RateResult {
    double rate;
    bool converged;
};
RateResult rate(double nper, double pmt, double pv, double fv, double when, double guess, double tol,
                unsigned max_iter);

// Batch forms over arguments broadcast to one length `size` (argument order as above): args[j]
// holds `size` values, or one value used for all when steps[j] is 0 (steps[j] is 0 or 1).
// Each element is validated (finite, rate > -1, when 0 or 1) and a bad one is named by index.
// The batches run vectorised (core::vecmath): they agree with the one-element functions to a
// few ulps, and an element's bits depend on its own arguments only, whatever the thread count.
enum class Annuity { FV, PV, PMT, NPER, IPMT, PPMT };
void annuity(Annuity kind, const double* const* args, const std::size_t* steps, std::size_t size, double* out);
void rate(const double* const* args, const std::size_t* steps, std::size_t size, double guess, double tol,
          unsigned max_iter, double* out, std::uint8_t* converged);

// Modified IRR of each row (NIST Handbook 135 / numpy-financial): the positive flows
// compounded at `reinvest_rate` to the end against the negative ones discounted at
// `finance_rate`: (FV+ / -PV-)^(1 / (n - 1)) (1 + reinvest) - 1. out is rows x rates_size
// (rate pair j for every row); NaN, with has_solution 0, where a row lacks flows of either sign.
void mirr(const Series& values, const double* finance_rate, const double* reinvest_rate, std::size_t rates_size,
          double* out, std::uint8_t* has_solution);

}  // namespace trustcost::finance
