#include <cstdint>
#include <optional>
#include <tuple>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "interrupts.hpp"
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

// Time stamps read in place: datetime64 (ns, us, ms, s or D) as ticks, int64 as period numbers.
struct Stamps {
    py::array array;  // keeps the data alive
    const std::int64_t* data;
    std::size_t size;
    StampUnit unit;
};

Stamps stamps_of(const py::object& stamps, const std::string& name) {
    py::array a = py::array::ensure(stamps, py::array::c_style);
    if (!a || a.ndim() != 1)
        throw core::invalid(name, " must be a 1-D array of datetime64 or int64 values");
    StampUnit unit = StampUnit::period;
    if (a.dtype().kind() == 'M') {
        const auto data = py::module_::import("numpy").attr("datetime_data")(a.dtype()).cast<py::tuple>();
        const auto code = data[0].cast<std::string>();
        const auto count = data[1].cast<long long>();
        if (count == 1 && code == "ns") unit = StampUnit::nanosecond;
        else if (count == 1 && code == "us") unit = StampUnit::microsecond;
        else if (count == 1 && code == "ms") unit = StampUnit::millisecond;
        else if (count == 1 && code == "s") unit = StampUnit::second;
        else if (count == 1 && code == "D") unit = StampUnit::day;
        else throw core::invalid(name, " must be datetime64 in ns, us, ms, s or D, got ", std::string(py::str(a.dtype())));
    } else if (a.dtype().kind() == 'i' || a.dtype().kind() == 'u') {
        a = IntArray::ensure(a);  // period numbers
        if (!a) throw core::invalid(name, " period numbers must fit in int64");
    } else {
        throw core::invalid(name, " must be datetime64 or int64, got ", std::string(py::str(a.dtype())));
    }
    return {a, static_cast<const std::int64_t*>(a.data()), static_cast<std::size_t>(a.size()), unit};
}

struct ColumnNames {
    std::string customer, date, value;
};

// One pass over the log (GIL released, Ctrl-C heard), then one (columns, customers) table whose
// rows are the summary's columns (a pandas frame of its transpose is one block, no copy) and the
// customer codes of its columns.
std::tuple<py::array_t<double>, IntArray, TransactionSummary> summarise(
    const IntArray& customer, const py::object& stamps, const py::object& value, std::size_t customers,
    PeriodUnit period, const SummaryWindow& window, const py::object& order, ColumnNames names, bool holdout) {
    const Stamps s = stamps_of(stamps, names.date);
    const auto n = static_cast<std::size_t>(customer.size());
    if (s.size != n) throw core::invalid(names.date, " must have ", n, " values like ", names.customer, ", got ", s.size);
    DoubleArray values;
    if (!value.is_none()) {
        values = value.cast<DoubleArray>();
        if (static_cast<std::size_t>(values.size()) != n)
            throw core::invalid(names.value, " must have ", n, " values like ", names.customer, ", got ", values.size());
    }
    IntArray ordering;
    if (!order.is_none()) {
        ordering = order.cast<IntArray>();
        if (static_cast<std::size_t>(ordering.size()) != customers)
            throw core::invalid("order must have ", customers, " codes, got ", ordering.size());
    }
    TransactionLog log{customer.data(), s.data, value.is_none() ? nullptr : values.data(), n, customers,
                       {s.unit, period}, std::move(names.customer), std::move(names.date), std::move(names.value)};
    const bool money = log.value != nullptr;
    std::optional<TransactionSummary> summary;
    SignalPoll poll;
    try {
        py::gil_scoped_release release;
        summary.emplace(log, window, poll.progress());
    } catch (const core::Cancelled&) {
        poll.rethrow();
    }
    const std::size_t k = summary->size();
    const std::size_t columns = 3 + money + (holdout ? 2 + money : 0);
    py::array_t<double> table({static_cast<py::ssize_t>(columns), static_cast<py::ssize_t>(k)});
    IntArray codes(static_cast<py::ssize_t>(k));
    double* t = table.mutable_data();
    SummaryColumns out{codes.mutable_data(), t, t + k, t + 2 * k};
    std::size_t next = 3;
    if (money) out.monetary = t + k * next++;
    if (holdout) {
        out.holdout_frequency = t + k * next++;
        if (money) out.holdout_monetary = t + k * next++;
        out.holdout_duration = t + k * next++;
    }
    {
        py::gil_scoped_release release;
        summary->write(out, order.is_none() ? nullptr : ordering.data());
    }
    return {std::move(table), std::move(codes), std::move(*summary)};
}

}  // namespace

void register_relationship(py::module_& m) {
    py::enum_<PeriodUnit>(m, "PeriodUnit", "Period of a transaction summary (relationship::PeriodUnit).")
        .value("hour", PeriodUnit::hour)
        .value("day", PeriodUnit::day)
        .value("week", PeriodUnit::week)
        .value("month", PeriodUnit::month)
        .value("quarter", PeriodUnit::quarter)
        .value("year", PeriodUnit::year);
    m.def("period_numbers",
          [](const py::object& stamps, PeriodUnit period, const std::string& name) {
              const Stamps s = stamps_of(stamps, name);
              IntArray out(static_cast<py::ssize_t>(s.size));
              std::int64_t* o = out.mutable_data();
              {
                  py::gil_scoped_release release;
                  relationship::period_numbers(s.data, s.size, {s.unit, period}, o, name);
              }
              return out;
          },
          py::arg("stamps"), py::arg("period"), py::arg("name") = "date");
    m.def("rfm_summary",
          [](const IntArray& customer, const py::object& stamps, const py::object& value, std::size_t customers,
             PeriodUnit period, std::optional<std::int64_t> end, bool include_first, double time_scale,
             const py::object& order, const std::string& customer_name, const std::string& date_name,
             const std::string& value_name) {
              SummaryWindow window{end, end, include_first, time_scale};
              auto [table, codes, summary] = summarise(customer, stamps, value, customers, period, window, order,
                                                       {customer_name, date_name, value_name}, false);
              return py::make_tuple(table, codes, summary.observation_end(), summary.excluded_rows());
          },
          py::arg("customer"), py::arg("stamps"), py::arg("value"), py::arg("customers"), py::arg("period"),
          py::arg("end") = py::none(), py::arg("include_first") = false, py::arg("time_scale") = 1.0,
          py::arg("order") = py::none(), py::arg("customer_name") = "customer", py::arg("date_name") = "date",
          py::arg("value_name") = "value");
    m.def("calibration_and_holdout",
          [](const IntArray& customer, const py::object& stamps, const py::object& value, std::size_t customers,
             PeriodUnit period, std::int64_t calibration_end, std::optional<std::int64_t> observation_end,
             bool include_first, double time_scale, const py::object& order, const std::string& customer_name,
             const std::string& date_name, const std::string& value_name) {
              SummaryWindow window{observation_end, calibration_end, include_first, time_scale};
              auto [table, codes, summary] = summarise(customer, stamps, value, customers, period, window, order,
                                                       {customer_name, date_name, value_name}, true);
              return py::make_tuple(table, codes, summary.observation_end(), summary.excluded_rows(),
                                    summary.first_seen_in_holdout());
          },
          py::arg("customer"), py::arg("stamps"), py::arg("value"), py::arg("customers"), py::arg("period"),
          py::arg("calibration_end"), py::arg("observation_end") = py::none(), py::arg("include_first") = false,
          py::arg("time_scale") = 1.0, py::arg("order") = py::none(), py::arg("customer_name") = "customer",
          py::arg("date_name") = "date", py::arg("value_name") = "value");
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
