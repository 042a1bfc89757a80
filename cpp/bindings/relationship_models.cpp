// Bindings of the repeat-purchase models: ONE template registers every model of the contract
// (trustcost/relationship/model.hpp) as a submodule of _core (_core.bgnbd, _core.bgbb, ...), in
// the manner of boost-histogram's register_* functions. Each submodule holds the model's
// declarations (label, parameters, columns), check_rows, fit, individual_log_likelihood and its
// predictions; every entry point goes through the contract's checks.
#include <string>
#include <tuple>
#include <utility>

#include "bindings.hpp"
#include "interrupts.hpp"
#include "relationship_common.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/relationship/model.hpp"

namespace trustcost::bindings {

namespace {

using namespace trustcost::relationship;
using namespace relationship_common;

template <std::size_t>
using Array = DoubleArray;

std::span<const double> as_span(const DoubleArray& a) { return {a.data(), static_cast<std::size_t>(a.size())}; }

// Per-row columns must be 1-D: a 2-D or 3-D array of the right total size would otherwise pass
// as a silently flattened column.
std::size_t rows_of(std::initializer_list<std::pair<const DoubleArray*, const char*>> arrays) {
    for (const auto& [array, name] : arrays)
        if (array->ndim() != 1) throw core::invalid(name, " must be 1-D, got a ", array->ndim(), "-D array");
    return same_length(arrays);
}

// Covariates as a C-contiguous n x q matrix with one row per customer.
Covariates covariates_of(const DoubleArray& z, std::size_t n) {
    if (z.ndim() != 2 || static_cast<std::size_t>(z.shape(0)) != n)
        throw core::invalid("covariates must be a 2-D array with ", n, " rows, got ", z.ndim(), "-D with ",
                            z.ndim() > 0 ? z.shape(0) : 0, " rows");
    return {z.data(), static_cast<std::size_t>(z.shape(1))};
}

// Runs a fit with the GIL released, Ctrl-C polled from the optimiser's loops.
template <class Run>
FitResult interruptible_fit(FitOptions options, Run run) {
    SignalPoll poll;
    options.progress = poll.progress();
    try {
        py::gil_scoped_release release;
        return run(options);
    } catch (const core::Cancelled&) {
        poll.rethrow();
    }
}

template <class M>
py::tuple names_of(const auto& names) {
    py::tuple out(names.size());
    for (std::size_t j = 0; j < names.size(); ++j) out[j] = py::str(names[j]);
    return out;
}

template <class M, std::size_t... J>
void def_rows(py::module_& m, std::index_sequence<J...>) {
    constexpr bool covariates = M::covariate_blocks > 0;
    m.def("check_rows",
          [](const Array<J>&... c) {
              const std::size_t n = rows_of({{&c, M::columns[J]}...});
              const RowColumns<M> columns{c.data()...};
              M::check_rows(columns.data(), n);
          },
          py::arg(M::columns[J])...,
          "Raises ValueError naming the column and the first row that breaks the model's row rule.");
    if constexpr (covariates) {
        m.def("fit",
              [](const Array<J>&... c, const DoubleArray& z, const DoubleArray& w, const FitOptions& options) {
                  const std::size_t n = rows_of({{&c, M::columns[J]}..., {&w, "weights"}});
                  const Covariates cov = covariates_of(z, n);
                  const RowColumns<M> columns{c.data()...};
                  return interruptible_fit(options, [&](const FitOptions& o) {
                      return relationship::fit<M>(columns, cov, w.data(), n, o);
                  });
              },
              py::arg(M::columns[J])..., py::arg("covariates"), py::arg("weights"), py::arg("options"));
        m.def("individual_log_likelihood",
              [](const DoubleArray& params, const DoubleArray& z, const Array<J>&... c) {
                  const std::size_t n = rows_of({{&c, M::columns[J]}...});
                  const Covariates cov = covariates_of(z, n);
                  auto out = new_vector(n);
                  double* o = out.mutable_data();
                  const RowColumns<M> columns{c.data()...};
                  py::gil_scoped_release release;
                  individual_log_likelihood<M>(as_span(params), cov, columns, n, o);
                  return out;
              },
              py::arg("params"), py::arg("covariates"), py::arg(M::columns[J])...);
    } else {
        m.def("fit",
              [](const Array<J>&... c, const DoubleArray& w, const FitOptions& options) {
                  const std::size_t n = rows_of({{&c, M::columns[J]}..., {&w, "weights"}});
                  const RowColumns<M> columns{c.data()...};
                  return interruptible_fit(options, [&](const FitOptions& o) {
                      return relationship::fit<M>(columns, {}, w.data(), n, o);
                  });
              },
              py::arg(M::columns[J])..., py::arg("weights"), py::arg("options"));
        m.def("individual_log_likelihood",
              [](const DoubleArray& params, const Array<J>&... c) {
                  const std::size_t n = rows_of({{&c, M::columns[J]}...});
                  auto out = new_vector(n);
                  double* o = out.mutable_data();
                  const RowColumns<M> columns{c.data()...};
                  py::gil_scoped_release release;
                  individual_log_likelihood<M>(as_span(params), {}, columns, n, o);
                  return out;
              },
              py::arg("params"), py::arg(M::columns[J])...);
    }
}

// A prediction given each customer's row: f(params, [covariates], leading..., row...).
template <class M, class F, std::size_t L, std::size_t... I, std::size_t... J>
void def_prediction(py::module_& m, const Conditional<F, L>& p, std::index_sequence<I...>, std::index_sequence<J...>) {
    if constexpr (M::covariate_blocks > 0) {
        m.def(p.name,
              [p](const DoubleArray& params, const DoubleArray& z, const Array<I>&... a, const Array<J>&... c) {
                  const std::size_t n = rows_of({{&a, p.arguments[I].name}..., {&c, M::columns[J]}...});
                  const Covariates cov = covariates_of(z, n);
                  auto out = new_vector(n);
                  double* o = out.mutable_data();
                  py::gil_scoped_release release;
                  predict<M>(p, as_span(params), cov, {a.data()...}, {c.data()...}, n, o);
                  return out;
              },
              py::arg("params"), py::arg("covariates"), py::arg(p.arguments[I].name)..., py::arg(M::columns[J])...);
    } else {
        m.def(p.name,
              [p](const DoubleArray& params, const Array<I>&... a, const Array<J>&... c) {
                  const std::size_t n = rows_of({{&a, p.arguments[I].name}..., {&c, M::columns[J]}...});
                  auto out = new_vector(n);
                  double* o = out.mutable_data();
                  py::gil_scoped_release release;
                  predict<M>(p, as_span(params), {}, {a.data()...}, {c.data()...}, n, o);
                  return out;
              },
              py::arg("params"), py::arg(p.arguments[I].name)..., py::arg(M::columns[J])...);
    }
}

// A prediction for a new customer: f(params, arguments...).
template <class M, class F, std::size_t L, std::size_t... I, std::size_t... J>
void def_prediction(py::module_& m, const Unconditional<F, L>& p, std::index_sequence<I...>,
                    std::index_sequence<J...>) {
    m.def(p.name,
          [p](const DoubleArray& params, const Array<I>&... a) {
              const std::size_t n = rows_of({{&a, p.arguments[I].name}...});
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              predict<M>(p, as_span(params), {a.data()...}, n, o);
              return out;
          },
          py::arg("params"), py::arg(p.arguments[I].name)...);
}

template <RepeatPurchaseModel M>
void register_model(py::module_& parent, const char* name, const char* doc) {
    py::module_ m = parent.def_submodule(name, doc);
    m.attr("label") = M::label;
    m.attr("parameters") = names_of<M>(M::parameters);
    m.attr("columns") = names_of<M>(M::columns);
    if constexpr (M::covariate_blocks > 0) {
        m.attr("coefficient_blocks") = names_of<M>(M::coefficient_blocks);
        m.attr("max_covariates") = M::max_covariates;
    }
    constexpr auto history = std::make_index_sequence<M::columns.size()>{};
    def_rows<M>(m, history);
    std::apply(
        [&](const auto&... p) {
            (def_prediction<M>(m, p, std::make_index_sequence<std::tuple_size_v<decltype(p.arguments)>>{}, history),
             ...);
        },
        M::predictions);
}

void register_fit_types(py::module_& m) {
    py::class_<FitOptions> options(m, "FitOptions",
                                   "Options of a maximum-likelihood fit, validated on construction and assignment.");
    options.def(py::init([](double penalizer, int max_iterations, double gradient_tolerance) {
                    FitOptions o;
                    o.penalizer = penalizer;
                    o.max_iterations = max_iterations;
                    o.gradient_tolerance = gradient_tolerance;
                    o.validate();
                    return o;
                }),
                py::arg("penalizer") = 0.0, py::arg("max_iterations") = 500, py::arg("gradient_tolerance") = 1e-7);
    const auto check = [](const FitOptions& o) { o.validate(); };
    validated_field(options, "penalizer", &FitOptions::penalizer, check);
    validated_field(options, "max_iterations", &FitOptions::max_iterations, check);
    validated_field(options, "gradient_tolerance", &FitOptions::gradient_tolerance, check);
    options.def(py::pickle(
        [](const FitOptions& o) { return py::make_tuple(o.penalizer, o.max_iterations, o.gradient_tolerance); },
        [](const py::tuple& t) {
            FitOptions o;
            o.penalizer = t[0].cast<double>();
            o.max_iterations = t[1].cast<int>();
            o.gradient_tolerance = t[2].cast<double>();
            o.validate();
            return o;
        }));
    options.def("__repr__", [](const FitOptions& o) {
        return "FitOptions(penalizer=" + py::repr(py::float_(o.penalizer)).cast<std::string>() +
               ", max_iterations=" + std::to_string(o.max_iterations) +
               ", gradient_tolerance=" + py::repr(py::float_(o.gradient_tolerance)).cast<std::string>() + ")";
    });

    py::class_<FitResult>(m, "FitResult", "A maximum-likelihood fit: estimates, log-likelihood, Hessian, status.")
        .def_property_readonly("params",
                               [](const FitResult& r) {
                                   return py::array_t<double>(static_cast<py::ssize_t>(r.params.size()),
                                                              r.params.data());
                               })
        .def_readonly("log_likelihood", &FitResult::log_likelihood)
        .def_property_readonly("hessian",
                               [](const FitResult& r) {
                                   const auto k = static_cast<py::ssize_t>(r.params.size());
                                   if (r.hessian.size() != r.params.size() * r.params.size())
                                       return py::array_t<double>({k, k});  // not computed
                                   return py::array_t<double>({k, k}, r.hessian.data());
                               },
                               "Hessian of -log-likelihood in the natural parameters (k x k)")
        .def_readonly("iterations", &FitResult::iterations)
        .def_readonly("converged", &FitResult::converged)
        .def_readonly("diverged", &FitResult::diverged, "index of the parameter that ran off, or -1")
        .def_readonly("message", &FitResult::message)
        .def("__repr__", [](const FitResult& r) {
            return "<FitResult converged=" + std::string(r.converged ? "True" : "False") +
                   " log_likelihood=" + py::repr(py::float_(r.log_likelihood)).cast<std::string>() +
                   " iterations=" + std::to_string(r.iterations) + ">";
        });
}

// sBG's value functions take a discount rate besides their per-row argument.
void register_sbg_value(py::module_ m) {
    using Model = ShiftedBetaGeometricModel;
    using PerTenure = void (*)(std::span<const double>, double, const double*, std::size_t, double*);
    for (const auto& [name, f] : {std::pair<const char*, PerTenure>{"residual_lifetime", &sbg::residual_lifetime},
                                  std::pair<const char*, PerTenure>{"retention_elasticity", &sbg::retention_elasticity}})
        m.def(name,
              [f](const DoubleArray& params, double discount_rate, const DoubleArray& renewals) {
                  check_params<Model>(as_span(params), 0);
                  const std::size_t n = rows_of({{&renewals, "renewals"}});  // renewals checked by sbg
                  auto out = new_vector(n);
                  double* o = out.mutable_data();
                  py::gil_scoped_release release;
                  f(as_span(params), discount_rate, renewals.data(), n, o);
                  return out;
              },
              py::arg("params"), py::arg("discount_rate"), py::arg("renewals"));
    m.def("expected_lifetime",
          [](const DoubleArray& params, double discount_rate) {
              check_params<Model>(as_span(params), 0);
              return sbg::expected_lifetime(as_span(params), discount_rate);
          },
          py::arg("params"), py::arg("discount_rate"));
}

}  // namespace

void register_relationship_models(py::module_& m) {
    register_fit_types(m);
    register_model<BgNbdModel>(m, "bgnbd", "BG/NBD (Fader, Hardie & Lee 2005).");
    register_model<ModifiedBgNbdModel>(m, "mbgnbd", "MBG/NBD (Batislam, Denizel & Filiztekin 2007).");
    register_model<ParetoNbdModel>(m, "pareto_nbd", "Pareto/NBD (Schmittlein, Morrison & Colombo 1987).");
    register_model<BgBbModel>(m, "bgbb", "BG/BB (Fader, Hardie & Shang 2010).");
    register_model<ShiftedBetaGeometricModel>(m, "sbg", "Shifted-beta-geometric renewals (Fader & Hardie 2007).");
    register_sbg_value(m.attr("sbg").cast<py::module_>());
    register_model<GammaGammaModel>(m, "gamma_gamma", "Gamma-Gamma spend (Fader, Hardie & Lee 2005).");
    register_model<BetaDiscreteWeibullModel>(m, "bdw",
                                             "Beta-discrete-Weibull durations (Fader, Hardie, Liu, Davin & Steenburgh 2018).");
    m.attr("gamma_gamma").cast<py::module_>().def(
        "fit_unconstrained",
        [](const DoubleArray& x, const DoubleArray& m_, const DoubleArray& w, const FitOptions& options) {
            const std::size_t n = rows_of({{&x, "frequency"}, {&m_, "monetary_value"}, {&w, "weights"}});
            return interruptible_fit(options, [&](const FitOptions& o) {
                return relationship::fit<GammaGammaUnconstrainedModel>({x.data(), m_.data()}, {}, w.data(), n, o);
            });
        },
        py::arg("frequency"), py::arg("monetary_value"), py::arg("weights"), py::arg("options"),
        "Gamma-Gamma fit with q > 0 only (lifetimes' q_constraint=False).");
    register_model<BgNbdCovariatesModel>(m, "bgnbd_covariates", "BG/NBD with static covariates (CLVTools).");
    register_model<ParetoNbdCovariatesModel>(m, "pareto_nbd_covariates",
                                             "Pareto/NBD with static covariates (CLVTools).");
}

}  // namespace trustcost::bindings
