// Per-item pieces of the expected-value evaluation, shared with the Monte Carlo engine
// (trustcost::uncertainty), which costs deterministic items exactly as evaluate() does.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "trustcost/lcc/evaluate.hpp"
#include "trustcost/lcc/renewal.hpp"

namespace trustcost::lcc::detail {

// Validates every item of every offer, naming the item and offer in the message.
void check_items(const StudySpec& study, const Items& items);

// Discount factor and nominal-to-real deflator of each year 0..horizon.
struct YearFactors {
    std::vector<double> discount, deflator;
};
YearFactors year_factors(const StudySpec& study);

// Renewal functions are reused between consecutive items with the same life (failure cost and
// downtime of one element), so each block keeps the last one it built.
struct RenewalCache {
    double shape = 0, scale = 0, t_max = -1;
    std::optional<RenewalFunction> m;
    core::Progress poll;  // handed to the renewal solves (Ctrl-C); empty: none
    const RenewalFunction& get(double shape, double scale, double t_max);
};

// Adds one item's expected cost per year (real money) into row[year * categories + category];
// `trust` is the offer's trust per year (read by Trust items only; may be null otherwise).
void add_item(const StudySpec& study, ItemKind kind, std::size_t category, const double* params,
              const double* deflator, const double* trust, RenewalCache& cache, double* row);

}  // namespace trustcost::lcc::detail
