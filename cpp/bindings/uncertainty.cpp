#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "trustcost/core/errors.hpp"
#include "trustcost/uncertainty/lanes.hpp"
#include "trustcost/lcc/evaluate.hpp"
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
    // How a sampled input sets an item parameter (trustcost/uncertainty/inputs.hpp).
    py::enum_<uncertainty::Effect>(m, "Effect", py::arithmetic(), "How a sampled input sets an item parameter.")
        .value("REPLACE", uncertainty::Effect::Replace)
        .value("MULTIPLY", uncertainty::Effect::Multiply)
        .value("MULTIPLY_ONE_PLUS", uncertainty::Effect::MultiplyOnePlus);
    m.def("effect_factor", &uncertainty::effect_factor, py::arg("effect"), py::arg("mean"),
          "The factor that keeps a parameter at its expected value when the input is at its mean.");
    m.def("bound_value", py::vectorize([](std::int32_t effect, double factor, double parameter, double value) {
              return uncertainty::bound_value(uncertainty::to_effect(effect), factor, parameter, value);
          }), py::arg("effect"), py::arg("factor"), py::arg("parameter"), py::arg("value"),
          "The parameter after an input value is bound to it (elementwise).");
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
                return py::make_tuple(s.first_path, s.paths, s.cells,
                                      py::array_t<double>(static_cast<py::ssize_t>(s.sums.size()), s.sums.data()),
                                      py::array_t<double>(static_cast<py::ssize_t>(s.edges.size()), s.edges.data()));
            },
            [](const py::tuple& t) {
                if (t.size() != 5) throw core::invalid("PathSums state must have 5 fields, got ", t.size());
                PathSums s(t[0].cast<std::uint64_t>(), t[1].cast<std::uint64_t>(), t[2].cast<std::size_t>());
                const auto sums = t[3].cast<DoubleArray>(), edges = t[4].cast<DoubleArray>();
                if (static_cast<std::size_t>(sums.size()) != s.sums.size() || static_cast<std::size_t>(edges.size()) != s.edges.size())
                    throw core::invalid("PathSums state has ", sums.size(), " sums and ", edges.size(), " edge values, expected ",
                                        s.sums.size(), " and ", s.edges.size());
                std::copy_n(sums.data(), s.sums.size(), s.sums.begin());
                std::copy_n(edges.data(), s.edges.size(), s.edges.begin());
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
    // What to simulate (uncertainty::SimulationPlan): named fields, validated in C++ when set.
    py::class_<uncertainty::Input>(m, "Input", "An uncertain input: a distribution drawn on its own stream.")
        .def(py::init([](const stats::Distribution& distribution, std::uint64_t stream) {
                 return uncertainty::Input{distribution, stream};
             }), py::kw_only(), py::arg("distribution"), py::arg("stream"))
        .def_readwrite("distribution", &uncertainty::Input::distribution)
        .def_readwrite("stream", &uncertainty::Input::stream);
    const auto check_binding = [](const uncertainty::Binding& b) { uncertainty::validate(b); };
    py::class_<uncertainty::Binding> binding(m, "Binding", "Input `input` sets parameter `param` of item `item`.");
    binding.def(py::init([check_binding](std::size_t item, lcc::Param param, uncertainty::Effect effect, std::size_t input,
                                         double factor) {
                    const uncertainty::Binding b{item, param, effect, input, factor};
                    check_binding(b);
                    return b;
                }),
                py::kw_only(), py::arg("item"), py::arg("param"), py::arg("effect"), py::arg("input"), py::arg("factor"))
        .def_readwrite("item", &uncertainty::Binding::item)
        .def_readwrite("input", &uncertainty::Binding::input)
        .def_readwrite("effect", &uncertainty::Binding::effect);
    validated_field(binding, "param", &uncertainty::Binding::param, check_binding);
    validated_field(binding, "factor", &uncertainty::Binding::factor, check_binding);

    using Plan = uncertainty::SimulationPlan;
    py::class_<Plan> plan(m, "SimulationPlan", "Inputs, bindings, event keys and the range of paths of a Monte Carlo run.");
    plan.def(py::init([](std::size_t paths, std::uint64_t seed, std::uint64_t first_path, std::vector<uncertainty::Input> inputs,
                         std::vector<uncertainty::Binding> bindings, std::vector<std::uint64_t> event_streams,
                         std::uint64_t input_paths, bool keep_years) {
                 Plan p{std::move(inputs), std::move(bindings), std::move(event_streams), first_path, paths, seed,
                        input_paths, keep_years};
                 uncertainty::validate(p);
                 return p;
             }),
             py::kw_only(), py::arg("paths"), py::arg("seed"), py::arg("first_path") = 0,
             py::arg("inputs") = std::vector<uncertainty::Input>{}, py::arg("bindings") = std::vector<uncertainty::Binding>{},
             py::arg("event_streams") = std::vector<std::uint64_t>{}, py::arg("input_paths") = 0,
             py::arg("keep_years") = false)
        .def_readwrite("seed", &Plan::seed)
        .def_readwrite("event_streams", &Plan::event_streams, "one key per item: items with one key share their events")
        .def_readwrite("input_paths", &Plan::input_paths, "inputs are kept for the paths numbered below this")
        .def_readwrite("keep_years", &Plan::keep_years);
    const auto check_plan = [](const Plan& p) { uncertainty::validate(p); };
    validated_field(plan, "paths", &Plan::paths, check_plan);
    validated_field(plan, "first_path", &Plan::first_path, check_plan);
    validated_field(plan, "inputs", &Plan::inputs, check_plan);
    validated_field(plan, "bindings", &Plan::bindings, check_plan);

    m.def("lcc_simulate",
          [](const lcc::StudySpec& spec, const IntArray& kind, const IntArray& category, const DoubleArray& params,
             const Int64Array& offer_start, const Plan& plan, py::object progress, const std::optional<DoubleArray>& trust) {
              const std::size_t horizon = spec.horizon, categories = spec.categories, paths = plan.paths;
              const auto items = static_cast<std::size_t>(kind.size());
              if (category.size() != kind.size() || params.ndim() != 2 || params.shape(0) != kind.size() ||
                  params.shape(1) != lcc::kParams || offer_start.size() < 1 ||
                  offer_start.at(offer_start.size() - 1) != static_cast<std::int64_t>(items))
                  throw core::invalid("lcc_simulate: inconsistent item arrays (", items, " items)");
              const std::size_t offers = static_cast<std::size_t>(offer_start.size()) - 1;
              if (trust && (trust->ndim() != 2 || static_cast<std::size_t>(trust->shape(0)) != offers ||
                            static_cast<std::size_t>(trust->shape(1)) != horizon + 1))
                  throw core::invalid("trust must have shape (offers, horizon + 1) = (", offers, ", ", horizon + 1, ")");
              uncertainty::validate(plan);  // before paths size anything
              py::array_t<double> pv({paths, offers});
              py::array_t<double> sampled({uncertainty::kept_input_rows(plan), plan.inputs.size()});
              py::object yearly = py::none();
              double* yearly_data = nullptr;
              if (plan.keep_years) {
                  py::array_t<double> y({paths, offers, horizon + 1});
                  yearly_data = y.mutable_data();
                  yearly = y;
              }
              const uncertainty::Output out{pv.mutable_data(), sampled.mutable_data(), yearly_data};
              const lcc::Items flat{kind.data(), category.data(), params.data(), offer_start.data(), offers,
                                    trust ? trust->data() : nullptr};
              PythonProgress report{std::move(progress)};
              uncertainty::PathSums sums;
              try {
                  py::gil_scoped_release release;
                  sums = uncertainty::simulate(spec, flat, plan, out,
                                               [&](std::size_t done, std::size_t total) { return report(done, total); });
              } catch (const core::Cancelled&) {
                  if (report.error) throw std::move(*report.error);
                  throw;
              }
              return py::make_tuple(pv, std::move(sums), sampled, yearly);
          },
          py::arg("spec"), py::arg("kind"), py::arg("category"), py::arg("params"), py::arg("offer_start"), py::arg("plan"),
          py::kw_only(), py::arg("progress") = py::none(), py::arg("trust") = py::none());
}

}  // namespace trustcost::bindings
