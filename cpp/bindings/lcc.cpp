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
    // The engine's item kinds and parameter columns (trustcost/lcc/evaluate.hpp): Python's only copy.
    py::enum_<lcc::ItemKind>(m, "ItemKind", py::arithmetic(), "Kind of a flat cost item (lcc::ItemKind).")
        .value("ONE_TIME", lcc::ItemKind::OneTime)
        .value("RECURRING", lcc::ItemKind::Recurring)
        .value("PERIODIC", lcc::ItemKind::Periodic)
        .value("FAILURES", lcc::ItemKind::Failures)
        .value("PREVENTIVE", lcc::ItemKind::Preventive)
        .value("SUPPLIER_RISK", lcc::ItemKind::SupplierRisk)
        .value("TRUST", lcc::ItemKind::Trust);
    py::enum_<lcc::Param>(m, "Param", py::arithmetic(), "Column of an item's parameter row (lcc::Param).")
        .value("AMOUNT", lcc::kAmount)
        .value("START", lcc::kStart)
        .value("END", lcc::kEnd)
        .value("ESCALATION", lcc::kEscalation)
        .value("NOMINAL", lcc::kNominal)
        .value("SHAPE", lcc::kShape)
        .value("SCALE", lcc::kScale)
        .value("INTERVAL", lcc::kInterval);
    m.attr("N_PARAMS") = py::int_(static_cast<std::size_t>(lcc::kParams));
    // The study as the engine sees it, validated in C++ on construction and on every change.
    py::class_<lcc::StudySpec> spec(m, "StudySpec", "Horizon, rates, timing and category count of a study (lcc::StudySpec).");
    spec.def(py::init([](std::size_t horizon, double discount_rate, const std::string& timing, double inflation,
                         std::size_t categories) {
                 lcc::StudySpec spec{horizon, discount_rate, finance::parse_timing(timing), inflation, categories};
                 lcc::validate(spec);
                 return spec;
             }),
             py::kw_only(), py::arg("horizon"), py::arg("discount_rate"), py::arg("timing") = "end",
             py::arg("inflation") = 0.0, py::arg("categories") = 1)
        .def_property(
            "timing",
            [](const lcc::StudySpec& s) {
                return s.timing == finance::Timing::End ? "end" : s.timing == finance::Timing::Mid ? "mid" : "begin";
            },
            [](lcc::StudySpec& s, const std::string& timing) { s.timing = finance::parse_timing(timing); })
        .def("__repr__", [](py::object s) {
            return py::str("StudySpec(horizon={}, discount_rate={!r}, timing={!r}, inflation={!r}, categories={})")
                .format(s.attr("horizon"), s.attr("discount_rate"), s.attr("timing"), s.attr("inflation"), s.attr("categories"));
        });
    validated_field(spec, "horizon", &lcc::StudySpec::horizon, &lcc::validate, "years after year 0");
    validated_field(spec, "discount_rate", &lcc::StudySpec::discount_rate, &lcc::validate, "real, per year");
    validated_field(spec, "inflation", &lcc::StudySpec::inflation, &lcc::validate, "general inflation per year");
    validated_field(spec, "categories", &lcc::StudySpec::categories, &lcc::validate, "number of cost categories");
    m.def("lcc_evaluate",
          [](const lcc::StudySpec& spec, const IntArray& kind, const IntArray& category, const DoubleArray& params,
             const Int64Array& offer_start, const std::optional<DoubleArray>& trust) {
              const std::size_t horizon = spec.horizon, categories = spec.categories;
              const auto items = static_cast<std::size_t>(kind.size());
              if (category.size() != kind.size() || params.ndim() != 2 || params.shape(0) != kind.size() ||
                  params.shape(1) != lcc::kParams || offer_start.size() < 1)
                  throw core::invalid("lcc_evaluate: inconsistent item arrays (", items, " items)");
              if (offer_start.at(offer_start.size() - 1) != static_cast<std::int64_t>(items))
                  throw core::invalid("offer_start must end at the item count ", items);
              const std::size_t offers = static_cast<std::size_t>(offer_start.size()) - 1;
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
          py::arg("spec"), py::arg("kind"), py::arg("category"), py::arg("params"), py::arg("offer_start"),
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
