#include "trustcost/relationship/model.hpp"

#include <cmath>

#include "trustcost/core/errors.hpp"
#include "trustcost/relationship/rfm.hpp"

namespace trustcost::relationship {

namespace {
bool whole(double v) { return std::isfinite(v) && v == std::floor(v); }
// BG/BB sums one term per opportunity: a bound keeps a typo (a date for a count) from running for hours.
constexpr double kMaxOpportunities = 1e6;
}  // namespace

void check_argument(const Column& column, const double* v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        const double value = v[i];
        switch (column.kind) {
            case Kind::Horizon:
                if (!(std::isfinite(value) && value >= 0.0))
                    throw core::invalid(column.name, " must be finite and >= 0, got ", value, " at row ", i);
                break;
            case Kind::Count:
                if (!(whole(value) && value >= 0.0))
                    throw core::invalid(column.name, " must be whole numbers >= 0, got ", value, " at row ", i);
                break;
            case Kind::Opportunities:
                if (!(whole(value) && value >= 0.0 && value <= kMaxOpportunities))
                    throw core::invalid(column.name, " must be whole numbers in [0, ", kMaxOpportunities, "], got ",
                                        value, " at row ", i);
                break;
            case Kind::Decision:
                if (!(whole(value) && value >= 1.0))
                    throw core::invalid(column.name, " must be whole numbers >= 1, got ", value, " at row ", i);
                break;
        }
    }
}

void check_weights(const double* weights, std::size_t n) {
    if (!weights) return;
    for (std::size_t i = 0; i < n; ++i)
        if (!(std::isfinite(weights[i]) && weights[i] >= 0.0))
            throw core::invalid("weights must be finite and >= 0, got ", weights[i], " at row ", i);
}

void check_purchase_counts(const double* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (x[i] > kMaxPurchases)
            throw core::invalid("frequency must be <= ", kMaxPurchases, " (2^53, whole numbers exact in a double), got ",
                                x[i], " at row ", i);
}

void check_summary_rows(const double* const* c, std::size_t n) { check_summary(c[0], c[1], c[2], n); }

static_assert(kMaxSpend == 1e250, "the message below names the bound");

void check_spend_rows(const double* const* c, std::size_t n) {
    const double *x = c[0], *m = c[1];
    for (std::size_t i = 0; i < n; ++i) {
        if (!(whole(x[i]) && x[i] >= 0.0))
            throw core::invalid("frequency must be a whole number >= 0, got ", x[i], " at row ", i);
        if (!(std::isfinite(m[i]) && m[i] >= 0.0 && m[i] <= kMaxSpend))
            throw core::invalid("monetary_value must be finite, >= 0 and <= 1e250 (sums over customers must stay ",
                                "finite), got ", m[i], " at row ", i);
        if (x[i] > 0.0 && !(m[i] >= kMinSpend))
            throw core::invalid("monetary_value must be >= ", kMinSpend, " for customers with repeat purchases (a ",
                                "smaller spend is a units error and overflows the likelihood), got ", m[i], " at row ", i);
    }
    check_purchase_counts(x, n);
}

void check_contract_rows(const double* const* c, std::size_t n) {
    const double *t = c[0], *lost = c[1];
    for (std::size_t i = 0; i < n; ++i) {
        if (lost[i] != 0.0 && lost[i] != 1.0) throw core::invalid("lost must be 0 or 1, got ", lost[i], " at row ", i);
        const double lowest = lost[i] == 1.0 ? 1.0 : 0.0;
        if (!(whole(t[i]) && t[i] >= lowest))
            throw core::invalid("period must be a whole number >= ", lowest, " for a ", lost[i] == 1.0 ? "lost" : "kept",
                                " customer, got ", t[i], " at row ", i);
    }
}

FitResult gamma_gamma_fit_unconstrained(const double* x, const double* m, const double* weights, std::size_t n,
                                        const FitOptions& options) {
    // Repeat buyers only: customers without repeat purchases tell nothing about spend.
    for (std::size_t i = 0; i < n; ++i)
        if (x[i] < 1.0) throw core::invalid("frequency must be >= 1 to fit spend (repeat buyers), got ", x[i], " at row ", i);
    double spend = 0.0, total = 0.0;  // v is in money units: the mean spend is its scale
    for (std::size_t i = 0; i < n; ++i) {
        const double w = weights ? weights[i] : 1.0;
        spend += w * m[i];
        total += w;
    }
    spend = total > 0.0 && spend > 0.0 ? spend / total : 1.0;
    const Rows rows{{x, m}, weights, n};
    return fit_positive({&gamma_gamma::row_log_likelihood}, rows, {1.0, 1.0, spend}, options, {1.0, 1.0, spend});
}

