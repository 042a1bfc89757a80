// Helpers shared by the relationship bindings (relationship.cpp, relationship_models.cpp).
#pragma once

#include <initializer_list>
#include <utility>

#include "bindings.hpp"
#include "trustcost/core/errors.hpp"

namespace trustcost::bindings::relationship_common {

// The common length of same-length columns; the error names the first column that differs.
inline std::size_t same_length(std::initializer_list<std::pair<const DoubleArray*, const char*>> arrays) {
    const auto n = static_cast<std::size_t>(arrays.begin()->first->size());
    for (const auto& [array, name] : arrays)
        if (static_cast<std::size_t>(array->size()) != n)
            throw core::invalid(name, " must have ", n, " values like ", arrays.begin()->second, ", got ", array->size());
    return n;
}

inline py::array_t<double> new_vector(std::size_t n) { return py::array_t<double>(static_cast<py::ssize_t>(n)); }

}  // namespace trustcost::bindings::relationship_common
