#include "trustcost/uncertainty/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "trustcost/uncertainty/lanes.hpp"

namespace trustcost::uncertainty {

using stats::Family;

namespace {

// Gamma draws with shape >= 1 by Marsaglia & Tsang, the first try of every path at once: the
// candidate from uniform `index`, the test from uniform index + 1. accepted[j] says whether
// path j's first try stood (about 95-99% do); where it did not, out[j] is left unset.
void first_gamma_try(double shape, const stats::Stream& stream, std::uint64_t first_path, std::size_t n,
                     std::uint64_t index, double* out, std::vector<char>& accepted) {
    const auto& simd = lanes::kernels();
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    std::vector<double> x(n), u(n), log_u(n), v(n);
    simd.uniforms(stream.key(), first_path, n, index, x.data());
    simd.normal_quantile(x.data(), n);
    simd.uniforms(stream.key(), first_path, n, index + 1, u.data());
    for (std::size_t j = 0; j < n; ++j) {
        const double w = 1.0 + c * x[j];
        v[j] = w > 0.0 ? w * w * w : 1.0;
    }
    std::copy(u.begin(), u.end(), log_u.begin());
    simd.log(log_u.data(), n);
    std::vector<double> log_v(v);
    simd.log(log_v.data(), n);
    for (std::size_t j = 0; j < n; ++j) {
        accepted[j] &= 1.0 + c * x[j] > 0.0 && stats::marsaglia_tsang_accepts(x[j], v[j], d, u[j], log_u[j], log_v[j]);
        out[j] = d * v[j];
    }
}

}  // namespace

void sample_paths(const stats::Distribution& d, const stats::Stream& stream, std::uint64_t first_path, std::size_t n,
                  double* out) {
    const auto& p = d.parameters();
    const auto& simd = lanes::kernels();
    const bool untruncated_normal = d.family() == Family::Normal && std::isinf(p[2]) && std::isinf(p[3]);
    switch (d.family()) {
        case Family::Fixed: std::fill_n(out, n, p[0]); return;
        case Family::Uniform:
            simd.uniforms(stream.key(), first_path, n, 0, out);
            for (std::size_t j = 0; j < n; ++j) out[j] = p[0] + out[j] * (p[1] - p[0]);
            return;
        case Family::Triangular: {
            // The inverse CDF of Boost's triangular_distribution, branch by branch.
            const double low = p[0], mode = p[1], high = p[2], split = (mode - low) / (high - low);
            simd.uniforms(stream.key(), first_path, n, 0, out);
            for (std::size_t j = 0; j < n; ++j) {
                const double u = out[j];
                out[j] = std::clamp(u < split ? low + std::sqrt((high - low) * (mode - low) * u)
                                   : u == split ? mode : high - std::sqrt((high - low) * (high - mode) * (1.0 - u)),
                                    low, high);  // rounding on wide ranges, as Distribution::quantile
            }
            return;
        }
        case Family::LogNormal:
        case Family::Normal:
            if (d.family() == Family::Normal && !untruncated_normal) break;
            simd.uniforms(stream.key(), first_path, n, 0, out);
            simd.normal_quantile(out, n);
            for (std::size_t j = 0; j < n; ++j) out[j] = p[0] + p[1] * out[j];
            if (d.family() == Family::LogNormal) simd.exp(out, n);
            return;
        case Family::Gamma:
        case Family::Beta:
        case Family::Pert: {
            // Shapes (alpha, beta) and the interval; Gamma is X scaled, Beta X / (X + Y).
            const bool gamma = d.family() == Family::Gamma;
            const double range = gamma ? p[1] : d.family() == Family::Beta ? p[3] - p[2] : p[2] - p[0];
            const double low = gamma ? 0.0 : d.family() == Family::Beta ? p[2] : p[0];
            const auto [a, b] = d.family() == Family::Pert ? stats::pert_shapes(p) : std::pair{p[0], p[1]};
            if (a < 1.0 || (!gamma && b < 1.0)) break;
            std::vector<char> accepted(n, 1);
            std::vector<double> y(n);
            first_gamma_try(a, stream, first_path, n, 0, out, accepted);
            if (!gamma) first_gamma_try(b, stream, first_path, n, 2, y.data(), accepted);
            for (std::size_t j = 0; j < n; ++j)
                out[j] = !accepted[j] ? d.sample(stream.substream(first_path + j))
                         : gamma      ? range * out[j]
                                      : low + range * (out[j] / (out[j] + y[j]));
            return;
        }
        default: break;
    }
    for (std::size_t j = 0; j < n; ++j) out[j] = d.sample(stream.substream(first_path + j));
}

}  // namespace trustcost::uncertainty
