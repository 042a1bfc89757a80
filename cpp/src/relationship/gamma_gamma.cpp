#include "trustcost/relationship/gamma_gamma.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <vector>
#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

#include "trustcost/core/errors.hpp"

#include "trustcost/core/parallel.hpp"
#include "trustcost/core/vecmath.hpp"
#include "trustcost/relationship/model.hpp"
#include "trustcost/relationship/scoring.hpp"

namespace trustcost::relationship::gamma_gamma {

using boost::math::digamma;

double row_log_likelihood(std::span<const double> params, std::span<const double> /*table*/, std::span<const double> row,
                          std::span<double> grad) {
    const double p = params[0], q = params[1], v = params[2];
    const double x = row[0], m = row[1];
    // Density of the mean m of x spends (each gamma(p, nu), nu ~ gamma(q, v)), as in lifetimes:
    // Gamma(px+q)/(Gamma(px)Gamma(q)) v^q m^(px-1) x^(px) / (v + x m)^(px+q).
    const double px = p * x, log_vxm = std::log(v + x * m);
    const double ll = std::lgamma(px + q) - std::lgamma(px) - std::lgamma(q) + q * std::log(v) +
                      (px - 1.0) * std::log(m) + px * std::log(x) - (px + q) * log_vxm;
    if (!grad.empty()) {
        const double psi = digamma(px + q);
        grad[0] = x * (psi - digamma(px) + std::log(m) + std::log(x) - log_vxm);
        grad[1] = psi - digamma(q) + std::log(v) - log_vxm;
        grad[2] = q / v - (px + q) / (v + x * m);
    }
    return ll;
}

namespace {
constexpr std::size_t kBlock = 2048;

// The log-likelihood summed over customers separates (FHL 2005 "RFM and CLV", appendix; Fader &
// Hardie 2013): with q the natural parameter,
//   sum_x W_x [lgamma(p x + q) - lgamma(p x)] - W lgamma(q) + q W log v
//   + p sum w x log(x m) - sum w log m - sum w (p x + q) log(v + x m),
// where W_x is the weight of the customers with x purchases. Everything but the last sum is
// precomputed once per fit (per distinct x, or a constant); the last needs one logarithm per
// customer and is summed with its v-derivatives in fixed blocks (thread-count independent).
class Sums {
public:
    Sums(const double* x, const double* m, const double* weights, std::size_t n) : x_(x), m_(m), w_(weights), n_(n) {
        const scoring::Distinct counts = scoring::distinct_rows({{x}}, n);
        count_x_.resize(counts.size());
        count_w_.assign(counts.size(), 0.0);
        for (std::size_t j = 0; j < counts.size(); ++j) count_x_[j] = counts.at(j, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const double w = weight(i);
            count_w_[counts.index[i]] += w;
            total_ += w;
            x_log_xm_ += w * x[i] * std::log(x[i] * m[i]);
            log_m_ += w * std::log(m[i]);
        }
    }

