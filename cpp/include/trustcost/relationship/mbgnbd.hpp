// MBG/NBD repeat-purchase model: Batislam, Denizel & Filiztekin (2007), "Empirical validation and
// comparison of models for customer base analysis", International Journal of Research in
// Marketing 24(3), 201-209. As BG/NBD (Fader, Hardie & Lee 2005), but a customer may also drop
// out right after the first purchase, so one who never returns is not certainly alive.
// Parameters r, alpha (gamma purchase rates), a, b (beta dropout probability), as in lifetimes'
// ModifiedBetaGeoFitter and BTYDplus.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "trustcost/relationship/fit.hpp"

namespace trustcost::relationship::mbgnbd {

// Row = (x, t_x, T); `prepare` tabulates the terms that depend on x only.
void prepare(std::span<const double> params, std::size_t max_count, std::vector<double>& table);
double row_log_likelihood(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                          std::span<double> grad);
// The same with the Hessian in (r, alpha, a, b), row-major 4 x 4: the fit takes Newton steps.
double row_hessian(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                   std::span<double> grad, std::span<double> hess);

FitResult fit(const double* x, const double* t_x, const double* T, const double* weights, std::size_t n,
              const FitOptions& options = {});

// P(alive | x, t_x, T) = 1 / (1 + a/(b + x) ((alpha + T)/(alpha + t_x))^(r + x)), for every x.
void p_alive(std::span<const double> params, const double* x, const double* t_x, const double* T, std::size_t n,
             double* out);
// The same with the rows checked by the row rule block by block as they are scored (one pass over
// the data): for callers that have not checked them (scoring.hpp).
void p_alive_checking_rows(std::span<const double> params, const double* x, const double* t_x, const double* T,
                           std::size_t n, double* out);
// E[Y(t) | x, t_x, T] = (a+b+x)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; t/(alpha+T+t))]
//                       * P(alive | x, t_x, T).
void expected_purchases(std::span<const double> params, const double* t, const double* x, const double* t_x,
                        const double* T, std::size_t n, double* out);
// The bracket above without P(alive): depends on the history only through (x, T).
double expected_if_alive(std::span<const double> params, double t, double x, double T);
// E[X(t)] = b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))].
void expected_purchases_population(std::span<const double> params, const double* t, std::size_t n, double* out);
// P(X(t) = k) = B(a, b+k+1)/B(a,b) NB(k; r, alpha/(alpha+t)) + B(a+1, b+k)/B(a,b) P(NB >= k).
void probability_of_n_purchases(std::span<const double> params, const double* t, const double* k, std::size_t n,
                                double* out);
// P(X(T, T + t) = k | x, t_x, T): alive at T (P(alive)), a customer has lambda ~ Gamma(r + x,
// alpha + T) and p ~ Beta(a, b + x + 1) (she survived x + 1 dropout chances), and from then on the
// BG/NBD story, so the count is FHL (2005) eq. (8) with those parameters; gone, she buys nothing.
// Its P(X(T, T + t) = k | alive at T, x): a function of (k, t, x, T) only.
double probability_if_alive(std::span<const double> params, double k, double t, double x, double T);
void conditional_probability_of_n_purchases(std::span<const double> params, const double* k, const double* t,
                                            const double* x, const double* t_x, const double* T, std::size_t n,
                                            double* out);

}  // namespace trustcost::relationship::mbgnbd
