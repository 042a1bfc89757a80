#include "trustcost/relationship/fit.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <sstream>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"

namespace trustcost::relationship {

namespace {
constexpr std::size_t kBlock = 256;  // rows per block: small enough that a thousand-customer fit uses every core
constexpr std::size_t kMaxParams = 32;  // covariate models: 4 + 3 per covariate
}  // namespace

namespace {
std::size_t max_count(const Rows& rows) {
    double top = 0.0;
    for (std::size_t i = 0; i < rows.n; ++i) top = std::max(top, rows.columns[0][i]);
    return static_cast<std::size_t>(std::min(top, static_cast<double>(kMaxTabulatedCount)));
}
}  // namespace

double total_log_likelihood(const Likelihood& f, std::span<const double> params, const Rows& rows,
                            std::span<double> grad, std::span<double> hessian, const core::Progress& progress) {
    const std::size_t k = params.size();
    const bool want_hessian = !hessian.empty();
    if (f.total) {
        std::vector<double> unused(grad.empty() && want_hessian ? k : 0);
        return f.total(f.context, params, grad.empty() && want_hessian ? std::span<double>(unused) : grad, hessian);
    }
    if (want_hessian && !f.hessian) throw core::invalid("this model gives no Hessian");
    std::vector<double> table;
    if (f.prepare) f.prepare(params, max_count(rows), table);
    const std::size_t blocks = (rows.n + kBlock - 1) / kBlock;
    const bool want_grad = !grad.empty() || want_hessian;
    // One slot per block: [value, grad..., hessian...]; summed in block order afterwards.
    const std::size_t slot = 1 + k + (want_hessian ? k * k : 0);
    std::vector<double> partial(blocks * slot, 0.0);
    core::parallel_for(rows.n, kBlock, [&](std::size_t begin, std::size_t end) {
        double* out = partial.data() + (begin / kBlock) * slot;
        std::array<double, kMaxParams> row{};
        std::array<double, kMaxParams> g{};
        std::array<double, kMaxParams * kMaxParams> h{};
        const std::size_t m = rows.columns.size();
        for (std::size_t i = begin; i < end; ++i) {
            for (std::size_t c = 0; c < m; ++c) row[c] = rows.columns[c][i];
            const double w = rows.weights ? rows.weights[i] : 1.0;
            const std::span<double> gs = want_grad ? std::span<double>{g.data(), k} : std::span<double>{};
            const double ll = want_hessian ? f.hessian(params, table, {row.data(), m}, gs, {h.data(), k * k})
                                           : f.row(params, table, {row.data(), m}, gs);
            out[0] += w * ll;
            if (want_grad)
                for (std::size_t j = 0; j < k; ++j) out[j + 1] += w * g[j];
            if (want_hessian)
                for (std::size_t j = 0; j < k * k; ++j) out[1 + k + j] += w * h[j];
        }
    }, progress);
    double total = 0.0;
    if (!grad.empty()) std::fill(grad.begin(), grad.end(), 0.0);
    if (want_hessian) std::fill(hessian.begin(), hessian.end(), 0.0);
    for (std::size_t b = 0; b < blocks; ++b) {
        total += partial[b * slot];
        if (!grad.empty())
            for (std::size_t j = 0; j < k; ++j) grad[j] += partial[b * slot + j + 1];
        if (want_hessian)
            for (std::size_t j = 0; j < k * k; ++j) hessian[j] += partial[b * slot + 1 + k + j];
    }
    return total;
}

namespace {

struct Objective {
    const Likelihood& f;
    const Rows& rows;
    double weight_total;
    double penalizer;
    const core::Progress& progress;

