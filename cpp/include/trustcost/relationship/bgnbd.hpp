// BG/NBD repeat-purchase model: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy
// Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284.
// Parameters in the paper's order: r, alpha (gamma purchase rates), a, b (beta dropout probability).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "trustcost/relationship/fit.hpp"

namespace trustcost::relationship::bgnbd {

// Row = (x, t_x, T). Equation (6) in log space; `prepare` tabulates the terms that depend on x only.
void prepare(std::span<const double> params, std::size_t max_count, std::vector<double>& table);
double row_log_likelihood(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                          std::span<double> grad);
// The same with the Hessian in (r, alpha, a, b), row-major 4 x 4: lets the fit take Newton steps.
double row_hessian(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                   std::span<double> grad, std::span<double> hess);

FitResult fit(const double* x, const double* t_x, const double* T, const double* weights, std::size_t n,
              const FitOptions& options = {});

// Batch predictions; every array has n rows (the caller broadcasts); params are checked (4, > 0).
// P(alive | x, t_x, T): Fader, Hardie & Lee (2008), note "Computing P(alive) using the BG/NBD model".
void p_alive(std::span<const double> params, const double* x, const double* t_x, const double* T, std::size_t n,
             double* out);
// The same with the rows checked by the row rule block by block as they are scored (one pass over
// the data): for callers that have not checked them (scoring.hpp).
void p_alive_checking_rows(std::span<const double> params, const double* x, const double* t_x, const double* T,
                           std::size_t n, double* out);
// E[Y(t) | x, t_x, T]: FHL (2005) eq. (10).
void expected_purchases(std::span<const double> params, const double* t, const double* x, const double* t_x,
                        const double* T, std::size_t n, double* out);
// E[Y(t) | alive at T, x]: eq. (10) without its P(alive) factor. It depends on the history only
// through (x, T), which lets scoring evaluate it once per distinct (t, x, T).
double expected_if_alive(std::span<const double> params, double t, double x, double T);
// E[X(t)] for a randomly chosen customer: FHL (2005) eq. (9).
void expected_purchases_population(std::span<const double> params, const double* t, std::size_t n, double* out);
// P(X(t) = k): FHL (2005) eq. (8).
void probability_of_n_purchases(std::span<const double> params, const double* t, const double* k, std::size_t n,
                                double* out);
// P(X(T, T + t) = k | x, t_x, T): a customer alive at T has the posterior lambda ~ Gamma(r + x,
// alpha + T), p ~ Beta(a, b + x) (independent), so the future count is eq. (8) with those
// parameters, times P(alive); a customer who dropped out buys nothing.
// Its P(X(T, T + t) = k | alive at T, x): a function of (k, t, x, T) only.
double probability_if_alive(std::span<const double> params, double k, double t, double x, double T);
void conditional_probability_of_n_purchases(std::span<const double> params, const double* k, const double* t,
                                            const double* x, const double* t_x, const double* T, std::size_t n,
                                            double* out);

}  // namespace trustcost::relationship::bgnbd
