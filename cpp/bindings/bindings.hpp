// One register_* function per area, called from the single PYBIND11_MODULE in module.cpp.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace trustcost::bindings {

namespace py = pybind11;

// C-contiguous float64 input; pybind11 converts other layouts or dtypes with one copy.
using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

void register_core(py::module_& m);
void register_finance(py::module_& m);
void register_relationship(py::module_& m);
void register_relationship_models(py::module_& m);
void register_stats(py::module_& m);
void register_uncertainty(py::module_& m);
void register_lcc(py::module_& m);
void register_trust(py::module_& m);

}  // namespace trustcost::bindings
