#include "bindings.hpp"
#include "trustcost/core/parallel.hpp"

namespace trustcost::bindings {

void register_core(py::module_& m) {
    m.def("set_num_threads", &core::set_num_threads, py::arg("n"));
    m.def("num_threads", &core::num_threads);
}

}  // namespace trustcost::bindings
