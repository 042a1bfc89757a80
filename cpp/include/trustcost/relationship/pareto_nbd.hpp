// Pareto/NBD repeat-purchase model: Schmittlein, Morrison & Colombo (1987), "Counting Your
// Customers: Who Are They and What Will They Do Next?", Management Science 33(1), 1-24; likelihood
// as in Fader & Hardie (2005), note "A Note on Deriving the Pareto/NBD Model and Related
// Expressions", eq. (22)-(24). Parameters r, alpha (purchase rates), s, beta (dropout rates).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "trustcost/relationship/fit.hpp"

namespace trustcost::relationship::pareto_nbd {

// Row = (x, t_x, T); `prepare` tabulates lgamma(r + x) - lgamma(r) and its r-derivative.
void prepare(std::span<const double> params, std::size_t max_count, std::vector<double>& table);
double row_log_likelihood(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                          std::span<double> grad);

FitResult fit(const double* x, const double* t_x, const double* T, const double* weights, std::size_t n,
              const FitOptions& options = {});

// P(alive | x, t_x, T): Fader & Hardie (2005) note, eq. (18).
void p_alive(std::span<const double> params, const double* x, const double* t_x, const double* T, std::size_t n,
             double* out);
// P(alive at T + t | x, t_x, T) = P(alive | x, t_x, T) ((beta + T)/(beta + T + t))^s: alive at T,
// mu ~ Gamma(s, beta + T) (note, section 3), and e^(-mu t) integrated over it.
void p_alive_at(std::span<const double> params, const double* t, const double* x, const double* t_x, const double* T,
                std::size_t n, double* out);
// E[Y(t) | x, t_x, T]: Fader & Hardie (2005) note, eq. (27) (SMC 1987 eq. 22).
void expected_purchases(std::span<const double> params, const double* t, const double* x, const double* t_x,
                        const double* T, std::size_t n, double* out);
// E[Y(t) | alive at T, x] = (r + x)(beta + T)/((alpha + T)(s - 1)) [1 - ((beta + T)/(beta + T + t))^(s - 1)]:
// the expectation above without P(alive), a function of (x, T) only.
double expected_if_alive(std::span<const double> params, double t, double x, double T);
// E[X(t)] = r beta / (alpha (s - 1)) [1 - (beta / (beta + t))^(s - 1)]: note eq. (17).
void expected_purchases_population(std::span<const double> params, const double* t, std::size_t n, double* out);
// P(X(t) = k) for a new customer: alive through t with probability (beta/(beta+t))^s and then a
// negative binomial count over t, or dropped out at tau < t (density s beta^s/(beta+tau)^(s+1)) with
// a negative binomial count over tau; the integral over tau by adaptive Gauss-Kronrod (Boost.Math).
void probability_of_n_purchases(std::span<const double> params, const double* t, const double* k, std::size_t n,
                                double* out);
// P(X(T, T + t) = k | x, t_x, T): a customer alive at T has the posterior lambda ~ Gamma(r + x,
// alpha + T), mu ~ Gamma(s, beta + T) (independent; exponential lifetimes forget their past), so
// the future count is the P(X(t) = k) above with those parameters, times P(alive), plus
// 1 - P(alive) at k = 0 (Fader & Hardie 2005 note, section 3, for the posterior).
// Its P(X(T, T + t) = k | alive at T, x): a function of (k, t, x, T) only.
double probability_if_alive(std::span<const double> params, double k, double t, double x, double T);
void conditional_probability_of_n_purchases(std::span<const double> params, const double* k, const double* t,
                                            const double* x, const double* t_x, const double* T, std::size_t n,
                                            double* out);

}  // namespace trustcost::relationship::pareto_nbd
