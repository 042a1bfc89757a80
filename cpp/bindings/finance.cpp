#include <optional>
#include <string>

#include "bindings.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/finance/discount.hpp"
#include "trustcost/finance/measures.hpp"

namespace trustcost::bindings {

namespace {

using finance::Series;

Series as_series(const DoubleArray& values) {
    if (values.ndim() != 2) throw core::invalid("values must be 2-D, got ", values.ndim(), " dimensions");
    return {values.data(), static_cast<std::size_t>(values.shape(0)), static_cast<std::size_t>(values.shape(1))};
}

py::array_t<double> new_vector(std::size_t n) { return py::array_t<double>(static_cast<py::ssize_t>(n)); }

}  // namespace

void register_finance(py::module_& m) {
    m.def("discount_factors",
          [](double rate, std::size_t periods, const std::string& timing, bool continuous) {
              const auto f = finance::discount_factors(rate, periods, finance::parse_timing(timing), continuous);
              return py::array_t<double>(static_cast<py::ssize_t>(f.size()), f.data());
          },
          py::arg("rate"), py::arg("periods"), py::arg("timing"), py::arg("continuous"));
    m.def("real_rate", py::vectorize(&finance::real_rate), py::arg("nominal"), py::arg("inflation"));
    m.def("nominal_rate", py::vectorize(&finance::nominal_rate), py::arg("real"), py::arg("inflation"));
    m.def("spv", py::vectorize(&finance::spv), py::arg("rate"), py::arg("n"));
    m.def("crf", py::vectorize(&finance::crf), py::arg("rate"), py::arg("n"));
    m.def("eac", py::vectorize(&finance::eac), py::arg("present_value"), py::arg("rate"), py::arg("n"));
    m.def("upv",
          [](py::object rate, py::object n, py::object escalation, const std::string& timing) {
              const auto t = finance::parse_timing(timing);
              auto f = py::vectorize([t](double r, double periods, double e) { return finance::upv(r, periods, e, t); });
              return f(rate, n, escalation);
          },
          py::arg("rate"), py::arg("n"), py::arg("escalation"), py::arg("timing"));
    m.def("sir", py::vectorize(&finance::sir), py::arg("pv_savings"), py::arg("pv_investment"));
    m.def("airr", py::vectorize(&finance::airr), py::arg("sir"), py::arg("reinvestment_rate"), py::arg("n"));

    m.def("npv",
          [](const DoubleArray& values, const DoubleArray& rates, const std::string& timing) {
              const Series s = as_series(values);
              const auto t = finance::parse_timing(timing);
              auto out = new_vector(s.rows);
              double* o = out.mutable_data();
              {
                  py::gil_scoped_release release;
                  finance::npv(s, rates.data(), static_cast<std::size_t>(rates.size()), t, o);
              }
              return out;
          },
          py::arg("values"), py::arg("rates"), py::arg("timing"));
    m.def("irr",
          [](const DoubleArray& values) {
              const Series s = as_series(values);
              auto out = new_vector(s.rows);
              double* o = out.mutable_data();
              {
                  py::gil_scoped_release release;
                  finance::irr(s, o);
              }
              return out;
          },
          py::arg("values"));
    m.def("irr_all",
          [](const DoubleArray& values) {
              const auto r = finance::irr_all(values.data(), static_cast<std::size_t>(values.size()));
              return py::array_t<double>(static_cast<py::ssize_t>(r.size()), r.data());
          },
          py::arg("values"));
    m.def("xnpv",
          [](double rate, const DoubleArray& amounts, const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& days) {
              return finance::xnpv(rate, amounts.data(), days.data(), static_cast<std::size_t>(amounts.size()));
          },
          py::arg("rate"), py::arg("amounts"), py::arg("days"));
    m.def("xirr",
          [](const DoubleArray& amounts, const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& days) {
              return finance::xirr(amounts.data(), days.data(), static_cast<std::size_t>(amounts.size()));
          },
          py::arg("amounts"), py::arg("days"));
    m.def("payback",
          [](const DoubleArray& values, std::optional<double> rate, bool fractional) {
              const Series s = as_series(values);
              auto out = new_vector(s.rows);
              double* o = out.mutable_data();
              {
                  py::gil_scoped_release release;
                  finance::payback(s, rate ? &*rate : nullptr, fractional, o);
              }
              return out;
          },
          py::arg("values"), py::arg("rate"), py::arg("fractional"));
}

}  // namespace trustcost::bindings
