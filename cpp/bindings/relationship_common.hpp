// Helpers shared by the relationship bindings (relationship.cpp, relationship_models.cpp).
#pragma once

#include <initializer_list>
#include <utility>

#include "bindings.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/relationship/fit.hpp"

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

// A fit's result as the dict the Python fitters read.
inline py::dict as_dict(const relationship::FitResult& r) {
    py::dict out;
    const auto k = static_cast<py::ssize_t>(r.params.size());
    out["params"] = py::array_t<double>(k, r.params.data());
    out["log_likelihood"] = r.log_likelihood;
    out["hessian"] = py::array_t<double>({k, k}, r.hessian.data());
    out["iterations"] = r.iterations;
    out["converged"] = r.converged;
    out["diverged"] = r.diverged;
    out["message"] = r.message;
    return out;
}

}  // namespace trustcost::bindings::relationship_common
