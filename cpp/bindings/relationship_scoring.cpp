// Scoring a customer base with a fitted count model (relationship/scoring.hpp): conversion, GIL
// release and Ctrl-C only.
#include <optional>
#include <vector>

#include "bindings.hpp"
#include "interrupts.hpp"
#include "relationship_common.hpp"
#include "trustcost/relationship/scoring.hpp"

namespace trustcost::bindings {

namespace {
using namespace relationship_common;
namespace scoring = relationship::scoring;

std::span<const double> as_span(const DoubleArray& a) { return {a.data(), static_cast<std::size_t>(a.size())}; }
}  // namespace

void register_relationship_scoring(py::module_& m) {
    py::enum_<scoring::CountModel>(m, "CountModel", "Repeat-purchase models whose customers can be scored")
        .value("bgnbd", scoring::CountModel::bgnbd)
        .value("mbgnbd", scoring::CountModel::mbgnbd)
        .value("pareto_nbd", scoring::CountModel::pareto_nbd);

    m.def("distinct_rows",
          [](const std::vector<DoubleArray>& columns, const std::optional<DoubleArray>& weights) {
              if (columns.empty()) throw core::invalid("columns must hold 1 to 4 arrays, got none");
              const auto n = static_cast<std::size_t>(columns[0].size());
              std::vector<scoring::Column> cols;
              for (std::size_t c = 0; c < columns.size(); ++c) {
                  if (static_cast<std::size_t>(columns[c].size()) != n)
                      throw core::invalid("column ", c, " must have ", n, " values like column 0, got ", columns[c].size());
                  cols.push_back({columns[c].data(), false});
              }
              if (weights && static_cast<std::size_t>(weights->size()) != n)
                  throw core::invalid("weights must have ", n, " values, got ", weights->size());
              scoring::Distinct d;
              std::vector<double> total;
              {
                  py::gil_scoped_release release;
                  d = scoring::distinct_rows(std::span<const scoring::Column>(cols), n);
                  scoring::sort_lexicographically(d);
                  total = scoring::total_weights(d, weights ? weights->data() : nullptr);
              }
              py::list out;
              for (std::size_t c = 0; c < d.width; ++c) {
                  auto column = new_vector(d.size());
                  double* o = column.mutable_data();
                  for (std::size_t j = 0; j < d.size(); ++j) o[j] = d.at(j, c);
                  out.append(column);
              }
              return py::make_tuple(out, py::array_t<double>(static_cast<py::ssize_t>(total.size()), total.data()));
          },
          py::arg("columns"), py::arg("weights") = py::none(),
          "The distinct rows of 1 to 4 equal-length columns (sorted lexicographically) and the total "
          "weight of each (its count without weights).");
    m.def("score_p_alive",
          [](scoring::CountModel model, const DoubleArray& params, const DoubleArray& x, const DoubleArray& t_x,
             const DoubleArray& T) {
              const std::size_t n = same_length({{&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              scoring::p_alive(model, as_span(params), x.data(), t_x.data(), T.data(), n, o);
              return out;
          },
          py::arg("model"), py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("T"),
          "P(alive) of every customer; the row rule is checked here.");
    m.def("score_expected_purchases",
          [](scoring::CountModel model, const DoubleArray& params, const DoubleArray& t, const DoubleArray& x,
             const DoubleArray& t_x, const DoubleArray& T) {
              const std::size_t n = same_length({{&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              if (t.size() != 1 && static_cast<std::size_t>(t.size()) != n)
                  throw core::invalid("t must have 1 or ", n, " values, got ", t.size());
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              scoring::expected_purchases(model, as_span(params), {t.data(), t.size() == 1}, x.data(), t_x.data(),
                                          T.data(), n, o);
              return out;
          },
          py::arg("model"), py::arg("params"), py::arg("t"), py::arg("frequency"), py::arg("recency"), py::arg("T"),
          "E[purchases in the next t | history] of every customer; t has one value or one per customer.");
    m.def("score_conditional_probability_of_n_purchases",
          [](scoring::CountModel model, const DoubleArray& params, const DoubleArray& k, const DoubleArray& t,
             const DoubleArray& x, const DoubleArray& t_x, const DoubleArray& T) {
              const std::size_t n = same_length({{&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}});
              for (const auto& [a, name] : {std::pair{&k, "n"}, std::pair{&t, "t"}})
                  if (a->size() != 1 && static_cast<std::size_t>(a->size()) != n)
                      throw core::invalid(name, " must have 1 or ", n, " values, got ", a->size());
              auto out = new_vector(n);
              double* o = out.mutable_data();
              py::gil_scoped_release release;
              scoring::conditional_probability_of_n_purchases(model, as_span(params), {k.data(), k.size() == 1},
                                                              {t.data(), t.size() == 1}, x.data(), t_x.data(),
                                                              T.data(), n, o);
              return out;
          },
          py::arg("model"), py::arg("params"), py::arg("n"), py::arg("t"), py::arg("frequency"), py::arg("recency"),
          py::arg("T"), "P(n purchases in the next t | history) of every customer; n and t: one value or one per customer.");
    m.def("score_customer_lifetime_value",
          [](scoring::CountModel model, const DoubleArray& params, const DoubleArray& spend_params,
             const DoubleArray& x, const DoubleArray& t_x, const DoubleArray& T, const DoubleArray& monetary_value,
             int months, double periods_per_month, double discount_rate) {
              const std::size_t n = same_length(
                  {{&x, "frequency"}, {&t_x, "recency"}, {&T, "T"}, {&monetary_value, "monetary_value"}});
              auto out = new_vector(n);
              double* o = out.mutable_data();
              SignalPoll poll;
              try {
                  py::gil_scoped_release release;
                  scoring::customer_lifetime_value(model, as_span(params), as_span(spend_params), x.data(),
                                                   t_x.data(), T.data(), monetary_value.data(), n,
                                                   {months, periods_per_month, discount_rate}, o, poll.progress());
              } catch (const core::Cancelled&) {
                  poll.rethrow();
              }
              return out;
          },
          py::arg("model"), py::arg("params"), py::arg("spend_params"), py::arg("frequency"), py::arg("recency"),
          py::arg("T"), py::arg("monetary_value"), py::arg("months"), py::arg("periods_per_month"),
          py::arg("discount_rate"), "Discounted CLV of every customer over `months` months, in one pass.");
}

}  // namespace trustcost::bindings
