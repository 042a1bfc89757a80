#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "interrupts.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/finance/annuity.hpp"
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

py::array_t<double> as_vector(const std::vector<double>& v) {
    return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
}

using DayArray = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

using OffsetArray = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

// Group boundaries for the *_groups functions: groups + 1 offsets from 0 to the number of flows.
// The common call's arrays as they are, without conversion: 1-D C-contiguous native float64 amounts
// and datetime64[D] dates (int64 day numbers underneath; NaT is checked by the engine). False for
// any other form, which Python converts and checks (the caller has already refused subclasses
// such as masked arrays).
bool plain_dated(py::handle amounts, py::handle dates, py::array& a, py::array& d) {
    static const auto* const day = new py::dtype("datetime64[D]");  // never freed: outlives the interpreter's exit
    if (!py::isinstance<py::array_t<double, py::array::c_style>>(amounts) || !py::isinstance<py::array>(dates))
        return false;
    a = py::reinterpret_borrow<py::array>(amounts);
    d = py::reinterpret_borrow<py::array>(dates);
    return a.ndim() == 1 && d.ndim() == 1 && (d.flags() & py::array::c_style) && d.dtype().equal(*day);
}

std::vector<std::size_t> group_offsets(const DoubleArray& amounts, const DayArray& days, const OffsetArray& offsets) {
    if (amounts.ndim() != 1 || days.ndim() != 1 || amounts.size() != days.size())
        throw core::invalid("amounts and days must be 1-D of one length, got ", amounts.size(), " and ", days.size());
    const auto n = offsets.size();
    if (offsets.ndim() != 1 || n < 1 || offsets.data()[0] != 0 || offsets.data()[n - 1] != amounts.size())
        throw core::invalid("offsets must run from 0 to the number of flows (", amounts.size(), ")");
    std::vector<std::size_t> out(static_cast<std::size_t>(n));
    for (py::ssize_t i = 0; i < n; ++i) {
        if (i > 0 && offsets.data()[i] < offsets.data()[i - 1])
            throw core::invalid("offsets must not decrease, got ", offsets.data()[i - 1], " then ", offsets.data()[i]);
        out[static_cast<std::size_t>(i)] = static_cast<std::size_t>(offsets.data()[i]);
    }
    return out;
}

finance::Annuity annuity_kind(const std::string& kind) {
    if (kind == "fv") return finance::Annuity::FV;
    if (kind == "pv") return finance::Annuity::PV;
    if (kind == "pmt") return finance::Annuity::PMT;
    if (kind == "nper") return finance::Annuity::NPER;
    if (kind == "ipmt") return finance::Annuity::IPMT;
    if (kind == "ppmt") return finance::Annuity::PPMT;
    throw core::invalid("kind must be one of fv, pv, pmt, nper, ipmt, ppmt, got '", kind, "'");
}