double spend_row_log_likelihood(std::span<const double> params, std::span<const double> table,
                                std::span<const double> row, std::span<double> grad) {
    if (row[0] > 0.0) return gamma_gamma::row_log_likelihood(params, table, row, grad);
    for (double& g : grad) g = 0.0;
    return 0.0;
}

void ShiftedBetaGeometricModel::check_identifiable(const Rows& rows) {
    const double *t = rows.columns[0], *lost = rows.columns[1];
    double longest = 0.0;
    bool any_lost = false, beyond_first = false;
    for (std::size_t i = 0; i < rows.n; ++i) {
        longest = std::max(longest, t[i]);
        if (rows.weights && !(rows.weights[i] > 0.0)) continue;
        any_lost = any_lost || lost[i] == 1.0;
        beyond_first = beyond_first || !(lost[i] == 1.0 && t[i] == 1.0);
    }
    if (longest < 2.0)
        throw core::invalid("sBG: the survivors must span at least two renewal periods (periods 0, 1, 2): one period ",
                            "shows the mean churn rate only, not its spread across customers");
    if (!any_lost)
        throw core::invalid("sBG: no customer was lost in any cohort: with 100% retention the churn probabilities ",
                            "(alpha, beta) are not identified");
    if (!beyond_first)
        throw core::invalid("sBG: every customer left at the first renewal: the data cannot separate alpha and beta");
}

void check_model_params(std::span<const double> params, std::size_t base, std::size_t blocks, std::size_t q,
                        const char* label) {
    const std::size_t expected = base + blocks * q;
    if (params.size() != expected)
        throw core::invalid(label, " params must have ", expected, " values", blocks ? " (the model's and " : "",
                            blocks ? std::to_string(blocks) + " coefficients per covariate)" : std::string(),
                            ", got ", params.size());
    for (std::size_t j = 0; j < expected; ++j) {
        if (j < base && !(std::isfinite(params[j]) && params[j] > 0.0))
            throw core::invalid(label, " params must be finite and > 0, got ", params[j], " at position ", j);
        if (j >= base && !std::isfinite(params[j]))
            throw core::invalid(label, " coefficients must be finite, got ", params[j], " at position ", j);
    }
}

void check_covariates(const Covariates& z, const double* weights, std::size_t n, std::size_t most) {
    if (z.q == 0 || z.q > most) throw core::invalid("covariates must have 1..", most, " columns, got ", z.q);
    for (std::size_t k = 0; k < z.q; ++k) {
        std::size_t first = n;
        bool varies = false;
        for (std::size_t i = 0; i < n; ++i) {
            const double v = z.z[i * z.q + k];
            if (!(std::isfinite(v) && std::abs(v) <= kMaxCovariate))
                throw core::invalid("covariates must be finite with |value| <= ", kMaxCovariate,
                                    " (centre or scale them: exp(coefficient * value) overflows), got ", v,
                                    " at row ", i, ", column ", k);
            if (weights && !(weights[i] > 0.0)) continue;
            if (first == n) first = i;
            else varies = varies || v != z.z[first * z.q + k];
        }
        if (!varies)
            throw core::invalid("covariate column ", k, " is constant: its effect cannot be told apart from the ",
                                "model's own parameters");
    }
}

void row_log_likelihoods(const Likelihood& f, std::span<const double> params, const Rows& rows, double* out) {
    // An empty table: every row computes its count terms directly (see fit.hpp).
    const std::vector<double> table;
    const std::size_t m = rows.columns.size();
    std::vector<double> row(m);
    for (std::size_t i = 0; i < rows.n; ++i) {
        for (std::size_t c = 0; c < m; ++c) row[c] = rows.columns[c][i];
        out[i] = f.row(params, table, row, {});
    }
}

std::vector<double> encode_coefficients(std::span<const double> params, std::size_t base) {
    std::vector<double> encoded(params.begin(), params.end());
    for (std::size_t j = base; j < encoded.size(); ++j) encoded[j] = std::exp(encoded[j]);
    return encoded;
}

}  // namespace trustcost::relationship
