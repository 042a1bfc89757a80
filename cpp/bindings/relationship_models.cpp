// Bindings of the models beyond BG/NBD and Pareto/NBD: BG/BB, MBG/NBD and the contractual sBG.
#include <string>

#include "bindings.hpp"
#include "relationship_common.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/relationship/bgbb.hpp"
#include "trustcost/relationship/contractual.hpp"
#include "trustcost/relationship/covariates.hpp"
#include "trustcost/relationship/mbgnbd.hpp"
#include "trustcost/relationship/rfm.hpp"

namespace trustcost::bindings {

namespace {

using namespace trustcost::relationship;
using namespace relationship_common;

std::span<const double> params_of(const DoubleArray& a, std::size_t k) {
    if (static_cast<std::size_t>(a.size()) != k) throw core::invalid("params must have ", k, " values, got ", a.size());
    for (py::ssize_t i = 0; i < a.size(); ++i) core::require_positive(a.data()[i], "params");
    return {a.data(), k};
}

FitOptions fit_options(double penalizer, int max_iterations) {
    core::require_non_negative(penalizer, "penalizer");
    if (max_iterations < 1) throw core::invalid("max_iterations must be >= 1, got ", max_iterations);
    FitOptions options;
    options.penalizer = penalizer;
    options.max_iterations = max_iterations;
    return options;
}

// Fit on three columns plus weights, the GIL released.
template <class Fit>
py::dict fit3(Fit fit, const DoubleArray& a, const DoubleArray& b, const DoubleArray& c, const DoubleArray& w,
              const char* names[3], double penalizer, int max_iterations) {
    const std::size_t n = same_length({{&a, names[0]}, {&b, names[1]}, {&c, names[2]}, {&w, "weights"}});
    const FitOptions options = fit_options(penalizer, max_iterations);
    FitResult result;
    {
        py::gil_scoped_release release;
        result = fit(a.data(), b.data(), c.data(), w.data(), n, options);
    }
    return as_dict(result);
}

void register_bgbb(py::module_& m) {
    m.def("bgbb_fit",
          [](const DoubleArray& x, const DoubleArray& t_x, const DoubleArray& n_periods, const DoubleArray& w,
             double penalizer, int max_iterations) {
              const char* names[3] = {"frequency", "recency", "n_periods"};
              return fit3(&bgbb::fit, x, t_x, n_periods, w, names, penalizer, max_iterations);
          },
          py::arg("frequency"), py::arg("recency"), py::arg("n_periods"), py::arg("weights"), py::arg("penalizer"),
          py::arg("max_iterations"));
    m.def("bgbb_check_rows",
          [](const DoubleArray& x, const DoubleArray& t_x, const DoubleArray& n_periods) {
              const std::size_t n = same_length({{&x, "frequency"}, {&t_x, "recency"}, {&n_periods, "n_periods"}});
              bgbb::check_rows(x.data(), t_x.data(), n_periods.data(), n);
          },
          py::arg("frequency"), py::arg("recency"), py::arg("n_periods"));
    using Conditional = void (*)(std::span<const double>, const double*, const double*, const double*, const double*,
                                 std::size_t, double*);
    const auto conditional = [&m](const char* name, Conditional f) {
        m.def(name,
              [f](const DoubleArray& params, const DoubleArray& periods, const DoubleArray& x, const DoubleArray& t_x,
                  const DoubleArray& n_periods) {
                  const std::size_t n = same_length(
                      {{&periods, "periods"}, {&x, "frequency"}, {&t_x, "recency"}, {&n_periods, "n_periods"}});
                  bgbb::check_rows(x.data(), t_x.data(), n_periods.data(), n);
                  const auto p = params_of(params, 4);
                  auto out = new_vector(n);
                  double* o = out.mutable_data();
                  py::gil_scoped_release release;
                  f(p, periods.data(), x.data(), t_x.data(), n_periods.data(), n, o);
                  return out;
              },
              py::arg("params"), py::arg("periods"), py::arg("frequency"), py::arg("recency"), py::arg("n_periods"));
    };
    conditional("bgbb_p_alive", &bgbb::p_alive);
    conditional("bgbb_expected_purchases", &bgbb::expected_purchases);
    m.def("bgbb_expected_purchases_population",
          [](const DoubleArray& params, const DoubleArray& n_periods) {
              const auto p = params_of(params, 4);
              const auto n = static_cast<std::size_t>(n_periods.size());
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              bgbb::expected_purchases_population(p, n_periods.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("n_periods"));
    m.def("bgbb_probability_of_n_purchases",
          [](const DoubleArray& params, const DoubleArray& n_periods, const DoubleArray& k) {
              const std::size_t n = same_length({{&n_periods, "n_periods"}, {&k, "n"}});
              const auto p = params_of(params, 4);
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              bgbb::probability_of_n_purchases(p, n_periods.data(), k.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("n_periods"), py::arg("n"));
    m.def("bgbb_conditional_probability_of_n_purchases",
          [](const DoubleArray& params, const DoubleArray& periods, const DoubleArray& k, const DoubleArray& x,
             const DoubleArray& t_x, const DoubleArray& n_periods) {
              const std::size_t n = same_length({{&periods, "periods"}, {&k, "n"}, {&x, "frequency"},
                                                 {&t_x, "recency"}, {&n_periods, "n_periods"}});
              bgbb::check_rows(x.data(), t_x.data(), n_periods.data(), n);
              const auto p = params_of(params, 4);
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              bgbb::conditional_probability_of_n_purchases(p, periods.data(), k.data(), x.data(), t_x.data(),
                                                           n_periods.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("periods"), py::arg("n"), py::arg("frequency"), py::arg("recency"),
          py::arg("n_periods"));
}

void register_mbgnbd(py::module_& m) {
    m.def("mbgnbd_fit",
          [](const DoubleArray& x, const DoubleArray& t_x, const DoubleArray& T, const DoubleArray& w, double penalizer,
             int max_iterations) {
              const char* names[3] = {"frequency", "recency", "T"};
              same_length({{&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              check_summary(x.data(), t_x.data(), T.data(), static_cast<std::size_t>(x.size()));
              return fit3(&mbgnbd::fit, x, t_x, T, w, names, penalizer, max_iterations);
          },
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("weights"), py::arg("penalizer"),
          py::arg("max_iterations"));
    m.def("mbgnbd_p_alive",
          [](const DoubleArray& params, const DoubleArray& x, const DoubleArray& t_x, const DoubleArray& T) {
              const std::size_t n = same_length({{&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              check_summary(x.data(), t_x.data(), T.data(), n);
              const auto p = params_of(params, 4);
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              mbgnbd::p_alive(p, x.data(), t_x.data(), T.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("T"));
    m.def("mbgnbd_expected_purchases",
          [](const DoubleArray& params, const DoubleArray& t, const DoubleArray& x, const DoubleArray& t_x,
             const DoubleArray& T) {
              const std::size_t n = same_length({{&t, "t"}, {&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              check_summary(x.data(), t_x.data(), T.data(), n);
              const auto p = params_of(params, 4);
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              mbgnbd::expected_purchases(p, t.data(), x.data(), t_x.data(), T.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("t"), py::arg("frequency"), py::arg("recency"), py::arg("T"));
    m.def("mbgnbd_expected_purchases_population",
          [](const DoubleArray& params, const DoubleArray& t) {
              const auto p = params_of(params, 4);
              const auto n = static_cast<std::size_t>(t.size());
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              mbgnbd::expected_purchases_population(p, t.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("t"));
    m.def("mbgnbd_probability_of_n_purchases",
          [](const DoubleArray& params, const DoubleArray& t, const DoubleArray& k) {
              const std::size_t n = same_length({{&t, "t"}, {&k, "n"}});
              const auto p = params_of(params, 4);
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              mbgnbd::probability_of_n_purchases(p, t.data(), k.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("t"), py::arg("n"));
    m.def("mbgnbd_conditional_probability_of_n_purchases",
          [](const DoubleArray& params, const DoubleArray& k, const DoubleArray& t, const DoubleArray& x,
             const DoubleArray& t_x, const DoubleArray& T) {
              const std::size_t n =
                  same_length({{&k, "n"}, {&t, "t"}, {&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              check_summary(x.data(), t_x.data(), T.data(), n);
              const auto p = params_of(params, 4);
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              mbgnbd::conditional_probability_of_n_purchases(p, k.data(), t.data(), x.data(), t_x.data(), T.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("n"), py::arg("t"), py::arg("frequency"), py::arg("recency"), py::arg("T"));
}

void register_sbg(py::module_& m) {
    m.def("sbg_fit",
          [](const DoubleArray& period, const DoubleArray& lost, const DoubleArray& w, double penalizer,
             int max_iterations) {
              const std::size_t n = same_length({{&period, "period"}, {&lost, "lost"}, {&w, "weights"}});
              const FitOptions options = fit_options(penalizer, max_iterations);
              FitResult result;
              {
                  py::gil_scoped_release release;
                  result = sbg::fit(period.data(), lost.data(), w.data(), n, options);
              }
              return as_dict(result);
          },
          py::arg("period"), py::arg("lost"), py::arg("weights"), py::arg("penalizer"), py::arg("max_iterations"));
    using Curve = void (*)(std::span<const double>, const double*, std::size_t, double*);
    const auto curve = [&m](const char* name, Curve f) {
        m.def(name,
              [f](const DoubleArray& params, const DoubleArray& t) {
                  const auto p = params_of(params, 2);
                  const auto n = static_cast<std::size_t>(t.size());
                  auto out = new_vector(n);
                  f(p, t.data(), n, out.mutable_data());
                  return out;
              },
              py::arg("params"), py::arg("t"));
    };
    curve("sbg_survival", &sbg::survival);
    curve("sbg_retention", &sbg::retention);
    curve("sbg_churn", &sbg::churn);
    m.def("sbg_residual_lifetime",
          [](const DoubleArray& params, double discount_rate, const DoubleArray& renewals) {
              const auto p = params_of(params, 2);
              const auto n = static_cast<std::size_t>(renewals.size());
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              sbg::residual_lifetime(p, discount_rate, renewals.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("discount_rate"), py::arg("renewals"));
    m.def("sbg_expected_lifetime",
          [](const DoubleArray& params, double discount_rate) {
              return sbg::expected_lifetime(params_of(params, 2), discount_rate);
          },
          py::arg("params"), py::arg("discount_rate"));
}

// Covariates as a C-contiguous n x q matrix with one row per customer.
std::size_t covariate_columns(const DoubleArray& z, std::size_t n) {
    if (z.ndim() != 2 || static_cast<std::size_t>(z.shape(0)) != n)
        throw core::invalid("covariates must be a 2-D array with ", n, " rows, got ", z.ndim(), "-D with ",
                            z.ndim() > 0 ? z.shape(0) : 0, " rows");
    return static_cast<std::size_t>(z.shape(1));
}

// Model parameters (> 0) followed by real coefficients (finite).
std::span<const double> covariate_params(const DoubleArray& a) {
    const auto k = static_cast<std::size_t>(a.size());
    if (k < 4) throw core::invalid("params must hold 4 model parameters and the coefficients, got ", k, " values");
    for (std::size_t j = 0; j < k; ++j)
        j < 4 ? core::require_positive(a.data()[j], "params") : core::require_finite(a.data()[j], "params");
    return {a.data(), k};
}

using CovariateFit = FitResult (*)(const double*, const double*, const double*, const double*, std::size_t,
                                   const double*, std::size_t, const FitOptions&);
using CovariateAlive = void (*)(std::span<const double>, const double*, std::size_t, const double*, const double*,
                                const double*, std::size_t, double*);
using CovariateExpected = void (*)(std::span<const double>, const double*, std::size_t, const double*, const double*,
                                   const double*, const double*, std::size_t, double*);

void register_covariate_model(py::module_& m, const std::string& prefix, CovariateFit fit, CovariateAlive alive,
                              CovariateExpected expected) {
    m.def((prefix + "_fit").c_str(),
          [fit](const DoubleArray& x, const DoubleArray& t_x, const DoubleArray& T, const DoubleArray& z,
                const DoubleArray& w, double penalizer, int max_iterations) {
              const std::size_t n = same_length({{&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}, {&w, "weights"}});
              const std::size_t q = covariate_columns(z, n);
              const FitOptions options = fit_options(penalizer, max_iterations);
              FitResult result;
              {
                  py::gil_scoped_release release;
                  result = fit(x.data(), t_x.data(), T.data(), z.data(), q, w.data(), n, options);
              }
              return as_dict(result);
          },
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("covariates"), py::arg("weights"),
          py::arg("penalizer"), py::arg("max_iterations"));
    m.def((prefix + "_p_alive").c_str(),
          [alive](const DoubleArray& params, const DoubleArray& z, const DoubleArray& x, const DoubleArray& t_x,
                  const DoubleArray& T) {
              const std::size_t n = same_length({{&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              const std::size_t q = covariate_columns(z, n);
              const auto p = covariate_params(params);
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              alive(p, z.data(), q, x.data(), t_x.data(), T.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("covariates"), py::arg("frequency"), py::arg("recency"), py::arg("T"));
    m.def((prefix + "_expected_purchases").c_str(),
          [expected](const DoubleArray& params, const DoubleArray& z, const DoubleArray& t, const DoubleArray& x,
                     const DoubleArray& t_x, const DoubleArray& T) {
              const std::size_t n = same_length({{&t, "t"}, {&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              const std::size_t q = covariate_columns(z, n);
              const auto p = covariate_params(params);
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              expected(p, z.data(), q, t.data(), x.data(), t_x.data(), T.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("covariates"), py::arg("t"), py::arg("frequency"), py::arg("recency"), py::arg("T"));
}

void register_covariates(py::module_& m) {
    register_covariate_model(m, "bgnbd_covariates", &bgnbd_covariates::fit, &bgnbd_covariates::p_alive,
                             &bgnbd_covariates::expected_purchases);
    register_covariate_model(m, "pareto_nbd_covariates", &pareto_nbd_covariates::fit, &pareto_nbd_covariates::p_alive,
                             &pareto_nbd_covariates::expected_purchases);
}

}  // namespace

void register_relationship_models(py::module_& m) {
    register_bgbb(m);
    register_mbgnbd(m);
    register_sbg(m);
    register_covariates(m);
}

}  // namespace trustcost::bindings
