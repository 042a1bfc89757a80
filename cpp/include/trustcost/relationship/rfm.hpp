// Recency-frequency-monetary summaries of transaction logs, and checks of such summaries.
#pragma once

#include <cstddef>
#include <cstdint>

namespace trustcost::relationship {

// Per-customer reduction of a transaction log with the semantics of lifetimes'
// summary_data_from_transaction_data: transactions in the same period are merged (their values
// summed), the first period is not counted in `frequency`, recency = last - first period,
// T = end_period - first period, monetary value = mean of the repeat periods' sums (0 without).
// customer[i] in [0, customers) (factorized ids), period[i] an integer period number <= end_period,
// value may be nullptr. Outputs have `customers` entries; monetary may be nullptr. With
// `include_first` the first period counts too (frequency = periods with purchases, monetary = mean
// over all of them), as lifetimes' include_first_transaction.
void rfm_summary(const std::int64_t* customer, const std::int64_t* period, const double* value, std::size_t n,
                 std::size_t customers, std::int64_t end_period, double* frequency, double* recency, double* T,
                 double* monetary, bool include_first = false);

// Throws std::invalid_argument naming the column and the first bad row when frequency is negative
// or fractional, recency or T negative, recency > T, frequency 0 with recency > 0, or any is NaN.
void check_summary(const double* frequency, const double* recency, const double* T, std::size_t n);

}  // namespace trustcost::relationship
