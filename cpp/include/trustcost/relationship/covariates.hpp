// BG/NBD and Pareto/NBD with time-invariant covariates by maximum likelihood, in the
// parameterisation of R's CLVTools (static covariates): customer i with covariates z_i has
//   alpha_i = alpha0 exp(-gamma_purchase . z_i)   (higher gamma_purchase: more purchases)
// and, for dropout,
//   BG/NBD:     a_i = a0 exp(gamma_a . z_i),  b_i = b0 exp(gamma_b . z_i)  (p ~ Beta(a_i, b_i))
//   Pareto/NBD: beta_i = beta0 exp(-gamma_dropout . z_i)          (higher gamma_dropout: shorter lives)
// and otherwise the models' own likelihoods (Fader, Hardie & Lee 2005 eq. 6; Fader & Hardie 2005
// note eq. 22-24). Parameters: the model's four, then the coefficients block by block (q each).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "trustcost/relationship/fit.hpp"

namespace trustcost::relationship::bgnbd_covariates {

// Most covariates a fit takes: 4 + 3 q parameters within the optimiser's limit.
inline constexpr std::size_t kMaxCovariates = 9;

// Row = (x, t_x, T, z_1..z_q); q = (params.size() - 4) / 3. For the shared optimiser of positive
// parameters the coefficients c arrive encoded as e^c (and the gradient is in e^c); fit() and the
// predictions take and give plain coefficients.
double row_log_likelihood(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                          std::span<double> grad);

// Customer i's (r, alpha_i, a_i, b_i); z is row-major n x q.
std::array<double, 4> individual(std::span<const double> params, const double* z_row, std::size_t q);

// Starts from the BG/NBD fit without covariates and all coefficients 0; penalizer must be 0.
FitResult fit(const double* x, const double* t_x, const double* T, const double* z, std::size_t q,
              const double* weights, std::size_t n, const FitOptions& options = {});

// BG/NBD predictions with each customer's own parameters (z row-major n x q).
void p_alive(std::span<const double> params, const double* z, std::size_t q, const double* x, const double* t_x,
             const double* T, std::size_t n, double* out);
void expected_purchases(std::span<const double> params, const double* z, std::size_t q, const double* t,
                        const double* x, const double* t_x, const double* T, std::size_t n, double* out);

}  // namespace trustcost::relationship::bgnbd_covariates

namespace trustcost::relationship::pareto_nbd_covariates {

inline constexpr std::size_t kMaxCovariates = 14;  // 4 + 2 q parameters

// Row = (x, t_x, T, z_1..z_q); params r, alpha0, s, beta0, gamma_purchase (q), gamma_dropout (q),
// the coefficients encoded as e^c in the row function as for BG/NBD.
void prepare(std::span<const double> params, std::size_t max_count, std::vector<double>& table);
double row_log_likelihood(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                          std::span<double> grad);
std::array<double, 4> individual(std::span<const double> params, const double* z_row, std::size_t q);
FitResult fit(const double* x, const double* t_x, const double* T, const double* z, std::size_t q,
              const double* weights, std::size_t n, const FitOptions& options = {});
void p_alive(std::span<const double> params, const double* z, std::size_t q, const double* x, const double* t_x,
             const double* T, std::size_t n, double* out);
void expected_purchases(std::span<const double> params, const double* z, std::size_t q, const double* t,
                        const double* x, const double* t_x, const double* T, std::size_t n, double* out);

}  // namespace trustcost::relationship::pareto_nbd_covariates
