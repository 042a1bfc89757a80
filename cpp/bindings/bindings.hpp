// One register_* function per area, called from the single PYBIND11_MODULE in module.cpp.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace trustcost::bindings {

namespace py = pybind11;

// C-contiguous float64 input; pybind11 converts other layouts or dtypes with one copy.
using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

// A read-write property of a bound struct whose setter validates the changed struct with
// `check` before keeping it (a bad value leaves the object as it was).
template <class S, class V, class Check>
void validated_field(py::class_<S>& cls, const char* name, V S::*field, Check check, const char* doc = "") {
    cls.def_property(
        name, [field](const S& s) { return s.*field; },
        [field, check](S& s, V value) {
            S changed = s;
            changed.*field = std::move(value);
            check(changed);
            s = std::move(changed);
        },
        doc);
}

void register_core(py::module_& m);
void register_finance(py::module_& m);
void register_relationship(py::module_& m);
void register_relationship_models(py::module_& m);
void register_relationship_scoring(py::module_& m);
void register_stats(py::module_& m);
void register_uncertainty(py::module_& m);
void register_lcc(py::module_& m);
void register_trust(py::module_& m);

}  // namespace trustcost::bindings
