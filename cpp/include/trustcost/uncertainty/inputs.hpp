// Uncertain inputs of a Monte Carlo study and how a sampled value sets an item parameter: the
// one owner of the "effect" formula (Python reaches it through the bindings).
#pragma once

#include <cstddef>
#include <cstdint>

#include "trustcost/stats/distributions.hpp"

namespace trustcost::uncertainty {

// An uncertain input: one draw per path from `distribution` on its own named stream. Inputs that
// share a stream (the same element and field in several offers) get the same uniform on each
// path: paired sampling, or common random numbers.
struct Input {
    stats::Distribution distribution;
    std::uint64_t stream;
};

// How a sampled input x sets item parameter p, with factor = effect_factor(effect, mean of x)
// (times a sign the element may carry): Replace p = factor x; Multiply p *= factor x (one
// factor of a product such as hours x rate, so p keeps its mean); MultiplyOnePlus
// (1 + p) *= factor (1 + x) (a growth rate compounded with another).
enum class Effect : std::int32_t { Replace = 0, Multiply = 1, MultiplyOnePlus = 2 };

// 1, 1 / mean, 1 / (1 + mean): what keeps the parameter at its expected value when x is at its
// mean. Throws std::invalid_argument when the mean makes it infinite.
double effect_factor(Effect effect, double mean);

// The parameter p after input value x is bound to it.
inline double bound_value(Effect effect, double factor, double p, double x) {
    switch (effect) {
        case Effect::Replace: return factor * x;
        case Effect::Multiply: return p * (factor * x);
        case Effect::MultiplyOnePlus: return (1.0 + p) * factor * (1.0 + x) - 1.0;
    }
    return p;
}

struct Binding {
    std::size_t item;
    std::size_t param;
    Effect effect;
    std::size_t input;
    double factor;
};

// Throws std::invalid_argument unless `effect` is one of Effect's values.
Effect to_effect(std::int64_t effect);

// Throws std::invalid_argument naming binding number `index` unless its parameter column and
// effect exist and its factor is finite (its item and input are checked against a plan).
void validate(const Binding& binding, std::size_t index = 0);

}  // namespace trustcost::uncertainty
