#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/uncertainty/lanes.hpp"
#include "trustcost/uncertainty/simulate.hpp"

namespace trustcost::bindings {

namespace {
using IntArray = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
using Int64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using UInt64Array = py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>;

// Progress from the C++ loop to Python: every ~0.1 s the calling thread takes the GIL, lets
// Python handle signals (Ctrl-C raises KeyboardInterrupt there) and calls `callback(done, total)`.
// Any Python exception stops the run; it is re-raised once the workers have stopped.
struct PythonProgress {
    py::object callback;
    std::optional<py::error_already_set> error;
    std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();

    bool operator()(std::size_t done, std::size_t total) {
        const auto now = std::chrono::steady_clock::now();
        if (done < total && now - last < std::chrono::milliseconds(100)) return true;
        last = now;
        py::gil_scoped_acquire acquire;
        try {
            if (PyErr_CheckSignals() != 0) throw py::error_already_set();
            if (!callback.is_none()) callback(done, total);
        } catch (py::error_already_set& e) {
            error.emplace(std::move(e));
            return false;
        }
        return true;
    }
};

// A kernel of the build in use applied to a copy of x, written to `out` (a float64 array of x's
// size) or to a new array.
py::array_t<double> on_copy(const DoubleArray& x, std::optional<py::array_t<double>> out,
                            void (*uncertainty::lanes::Kernels::*kernel)(double*, std::size_t)) {
    py::array_t<double> result = out ? *out : py::array_t<double>(x.request().shape);
    if (result.size() != x.size() || !(result.flags() & py::array::c_style))
        throw core::invalid("out must be a C-contiguous float64 array of x's size ", x.size(), ", got size ", result.size());
    double* target = result.mutable_data();
    std::copy_n(x.data(), x.size(), target);
    py::gil_scoped_release release;
    (uncertainty::lanes::kernels().*kernel)(target, static_cast<std::size_t>(x.size()));
    return result;
}
}  // namespace

void register_uncertainty(py::module_& m) {
    using uncertainty::PathSums;
    m.attr("PATH_BLOCK") = uncertainty::kPathBlock;
    py::class_<PathSums>(m, "PathSums")
        .def_readonly("first_path", &PathSums::first_path)
        .def_readonly("paths", &PathSums::paths)
        .def_readonly("cells", &PathSums::cells)
        .def_property_readonly("sums", [](const PathSums& s) { return py::array_t<double>(static_cast<py::ssize_t>(s.sums.size()), s.sums.data()); })
        .def_property_readonly("edges", [](const PathSums& s) { return py::array_t<double>(static_cast<py::ssize_t>(s.edges.size()), s.edges.data()); })
        .def("summarize", [](const PathSums& s) {
            py::array_t<double> mean(static_cast<py::ssize_t>(s.cells)), se(static_cast<py::ssize_t>(s.cells));
            uncertainty::summarize(s, mean.mutable_data(), se.mutable_data());
            return py::make_tuple(mean, se);
        }, "(mean, standard error) of every cell")
        .def_static("merge", [](const std::vector<PathSums>& parts) {
            py::gil_scoped_release release;
            return uncertainty::merge(parts);
        }, py::arg("parts"), "The sums of one run over the union of adjacent ranges, in path order.")
        .def(py::pickle(
            [](const PathSums& s) {
                return py::make_tuple(s.first_path, s.paths, s.cells, std::vector<double>(s.sums), std::vector<double>(s.edges));
            },
            [](const py::tuple& t) {
                if (t.size() != 5) throw core::invalid("PathSums state must have 5 fields, got ", t.size());
                PathSums s(t[0].cast<std::uint64_t>(), t[1].cast<std::uint64_t>(), t[2].cast<std::size_t>());
                auto sums = t[3].cast<std::vector<double>>(), edges = t[4].cast<std::vector<double>>();
                if (sums.size() != s.sums.size() || edges.size() != s.edges.size())
                    throw core::invalid("PathSums state has ", sums.size(), " sums and ", edges.size(), " edge values, expected ",
                                        s.sums.size(), " and ", s.edges.size());
                s.sums = std::move(sums);
                s.edges = std::move(edges);
                return s;
            }));
    m.def("simd_use", [](const std::string& name) { uncertainty::lanes::use(name); }, py::arg("name"));
    m.def("simd_build", [] { return std::string(uncertainty::lanes::kernels().name); });
    m.def("simd_available", &uncertainty::lanes::available);
    // The build's log and exp on an array (benchmarks time the transcendental floor with them).
    m.def("simd_log", [](const DoubleArray& x, std::optional<py::array_t<double>> out) {
        return on_copy(x, std::move(out), &uncertainty::lanes::Kernels::log);
    }, py::arg("x"), py::arg("out") = py::none());
    m.def("simd_exp", [](const DoubleArray& x, std::optional<py::array_t<double>> out) {
        return on_copy(x, std::move(out), &uncertainty::lanes::Kernels::exp);
    }, py::arg("x"), py::arg("out") = py::none());
    m.def("lcc_simulate",
          [](const IntArray& kind, const IntArray& category, const DoubleArray& params, const Int64Array& offer_start,
             std::size_t horizon, double discount_rate, const std::string& timing, double inflation,
             std::size_t categories, const std::vector<stats::Distribution>& distributions, const UInt64Array& streams,
             const Int64Array& binding_item, const Int64Array& binding_param, const IntArray& binding_effect,
             const Int64Array& binding_input, const DoubleArray& binding_factor, const UInt64Array& event_streams,
             std::uint64_t first_path, std::size_t paths, std::uint64_t seed, std::uint64_t input_paths, bool keep_years,
             py::object progress,
             const std::optional<DoubleArray>& trust) {
              const auto items = static_cast<std::size_t>(kind.size());
              if (category.size() != kind.size() || params.ndim() != 2 || params.shape(0) != kind.size() ||
                  params.shape(1) != lcc::kParams || offer_start.size() < 1 || event_streams.size() != kind.size() ||
                  offer_start.at(offer_start.size() - 1) != static_cast<std::int64_t>(items))
                  throw core::invalid("lcc_simulate: inconsistent item arrays (", items, " items)");
              if (static_cast<std::size_t>(streams.size()) != distributions.size())
                  throw core::invalid("lcc_simulate: one stream per input needed");
              const auto n_bindings = static_cast<std::size_t>(binding_item.size());
              if (binding_param.size() != binding_item.size() || binding_effect.size() != binding_item.size() ||
                  binding_input.size() != binding_item.size() || binding_factor.size() != binding_item.size())
                  throw core::invalid("lcc_simulate: inconsistent binding arrays");

              std::vector<uncertainty::Input> inputs;
              for (std::size_t k = 0; k < distributions.size(); ++k) inputs.push_back({distributions[k], streams.at(k)});
              std::vector<uncertainty::Binding> bindings;
              for (std::size_t k = 0; k < n_bindings; ++k)
                  bindings.push_back({static_cast<std::size_t>(binding_item.at(k)), static_cast<std::size_t>(binding_param.at(k)),
                                      static_cast<uncertainty::Effect>(binding_effect.at(k)),
                                      static_cast<std::size_t>(binding_input.at(k)), binding_factor.at(k)});

              const std::size_t offers = static_cast<std::size_t>(offer_start.size()) - 1;
              if (trust && (trust->ndim() != 2 || static_cast<std::size_t>(trust->shape(0)) != offers ||
                            static_cast<std::size_t>(trust->shape(1)) != horizon + 1))
                  throw core::invalid("trust must have shape (offers, horizon + 1) = (", offers, ", ", horizon + 1, ")");
              if (paths == 0) throw core::invalid("paths must be > 0, got 0");
              // Inputs are kept for the paths numbered below input_paths: those of this range.
              const std::size_t kept = input_paths <= first_path ? 0 : static_cast<std::size_t>(std::min<std::uint64_t>(input_paths - first_path, paths));
              py::array_t<double> pv({paths, offers});
              py::array_t<double> sampled({kept, inputs.size()});
              py::object yearly = py::none();
              double* yearly_data = nullptr;
              if (keep_years) {
                  py::array_t<double> y({paths, offers, horizon + 1});
                  yearly_data = y.mutable_data();
                  yearly = y;
              }
              const uncertainty::Output out{pv.mutable_data(), sampled.mutable_data(), input_paths, yearly_data};
              const lcc::StudySpec spec{horizon, discount_rate, finance::parse_timing(timing), inflation, categories};
              const lcc::Items flat{kind.data(), category.data(), params.data(), offer_start.data(), offers,
                                    trust ? trust->data() : nullptr};
              PythonProgress report{std::move(progress)};
              uncertainty::PathSums sums;
              try {
                  py::gil_scoped_release release;
                  sums = uncertainty::simulate(spec, flat, inputs, bindings, event_streams.data(), first_path, paths, seed,
                                               out, [&](std::size_t done, std::size_t total) { return report(done, total); });
              } catch (const core::Cancelled&) {
                  if (report.error) throw std::move(*report.error);
                  throw;
              }
              return py::make_tuple(pv, std::move(sums), sampled, yearly);
          },
          py::arg("kind"), py::arg("category"), py::arg("params"), py::arg("offer_start"), py::arg("horizon"),
          py::arg("discount_rate"), py::arg("timing"), py::arg("inflation"), py::arg("categories"),
          py::arg("distributions"), py::arg("streams"), py::arg("binding_item"), py::arg("binding_param"),
          py::arg("binding_effect"), py::arg("binding_input"), py::arg("binding_factor"), py::arg("event_streams"),
          py::arg("first_path"), py::arg("paths"), py::arg("seed"), py::arg("input_paths"), py::arg("keep_years"), py::arg("progress"), py::arg("trust") = py::none());
}

}  // namespace trustcost::bindings
