#include "trustcost/uncertainty/inputs.hpp"

#include <cmath>

#include "trustcost/core/errors.hpp"
#include "trustcost/lcc/evaluate.hpp"

namespace trustcost::uncertainty {

using core::invalid;

double effect_factor(Effect effect, double mean) {
    if (!std::isfinite(mean)) throw invalid("mean must be finite, got ", mean);
    switch (effect) {
        case Effect::Replace: return 1.0;
        case Effect::Multiply:
            if (mean == 0.0) throw invalid("mean must not be 0 for a multiplying input (it scales another field), got 0");
            return 1.0 / mean;
        case Effect::MultiplyOnePlus:
            if (mean == -1.0) throw invalid("mean must not be -1 for a compounding input (1 + mean divides), got -1");
            return 1.0 / (1.0 + mean);
    }
    throw invalid("effect must be 0..2, got ", static_cast<std::int32_t>(effect));
}

Effect to_effect(std::int64_t effect) {
    if (effect < 0 || effect > static_cast<std::int64_t>(Effect::MultiplyOnePlus))
        throw invalid("effect must be 0..2, got ", effect);
    return static_cast<Effect>(effect);
}

void validate(const Binding& b, std::size_t k) {
    if (b.param >= lcc::kParams) throw invalid("binding ", k, ": param must be < ", std::size_t{lcc::kParams}, ", got ", b.param);
    to_effect(static_cast<std::int64_t>(b.effect));
    if (!std::isfinite(b.factor)) throw invalid("binding ", k, ": factor must be finite, got ", b.factor);
}

}  // namespace trustcost::uncertainty