// Pointers to `count` arguments of one size, or of size 1 (step 0: one value for all); the
// caller broadcasts other shapes first.
struct Arguments {
    std::vector<const double*> data;
    std::vector<std::size_t> steps;
    std::size_t size = 1;
};
Arguments broadcast_arguments(const std::vector<DoubleArray>& args, std::size_t count) {
    if (args.size() != count) throw core::invalid("expected ", count, " arrays, got ", args.size());
    Arguments out;
    for (const auto& a : args)
        if (a.size() != 1) out.size = static_cast<std::size_t>(a.size());
    for (std::size_t j = 0; j < count; ++j) {
        const auto n = static_cast<std::size_t>(args[j].size());
        if (n != 1 && n != out.size)
            throw core::invalid("argument arrays must have one size or size 1 (broadcast them first), got ", out.size,
                                " and ", n, " at position ", j);
        out.data.push_back(args[j].data());
        out.steps.push_back(n == 1 ? 0 : 1);
    }
    return out;
}
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
          [](const DoubleArray& values, const DoubleArray& rates, const std::string& timing, bool pairwise) {
              const Series s = as_series(values);
              const auto t = finance::parse_timing(timing);
              const auto k = static_cast<std::size_t>(rates.size());
              const std::size_t out_size = (pairwise ? 1 : (k == 0 ? 1 : k)) * s.rows;
              auto out = new_vector(out_size);
              double* o = out.mutable_data();
              {
                  py::gil_scoped_release release;
                  finance::npv(s, rates.data(), k, t, pairwise, o);
              }
              if (!pairwise) out.resize({static_cast<py::ssize_t>(k), static_cast<py::ssize_t>(s.rows)});
              return out;
          },
          py::arg("values"), py::arg("rates"), py::arg("timing"), py::arg("pairwise"));
    m.def("irr",
          [](const DoubleArray& values, unsigned max_iter, double guess) {
              const Series s = as_series(values);
              auto out = new_vector(s.rows);
              py::array_t<std::uint8_t> status(static_cast<py::ssize_t>(s.rows));
              double* o = out.mutable_data();
              auto* st = reinterpret_cast<finance::IrrStatus*>(status.mutable_data());
              SignalPoll poll;
              try {
                  py::gil_scoped_release release;
                  finance::irr(s, max_iter, guess, o, st, poll.progress());
              } catch (const core::Cancelled&) {
                  poll.rethrow();
              }
              return py::make_tuple(out, status);
          },
          py::arg("values"), py::arg("max_iter"), py::arg("guess"));
    m.def("irr_all",
          [](const DoubleArray& values, unsigned max_iter) {
              if (values.ndim() != 1) throw core::invalid("values must be 1-D, got ", values.ndim(), " dimensions");
              finance::Rates r;
              {
                  py::gil_scoped_release release;
                  r = finance::irr_all(values.data(), static_cast<std::size_t>(values.size()), max_iter);
              }
              return py::make_tuple(as_vector(r.rates), r.converged);
          },
          py::arg("values"), py::arg("max_iter"));
    m.def("xnpv",
          [](double rate, const DoubleArray& amounts, const DayArray& days, const std::string& day_count) {
              return finance::xnpv(rate, amounts.data(), static_cast<std::size_t>(amounts.size()), days.data(),
                                   static_cast<std::size_t>(days.size()), finance::parse_day_count(day_count));
          },
          py::arg("rate"), py::arg("amounts"), py::arg("days"), py::arg("day_count"));
    // One schedule in the common form (see plain_dated), the per-call path of a loop over funds:
    // None when the arrays are in another form.
    m.def("xnpv_plain",
          [](double rate, py::handle amounts, py::handle dates, const std::string& day_count) -> py::object {
              py::array a, d;
              if (!plain_dated(amounts, dates, a, d)) return py::none();
              const auto n = static_cast<std::size_t>(a.size()), k = static_cast<std::size_t>(d.size());
              return py::float_(finance::xnpv(rate, static_cast<const double*>(a.data()), n,
                                              static_cast<const std::int64_t*>(d.data()), k,
                                              finance::parse_day_count(day_count)));
          },
          py::arg("rate"), py::arg("amounts"), py::arg("dates"), py::arg("day_count"));
    m.def("xirr_plain",
          [](py::handle amounts, py::handle dates, const std::string& day_count, unsigned max_iter) -> py::object {
              py::array a, d;
              if (!plain_dated(amounts, dates, a, d)) return py::none();
              const auto dc = finance::parse_day_count(day_count);
              finance::XirrResult r;
              SignalPoll poll;
              try {
                  py::gil_scoped_release release;
                  r = finance::xirr(static_cast<const double*>(a.data()), static_cast<std::size_t>(a.size()),
                                    static_cast<const std::int64_t*>(d.data()), static_cast<std::size_t>(d.size()), dc,
                                    max_iter, std::numeric_limits<double>::quiet_NaN(), poll.progress());
              } catch (const core::Cancelled&) {
                  poll.rethrow();
              }
              return py::make_tuple(r.rate, static_cast<int>(r.status));
          },
          py::arg("amounts"), py::arg("dates"), py::arg("day_count"), py::arg("max_iter"));
    m.def("xirr",
          [](const DoubleArray& amounts, const DayArray& days, const std::string& day_count, unsigned max_iter,
             double guess) {
              const auto dc = finance::parse_day_count(day_count);
              finance::XirrResult r;
              SignalPoll poll;
              try {
                  py::gil_scoped_release release;
                  r = finance::xirr(amounts.data(), static_cast<std::size_t>(amounts.size()), days.data(),
                                    static_cast<std::size_t>(days.size()), dc, max_iter, guess, poll.progress());
              } catch (const core::Cancelled&) {
                  poll.rethrow();
              }
              return py::make_tuple(r.rate, static_cast<int>(r.status));
          },
          py::arg("amounts"), py::arg("days"), py::arg("day_count"), py::arg("max_iter"), py::arg("guess"));
    m.def("year_fractions",
          [](std::int64_t origin, const DayArray& days, const std::string& day_count) {
              auto out = new_vector(static_cast<std::size_t>(days.size()));
              finance::year_fractions(origin, days.data(), static_cast<std::size_t>(days.size()),
                                      finance::parse_day_count(day_count), out.mutable_data());
              return out;
          },
          py::arg("origin"), py::arg("days"), py::arg("day_count"));
    m.def("xnpv_groups",
          [](double rate, const DoubleArray& amounts, const DayArray& days, const OffsetArray& offsets,
             const std::string& day_count) {
              const auto dc = finance::parse_day_count(day_count);
              const auto o = group_offsets(amounts, days, offsets);
              auto out = new_vector(o.size() - 1);
              double* out_data = out.mutable_data();
              SignalPoll poll;
              try {
                  py::gil_scoped_release release;
                  finance::xnpv_groups(rate, amounts.data(), days.data(), o.data(), o.size() - 1, dc, out_data,
                                       poll.progress());
              } catch (const core::Cancelled&) {
                  poll.rethrow();
              }
              return out;
          },
          py::arg("rate"), py::arg("amounts"), py::arg("days"), py::arg("offsets"), py::arg("day_count"));
    m.def("xirr_groups",
          [](const DoubleArray& amounts, const DayArray& days, const OffsetArray& offsets, const std::string& day_count,
             unsigned max_iter, double guess) {
              const auto dc = finance::parse_day_count(day_count);
              const auto o = group_offsets(amounts, days, offsets);
              const std::size_t groups = o.size() - 1;
              auto out = new_vector(groups);
              py::array_t<std::uint8_t> status(static_cast<py::ssize_t>(groups));
              double* out_data = out.mutable_data();
              auto* st = reinterpret_cast<finance::IrrStatus*>(status.mutable_data());
              SignalPoll poll;
              try {
                  py::gil_scoped_release release;
                  finance::xirr_groups(amounts.data(), days.data(), o.data(), groups, dc, max_iter, guess, out_data, st,
                                       poll.progress());
              } catch (const core::Cancelled&) {
                  poll.rethrow();
              }
              return py::make_tuple(out, status);
          },
          py::arg("amounts"), py::arg("days"), py::arg("offsets"), py::arg("day_count"), py::arg("max_iter"),
          py::arg("guess"));
    m.def("xirr_all",
          [](const DoubleArray& amounts, const DayArray& days, const std::string& day_count, unsigned max_iter) {
              const auto dc = finance::parse_day_count(day_count);
              finance::Rates r;
              SignalPoll poll;
              try {
                  py::gil_scoped_release release;
                  r = finance::xirr_all(amounts.data(), static_cast<std::size_t>(amounts.size()), days.data(),
                                        static_cast<std::size_t>(days.size()), dc, max_iter, poll.progress());
              } catch (const core::Cancelled&) {
                  poll.rethrow();
              }
              return py::make_tuple(as_vector(r.rates), r.converged);
          },
          py::arg("amounts"), py::arg("days"), py::arg("day_count"), py::arg("max_iter"));
    m.def("annuity",
          [](const std::string& kind, const std::vector<DoubleArray>& args) {
              const auto k = annuity_kind(kind);
              const std::size_t nargs = (k == finance::Annuity::IPMT || k == finance::Annuity::PPMT) ? 6 : 5;
              const auto a = broadcast_arguments(args, nargs);
              auto out = new_vector(a.size);
              double* o = out.mutable_data();
              {
                  py::gil_scoped_release release;
                  finance::annuity(k, a.data.data(), a.steps.data(), a.size, o);
              }
              return out;
          },
          py::arg("kind"), py::arg("args"));
    m.def("rate",
          [](const std::vector<DoubleArray>& args, double guess, double tol, unsigned max_iter) {
              const auto a = broadcast_arguments(args, 5);
              auto out = new_vector(a.size);
              py::array_t<std::uint8_t> converged(static_cast<py::ssize_t>(a.size));
              double* o = out.mutable_data();
              std::uint8_t* c = converged.mutable_data();
              {
                  py::gil_scoped_release release;
                  finance::rate(a.data.data(), a.steps.data(), a.size, guess, tol, max_iter, o, c);
              }
              return py::make_tuple(out, converged);
          },
          py::arg("args"), py::arg("guess"), py::arg("tol"), py::arg("max_iter"));
    m.def("mirr",
          [](const DoubleArray& values, const DoubleArray& finance_rate, const DoubleArray& reinvest_rate) {
              const Series s = as_series(values);
              if (finance_rate.size() != reinvest_rate.size() || finance_rate.size() == 0)
                  throw core::invalid("finance_rate and reinvest_rate must have the same non-zero size, got ",
                                      finance_rate.size(), " and ", reinvest_rate.size());
              const auto k = static_cast<std::size_t>(finance_rate.size());
              py::array_t<double> out({static_cast<py::ssize_t>(s.rows), static_cast<py::ssize_t>(k)});
              py::array_t<std::uint8_t> ok({static_cast<py::ssize_t>(s.rows), static_cast<py::ssize_t>(k)});
              double* o = out.mutable_data();
              std::uint8_t* h = ok.mutable_data();
              {
                  py::gil_scoped_release release;
                  finance::mirr(s, finance_rate.data(), reinvest_rate.data(), k, o, h);
              }
              return py::make_tuple(out, ok);
          },
          py::arg("values"), py::arg("finance_rate"), py::arg("reinvest_rate"));
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
