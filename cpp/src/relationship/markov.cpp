#include "trustcost/relationship/markov.hpp"

#include <Eigen/Dense>
#include <limits>

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
        // V = (I + D + ... + D^T) R with D = P/(1+d). The geometric sum by binary doubling,
        // S(2n) = S(n) + D^n S(n) and S(n+1) = I + D S(n): O(k^3 log T) for any horizon, with no
        // inverse (I - D may be singular when d <= 0), instead of T matrix-vector products.
        const std::size_t terms = *horizon == std::numeric_limits<std::size_t>::max() ? *horizon : *horizon + 1;
        Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(k, k), power = Eigen::MatrixXd::Identity(k, k);  // S(0), D^0
        int bit = 63;
        while (bit >= 0 && !((terms >> bit) & 1U)) --bit;
        for (; bit >= 0; --bit) {
            sum = (sum + power * sum).eval();  // S(2n), D^(2n)
            power = (power * power).eval();
            if ((terms >> bit) & 1U) {  // S(n+1) = I + D S(n), D^(n+1)
                sum = (Eigen::MatrixXd::Identity(k, k) + discounted * sum).eval();
                power = (discounted * power).eval();
            }
        }
        value = sum * r;
        if (!value.allFinite())
            throw core::invalid("markov_customer_value overflows over horizon ", *horizon, " with discount_rate ",
                                discount_rate, ": without discounting the value grows without bound; shorten the ",
                                "horizon or use a positive discount_rate");
    } else {
        if (discount_rate <= 0.0)
            throw core::invalid("discount_rate must be > 0 for an infinite horizon, got ", discount_rate);
        value = (Eigen::MatrixXd::Identity(k, k) - discounted).partialPivLu().solve(r);
    }
    return {value.data(), value.data() + k};
}

}  // namespace trustcost::relationship
