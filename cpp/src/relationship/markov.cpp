#include "trustcost/relationship/markov.hpp"

#include <Eigen/Dense>

#include "trustcost/core/errors.hpp"

namespace trustcost::relationship {

std::vector<double> recency_transition_matrix(const std::vector<double>& p) {
    const std::size_t k = p.size();
    if (k == 0) throw core::invalid("repurchase_probabilities must not be empty");
    std::vector<double> matrix(k * k, 0.0);
    for (std::size_t i = 0; i < k; ++i) {
        core::require_probability(p[i], "repurchase_probabilities");
        matrix[i * k] += p[i];
        matrix[i * k + std::min(i + 1, k - 1)] += 1.0 - p[i];
    }
    return matrix;
}

std::vector<double> markov_customer_value(const std::vector<double>& p, const std::vector<double>& reward,
                                          double discount_rate, std::optional<std::size_t> horizon) {
    const auto k = static_cast<Eigen::Index>(p.size());
    if (reward.size() != p.size())
        throw core::invalid("reward must have one value per state (", p.size(), "), got ", reward.size());
    for (double r : reward) core::require_finite(r, "reward");
    core::require_rate(discount_rate, "discount_rate");
    const auto matrix = recency_transition_matrix(p);
    const Eigen::MatrixXd discounted =
        Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(matrix.data(), k, k) /
        (1.0 + discount_rate);
    const Eigen::Map<const Eigen::VectorXd> r(reward.data(), k);
    Eigen::VectorXd value;
    if (horizon) {
        // Backward recursion V_t = R + (P/(1+d)) V_{t-1}: T+1 matrix-vector products.
        value = r;
        for (std::size_t t = 0; t < *horizon; ++t) value = r + discounted * value;
    } else {
        if (discount_rate <= 0.0)
            throw core::invalid("discount_rate must be > 0 for an infinite horizon, got ", discount_rate);
        value = (Eigen::MatrixXd::Identity(k, k) - discounted).partialPivLu().solve(r);
    }
    return {value.data(), value.data() + k};
}

}  // namespace trustcost::relationship
