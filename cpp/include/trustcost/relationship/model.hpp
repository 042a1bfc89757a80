// The repeat-purchase model contract: what every relationship model declares, and the one place
// its inputs are checked.
//
// A model is a struct of static declarations (the traits below, one per model):
//   label                 the model's name in messages ("BG/NBD")
//   parameters            parameter names in the engine's order
//   columns               the per-customer row, e.g. (frequency, recency, T)
//   check_rows            the row rule: throws std::invalid_argument naming the column and the
//                         first bad row (e.g. frequency whole, recency <= T, recency 0 when
//                         frequency is 0). The ONLY owner of the rule: nothing above repeats it.
//   check_identifiable    what the data must show for a maximum to exist (throws, says what lacks)
//   likelihood            per-row log-likelihood with its gradient (and Hessian where analytic)
//   fit                   maximum likelihood on checked rows
//   predictions           a tuple of Conditional (given a customer's row) and Unconditional (a new
//                         customer) predictions, each naming its leading arguments and their kind
// The generic functions below (fit, predict, individual_log_likelihood) check options, weights,
// parameters, arguments and rows once and then call the model; the bindings register every model
// through them with one template, so the Python API cannot reach a model around its checks.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

#include "trustcost/relationship/bgbb.hpp"
#include "trustcost/relationship/bgnbd.hpp"
#include "trustcost/relationship/contractual.hpp"
#include "trustcost/relationship/covariates.hpp"
#include "trustcost/relationship/fit.hpp"
#include "trustcost/relationship/gamma_gamma.hpp"
#include "trustcost/relationship/mbgnbd.hpp"
#include "trustcost/relationship/pareto_nbd.hpp"
#include "trustcost/relationship/rfm.hpp"

