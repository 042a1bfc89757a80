// Customer value from a recency Markov chain: Pfeifer & Carraway (2000), "Modeling Customer
// Relationships as Markov Chains", Journal of Interactive Marketing 14(2), 43-55.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace trustcost::relationship {

// Transition matrix of the recency chain (row-major k x k): from state i a purchase (probability
// p[i]) returns the customer to state 0, otherwise to state i+1; the last state stays put.
std::vector<double> recency_transition_matrix(const std::vector<double>& repurchase_probabilities);

// Expected discounted value per starting state, V = sum_{t=0}^{T} ((1+d)^-1 P)^t R (P&C 2000,
// eq. 5); with no horizon the infinite sum V = (I - P/(1+d))^-1 R (eq. 6), solved by Eigen's LU.
std::vector<double> markov_customer_value(const std::vector<double>& repurchase_probabilities,
                                          const std::vector<double>& reward, double discount_rate,
                                          std::optional<std::size_t> horizon);

}  // namespace trustcost::relationship
