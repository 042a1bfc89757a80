// Gauss hypergeometric function 2F1 on [0, 1), in log space, for the repeat-purchase models.
#pragma once

namespace trustcost::relationship {

// log 2F1(a, b; c; z) for 0 <= z < 1 and a positive result. The plain series for positive
// parameters; near z = 1, where it needs too many terms, the connection formula in 1 - z
// (Abramowitz & Stegun 15.3.6; give one_minus_z exactly where z rounds near 1); else Boost.Math's
// pFq series (which tracks cancellation); when that overflows or fails, Euler's transformation
// 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z) (Abramowitz & Stegun 15.3.3). NaN if all fail.
double log_hyp2f1(double a, double b, double c, double z, double one_minus_z = -1.0);

// F(z) = 2F1(1, b; c; z) = sum_n (b)_n / (c)_n z^n for 0 < b < c, 0 <= z < 1: every term is
// positive and smaller than the last, so the series is summed directly, together with the
// derivatives of log F with respect to b, c and z (summed term by term). Boost gives no parameter
// derivatives, which the Pareto/NBD gradient needs. Near z = 1 (1 - z < 0.01, where the series
// needs thousands of terms) the connection formula in 1 - z, where its rounding allows; give
// one_minus_z exactly where z is a ratio that rounds near 1.
struct LogSeries {
    double value;  // log F
    double d_b, d_c, d_z;
};
LogSeries log_hyp2f1_unit_a(double b, double c, double z, double one_minus_z = -1.0);

}  // namespace trustcost::relationship
