// The BG/NBD family's expectations at a = 1, where their closed forms are 0/0.
#pragma once

#include <cmath>

namespace trustcost::relationship {

// E = c / (a - 1) [1 - F(a)] with F(1) = 1 (2F1(r, b; b; z) = (1 - z)^-r): a removable 0/0 at
// a = 1, where E stays smooth. Within h of it the closed form cancels, so the value at a is read
// off the straight line through a = 1 - h and a = 1 + h: error h^2 |E''| / 2, while the cancellation
// at 1 -+ h costs about 1e-16 / h. (The midpoint alone would give E(1) for every a in the window,
// off by |a - 1| |E'|: 1e-5 relative at a = 0.99999.)
template <class Expectation>
double across_a_one(double a, double h, Expectation&& at) {
    if (!(std::abs(a - 1.0) < h)) return at(a);
    const double low = at(1.0 - h), high = at(1.0 + h);
    return low + (a - (1.0 - h)) / (2.0 * h) * (high - low);
}

}  // namespace trustcost::relationship