namespace trustcost::relationship {

// ---------------------------------------------------------------- arguments of predictions
enum class Kind {
    Horizon,        // finite time >= 0 (continuous-time models' t)
    Count,          // whole number >= 0 (a number of purchases n)
    Opportunities,  // whole number in [0, 1e6] (BG/BB's periods; one term per opportunity)
    Decision,       // whole number >= 1 (sBG's renewal decision t)
};
struct Column {
    const char* name;
    Kind kind;
};
// Throws std::invalid_argument naming `column` and the first value of the wrong kind.
void check_argument(const Column& column, const double* values, std::size_t n);
// Weights (nullptr: all 1) must be finite and >= 0.
void check_weights(const double* weights, std::size_t n);

// A prediction for customers with a history: f(params, leading..., row columns..., n, out).
template <class F, std::size_t L>
struct Conditional {
    const char* name;
    F function;
    std::array<Column, L> arguments;
};
// A prediction for a new customer: f(params, leading..., n, out).
template <class F, std::size_t L>
struct Unconditional {
    const char* name;
    F function;
    std::array<Column, L> arguments;
};

inline constexpr std::array<Column, 0> kNoArguments{};
inline constexpr Column kHorizon{"t", Kind::Horizon};
inline constexpr Column kPurchases{"n", Kind::Count};

// Covariates of one call: row-major n x q (q = 0 for the models without them).
struct Covariates {
    const double* z = nullptr;
    std::size_t q = 0;
};

// ---------------------------------------------------------------- row rules
// Purchase counts are whole numbers up to kMaxPurchases (rfm.hpp): Gamma-Gamma's counts too.
void check_purchase_counts(const double* x, std::size_t n);
// (x, t_x, T) of the continuous-time models: x whole >= 0 (<= kMaxPurchases), 0 <= t_x <= T finite,
// t_x = 0 when x = 0. The rule lives in rfm.cpp (check_summary), where the summaries are made.
void check_summary_rows(const double* const* columns, std::size_t n);
// Gamma-Gamma's (x, m): x whole >= 0 and a mean spend finite, >= 0 (>= kMinSpend for repeat buyers)
// and small enough that sums over customers stay finite (<= kMaxSpend). The fit takes repeat buyers.
// The likelihood sums 1/(v + x m)^2: below kMinSpend it overflows (m = 1e-300 crashed the fit); no
// currency unit is that small, so such a spend is a units error.
inline constexpr double kMaxSpend = 1e250;
inline constexpr double kMinSpend = 1e-100;
void check_spend_rows(const double* const* columns, std::size_t n);
// sBG's (t, lost): lost 0 or 1; t whole, >= 1 for a lost customer, >= 0 for one still under contract.
void check_contract_rows(const double* const* columns, std::size_t n);
// Gamma-Gamma's row log-likelihood, 0 for a customer without repeat purchases (no spend to explain).
double spend_row_log_likelihood(std::span<const double> params, std::span<const double> table,
                                std::span<const double> row, std::span<double> grad);

// ---------------------------------------------------------------- the models
struct BgNbdModel {
    static constexpr const char* label = "BG/NBD";
    static constexpr std::array parameters{"r", "alpha", "a", "b"};
    static constexpr std::array columns{"frequency", "recency", "T"};
    static constexpr std::size_t covariate_blocks = 0;
    static void check_rows(const double* const* c, std::size_t n) { check_summary_rows(c, n); }
    // Repeat buyers, distinct histories, a repeat buyer silent at the end (no-repeat customers
    // are certainly alive in BG/NBD, so they carry no dropout information).
    static void check_identifiable(const Rows& rows) { require_identifiable(rows, label, true); }
    static constexpr Likelihood likelihood{&bgnbd::row_log_likelihood, &bgnbd::prepare, &bgnbd::row_hessian};
    static constexpr auto fit = &bgnbd::fit;
    static constexpr std::tuple predictions{
        Conditional{"p_alive", &bgnbd::p_alive, kNoArguments},
        Conditional{"expected_purchases", &bgnbd::expected_purchases, std::array{kHorizon}},
        Conditional{"conditional_probability_of_n_purchases", &bgnbd::conditional_probability_of_n_purchases,
                    std::array{kPurchases, kHorizon}},
        Unconditional{"expected_purchases_population", &bgnbd::expected_purchases_population, std::array{kHorizon}},
        Unconditional{"probability_of_n_purchases", &bgnbd::probability_of_n_purchases,
                      std::array{kHorizon, kPurchases}},
    };
};

struct ModifiedBgNbdModel {
    static constexpr const char* label = "MBG/NBD";
    static constexpr std::array parameters{"r", "alpha", "a", "b"};
    static constexpr std::array columns{"frequency", "recency", "T"};
    static constexpr std::size_t covariate_blocks = 0;
    static void check_rows(const double* const* c, std::size_t n) { check_summary_rows(c, n); }
    static void check_identifiable(const Rows& rows) { require_identifiable(rows, label, false); }
    static constexpr Likelihood likelihood{&mbgnbd::row_log_likelihood, &mbgnbd::prepare, &mbgnbd::row_hessian};
    static constexpr auto fit = &mbgnbd::fit;
    static constexpr std::tuple predictions{
        Conditional{"p_alive", &mbgnbd::p_alive, kNoArguments},
        Conditional{"expected_purchases", &mbgnbd::expected_purchases, std::array{kHorizon}},
        Conditional{"conditional_probability_of_n_purchases", &mbgnbd::conditional_probability_of_n_purchases,
                    std::array{kPurchases, kHorizon}},
        Unconditional{"expected_purchases_population", &mbgnbd::expected_purchases_population, std::array{kHorizon}},
        Unconditional{"probability_of_n_purchases", &mbgnbd::probability_of_n_purchases,
                      std::array{kHorizon, kPurchases}},
    };
};

struct ParetoNbdModel {
    static constexpr const char* label = "Pareto/NBD";
    static constexpr std::array parameters{"r", "alpha", "s", "beta"};
    static constexpr std::array columns{"frequency", "recency", "T"};
    static constexpr std::size_t covariate_blocks = 0;
    static void check_rows(const double* const* c, std::size_t n) { check_summary_rows(c, n); }
    static void check_identifiable(const Rows& rows) { require_identifiable(rows, label, false); }
    static constexpr Likelihood likelihood{&pareto_nbd::row_log_likelihood, &pareto_nbd::prepare};
    static constexpr auto fit = &pareto_nbd::fit;
    static constexpr std::tuple predictions{
        Conditional{"p_alive", &pareto_nbd::p_alive, kNoArguments},
        Conditional{"p_alive_at", &pareto_nbd::p_alive_at, std::array{kHorizon}},
        Conditional{"expected_purchases", &pareto_nbd::expected_purchases, std::array{kHorizon}},
        Conditional{"conditional_probability_of_n_purchases", &pareto_nbd::conditional_probability_of_n_purchases,
                    std::array{kPurchases, kHorizon}},
        Unconditional{"expected_purchases_population", &pareto_nbd::expected_purchases_population,
                      std::array{kHorizon}},
        Unconditional{"probability_of_n_purchases", &pareto_nbd::probability_of_n_purchases,
                      std::array{kHorizon, kPurchases}},
    };
};

struct BgBbModel {
    static constexpr const char* label = "BG/BB";
    static constexpr std::array parameters{"alpha", "beta", "gamma", "delta"};
    static constexpr std::array columns{"frequency", "recency", "n_periods"};
    static constexpr std::size_t covariate_blocks = 0;
    static void check_rows(const double* const* c, std::size_t n) { bgbb::check_rows(c[0], c[1], c[2], n); }
    static void check_identifiable(const Rows& rows) { require_identifiable(rows, label, false, "n_periods"); }
    static constexpr Likelihood likelihood{&bgbb::row_log_likelihood};
    static constexpr auto fit = &bgbb::fit;
    static constexpr Column kPeriods{"periods", Kind::Opportunities};
    static constexpr std::tuple predictions{
        Conditional{"p_alive", &bgbb::p_alive, std::array{Column{"periods_ahead", Kind::Opportunities}}},
        Conditional{"expected_purchases", &bgbb::expected_purchases, std::array{kPeriods}},
        Conditional{"conditional_probability_of_n_purchases", &bgbb::conditional_probability_of_n_purchases,
                    std::array{Column{"n", Kind::Opportunities}, Column{"t", Kind::Opportunities}}},
        Unconditional{"expected_purchases_population", &bgbb::expected_purchases_population, std::array{kPeriods}},
        Unconditional{"probability_of_n_purchases", &bgbb::probability_of_n_purchases,
                      std::array{kPeriods, Column{"n", Kind::Opportunities}}},
    };
};

struct ShiftedBetaGeometricModel {
    static constexpr const char* label = "sBG";
    static constexpr std::array parameters{"alpha", "beta"};
    static constexpr std::array columns{"period", "lost"};
    static constexpr std::size_t covariate_blocks = 0;
    static void check_rows(const double* const* c, std::size_t n) { check_contract_rows(c, n); }
    static void check_identifiable(const Rows& rows);
    static constexpr Likelihood likelihood{&sbg::row_log_likelihood};
    static constexpr auto fit = &sbg::fit;
    static constexpr Column kDecision{"t", Kind::Decision};
    static constexpr std::tuple predictions{
        Unconditional{"survival", &sbg::survival, std::array{Column{"t", Kind::Count}}},
        Unconditional{"retention", &sbg::retention, std::array{kDecision}},
        Unconditional{"churn", &sbg::churn, std::array{kDecision}},
    };
};

struct BetaDiscreteWeibullModel {
    static constexpr const char* label = "BdW";
    static constexpr std::array parameters{"alpha", "beta", "c"};
    static constexpr std::array columns{"period", "lost"};
    static constexpr std::size_t covariate_blocks = 0;
    static void check_rows(const double* const* c, std::size_t n) { check_contract_rows(c, n); }
    // As sBG; c also needs losses at two or more renewals, which the sBG rule's "not all lost at
    // the first renewal" together with survivors beyond it provides.
    static void check_identifiable(const Rows& rows) { ShiftedBetaGeometricModel::check_identifiable(rows); }
    static constexpr Likelihood likelihood{&bdw::row_log_likelihood};
    static constexpr auto fit = &bdw::fit;
    static constexpr std::tuple predictions{
        Unconditional{"survival", &bdw::survival, std::array{Column{"t", Kind::Count}}},
        Unconditional{"retention", &bdw::retention, std::array{Column{"t", Kind::Decision}}},
        Unconditional{"churn", &bdw::churn, std::array{Column{"t", Kind::Decision}}},
    };
};

struct GammaGammaModel {
    static constexpr const char* label = "Gamma-Gamma";
    static constexpr std::array parameters{"p", "q", "v"};
    static constexpr std::array columns{"frequency", "monetary_value"};
    static constexpr std::size_t covariate_blocks = 0;
    static void check_rows(const double* const* c, std::size_t n) { check_spend_rows(c, n); }
    static void check_identifiable(const Rows&) {}  // the fit reports parameters that run off
    static constexpr Likelihood likelihood{&spend_row_log_likelihood};
    static constexpr auto fit = &gamma_gamma::fit;
    static constexpr std::tuple predictions{
        Conditional{"expected_average_value", &gamma_gamma::expected_average_value, kNoArguments},
    };
};

struct BgNbdCovariatesModel {
    static constexpr const char* label = "BG/NBD with covariates";
    static constexpr std::array parameters{"r", "alpha", "a", "b"};
    static constexpr std::array coefficient_blocks{"purchase", "a", "b"};
    static constexpr std::array columns{"frequency", "recency", "T"};
    static constexpr std::size_t covariate_blocks = 3;
    static constexpr std::size_t max_covariates = bgnbd_covariates::kMaxCovariates;
    static void check_rows(const double* const* c, std::size_t n) { check_summary_rows(c, n); }
    static void check_identifiable(const Rows& rows) { require_identifiable(rows, label, true); }
    static constexpr Likelihood likelihood{&bgnbd_covariates::row_log_likelihood};
    static constexpr auto fit = &bgnbd_covariates::fit;
    static constexpr std::tuple predictions{
        Conditional{"p_alive", &bgnbd_covariates::p_alive, kNoArguments},
        Conditional{"expected_purchases", &bgnbd_covariates::expected_purchases, std::array{kHorizon}},
    };
};

struct ParetoNbdCovariatesModel {
    static constexpr const char* label = "Pareto/NBD with covariates";
    static constexpr std::array parameters{"r", "alpha", "s", "beta"};
    static constexpr std::array coefficient_blocks{"purchase", "dropout"};
    static constexpr std::array columns{"frequency", "recency", "T"};
    static constexpr std::size_t covariate_blocks = 2;
    static constexpr std::size_t max_covariates = pareto_nbd_covariates::kMaxCovariates;
    static void check_rows(const double* const* c, std::size_t n) { check_summary_rows(c, n); }
    static void check_identifiable(const Rows& rows) { require_identifiable(rows, label, false); }
    static constexpr Likelihood likelihood{&pareto_nbd_covariates::row_log_likelihood,
                                           &pareto_nbd_covariates::prepare};
    static constexpr auto fit = &pareto_nbd_covariates::fit;
    static constexpr std::tuple predictions{
        Conditional{"p_alive", &pareto_nbd_covariates::p_alive, kNoArguments},
        Conditional{"expected_purchases", &pareto_nbd_covariates::expected_purchases, std::array{kHorizon}},
    };
};

// Gamma-Gamma without lifetimes' q_constraint: q > 0 only (the mean spend p v/(q - 1) then may not exist).
FitResult gamma_gamma_fit_unconstrained(const double* x, const double* m, const double* weights, std::size_t n,
                                        const FitOptions& options);
struct GammaGammaUnconstrainedModel : GammaGammaModel {
    static constexpr auto fit = &gamma_gamma_fit_unconstrained;
};

template <class M>
concept RepeatPurchaseModel = requires(const double* const* c, std::size_t n, const Rows& rows) {
    { M::label } -> std::convertible_to<const char*>;
    M::parameters.size();
    M::columns.size();
    M::check_rows(c, n);
    M::check_identifiable(rows);
    { M::likelihood } -> std::convertible_to<Likelihood>;
    M::fit;
    M::predictions;
};

// ---------------------------------------------------------------- checks shared by the entry points
// Parameters of a model: its own (finite, > 0) then, with covariates, q coefficients per block (finite).
void check_model_params(std::span<const double> params, std::size_t base, std::size_t blocks, std::size_t q,
                        const char* label);
// Covariates: 1..most columns, finite, none constant over the rows with positive weight (its
// effect could not be told from the base parameter), and |z| <= kMaxCovariate (beyond, exp(c z)
// overflows for any coefficient the optimiser tries and the fit wanders for minutes).
inline constexpr double kMaxCovariate = 1e6;
void check_covariates(const Covariates& z, const double* weights, std::size_t n, std::size_t most);

template <RepeatPurchaseModel M>
inline void check_params(std::span<const double> params, std::size_t q) {
    check_model_params(params, M::parameters.size(), M::covariate_blocks, q, M::label);
}

// ---------------------------------------------------------------- generic entry points
template <RepeatPurchaseModel M>
using RowColumns = std::array<const double*, M::columns.size()>;

// Checks options, weights and rows, the model's identifiability, then fits.
template <RepeatPurchaseModel M>
FitResult fit(const RowColumns<M>& columns, const Covariates& z, const double* weights, std::size_t n,
              const FitOptions& options) {
    options.validate();
    check_weights(weights, n);
    M::check_rows(columns.data(), n);
    M::check_identifiable(Rows{{columns.begin(), columns.end()}, weights, n});
    if constexpr (M::covariate_blocks > 0) {
        check_covariates(z, weights, n, M::max_covariates);
        return M::fit(columns[0], columns[1], columns[2], z.z, z.q, weights, n, options);
    } else {
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return M::fit(columns[I]..., weights, n, options);
        }(std::make_index_sequence<M::columns.size()>{});
    }
}