    // Mean negative log-likelihood (+ penalty) at theta = log(params), gradient in theta and,
    // when h is given (the model has a Hessian), the Hessian in theta: by the chain rule
    // H_theta = diag(p) H_p diag(p) + diag(g_p * p).
    double operator()(const Eigen::VectorXd& theta, Eigen::VectorXd& g, Eigen::MatrixXd* h = nullptr) const {
        const std::size_t k = static_cast<std::size_t>(theta.size());
        std::vector<double> p(k), grad(k), hess(h ? k * k : 0);
        for (std::size_t j = 0; j < k; ++j) p[j] = std::exp(theta[j]);
        const double ll = total_log_likelihood(f, p, rows, grad, hess, progress);
        double value = -ll / weight_total;
        g.resize(theta.size());
        for (std::size_t j = 0; j < k; ++j) {
            value += penalizer * p[j] * p[j];
            g[j] = (-grad[j] / weight_total + 2.0 * penalizer * p[j]) * p[j];
        }
        if (h) {
            h->resize(theta.size(), theta.size());
            for (std::size_t i = 0; i < k; ++i)
                for (std::size_t j = 0; j < k; ++j)
                    (*h)(i, j) = (-hess[i * k + j] / weight_total + (i == j ? 2.0 * penalizer : 0.0)) * p[i] * p[j] +
                                 (i == j ? g[i] : 0.0);
        }
        const bool finite = std::isfinite(value) && g.allFinite() && (!h || h->allFinite());
        return finite ? value : std::numeric_limits<double>::infinity();
    }
};

// Newton direction -H^-1 g, with H shifted by mu I until positive definite (Levenberg): far from
// the optimum the likelihood need not be concave in the log-parameters.
Eigen::VectorXd newton_direction(const Eigen::MatrixXd& h, const Eigen::VectorXd& g) {
    const auto k = h.rows();
    double mu = 0.0;
    for (int attempt = 0; attempt < 40; ++attempt) {
        const Eigen::LLT<Eigen::MatrixXd> llt(h + mu * Eigen::MatrixXd::Identity(k, k));
        if (llt.info() == Eigen::Success) return -llt.solve(g);
        mu = mu == 0.0 ? 1e-8 * std::max(1.0, h.diagonal().cwiseAbs().maxCoeff()) : 10.0 * mu;
    }
    return -g;
}

}  // namespace

void FitOptions::validate() const {
    if (max_iterations < 1) throw core::invalid("max_iterations must be >= 1, got ", max_iterations);
    core::require_positive(gradient_tolerance, "gradient_tolerance");
    core::require_non_negative(penalizer, "penalizer");
}

void require_params(std::span<const double> params, std::size_t expected, const char* model) {
    if (params.size() != expected)
        throw core::invalid(model, " params must have ", expected, " values, got ", params.size());
    for (std::size_t j = 0; j < expected; ++j)
        if (!(std::isfinite(params[j]) && params[j] > 0.0))
            throw core::invalid(model, " params must be finite and > 0, got ", params[j], " at position ", j);
}

void require_identifiable(const Rows& rows, const char* model, bool dropout_after_purchase, const char* length) {
    const double *x = rows.columns[0], *t_x = rows.columns[1], *T = rows.columns[2];
    std::size_t used = 0, first = 0;
    bool repeat = false, silence = false, distinct = false;
    for (std::size_t i = 0; i < rows.n; ++i) {
        if (rows.weights && !(rows.weights[i] > 0.0)) continue;
        if (used++ == 0) first = i;
        else if (x[i] != x[first] || t_x[i] != t_x[first] || T[i] != T[first]) distinct = true;
        repeat = repeat || x[i] > 0.0;
        if (t_x[i] < T[i] && (x[i] > 0.0 || !dropout_after_purchase)) silence = true;
    }
    if (used == 0) throw core::invalid(model, ": no customer with a positive weight");
    if (!repeat)
        throw core::invalid(model, ": no customer made a repeat purchase (every frequency is 0), so the data say ",
                            "nothing about how often customers buy again or when they drop out; the model needs ",
                            "repeat buyers (a summary where everyone bought once cannot be fitted)");
    if (used == 1 && (!rows.weights || rows.weights[first] <= 1.0))
        throw core::invalid(model, ": the data hold a single customer; the model describes how purchase and dropout ",
                            "rates vary across customers and needs many customers");
    if (!distinct)
        throw core::invalid(model, ": every customer has the same history (frequency ", x[first], ", recency ",
                            t_x[first], ", ", length, " ", T[first], "), so the data cannot show how purchase and dropout ",
                            "rates vary across customers; the model needs customers whose histories differ");
    if (!silence)
        throw core::invalid(model, ": every ", dropout_after_purchase ? "repeat buyer" : "customer",
                            " bought at the very end of their observation period (recency == ", length,
                            "), so the data show no dropout and the dropout parameters cannot be estimated; observe ",
                            "the customers for longer (or check that recency and ", length, " are not swapped)");
}

FitResult fit_positive(const Likelihood& f, const Rows& rows, std::vector<double> start, const FitOptions& options,
                       std::vector<double> scale) {
    options.validate();
    const auto k = static_cast<Eigen::Index>(start.size());
    if (start.empty() || start.size() > kMaxParams) throw core::invalid("start must have 1..", kMaxParams, " values");
    if (scale.empty()) scale.assign(start.size(), 1.0);
    if (scale.size() != start.size()) throw core::invalid("scale must have ", start.size(), " values, got ", scale.size());
    Eigen::VectorXd log_scale(k);
    for (Eigen::Index j = 0; j < k; ++j) {
        core::require_positive(scale[static_cast<std::size_t>(j)], "scale");
        log_scale[j] = std::log(scale[static_cast<std::size_t>(j)]);
    }
    Eigen::VectorXd start_distance(k);
    for (Eigen::Index j = 0; j < k; ++j)
        start_distance[j] = std::abs(std::log(start[static_cast<std::size_t>(j)]) - log_scale[j]);
    const auto ran_off = [&](Eigen::Index j, const Eigen::VectorXd& th) {
        const double distance = std::abs(th[j] - log_scale[j]);
        return distance > kDivergedLog && distance > start_distance[j] + 1.0;
    };
    for (double s : start) core::require_positive(s, "start");
    double weight_total = 0.0;
    for (std::size_t i = 0; i < rows.n; ++i) weight_total += rows.weights ? rows.weights[i] : 1.0;
    if (!(weight_total > 0.0)) throw core::invalid("weights must sum to > 0, got ", weight_total);

    const Objective objective{f, rows, weight_total, options.penalizer, options.progress};
    const bool newton = f.hessian != nullptr || f.total != nullptr;
    Eigen::VectorXd theta(k), g(k);
    Eigen::MatrixXd hessian(k, k), next_hessian(k, k);
    for (Eigen::Index j = 0; j < k; ++j) theta[j] = std::log(start[static_cast<std::size_t>(j)]);
    double value = objective(theta, g, newton ? &hessian : nullptr);
    FitResult result;
    if (!std::isfinite(value)) {
        result.message = "log-likelihood is not finite at the starting values";
        return result;
    }
    Eigen::MatrixXd inverse_hessian = Eigen::MatrixXd::Identity(k, k);
    int iteration = 0;
    const auto small_gradient = [&](double tolerance) {
        return g.lpNorm<Eigen::Infinity>() < tolerance * std::max(1.0, std::abs(value));
    };
    for (; iteration < options.max_iterations; ++iteration) {
        if (options.progress && !options.progress(static_cast<std::size_t>(iteration),
                                                  static_cast<std::size_t>(options.max_iterations)))
            throw core::Cancelled();
        if (small_gradient(options.gradient_tolerance)) {
            result.converged = true;
            break;
        }
        // Stop at once when a parameter runs off: far out the likelihood is flat, each step is
        // slow (the Pareto/NBD series needs ever more terms) and no interior maximum lies ahead.
        bool off = false;
        for (Eigen::Index j = 0; j < k; ++j) off = off || ran_off(j, theta);
        if (off) break;
        Eigen::VectorXd direction = newton ? newton_direction(hessian, g) : Eigen::VectorXd(-inverse_hessian * g);
        if (direction.dot(g) >= 0.0) {  // lost positive definiteness: restart from steepest descent
            inverse_hessian.setIdentity();
            direction = -g;
        }
        // Cap the step: exp(theta) must not jump by more than e^3 in one iteration.
        double step = std::min(1.0, 3.0 / direction.lpNorm<Eigen::Infinity>());
        Eigen::VectorXd next_theta, next_g(k);
        double next_value = 0.0;
        bool accepted = false;
        for (int halving = 0; halving < 60; ++halving, step *= 0.5) {
            next_theta = theta + step * direction;
            next_value = objective(next_theta, next_g, newton ? &next_hessian : nullptr);
            if (next_value <= value + 1e-4 * step * direction.dot(g)) {
                accepted = true;
                break;
            }
        }
        if (!accepted) {
            // No decrease left at machine precision: converged if the gradient is small relative to f.
            result.converged = small_gradient(1e-5);
            if (!result.converged) result.message = "line search failed to decrease the negative log-likelihood";
            break;
        }
        const Eigen::VectorXd s = next_theta - theta;
        const Eigen::VectorXd y = next_g - g;
        const double sy = s.dot(y);
        if (!newton && sy > 1e-12 * s.norm() * y.norm()) {
            if (iteration == 0) inverse_hessian *= sy / y.squaredNorm();  // Nocedal & Wright (6.20)
            const double rho = 1.0 / sy;
            const Eigen::MatrixXd identity = Eigen::MatrixXd::Identity(k, k);
            inverse_hessian = (identity - rho * s * y.transpose()) * inverse_hessian * (identity - rho * y * s.transpose()) +
                              rho * s * s.transpose();
        }
        theta = next_theta;
        g = next_g;
        value = next_value;
        if (newton) hessian = next_hessian;
    }
    result.iterations = iteration;
    // A vanishing gradient far out means the likelihood keeps rising towards a boundary: the data
    // do not identify the model (e.g. no repeat purchases at all), whatever BFGS reports.
    for (Eigen::Index j = 0; j < k; ++j) {
        if (ran_off(j, theta)) {
            result.diverged = static_cast<int>(j);
            std::ostringstream msg;
            msg << "parameter " << j << " ran off to " << std::exp(theta[j])
                << ": the likelihood has no interior maximum on these data";
            result.converged = false;
            result.message = msg.str();
            break;
        }
    }
    if (!result.converged && result.message.empty()) {
        std::ostringstream msg;
        msg << (newton ? "Newton" : "BFGS") << " did not converge in " << options.max_iterations << " iterations (max |gradient| "
            << g.lpNorm<Eigen::Infinity>() << ")";
        result.message = msg.str();
    }
    result.params.resize(static_cast<std::size_t>(k));
    for (Eigen::Index j = 0; j < k; ++j) result.params[static_cast<std::size_t>(j)] = std::exp(theta[j]);

    std::vector<double> grad(static_cast<std::size_t>(k));
    if (newton) {  // the model's own Hessian of -LL in the natural parameters
        std::vector<double> hess(static_cast<std::size_t>(k * k));
        result.log_likelihood = total_log_likelihood(f, result.params, rows, grad, hess);
        for (double& v : hess) v = -v;
        result.hessian = std::move(hess);
        return result;
    }
    // Hessian of -LL in the natural parameters by forward differences of the analytic gradient
    // (one gradient per parameter: relative error ~1e-5, ample for standard errors).
    result.log_likelihood = total_log_likelihood(f, result.params, rows, grad);
    Eigen::MatrixXd h(k, k);
    std::vector<double> up(static_cast<std::size_t>(k));
    for (Eigen::Index j = 0; j < k; ++j) {
        auto p = result.params;
        const double step = 1e-6 * p[static_cast<std::size_t>(j)];
        p[static_cast<std::size_t>(j)] += step;
        total_log_likelihood(f, p, rows, up);
        for (Eigen::Index i = 0; i < k; ++i)
            h(i, j) = -(up[static_cast<std::size_t>(i)] - grad[static_cast<std::size_t>(i)]) / step;
    }
    h = 0.5 * (h + h.transpose()).eval();
    result.hessian.assign(h.data(), h.data() + k * k);  // symmetric, so layout does not matter
    return result;
}

}  // namespace trustcost::relationship
