#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "relationship_common.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/relationship/bgnbd.hpp"
#include "trustcost/relationship/gamma_gamma.hpp"
#include "trustcost/relationship/health.hpp"
#include "trustcost/relationship/markov.hpp"
#include "trustcost/relationship/pareto_nbd.hpp"
#include "trustcost/relationship/rfm.hpp"

namespace trustcost::bindings {

namespace {

using namespace trustcost::relationship;
using namespace relationship_common;
using IntArray = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

using Fit3 = FitResult (*)(const double*, const double*, const double*, const double*, std::size_t, const FitOptions&);
using Predict3 = void (*)(std::span<const double>, const double*, const double*, const double*, std::size_t, double*);
using Predict4 = void (*)(std::span<const double>, const double*, const double*, const double*, const double*,
                          std::size_t, double*);
using Predict1 = void (*)(std::span<const double>, const double*, std::size_t, double*);
using Predict2 = void (*)(std::span<const double>, const double*, const double*, std::size_t, double*);
using Predict5 = void (*)(std::span<const double>, const double*, const double*, const double*, const double*,
                          const double*, std::size_t, double*);

FitOptions fit_options(double penalizer, int max_iterations) {
    FitOptions options;
    options.penalizer = penalizer;
    options.max_iterations = max_iterations;
    return options;
}

std::span<const double> as_span(const DoubleArray& a) { return {a.data(), static_cast<std::size_t>(a.size())}; }

void register_count_model(py::module_& m, const std::string& prefix, Fit3 fit, Predict3 p_alive, Predict4 expected,
                          Predict1 population, Predict2 probability, Predict5 conditional_probability) {
    m.def((prefix + "_fit").c_str(),
          [fit](const DoubleArray& x, const DoubleArray& t_x, const DoubleArray& T, const DoubleArray& w,
                double penalizer, int max_iterations) {
              const std::size_t n = same_length({{&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}, {&w, "weights"}});
              FitResult result;
              {
                  py::gil_scoped_release release;
                  result = fit(x.data(), t_x.data(), T.data(), w.data(), n, fit_options(penalizer, max_iterations));
              }
              return as_dict(result);
          },
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("weights"), py::arg("penalizer"),
          py::arg("max_iterations"));
    m.def((prefix + "_p_alive").c_str(),
          [p_alive](const DoubleArray& params, const DoubleArray& x, const DoubleArray& t_x, const DoubleArray& T) {
              const std::size_t n = same_length({{&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              p_alive(as_span(params), x.data(), t_x.data(), T.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("T"));
    m.def((prefix + "_expected_purchases").c_str(),
          [expected](const DoubleArray& params, const DoubleArray& t, const DoubleArray& x, const DoubleArray& t_x,
                     const DoubleArray& T) {
              const std::size_t n = same_length({{&t, "t"}, {&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              expected(as_span(params), t.data(), x.data(), t_x.data(), T.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("t"), py::arg("frequency"), py::arg("recency"), py::arg("T"));
    m.def((prefix + "_expected_purchases_population").c_str(),
          [population](const DoubleArray& params, const DoubleArray& t) {
              const auto n = static_cast<std::size_t>(t.size());
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              population(as_span(params), t.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("t"));
    m.def((prefix + "_probability_of_n_purchases").c_str(),
          [probability](const DoubleArray& params, const DoubleArray& t, const DoubleArray& k) {
              const std::size_t n = same_length({{&t, "t"}, {&k, "n"}});
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              probability(as_span(params), t.data(), k.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("t"), py::arg("n"));
    m.def((prefix + "_conditional_probability_of_n_purchases").c_str(),
          [conditional_probability](const DoubleArray& params, const DoubleArray& k, const DoubleArray& t,
                                    const DoubleArray& x, const DoubleArray& t_x, const DoubleArray& T) {
              const std::size_t n =
                  same_length({{&k, "n"}, {&t, "t"}, {&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              conditional_probability(as_span(params), k.data(), t.data(), x.data(), t_x.data(), T.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("n"), py::arg("t"), py::arg("frequency"), py::arg("recency"), py::arg("T"));
}

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

    register_count_model(m, "bgnbd", &bgnbd::fit, &bgnbd::p_alive, &bgnbd::expected_purchases,
                         &bgnbd::expected_purchases_population, &bgnbd::probability_of_n_purchases,
                         &bgnbd::conditional_probability_of_n_purchases);
    register_count_model(m, "pareto_nbd", &pareto_nbd::fit, &pareto_nbd::p_alive, &pareto_nbd::expected_purchases,
                         &pareto_nbd::expected_purchases_population, &pareto_nbd::probability_of_n_purchases,
                         &pareto_nbd::conditional_probability_of_n_purchases);
    m.def("gamma_gamma_fit",
          [](const DoubleArray& x, const DoubleArray& m_, const DoubleArray& w, double penalizer, int max_iterations) {
              const std::size_t n = same_length({{&x, "frequency"}, {&m_, "monetary_value"}, {&w, "weights"}});
              FitResult result;
              {
                  py::gil_scoped_release release;
                  result = gamma_gamma::fit(x.data(), m_.data(), w.data(), n, fit_options(penalizer, max_iterations));
              }
              return as_dict(result);
          },
          py::arg("frequency"), py::arg("monetary_value"), py::arg("weights"), py::arg("penalizer"),
          py::arg("max_iterations"));
    m.def("gamma_gamma_expected_average_value",
          [](const DoubleArray& params, const DoubleArray& x, const DoubleArray& m_) {
              const std::size_t n = same_length({{&x, "frequency"}, {&m_, "monetary_value"}});
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              gamma_gamma::expected_average_value(as_span(params), x.data(), m_.data(), n, o);
              return out;
          },
          py::arg("params"), py::arg("frequency"), py::arg("monetary_value"));

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
              const std::size_t pieces = same_length({{&starts, "starts"}, {&efforts, "efforts"}});
              auto out = new_vector(static_cast<std::size_t>(times.size()));
              health::path(h0, decay_rate, effect, starts.data(), efforts.data(), pieces, times.data(),
                           static_cast<std::size_t>(times.size()), out.mutable_data());
              return out;
          },
          py::arg("initial_health"), py::arg("decay_rate"), py::arg("effect"), py::arg("starts"), py::arg("efforts"),
          py::arg("times"));
}

}  // namespace trustcost::bindings
