#include <optional>
#include <string>

#include "bindings.hpp"
#include "interrupts.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/lcc/evaluate.hpp"
#include "trustcost/lcc/renewal.hpp"
#include "trustcost/lcc/replacement.hpp"

namespace trustcost::bindings {

namespace {
using IntArray = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
using Int64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
}  // namespace

void register_lcc(py::module_& m) {
    m.attr("MAX_HORIZON") = lcc::kMaxHorizon;
    m.attr("MAX_RENEWALS") = lcc::kMaxRenewals;
    m.def("lcc_evaluate",
          [](const IntArray& kind, const IntArray& category, const DoubleArray& params, const Int64Array& offer_start,
             std::size_t horizon, double discount_rate, const std::string& timing, double inflation,
             std::size_t categories, const std::optional<DoubleArray>& trust) {
              lcc::require_study_size(horizon, categories);  // before horizon + 1 sizes anything
              const auto items = static_cast<std::size_t>(kind.size());
              if (category.size() != kind.size() || params.ndim() != 2 || params.shape(0) != kind.size() ||
                  params.shape(1) != lcc::kParams || offer_start.size() < 1)
                  throw core::invalid("lcc_evaluate: inconsistent item arrays (", items, " items)");
              if (offer_start.at(offer_start.size() - 1) != static_cast<std::int64_t>(items))
                  throw core::invalid("offer_start must end at the item count ", items);
              const std::size_t offers = static_cast<std::size_t>(offer_start.size()) - 1;
              const lcc::StudySpec spec{horizon, discount_rate, finance::parse_timing(timing), inflation, categories};
              // Trust paths (offers x years) feed the relationship lines (ItemKind::Trust).
              if (trust && (trust->ndim() != 2 || static_cast<std::size_t>(trust->shape(0)) != offers ||
                            static_cast<std::size_t>(trust->shape(1)) != horizon + 1))
                  throw core::invalid("trust must have shape (offers, horizon + 1) = (", offers, ", ", horizon + 1, ")");
              const lcc::Items flat{kind.data(), category.data(), params.data(), offer_start.data(), offers,
                                    trust ? trust->data() : nullptr};
              py::array_t<double> costs({offers, horizon + 1, categories});
              py::array_t<double> pv({offers, categories});
              double* c = costs.mutable_data();
              double* p = pv.mutable_data();
              SignalPoll poll;
              try {
                  py::gil_scoped_release release;
                  lcc::evaluate(spec, flat, c, p, poll.progress());
              } catch (const core::Cancelled&) {
                  poll.rethrow();
              }
              return py::make_tuple(costs, pv);
          },
          py::arg("kind"), py::arg("category"), py::arg("params"), py::arg("offer_start"), py::arg("horizon"),
          py::arg("discount_rate"), py::arg("timing"), py::arg("inflation"), py::arg("categories"),
          py::arg("trust") = py::none());
    m.def("renewal_function",
          [](double shape, double scale, const DoubleArray& t, double steps_per_scale) {
              double t_max = 0.0;
              for (py::ssize_t i = 0; i < t.size(); ++i) {
                  core::require_non_negative(t.data()[i], "t");
                  t_max = std::max(t_max, t.data()[i]);
              }
              py::array_t<double> out(t.size());
              const double* in = t.data();
              double* o = out.mutable_data();
              const auto n = static_cast<std::size_t>(t.size());
              SignalPoll poll;
              try {
                  py::gil_scoped_release release;
                  const lcc::RenewalFunction fn({shape, scale}, t_max, steps_per_scale, poll.progress());
                  for (std::size_t i = 0; i < n; ++i) o[i] = fn(in[i]);
              } catch (const core::Cancelled&) {
                  poll.rethrow();
              }
              return out;
          },
          py::arg("shape"), py::arg("scale"), py::arg("t"), py::arg("steps_per_scale") = 0.0);
    m.def("economic_life_eac",
          [](double price, const DoubleArray& operating, const DoubleArray& salvage, double rate) {
              if (operating.size() != salvage.size())
                  throw core::invalid("salvage_values must have one value per year of operating_costs (",
                                      operating.size(), "), got ", salvage.size());
              const auto eac = lcc::economic_life_eac(price, operating.data(), salvage.data(),
                                                      static_cast<std::size_t>(operating.size()), rate);
              return py::array_t<double>(static_cast<py::ssize_t>(eac.size()), eac.data());
          },
          py::arg("price"), py::arg("operating_costs"), py::arg("salvage_values"), py::arg("rate"));
    m.def("age_replacement_cost_rate", py::vectorize(&lcc::age_replacement_cost_rate), py::arg("shape"),
          py::arg("scale"), py::arg("preventive_cost"), py::arg("failure_cost"), py::arg("interval"));
    m.def("optimal_age_replacement",
          [](double shape, double scale, double cp, double cf) {
              const auto r = lcc::optimal_age_replacement(shape, scale, cp, cf);
              return py::make_tuple(r.interval, r.cost_rate);
          },
          py::arg("shape"), py::arg("scale"), py::arg("preventive_cost"), py::arg("failure_cost"));
}

}  // namespace trustcost::bindings
