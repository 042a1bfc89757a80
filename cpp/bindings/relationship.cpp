#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "relationship_common.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/relationship/health.hpp"
#include "trustcost/relationship/markov.hpp"
#include "trustcost/relationship/rfm.hpp"

namespace trustcost::bindings {

namespace {

using namespace trustcost::relationship;
using namespace relationship_common;
using IntArray = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

}  // namespace

void register_relationship(py::module_& m) {
    m.def("rfm_summary",
          [](const IntArray& customer, const IntArray& period, const py::object& value, std::size_t customers,
             std::int64_t end_period, bool include_first) {
              const auto n = static_cast<std::size_t>(customer.size());
              if (static_cast<std::size_t>(period.size()) != n)
                  throw core::invalid("period must have ", n, " values, got ", period.size());
              DoubleArray values;
              if (!value.is_none()) {
                  values = value.cast<DoubleArray>();
                  if (static_cast<std::size_t>(values.size()) != n)
                      throw core::invalid("value must have ", n, " values, got ", values.size());
              }
              auto f = new_vector(customers), r = new_vector(customers), t = new_vector(customers);
              py::object money = value.is_none() ? py::object(py::none()) : py::object(new_vector(customers));
              double* mo = value.is_none() ? nullptr : money.cast<py::array_t<double>>().mutable_data();
              const double* v = value.is_none() ? nullptr : values.data();
              double *fo = f.mutable_data(), *ro = r.mutable_data(), *to = t.mutable_data();
              {
                  py::gil_scoped_release release;
                  relationship::rfm_summary(customer.data(), period.data(), v, n, customers, end_period, fo, ro, to, mo,
                                            include_first);
              }
              return py::make_tuple(f, r, t, money);
          },
          py::arg("customer"), py::arg("period"), py::arg("value"), py::arg("customers"), py::arg("end_period"),
          py::arg("include_first") = false);
    m.def("check_summary",
          [](const DoubleArray& x, const DoubleArray& t_x, const DoubleArray& T) {
              const std::size_t n = same_length({{&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              relationship::check_summary(x.data(), t_x.data(), T.data(), n);
          },
          py::arg("frequency"), py::arg("recency"), py::arg("T"));

    m.def("markov_customer_value",
          [](const std::vector<double>& p, const std::vector<double>& reward, double discount_rate,
             std::optional<std::size_t> horizon) {
              py::gil_scoped_release release;
              return relationship::markov_customer_value(p, reward, discount_rate, horizon);
          },
          py::arg("repurchase_probabilities"), py::arg("reward"), py::arg("discount_rate"), py::arg("horizon"));
    m.def("recency_transition_matrix", &relationship::recency_transition_matrix, py::arg("repurchase_probabilities"));
    m.def("health_after", py::vectorize(&health::after), py::arg("initial_health"), py::arg("decay_rate"),
          py::arg("effect"), py::arg("effort"), py::arg("duration"));
    m.def("health_effort_to_hold", py::vectorize(&health::effort_to_hold), py::arg("threshold"), py::arg("decay_rate"),
          py::arg("effect"));
    m.def("health_time_to_threshold", py::vectorize(&health::time_to_threshold), py::arg("initial_health"),
          py::arg("threshold"), py::arg("decay_rate"), py::arg("effect"), py::arg("effort"));
    m.def("health_path",
          [](double h0, double decay_rate, double effect, const DoubleArray& starts, const DoubleArray& efforts,
             const DoubleArray& times) {
              const std::size_t pieces = same_length({{&starts, "effort_starts"}, {&efforts, "efforts"}});
              auto out = new_vector(static_cast<std::size_t>(times.size()));
              health::path(h0, decay_rate, effect, starts.data(), efforts.data(), pieces, times.data(),
                           static_cast<std::size_t>(times.size()), out.mutable_data());
              return out;
          },
          py::arg("initial_health"), py::arg("decay_rate"), py::arg("effect"), py::arg("starts"), py::arg("efforts"),
          py::arg("times"));
}

}  // namespace trustcost::bindings
