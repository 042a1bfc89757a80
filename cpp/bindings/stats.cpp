#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "interrupts.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"
#include "trustcost/stats/distributions.hpp"
#include "trustcost/stats/random.hpp"

namespace trustcost::bindings {

using stats::Distribution;

namespace {
// Most draws one call returns (8 TiB of float64): a size beyond it is an error naming it, not
// an allocation failure.
constexpr std::size_t kMaxSample = std::size_t{1} << 40;

// Runs body over [0, n) in blocks without the GIL, stopping on Ctrl-C (KeyboardInterrupt).
template <class F>
void interruptible_for(std::size_t n, F body) {
    SignalPoll poll;
    try {
        py::gil_scoped_release release;
        core::parallel_for(n, 1 << 16, body, poll.progress());
    } catch (const core::Cancelled&) {
        poll.rethrow();
    }
}

// Applies f to every element of x into a new array of the same shape.
template <class F>
py::array_t<double> map_array(const DoubleArray& x, F f) {
    py::array_t<double> out(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
    const double* in = x.data();
    double* o = out.mutable_data();
    interruptible_for(static_cast<std::size_t>(x.size()), [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) o[i] = f(in[i]);
    });
    return out;
}
}  // namespace

void register_stats(py::module_& m) {
    py::class_<Distribution>(m, "Distribution")
        .def_static("fixed", &Distribution::fixed, py::arg("value"))
        .def_static("uniform", &Distribution::uniform, py::arg("low"), py::arg("high"))
        .def_static("triangular", &Distribution::triangular, py::arg("low"), py::arg("mode"), py::arg("high"))
        .def_static("pert", &Distribution::pert, py::arg("low"), py::arg("mode"), py::arg("high"), py::arg("lambda_"))
        .def_static("normal", &Distribution::normal, py::arg("mean"), py::arg("sd"), py::arg("lower"), py::arg("upper"))
        .def_static("lognormal", &Distribution::lognormal, py::arg("mean"), py::arg("sd"))
        .def_static("lognormal_from_median_p90", &Distribution::lognormal_from_median_p90, py::arg("median"), py::arg("p90"))
        .def_static("gamma", &Distribution::gamma, py::arg("shape"), py::arg("scale"))
        .def_static("beta", &Distribution::beta, py::arg("alpha"), py::arg("beta"), py::arg("low"), py::arg("high"))
        .def_static("weibull", &Distribution::weibull, py::arg("shape"), py::arg("scale"))
        .def_static("empirical", &Distribution::empirical, py::arg("samples"))
        .def_property_readonly("family", [](const Distribution& d) { return stats::family_name(d.family()); })
        .def_property_readonly("parameters", &Distribution::parameters)
        .def_property_readonly("samples", &Distribution::samples)
        .def(py::pickle(
            [](const Distribution& d) { return py::make_tuple(stats::family_name(d.family()), d.parameters(), d.samples()); },
            [](const py::tuple& state) {
                if (state.size() != 3) throw std::invalid_argument("Distribution state must be (family, parameters, samples)");
                return Distribution::restore(stats::family_from_name(state[0].cast<std::string>()),
                                             state[1].cast<std::vector<double>>(), state[2].cast<std::vector<double>>());
            }))
        .def("__deepcopy__", [](const Distribution& d, const py::dict&) { return Distribution(d); }, py::arg("memo"))
        .def("__copy__", [](const Distribution& d) { return Distribution(d); })
        .def("mean", &Distribution::mean)
        .def("variance", &Distribution::variance)
        .def("quantile", [](const Distribution& d, const DoubleArray& q) { return map_array(q, [&](double u) { return d.quantile(u); }); }, py::arg("q"))
        .def("cdf", [](const Distribution& d, const DoubleArray& x) { return map_array(x, [&](double v) { return d.cdf(v); }); }, py::arg("x"))
        .def("sample",
             [](const Distribution& d, std::size_t size, std::uint64_t seed, std::uint64_t stream) {
                 if (size < 1 || size > kMaxSample)
                     throw core::invalid("size must be in 1..", kMaxSample, " (2**40), got ", size);
                 py::array_t<double> out(static_cast<py::ssize_t>(size));
                 double* o = out.mutable_data();
                 const stats::Stream s(seed, stream);
                 interruptible_for(size, [&](std::size_t b, std::size_t e) {
                     for (std::size_t i = b; i < e; ++i) o[i] = d.sample(s.substream(i));
                 });
                 return out;
             },
             py::arg("size"), py::arg("seed"), py::arg("stream"));
    m.def("stream_id", [](const std::string& name) { return stats::stream_id(name); }, py::arg("name"));
}

}  // namespace trustcost::bindings