// Checks parameters, the leading arguments and (for a Conditional) the rows, then predicts.
template <RepeatPurchaseModel M, class F, std::size_t L>
void predict(const Conditional<F, L>& p, std::span<const double> params, const Covariates& z,
             const std::array<const double*, L>& arguments, const RowColumns<M>& rows, std::size_t n, double* out) {
    check_params<M>(params, z.q);
    for (std::size_t j = 0; j < L; ++j) check_argument(p.arguments[j], arguments[j], n);
    M::check_rows(rows.data(), n);
    constexpr std::size_t H = M::columns.size();
    [&]<std::size_t... I, std::size_t... J>(std::index_sequence<I...>, std::index_sequence<J...>) {
        if constexpr (M::covariate_blocks > 0)
            p.function(params, z.z, z.q, arguments[I]..., rows[J]..., n, out);
        else
            p.function(params, arguments[I]..., rows[J]..., n, out);
    }(std::make_index_sequence<L>{}, std::make_index_sequence<H>{});
}

template <RepeatPurchaseModel M, class F, std::size_t L>
void predict(const Unconditional<F, L>& p, std::span<const double> params,
             const std::array<const double*, L>& arguments, std::size_t n, double* out) {
    check_params<M>(params, 0);
    for (std::size_t j = 0; j < L; ++j) check_argument(p.arguments[j], arguments[j], n);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        p.function(params, arguments[I]..., n, out);
    }(std::make_index_sequence<L>{});
}

