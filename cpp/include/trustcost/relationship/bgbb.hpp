// BG/BB repeat-transaction model in discrete time: Fader, Hardie & Shang (2010), "Customer-Base
// Analysis in a Discrete-Time Noncontractual Setting", Marketing Science 29(6), 1086-1108.
// Parameters alpha, beta (beta-distributed transaction probability p per opportunity) and gamma,
// delta (beta-distributed dropout probability theta at the start of each opportunity).
#pragma once

#include <cstddef>
#include <span>

#include "trustcost/relationship/fit.hpp"

namespace trustcost::relationship::bgbb {

// Row = (x, t_x, n): transactions in n opportunities after the first, the last in opportunity t_x.
// Eq. (5) in log space with the analytic gradient.
double row_log_likelihood(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                          std::span<double> grad);

// Throws std::invalid_argument naming the first row that is not whole numbers with
// 0 <= x <= t_x <= n <= 1e6 (and t_x = 0 when x = 0). The predictions check their horizons alike.
void check_rows(const double* x, const double* t_x, const double* n_periods, std::size_t n);

FitResult fit(const double* x, const double* t_x, const double* n_periods, const double* weights, std::size_t n,
              const FitOptions& options = {});

// Batch predictions; every array has n rows. Inputs are checked by the model contract
// (model.hpp: the rows, the horizons as whole numbers of opportunities in [0, 1e6], the params).
// P(alive at opportunity n_periods + m | x, t_x, n_periods): eq. (11) generalised to m >= 0.
void p_alive(std::span<const double> params, const double* m, const double* x, const double* t_x,
             const double* n_periods, std::size_t n, double* out);
// E[X(n, n + m) | x, t_x, n]: eq. (13), expected transactions in the next m opportunities.
void expected_purchases(std::span<const double> params, const double* m, const double* x, const double* t_x,
                        const double* n_periods, std::size_t n, double* out);
// E[X(n)] for a new customer: eq. (9).
void expected_purchases_population(std::span<const double> params, const double* n_periods, std::size_t n,
                                   double* out);
// P(X(n) = k) for a new customer: eq. (7).
void probability_of_n_purchases(std::span<const double> params, const double* n_periods, const double* k,
                                std::size_t n, double* out);
// P(X(n, n + m) = k | x, t_x, n): the history's posterior mixed over the future alive periods
// (derivation in bgbb.cpp); reduces to eq. (7) for a customer without history. Arguments (k, m)
// in the order of the other models' (n, t).
void conditional_probability_of_n_purchases(std::span<const double> params, const double* k, const double* m,
                                            const double* x, const double* t_x, const double* n_periods,
                                            std::size_t n, double* out);

}  // namespace trustcost::relationship::bgbb
