// Cash-flow measures over one series or a batch of series (one row per series).
// Conventions follow numpy-financial: values[0] is the flow at time 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <string_view>

#include "trustcost/core/parallel.hpp"
#include "trustcost/finance/discount.hpp"
#include "trustcost/finance/roots.hpp"

namespace trustcost::finance {

// A read-only row-major batch: rows series of cols periods each.
struct Series {
    const double* data;
    std::size_t rows;
    std::size_t cols;
    const double* row(std::size_t i) const { return data + i * cols; }
};

// Net present value of each row at each rate. With `pairwise`, rates_size is 1 or rows and
// row i is discounted at its own rate (out has rows values); otherwise every row is discounted
// at every rate, as numpy-financial does, and out is rates_size x rows (rate-major).
// Throws std::invalid_argument naming values[row, col] when a flow is not finite.
void npv(const Series& values, const double* rates, std::size_t rates_size, Timing timing, bool pairwise,
         double* out);

// How a series' IRR came out.
enum class IrrStatus : std::uint8_t { Found = 0, NoRealSolution = 1, IterationsExceeded = 2 };

// Internal rate of return of each row: all rates are found by finance::polynomial_rates (real
// roots isolated by Descartes' rule, each solved in its bracket within max_iter iterations and
// checked), then one is chosen: by plausible_rate (numpy-financial's rule among the rates in
// (-99%, +1000%) where there are any), or the one nearest
// `guess` when guess is not NaN. A row with no rate, or whose solve did not converge, gets NaN
// and its status.
// `progress` may cancel between blocks of rows (core::Cancelled): a million rows take seconds.
void irr(const Series& values, unsigned max_iter, double guess, double* out, IrrStatus* status,
         const core::Progress& progress = {});

// Every rate r > -1 where npv(r) = 0, ascending and distinct; each one a checked root.
Rates irr_all(const double* values, std::size_t n, unsigned max_iter);

// Day-count conventions for dated flows (year fraction between two dates).
// Thirty360 is the US bond basis (ISDA 2006 4.16(f)), Thirty360E the Eurobond basis (4.16(g)),
// Thirty360SIA the SIA's US basis (the end of February counts as the 30th), ActActISDA 4.16(b).
enum class DayCount { Act365F, Act360, Thirty360, Thirty360E, Thirty360SIA, ActActISDA };
DayCount parse_day_count(std::string_view name);
// Year fraction from `origin` to each of days[0..n) under the day count (negative before it).
void year_fractions(std::int64_t origin, const std::int64_t* days, std::size_t n, DayCount day_count, double* out);

// Dated flows: days[i] counts days since 1970-01-01 of amounts[i]; dates in any order (they
// are sorted, same-day flows added). Time is measured in years from the earliest date under
// the day count (Actual/365 Fixed: Excel's XNPV/XIRR; 30/360: the US bond basis of ISDA 2006
// section 4.16(f)). The sizes must agree: n_amounts == n_days.
double xnpv(double rate, const double* amounts, std::size_t n_amounts, const std::int64_t* days,
            std::size_t n_days, DayCount day_count);
// Rate at which xnpv is zero, chosen among all roots like irr (or nearest `guess` unless NaN).
// Rates whose 1 + r is not representable above 0 or whose discounting overflows are not roots
// we can return: NaN then.
struct XirrResult {
    double rate;
    IrrStatus status;
};
XirrResult xirr(const double* amounts, std::size_t n_amounts, const std::int64_t* days, std::size_t n_days,
                DayCount day_count, unsigned max_iter, double guess, const core::Progress& progress = {});
// Many schedules in one call (a portfolio's funds, a customer base): group g holds the flows
// [offsets[g], offsets[g + 1]) (groups + 1 offsets, not decreasing), and its answer is exactly
// that of xnpv / xirr on those flows alone. Groups run in parallel in fixed blocks (results do
// not depend on the thread count); `progress` may cancel between blocks (core::Cancelled).
void xnpv_groups(double rate, const double* amounts, const std::int64_t* days, const std::size_t* offsets,
                 std::size_t groups, DayCount day_count, double* out, const core::Progress& progress = {});
void xirr_groups(const double* amounts, const std::int64_t* days, const std::size_t* offsets, std::size_t groups,
                 DayCount day_count, unsigned max_iter, double guess, double* out, IrrStatus* status,
                 const core::Progress& progress = {});
Rates xirr_all(const double* amounts, std::size_t n_amounts, const std::int64_t* days, std::size_t n_days,
               DayCount day_count, unsigned max_iter, const core::Progress& progress = {});

// First period in which the cumulative (discounted, when rate is given) flow is >= 0; with
// `fractional` the crossing is interpolated linearly inside that period. NaN when it never is.
void payback(const Series& values, const double* rate, bool fractional, double* out);

// NIST Handbook 135 comparison of an alternative against a base, from present values of the
// alternative's operational savings and its additional investment.
double sir(double pv_savings, double pv_investment);
double airr(double sir_value, double reinvestment_rate, double n);

}  // namespace trustcost::finance
