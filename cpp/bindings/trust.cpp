#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "bindings.hpp"
#include "interrupts.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/trust/cost_model.hpp"
#include "trustcost/trust/dynamics.hpp"
#include "trustcost/trust/event_counts.hpp"

namespace trustcost::bindings {

namespace {

using IntArray = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;

std::array<double, trust::kEvents> event_weights(const DoubleArray& weights) {
    if (weights.ndim() != 1 || weights.size() != trust::kEvents)
        throw core::invalid("weights must have one value per event kind (", trust::kEvents, "), got ", weights.size());
    std::array<double, trust::kEvents> w{};
    std::copy(weights.data(), weights.data() + trust::kEvents, w.begin());
    return w;
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
    // The model row's columns (trust::ModelParam): Python fills a row by these names, so the
    // order is kept in C++ only.
    py::enum_<trust::ModelParam>(m, "TrustModelParam", py::arithmetic(), "Column of a trust model row (trust::ModelParam).")
        .value("HOURS", trust::kHours)
        .value("HOURLY_COST", trust::kHourlyCost)
        .value("SHARE_LOW", trust::kShareLow)
        .value("SHARE_HIGH", trust::kShareHigh)
        .value("PROCUREMENT_LOW", trust::kProcurementLow)
        .value("PROCUREMENT_HIGH", trust::kProcurementHigh)
        .value("LOTS", trust::kLotsPerYear)
        .value("COST_PER_LOT", trust::kCostPerLot)
        .value("INSPECTION_LOW", trust::kInspectionLow)
        .value("INSPECTION_HIGH", trust::kInspectionHigh)
        .value("COST_PER_DISPUTE", trust::kCostPerDispute)
        .value("DISPUTES_LOW", trust::kDisputesLow)
        .value("DISPUTES_HIGH", trust::kDisputesHigh)
        .value("SHARING_LOW", trust::kSharingLow)
        .value("SHARING_HIGH", trust::kSharingHigh)
        .value("CURVATURE", trust::kCurvature)
        .value("HOURS_BASIS", trust::kHoursBasis)
        .value("LOTS_BASIS", trust::kLotsBasis)
        .value("DISPUTES_BASIS", trust::kDisputesBasis);
    m.attr("TRUST_MODEL_PARAMS") = static_cast<int>(trust::kModelParams);
    py::enum_<trust::Basis>(m, "TrustBasis", py::arithmetic(), "How a count of a trust model is stated (trust::Basis).")
        .value("PER_YEAR", trust::kPerYear)
        .value("PER_MILLION_SPEND", trust::kPerMillionSpend);

    // The beta reputation's parameters (trust::Reputation), validated in C++ when set.
    const trust::Reputation defaults;
    py::class_<trust::Reputation> reputation(m, "Reputation", "Baseline, prior weight, half-life and event weights of trust.");
    reputation
        .def(py::init([](double baseline, double prior_weight, double half_life, const DoubleArray& weights) {
                 const trust::Reputation p{baseline, prior_weight, half_life, event_weights(weights)};
                 trust::validate(p);
                 return p;
             }),
             py::kw_only(), py::arg("baseline") = defaults.baseline, py::arg("prior_weight") = defaults.prior_weight,
             py::arg("half_life") = defaults.half_life,
             py::arg("weights") = std::vector<double>(defaults.weight.begin(), defaults.weight.end()))
        .def_property(
            "weights",
            [](const trust::Reputation& p) { return py::array_t<double>(trust::kEvents, p.weight.data()); },
            [](trust::Reputation& p, const DoubleArray& weights) {
                trust::Reputation changed = p;
                changed.weight = event_weights(weights);
                trust::validate(changed);
                p = changed;
            },
            "evidence per event, in TrustEvent order");
    validated_field(reputation, "baseline", &trust::Reputation::baseline, &trust::validate);
    validated_field(reputation, "prior_weight", &trust::Reputation::prior_weight, &trust::validate);
    validated_field(reputation, "half_life", &trust::Reputation::half_life, &trust::validate);
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
    m.def("trust_line_terms",
          [](const DoubleArray& model, double spend) {
              if (model.ndim() != 1 || model.size() != trust::kModelParams)
                  throw core::invalid("model must have ", trust::kModelParams, " values, got ", model.size());
              if (!(spend >= 0.0 && std::isfinite(spend))) throw core::invalid("spend must be >= 0 and finite, got ", spend);
              trust::validate_model(model.data());
              // Per line: base at this spend, whether it scales with spend, low and high anchors.
              py::array_t<double> base(trust::kLines), low(trust::kLines), high(trust::kLines);
              py::array_t<bool> scales(trust::kLines);
              for (std::size_t l = 0; l < trust::kLines; ++l) {
                  const auto line = static_cast<trust::Line>(l);
                  base.mutable_at(l) = trust::line_base(model.data(), line, spend);
                  scales.mutable_at(l) = trust::scales_with_spend(model.data(), line);
                  low.mutable_at(l) = model.at(trust::kAnchors[l].low);
                  high.mutable_at(l) = model.at(trust::kAnchors[l].high);
              }
              return py::make_tuple(base, scales, low, high);
          },
          py::arg("model"), py::arg("spend"),
          "Per relationship line: its base at an annual spend, whether it scales with spend, its low and high anchors.");
    m.def("trust_start",
          [](const trust::Reputation& p, double trust, double weight) {
              const auto e = trust::start_from(p, trust, weight);
              return py::make_tuple(e.positive, e.negative);
          },
          py::arg("reputation"), py::arg("trust"), py::arg("weight"));
    m.def("trust_replay",
          [](const trust::Reputation& p, double positive, double negative, double start, const DoubleArray& times,
             const IntArray& kinds, const DoubleArray& strength, const DoubleArray& query) {
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
          py::arg("reputation"), py::arg("positive"), py::arg("negative"), py::arg("start"), py::arg("times"),
          py::arg("kinds"), py::arg("strength"), py::arg("query"));
    m.def("trust_evolve",
          [](const trust::Reputation& p, double positive, double negative, const DoubleArray& counts, double dt) {
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
          py::arg("reputation"), py::arg("positive"), py::arg("negative"), py::arg("counts"), py::arg("dt"));
    m.def("trust_event_counts",
          [](const DoubleArray& rates, std::size_t paths, std::size_t steps, double dt, std::uint64_t seed) {
              if (rates.ndim() != 1 || rates.size() != trust::kEvents)
                  throw core::invalid("rates must have one value per event kind (", trust::kEvents, "), got ", rates.size());
              if (paths > (std::size_t{1} << 31) / (std::max<std::size_t>(steps, 1) * trust::kEvents))
                  throw core::invalid("paths x steps x event kinds must be <= 2**31 counts, got ", paths, " paths and ", steps,
                                      " steps");
              py::array_t<double> out({paths, steps, static_cast<std::size_t>(trust::kEvents)});
              double* o = out.mutable_data();
              SignalPoll poll;
              try {
                  py::gil_scoped_release release;
                  trust::event_counts(rates.data(), paths, steps, dt, seed, o, poll.progress());
              } catch (const core::Cancelled&) {
                  poll.rethrow();
              }
              return out;
          },
          py::arg("rates"), py::arg("paths"), py::arg("steps"), py::arg("dt"), py::arg("seed"));
}

}  // namespace trustcost::bindings
