#include <algorithm>

#include "bindings.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/trust/cost_model.hpp"
#include "trustcost/trust/dynamics.hpp"

namespace trustcost::bindings {

namespace {

using IntArray = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;

trust::Reputation reputation(double baseline, double prior_weight, double half_life, const DoubleArray& weights) {
    if (weights.size() != trust::kEvents)
        throw core::invalid("weights must have ", trust::kEvents, " values, got ", weights.size());
    trust::Reputation p{baseline, prior_weight, half_life, {}};
    std::copy(weights.data(), weights.data() + trust::kEvents, p.weight.begin());
    trust::validate(p);
    return p;
}

void require_2d(const DoubleArray& a, const char* name, py::ssize_t rows, py::ssize_t cols) {
    if (a.ndim() != 2 || a.shape(0) != rows || (cols >= 0 && a.shape(1) != cols))
        throw core::invalid(name, " must have ", rows, " rows", cols >= 0 ? " and the columns of trust" : "",
                            ", got ", a.ndim(), "-D with ", a.ndim() ? a.shape(0) : 0, " rows");
}

}  // namespace

void register_trust(py::module_& m) {
    // Event kinds and cost lines in the engine's order (trust/dynamics.hpp, trust/cost_model.hpp).
    py::enum_<trust::Event>(m, "TrustEvent", py::arithmetic(), "Kind of a trust event (trust::Event).")
        .value("PROMISE_KEPT", trust::kPromiseKept)
        .value("PROMISE_BROKEN", trust::kPromiseBroken)
        .value("COMPLAINT_RESOLVED", trust::kComplaintResolved)
        .value("COMPLAINT_IGNORED", trust::kComplaintIgnored)
        .value("CONTACT", trust::kContact);
    py::enum_<trust::Line>(m, "TrustLine", py::arithmetic(), "Cost line of a relationship (trust::Line).")
        .value("TRANSACTION", trust::kTransaction)
        .value("PROCUREMENT", trust::kProcurement)
        .value("INSPECTION", trust::kInspection)
        .value("DISPUTES", trust::kDisputes)
        .value("INFORMATION_SHARING", trust::kInformationSharing);
    m.def("trust_lines",
          [](const DoubleArray& models, const DoubleArray& trust, const DoubleArray& spend) {
              if (models.ndim() != 2 || models.shape(1) != trust::kModelParams)
                  throw core::invalid("models must be (rows, ", trust::kModelParams, ")");
              const py::ssize_t rows = models.shape(0);
              require_2d(trust, "trust", rows, -1);
              const py::ssize_t years = trust.shape(1);
              require_2d(spend, "spend", rows, years);
              py::array_t<double> out({rows, years, static_cast<py::ssize_t>(trust::kLines)});
              double* o = out.mutable_data();
              {
                  py::gil_scoped_release release;
                  trust::evaluate_lines(models.data(), trust.data(), spend.data(), static_cast<std::size_t>(rows),
                                        static_cast<std::size_t>(years), o);
              }
              return out;
          },
          py::arg("models"), py::arg("trust"), py::arg("spend"));
    m.def("trust_start",
          [](double baseline, double prior_weight, double half_life, const DoubleArray& weights, double trust,
             double weight) {
              const auto e = trust::start_from(reputation(baseline, prior_weight, half_life, weights), trust, weight);
              return py::make_tuple(e.positive, e.negative);
          },
          py::arg("baseline"), py::arg("prior_weight"), py::arg("half_life"), py::arg("weights"), py::arg("trust"),
          py::arg("weight"));
    m.def("trust_replay",
          [](double baseline, double prior_weight, double half_life, const DoubleArray& weights, double positive,
             double negative, double start, const DoubleArray& times, const IntArray& kinds,
             const DoubleArray& strength, const DoubleArray& query) {
              const auto p = reputation(baseline, prior_weight, half_life, weights);
              const auto n = times.size();
              if (kinds.size() != n || strength.size() != n)
                  throw core::invalid("times, kinds and strength must have the same length");
              py::array_t<double> after({n, static_cast<py::ssize_t>(3)});
              py::array_t<double> at(query.size());
              double* a = after.mutable_data();
              double* q = at.mutable_data();
              {
                  py::gil_scoped_release release;
                  trust::replay(p, {positive, negative}, start, times.data(), kinds.data(), strength.data(),
                                static_cast<std::size_t>(n), query.data(), static_cast<std::size_t>(query.size()),
                                a, q);
              }
              return py::make_tuple(after, at);
          },
          py::arg("baseline"), py::arg("prior_weight"), py::arg("half_life"), py::arg("weights"), py::arg("positive"),
          py::arg("negative"), py::arg("start"), py::arg("times"), py::arg("kinds"), py::arg("strength"),
          py::arg("query"));
    m.def("trust_evolve",
          [](double baseline, double prior_weight, double half_life, const DoubleArray& weights, double positive,
             double negative, const DoubleArray& counts, double dt) {
              const auto p = reputation(baseline, prior_weight, half_life, weights);
              if (counts.ndim() != 3 || counts.shape(2) != trust::kEvents)
                  throw core::invalid("counts must be (paths, steps, ", trust::kEvents, ")");
              const auto paths = static_cast<std::size_t>(counts.shape(0));
              const auto steps = static_cast<std::size_t>(counts.shape(1));
              py::array_t<double> out({paths, steps + 1});
              double* o = out.mutable_data();
              {
                  py::gil_scoped_release release;
                  trust::evolve(p, {positive, negative}, counts.data(), paths, steps, dt, o);
              }
              return out;
          },
          py::arg("baseline"), py::arg("prior_weight"), py::arg("half_life"), py::arg("weights"), py::arg("positive"),
          py::arg("negative"), py::arg("counts"), py::arg("dt"));
}

}  // namespace trustcost::bindings
