// Vector kernels of the Monte Carlo: the same code built once per instruction set (AVX-512,
// AVX2, portable) and picked at run time, so the wheel runs on any x86-64 and uses the widest
// registers the machine has. Uniforms are bit-identical on every build; log and exp come from
// glibc's libmvec on the AVX builds and from Eigen on the portable one, so results agree across
// builds to a few ulps, and are bit-identical across thread counts on one machine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "trustcost/core/errors.hpp"

namespace trustcost::uncertainty::lanes {

// Most lives one unit draws on one path. Every life is drawn, so the work of a path grows as
// service / mean life; a life of seconds over years (Exponential(1e-9)) would otherwise run for
// hours in one block, out of reach of Ctrl-C. Real repairable units stay far below it.
constexpr std::uint64_t kMaxLivesPerPath = 100'000;  // not inline: no shared symbol in the kernels

[[nodiscard]] inline std::invalid_argument too_many_lives(double scale, double service) {
    return core::invalid("Failures: a unit with life scale ", scale, " years would fail more than ", kMaxLivesPerPath,
                         " times on one path over its ", service,
                         " years of service; the Monte Carlo draws every failure: check the life's scale or "
                         "mtbf (years, not hours)");
}

// Block replacement renewal of a unit with Weibull lives, for n consecutive paths: lives are
// scale_j * E^(1 / shape) with E = -log u, u the uniforms 0, 1, 2, ... of path j's sub-stream;
// a preventive renewal at tau_j, 2 tau_j, ... (tau_j = 0: none) restarts the unit. Each failure
// at service time t <= service_j adds weight[max(1, ceil t)]. The paths run side by side, a
// register of them at a time, in passes that each draw one more life for every path still
// running.
struct Renewal {
    std::uint64_t stream_key;   // Stream::key() of the item's event stream
    std::uint64_t first_path;   // path number of job 0
    std::size_t n;
    const double* scale;        // n
    const double* tau;          // n
    const double* service;      // n; every weight index max(1, ceil t) for t <= service_j is < weights
    double inverse_shape;
    const double* weight;
    std::size_t weights;
};

struct Kernels {
    const char* name;
    // out[j] = uniform(index) of path (first_path + j)'s sub-stream of the stream with this key.
    void (*uniforms)(std::uint64_t stream_key, std::uint64_t first_path, std::size_t n, std::uint64_t index, double* out);
    void (*log)(double* x, std::size_t n);              // in place
    void (*exp)(double* x, std::size_t n);              // in place
    // In place: p in (0, 1) -> standard normal quantile, Wichura's AS 241 (PPND16, about 1e-16).
    void (*normal_quantile)(double* p, std::size_t n);
    void (*floor_quotient)(double* x, std::size_t n, double divisor);  // in place: floor(x / divisor)
    // out[j]: summed weights of path j; false when a path would draw more than kMaxLivesPerPath lives.
    bool (*renewal)(const Renewal& job, double* out);
};

// The build in use: the widest this CPU runs, unless TRUSTCOST_SIMD or use() named another.
const Kernels& kernels();
// A given build ("avx512", "avx2", "portable"), or nullptr when it is not compiled in or this
// CPU cannot run it.
const Kernels* kernels_for(std::string_view name);
// Switches every later computation to the named build (ValueError-style invalid_argument if
// this CPU cannot run it). "portable" takes the same code path on every machine.
void use(std::string_view name);
// The builds this CPU runs, widest first.
std::vector<std::string> available();

}  // namespace trustcost::uncertainty::lanes
