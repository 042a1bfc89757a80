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
// Retention elasticity (FH 2010, eq. 8): the % increase of DERL(d | alpha, beta, n) when every
// customer's retention probability 1 - theta rises by 1%. With DERL = sum_{t>=1} E[(1-theta)^t] z^(t-1)
// (z = 1/(1+d), theta ~ Beta(alpha, beta + n)), scaling 1 - theta by (1 + e) multiplies term t by
// (1 + e)^t, so the elasticity is sum t u_t z^(t-1) / sum u_t z^(t-1) = 1 + z d/dz log 2F1(1, beta + n + 1;
// alpha + beta + n + 1; z). Without heterogeneity (retention r for all) it is (1 + d)/(1 + d - r).
void retention_elasticity(std::span<const double> params, double discount_rate, const double* renewals,
                          std::size_t n, double* out);
// DEL(d): discounted expected lifetime of a new customer counting the first payment, sum_{t>=0}
// S(t)/(1+d)^t = 2F1(1, beta; alpha + beta; 1/(1 + d)) (FH 2010, eq. 3).
double expected_lifetime(std::span<const double> params, double discount_rate);

}  // namespace trustcost::relationship::sbg

// Beta-discrete-Weibull (BdW) model of contract duration: Fader, Hardie, Liu, Davin & Steenburgh
// (2018), "How to Project Customer Retention" Revisited: The Role of Duration Dependence, Journal
// of Interactive Marketing 43, 1-16. A customer with churn probability theta ~ Beta(alpha, beta)
// is still under contract after t renewal decisions with probability (1 - theta)^(t^c), so
//   S(t) = B(alpha, beta + t^c) / B(alpha, beta),  P(T = t) = S(t - 1) - S(t);
// c < 1: the individual churn hazard falls with tenure, c > 1: it rises; c = 1 is the sBG.
namespace trustcost::relationship::bdw {

// Row = (t, lost) as for sBG: log P(T = t) (lost = 1) or log S(t) (lost = 0), gradient in (alpha, beta, c).
double row_log_likelihood(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                          std::span<double> grad);
FitResult fit(const double* period, const double* lost, const double* weights, std::size_t n,
              const FitOptions& options = {});
void survival(std::span<const double> params, const double* t, std::size_t n, double* out);
// r(t) = S(t) / S(t - 1), t >= 1.
void retention(std::span<const double> params, const double* t, std::size_t n, double* out);
// P(T = t), t >= 1.
void churn(std::span<const double> params, const double* t, std::size_t n, double* out);

}  // namespace trustcost::relationship::bdw