    // In (p, q - 1, v): the fit keeps q > 1, where the mean spend p v / (q - 1) exists.
    double operator()(std::span<const double> shifted, std::span<double> grad, std::span<double> hess) const {
        using boost::math::trigamma;
        const double p = shifted[0], q = shifted[1] + 1.0, v = shifted[2];
        // Per-customer part: S[0] = sum w log u, S[1] = sum w x log u, S[2..3] = sum w {1, x}/u,
        // S[4..5] = sum w {1, x}/u^2, u = v + x m.
        const std::size_t blocks = (n_ + kBlock - 1) / kBlock;
        std::vector<std::array<double, 6>> partial(blocks);
        core::parallel_for(n_, kBlock, [&](std::size_t begin, std::size_t end) {
            std::array<double, kBlock> u, log_u;
            const std::size_t len = end - begin;
            for (std::size_t i = 0; i < len; ++i) log_u[i] = u[i] = v + x_[begin + i] * m_[begin + i];
            core::vecmath::log(log_u.data(), len);
            std::array<double, 6> s{};
            for (std::size_t i = 0; i < len; ++i) {
                const double w = weight(begin + i), xi = x_[begin + i], inv = 1.0 / u[i];
                s[0] += w * log_u[i];
                s[1] += w * xi * log_u[i];
                s[2] += w * inv;
                s[3] += w * xi * inv;
                s[4] += w * inv * inv;
                s[5] += w * xi * inv * inv;
            }
            partial[begin / kBlock] = s;
        });
        std::array<double, 6> S{};
        for (const auto& b : partial)
            for (std::size_t c = 0; c < 6; ++c) S[c] += b[c];

        double ll = -total_ * std::lgamma(q) + q * total_ * std::log(v) + p * x_log_xm_ - log_m_ - p * S[1] - q * S[0];
        double gp = x_log_xm_ - S[1], gq = -total_ * digamma(q) + total_ * std::log(v) - S[0];
        const double gv = q * total_ / v - p * S[3] - q * S[2];
        double hpp = 0.0, hpq = 0.0, hqq = -total_ * trigamma(q);
        for (std::size_t j = 0; j < count_x_.size(); ++j) {
            const double xj = count_x_[j], w = count_w_[j], px = p * xj;
            ll += w * (std::lgamma(px + q) - std::lgamma(px));
            const double psi = digamma(px + q);
            gp += w * xj * (psi - digamma(px));
            gq += w * psi;
            if (!hess.empty()) {
                const double tri = trigamma(px + q);
                hpp += w * xj * xj * (tri - trigamma(px));
                hpq += w * xj * tri;
                hqq += w * tri;
            }
        }
        if (!grad.empty()) {
            grad[0] = gp;
            grad[1] = gq;
            grad[2] = gv;
        }
        if (!hess.empty()) {
            const double hvv = -q * total_ / (v * v) + p * S[5] + q * S[4];
            const double hpv = -S[3], hqv = total_ / v - S[2];
            const std::array<double, 9> h{hpp, hpq, hpv, hpq, hqq, hqv, hpv, hqv, hvv};
            std::copy(h.begin(), h.end(), hess.begin());
        }
        return ll;
    }

private:
    double weight(std::size_t i) const { return w_ ? w_[i] : 1.0; }
    const double *x_, *m_, *w_;
    std::size_t n_;
    std::vector<double> count_x_, count_w_;
    double total_ = 0.0, x_log_xm_ = 0.0, log_m_ = 0.0;
};

// The row likelihood in (p, q - 1, v), for callers that evaluate rows one by one.
double row_shifted(std::span<const double> params, std::span<const double> table, std::span<const double> row,
                   std::span<double> grad) {
    const std::array<double, 3> natural{params[0], params[1] + 1.0, params[2]};
    return row_log_likelihood(natural, table, row, grad);  // d/d(q - 1) = d/dq
}
}  // namespace

FitResult fit(const double* x, const double* m, const double* weights, std::size_t n, const FitOptions& options) {
    const Rows rows{{x, m}, weights, n};
    for (std::size_t i = 0; i < n; ++i)
        if (!(std::isfinite(x[i]) && x[i] > 0.0 && x[i] == std::floor(x[i])))
            throw core::invalid("frequency must be a whole number > 0 (repeat buyers only), got ", x[i], " at row ", i);
    check_spend_rows(rows.columns.data(), n);  // the model contract's spend rule (model.cpp)
    // v is in money units: the mean spend is its scale (run-off test) and its starting value.
    double spend = 0.0, total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double w = weights ? weights[i] : 1.0;
        spend += w * m[i];
        total += w;
    }
    spend = total > 0.0 && spend > 0.0 ? spend / total : 1.0;
    const Sums sums(x, m, weights, n);
    Likelihood likelihood{&row_shifted};
    likelihood.total = [](const void* context, std::span<const double> params, std::span<double> grad,
                          std::span<double> hess) { return (*static_cast<const Sums*>(context))(params, grad, hess); };
    likelihood.context = &sums;
    FitResult result = fit_positive(likelihood, rows, {1.0, 1.0, spend}, options, {1.0, 1.0, spend});
    if (result.params.empty()) return result;  // no finite start: the message says so, nothing to shift
    result.params[1] += 1.0;
    if (result.diverged == 1 && result.params[1] < 2.0) {
        std::ostringstream msg;
        msg << "q fell to " << result.params[1] << ": the spend per transaction is too heavy-tailed across "
            << "customers for the Gamma-Gamma model (at q <= 1 the mean spend per customer, p v / (q - 1), does "
            << "not exist)";
        result.message = msg.str();
    } else if (result.diverged >= 0) {
        std::ostringstream msg;
        msg << (result.diverged == 0 ? "p" : result.diverged == 1 ? "q" : "v") << " ran off to "
            << result.params[static_cast<std::size_t>(result.diverged)]
            << ": the spend data do not identify the Gamma-Gamma model (too few repeat buyers, or spend that "
            << "hardly varies across customers)";
        result.message = msg.str();
    }
    return result;
}

void expected_average_value(std::span<const double> params, const double* x, const double* m, std::size_t n,
                            double* out) {
    require_params(params, 3, "Gamma-Gamma");
    const double p = params[0], q = params[1], v = params[2];
    if (!(q > 1.0))
        throw core::invalid("Gamma-Gamma q must be > 1 for the mean spend p v / (q - 1) to exist, got q = ", q);
    core::parallel_for(n, 4096, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] = p * (v + x[i] * m[i]) / (p * x[i] + q - 1.0);
    });
}

}  // namespace trustcost::relationship::gamma_gamma
