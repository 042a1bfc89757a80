// Scoring a customer base: the per-customer predictions of a fitted repeat-purchase model (P(alive),
// conditional expected purchases, customer lifetime value) over millions of rows.
//
// Customers share histories: a population observed in whole weeks holds far fewer distinct
// (x, T) pairs than customers. E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) E[Y(t) | alive at T, x],
// and the second factor (the costly one: a 2F1 for BG/NBD) depends on (x, T) only, so it is
// evaluated once per distinct (t, x, T) found by hashing the rows here, and P(alive) (a few
// logarithms) per row, or per distinct row where it is costly (Pareto/NBD). Work runs in
// core::parallel_for's fixed blocks: the results are bit-identical whatever the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

#include "trustcost/core/parallel.hpp"

namespace trustcost::relationship::scoring {

// A column of n values, or one value for every row (`broadcast`).
struct Column {
    const double* data = nullptr;
    bool broadcast = false;
    double operator[](std::size_t i) const { return data[broadcast ? 0 : i]; }
};

// The distinct rows of some columns, in order of first appearance (an open-addressing hash of the
// values' bits, -0.0 read as 0.0): `values` holds `width` numbers per distinct row, `index[i]` the
// distinct row of input row i.
struct Distinct {
    std::size_t width = 0;
    std::vector<double> values;
    std::vector<std::uint32_t> index;
    std::size_t size() const { return width ? values.size() / width : 0; }
    double at(std::size_t row, std::size_t column) const { return values[row * width + column]; }
};
Distinct distinct_rows(std::span<const Column> columns, std::size_t n);
inline Distinct distinct_rows(std::initializer_list<Column> columns, std::size_t n) {
    return distinct_rows(std::span<const Column>(columns.begin(), columns.size()), n);
}

// The total weight of each distinct row (its count without weights), summed in row order: a
// likelihood over customers is one over distinct rows weighted so.
std::vector<double> total_weights(const Distinct& distinct, const double* weights);

// The distinct rows renumbered in lexicographic order (NaN after every number), `index` with them:
// the order a fit sees does not then depend on the order of the customers, so a fit on one machine
// and one on partial counts from many (trustcost.distributed) add the same terms in the same order.
void sort_lexicographically(Distinct& distinct);

// P(alive) = 1 / (1 + a / (b_x + x) ((alpha + T) / (alpha + t_x))^(r + x)) of every row, the form
// of BG/NBD (b_x = b - 1, and 1 without repeat purchases: `certain_without_repeat`) and MBG/NBD
// (b_x = b): the logarithms and exponentials of a block at once (core::vecmath), in parallel.
// With check_rows, each block's rows are checked by the row rule (check_summary_block, rfm.hpp) just
// before they are scored: one pass over the data instead of two.
void alive_by_dropout_odds(double r, double alpha, double a, double b_x, bool certain_without_repeat, const double* x,
                           const double* t_x, const double* T, std::size_t n, double* out, bool check_rows = false);

// The repeat-purchase models whose customers can be scored.
enum class CountModel { bgnbd, mbgnbd, pareto_nbd };

// Each needs 4 finite positive parameters in the model's order; the rows are (frequency, recency,
// T) under the row rule of check_summary (rfm.hpp), checked here: a direct call is as safe as the
// Python one.
void p_alive(CountModel model, std::span<const double> params, const double* x, const double* t_x, const double* T,
             std::size_t n, double* out);

// E[Y(t) | x, t_x, T]; t is >= 0 and finite, per row or broadcast.
void expected_purchases(CountModel model, std::span<const double> params, Column t, const double* x,
                        const double* t_x, const double* T, std::size_t n, double* out);

// P(k purchases in the next t | x, t_x, T) = P(alive) P(k | alive, x, T) + (k == 0)(1 - P(alive));
// k whole and >= 0, t finite and >= 0, each per row or broadcast. The second factor once per
// distinct (k, t, x, T).
void conditional_probability_of_n_purchases(CountModel model, std::span<const double> params, Column k, Column t,
                                            const double* x, const double* t_x, const double* T, std::size_t n,
                                            double* out);

struct ValueOptions {
    int months = 12;                      // horizon, in months (0 .. 12000)
    double periods_per_month = 30.0;      // model time units in a month (30 days, 4.345 weeks, ...)
    double discount_rate = 0.01;          // monthly, > -1
};

// Customer lifetime value as lifetimes defines it: sum over months k = 1..months of the expected
// purchases in month k (E[Y(k c)] - E[Y((k - 1) c)], c = periods_per_month) times the Gamma-Gamma
// expected spend (FHL 2005 "RFM and CLV" eq. 5, spend_params p, q > 1, v), discounted by
// (1 + rate)^k. All months and the discounting in one pass: per distinct (x, T) the discounted sum
// of the increments of E[Y | alive], times P(alive) and the spend per row. monetary_value is
// finite and >= 0. Polls `progress` between blocks (Ctrl-C).
void customer_lifetime_value(CountModel model, std::span<const double> params, std::span<const double> spend_params,
                             const double* x, const double* t_x, const double* T, const double* monetary_value,
                             std::size_t n, const ValueOptions& options, double* out,
                             const core::Progress& progress = {});

}  // namespace trustcost::relationship::scoring
