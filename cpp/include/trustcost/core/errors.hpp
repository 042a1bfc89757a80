// Argument checks that throw std::invalid_argument naming the argument and the bad value.
#pragma once

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace trustcost::core {

// A message from any streamable pieces, numbers in full precision.
template <class... Parts>
[[nodiscard]] std::string message(const Parts&... parts) {
    std::ostringstream out;
    out.precision(17);
    (out << ... << parts);
    return out.str();
}

// invalid("rate must be > -1, got ", r): pybind11 raises it as ValueError.
template <class... Parts>
[[nodiscard]] std::invalid_argument invalid(const Parts&... parts) {
    return std::invalid_argument(message(parts...));
}

// The overflow policy (README, Conventions): a result beyond double precision from finite
// inputs is std::overflow_error (Python's OverflowError) naming the argument, never inf.
template <class... Parts>
[[nodiscard]] std::overflow_error overflow(const Parts&... parts) {
    return std::overflow_error(message(parts...));
}

inline void require_finite(double value, std::string_view name) {
    if (!std::isfinite(value)) throw invalid(name, " must be finite, got ", value);
}

// Interest and discount rates live in (-1, inf): (1 + rate) must stay positive.
inline void require_rate(double rate, std::string_view name) {
    require_finite(rate, name);
    if (rate <= -1.0) throw invalid(name, " must be > -1, got ", rate);
}

inline void require_positive(double value, std::string_view name) {
    require_finite(value, name);
    if (value <= 0.0) throw invalid(name, " must be > 0, got ", value);
}

inline void require_non_negative(double value, std::string_view name) {
    require_finite(value, name);
    if (value < 0.0) throw invalid(name, " must be >= 0, got ", value);
}

inline void require_probability(double value, std::string_view name) {
    require_finite(value, name);
    if (value < 0.0 || value > 1.0) throw invalid(name, " must be in [0, 1], got ", value);
}

}  // namespace trustcost::core