// Each row's log-likelihood at `params` (natural parameters; coefficients as they are): with
// weights 1 these sum to the fit's log_likelihood at its estimate.
void row_log_likelihoods(const Likelihood& f, std::span<const double> params, const Rows& rows, double* out);
// The covariate models' row functions take coefficients encoded as e^c (see covariates.hpp).
std::vector<double> encode_coefficients(std::span<const double> params, std::size_t base);

template <RepeatPurchaseModel M>
void individual_log_likelihood(std::span<const double> params, const Covariates& z, const RowColumns<M>& columns,
                               std::size_t n, double* out) {
    check_params<M>(params, z.q);
    M::check_rows(columns.data(), n);
    Rows rows{{columns.begin(), columns.end()}, nullptr, n};
    if constexpr (M::covariate_blocks > 0) {
        std::vector<std::vector<double>> zc(z.q, std::vector<double>(n));
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t k = 0; k < z.q; ++k) zc[k][i] = z.z[i * z.q + k];
        for (const auto& c : zc) rows.columns.push_back(c.data());
        const auto encoded = encode_coefficients(params, M::parameters.size());
        row_log_likelihoods(M::likelihood, encoded, rows, out);
    } else {
        row_log_likelihoods(M::likelihood, params, rows, out);
    }
}

}  // namespace trustcost::relationship
