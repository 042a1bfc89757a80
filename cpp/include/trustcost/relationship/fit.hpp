// Maximum likelihood for the repeat-purchase models: weighted row sums and a BFGS optimiser.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "trustcost/core/parallel.hpp"

namespace trustcost::relationship {

// Columns of per-customer data (e.g. frequency, recency, T) plus a weight per row: fitting on
// unique rows with counts as weights gives the same likelihood as fitting on every customer.
struct Rows {
    std::vector<const double*> columns;
    const double* weights = nullptr;  // nullptr means weight 1
    std::size_t n = 0;
};

// Log-likelihood of one row and, when grad is non-empty, its gradient in the natural parameters.
// `table` holds terms that depend only on the parameters and the row's purchase count x (column 0),
// filled once per evaluation by the model's Prepare; rows whose x lies beyond it (or an empty
// table) compute those terms directly.
using RowLogLikelihood = double (*)(std::span<const double> params, std::span<const double> table,
                                    std::span<const double> row, std::span<double> grad);
using Prepare = void (*)(std::span<const double> params, std::size_t max_count, std::vector<double>& table);
// As RowLogLikelihood, also filling the Hessian in the natural parameters (row-major K x K).
using RowHessian = double (*)(std::span<const double> params, std::span<const double> table,
                              std::span<const double> row, std::span<double> grad, std::span<double> hessian);

// The whole weighted sum at once, with its gradient and (when non-empty) Hessian, from the model's
// own precomputed state `context`: for models whose likelihood separates into sums precomputed
// once per fit (Gamma-Gamma). A plain function pointer keeps Likelihood a literal type.
using TotalLogLikelihood = double (*)(const void* context, std::span<const double> params, std::span<double> grad,
                                      std::span<double> hessian);

struct Likelihood {
    RowLogLikelihood row;
    Prepare prepare = nullptr;  // optional
    RowHessian hessian = nullptr;  // optional: the fit then takes Newton steps and needs no differences
    TotalLogLikelihood total = nullptr;  // optional: replaces the row sums; the fit takes Newton steps
    const void* context = nullptr;       // handed to `total`
};

// Largest purchase count tabulated per evaluation; beyond it rows use direct special functions.
inline constexpr std::size_t kMaxTabulatedCount = 10000;

// A parameter more than e^9.5 (~1.3e4) times above or below its scale (1 for shapes, the longest
// observation period for rate parameters in time units), and further out than it started, has run
// off: the likelihood keeps rising towards a boundary (a shape of 1e4 already means customers who
// hardly differ), and no interior maximum lies ahead.
inline constexpr double kDivergedLog = 9.5;

// Sum of weight * log-likelihood over the rows, and its gradient. Rows are summed in fixed
// blocks and the block sums added in order, so the result does not depend on the thread count.
// `progress`, when given, is polled between blocks (Ctrl-C: core::Cancelled stops the sum).
double total_log_likelihood(const Likelihood& f, std::span<const double> params, const Rows& rows,
                            std::span<double> grad, std::span<double> hessian = {},
                            const core::Progress& progress = {});

struct FitResult {
    std::vector<double> params;
    double log_likelihood = 0.0;
    std::vector<double> hessian;  // of -log-likelihood in the natural parameters, row-major K x K
    int iterations = 0;
    bool converged = false;
    int diverged = -1;  // index of the parameter that ran off, or -1
    std::string message;
};

struct FitOptions {
    int max_iterations = 500;
    // Converged when max |gradient| of the mean negative log-likelihood in log-parameters is below
    // gradient_tolerance * max(1, |mean negative log-likelihood|): relative, because with purchase
    // counts in the thousands the terms (and their rounding) grow with the counts.
    double gradient_tolerance = 1e-7;
    double penalizer = 0.0;            // L2 on the parameters, as lifetimes' penalizer_coef
    // Polled between blocks of rows and between iterations; returning false stops the fit with
    // core::Cancelled (the bindings poll Python's signal handlers: Ctrl-C).
    core::Progress progress;

    // Throws std::invalid_argument naming the bad option: max_iterations >= 1, gradient_tolerance
    // finite and > 0, penalizer finite and >= 0. Every fit calls it (fit_positive).
    void validate() const;
};

// What the repeat-purchase data must show for a model to be identified; throws std::invalid_argument
// saying what is missing (`model` names the model): some positive weight, some repeat purchase
// (x > 0), at least two distinct histories, and a visible silence after the last purchase (t_x < T)
// for some customer (for some repeat buyer when `dropout_after_purchase`, as in BG/NBD, where
// customers without repeats carry no dropout information). Rows are (x, t_x, T).
// `length` names the third column (T, or n_periods for BG/BB) in the messages.
void require_identifiable(const Rows& rows, const char* model, bool dropout_after_purchase, const char* length = "T");

// Parameter vectors handed to the prediction functions: `expected` values, all finite and > 0.
void require_params(std::span<const double> params, std::size_t expected, const char* model);

// Maximises the log-likelihood over positive parameters on log-parameters (positivity for free,
// better conditioning): by Newton steps (modified towards the gradient where the Hessian is not
// positive definite) when the model gives its Hessian, else by BFGS with the Hessian at the end by
// forward differences of the analytic gradient. Stops as soon as a parameter leaves
// scale * [e^-kDivergedLog, e^kDivergedLog] (the likelihood then rises towards a boundary: the data do not
// identify the model), with `diverged` set to that parameter. Never throws on non-convergence:
// the caller reports `message`.
// `scale` (empty: all 1) gives each parameter's natural size for the run-off test.
FitResult fit_positive(const Likelihood& f, const Rows& rows, std::vector<double> start,
                       const FitOptions& options = {}, std::vector<double> scale = {});

}  // namespace trustcost::relationship
