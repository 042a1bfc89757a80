// Contractual relationships: the shifted-beta-geometric (sBG) model of renewals.
// Fader & Hardie (2007), "How to project customer retention", Journal of Interactive Marketing
// 21(1), 76-90: each customer renews at the end of every period with probability 1 - theta,
// theta ~ Beta(alpha, beta) across customers. Residual value: Fader & Hardie (2010),
// "Customer-base valuation in a contractual setting: the perils of ignoring heterogeneity",
// Marketing Science 29(1), 85-93.
#pragma once

#include <cstddef>
#include <span>

#include "trustcost/relationship/fit.hpp"

namespace trustcost::relationship::sbg {

// Row = (t, lost): lost = 1 for a customer who left at renewal t (P(T = t) = B(alpha+1, beta+t-1)/B(alpha,beta)),
// lost = 0 for one still under contract after t renewal decisions (S(t) = B(alpha, beta+t)/B(alpha,beta)).
double row_log_likelihood(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                          std::span<double> grad);

// Weighted rows (weights = numbers of customers); throws std::invalid_argument on a bad row.
FitResult fit(const double* period, const double* lost, const double* weights, std::size_t n,
              const FitOptions& options = {});

// S(t): share of a cohort still under contract after t renewal decisions (t >= 0 whole).
void survival(std::span<const double> params, const double* t, std::size_t n, double* out);
// r(t) = S(t)/S(t-1) = (beta + t - 1)/(alpha + beta + t - 1), t >= 1: eq. (4), rising with t.
void retention(std::span<const double> params, const double* t, std::size_t n, double* out);
// P(T = t): share of a cohort lost at renewal decision t >= 1.
void churn(std::span<const double> params, const double* t, std::size_t n, double* out);

// DERL(d | alpha, beta, n): discounted expected number of future renewals of a customer who has
// renewed n times, evaluated just before her next renewal decision, each renewal discounted by
// (1 + d) per period after the first (FH 2010, eq. 6 with n - 1 renewals there):
//   B(alpha, beta + n + 1)/B(alpha, beta + n) 2F1(1, beta + n + 1; alpha + beta + n + 1; 1/(1 + d)).
// The 2F1 series has positive terms with ratio below 1/(1 + d): summed directly, d >= 1e-4.
void residual_lifetime(std::span<const double> params, double discount_rate, const double* renewals, std::size_t n,
                       double* out);
// DEL(d): discounted expected lifetime of a new customer counting the first payment, sum_{t>=0}
// S(t)/(1+d)^t = 2F1(1, beta; alpha + beta; 1/(1 + d)) (FH 2010, eq. 3).
double expected_lifetime(std::span<const double> params, double discount_rate);

}  // namespace trustcost::relationship::sbg
