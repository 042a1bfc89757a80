// Cash-flow measures over one series or a batch of series (one row per series).
// Conventions follow numpy-financial: values[0] is the flow at time 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "trustcost/finance/discount.hpp"

namespace trustcost::finance {

// A read-only row-major batch: rows series of cols periods each.
struct Series {
    const double* data;
    std::size_t rows;
    std::size_t cols;
    const double* row(std::size_t i) const { return data + i * cols; }
};

// Net present value of each row. `rates` holds one rate, or one per row (rates_size == rows).
// Throws std::invalid_argument naming values[row, col] when a flow is not finite.
void npv(const Series& values, const double* rates, std::size_t rates_size, Timing timing,
         double* out);

// Internal rate of return of each row: the rate r > -1 with npv(r) = 0, found by TOMS 748
// on a bracket and polished by Newton steps. A row whose flows never change sign gets NaN.
// With several roots the one closest to 0 is returned (numpy-financial's choice); all roots
// of a series come from irr_all.
void irr(const Series& values, double* out);

// Every rate r > -1 where npv(r) = 0, ascending (companion-matrix eigenvalues, then polished).
std::vector<double> irr_all(const double* values, std::size_t n);

// Net present value of dated flows: days[i] counts days from an origin; time is measured from
// the first flow in years of 365 days (Actual/365 Fixed), like Excel's XNPV.
double xnpv(double rate, const double* amounts, const std::int64_t* days, std::size_t n);
double xirr(const double* amounts, const std::int64_t* days, std::size_t n);

// First period in which the cumulative (discounted, when rate is given) flow is >= 0; with
// `fractional` the crossing is interpolated linearly inside that period. NaN when it never is.
void payback(const Series& values, const double* rate, bool fractional, double* out);

// NIST Handbook 135 comparison of an alternative against a base, from present values of the
// alternative's operational savings and its additional investment.
double sir(double pv_savings, double pv_investment);
double airr(double sir_value, double reinvestment_rate, double n);

}  // namespace trustcost::finance
