// Gamma-Gamma spend model: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for
// Customer Base Analysis", Journal of Marketing Research 42(4), 415-430, and the note
// "The Gamma-Gamma Model of Monetary Value" (Fader & Hardie 2013). Parameters p, q, v.
#pragma once

#include <cstddef>
#include <span>

#include "trustcost/relationship/fit.hpp"

namespace trustcost::relationship::gamma_gamma {

// Row = (x, m): number of repeat purchases (> 0) and their mean value (> 0).
double row_log_likelihood(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                          std::span<double> grad);

// Maximum likelihood with q > 1 (fitted as q - 1 > 0): below it the mean spend does not exist.
// When q runs down to 1 the message says so in terms of spend.
FitResult fit(const double* x, const double* m, const double* weights, std::size_t n, const FitOptions& options = {});

// E[M | x, m] = (q - 1)/(p x + q - 1) * p v/(q - 1) + p x/(p x + q - 1) * m  (FHL 2005, eq. 5).
void expected_average_value(std::span<const double> params, const double* x, const double* m, std::size_t n,
                            double* out);

}  // namespace trustcost::relationship::gamma_gamma
