// Per-item pieces of the expected-value evaluation, shared with the Monte Carlo engine
// (trustcost::uncertainty), which costs deterministic items exactly as evaluate() does.
#pragma once

#include <cmath>
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

// The costing of one item in one year, shared by evaluate() (expected counts and probabilities)
// and the Monte Carlo (drawn events on a path). p is the item's parameter row.

// (1 + escalation)^(year - start): the item's escalation in a study year.
inline double escalation(const double* p, std::size_t year) {
    return std::pow(1.0 + p[kEscalation], static_cast<double>(year - static_cast<std::size_t>(p[kStart])));
}

// Adds `amount` of a study year (then-current money for a nominal item) to the item's category of
// a cost row in real money.
inline void add_cost(const StudySpec& s, std::size_t category, const double* p, const double* deflator,
                     std::size_t year, double amount, double* row) {
    if (p[kNominal] != 0.0) amount *= deflator[year];
    row[year * s.categories + category] += amount;
}

// `count` failures (expected or drawn) in service year a, study year start + a - 1.
inline void add_failures(const StudySpec& s, std::size_t category, const double* p, const double* deflator,
                         std::size_t a, double count, double* row) {
    const std::size_t year = static_cast<std::size_t>(p[kStart]) + a - 1;
    add_cost(s, category, p, deflator, year, p[kAmount] * escalation(p, year) * count, row);
}

// Supplier default in a study year: the switching cost if the supplier survived to it (`alive`)
// and defaults in it (`q`), the support premium if it defaulted before (`gone_before`): the
// probabilities in evaluate(), 0 or 1 on a path.
inline void add_default_year(const StudySpec& s, std::size_t category, const double* p, const double* deflator,
                             std::size_t year, double alive, double q, double gone_before, double* row) {
    add_cost(s, category, p, deflator, year, escalation(p, year) * (p[kAmount] * alive * q + p[kScale] * gone_before), row);
}

// Adds one item's expected cost per year (real money) into row[year * categories + category];
// `trust` is the offer's trust per year (read by Trust items only; may be null otherwise).
void add_item(const StudySpec& study, ItemKind kind, std::size_t category, const double* params,
              const double* deflator, const double* trust, RenewalCache& cache, double* row);

}  // namespace trustcost::lcc::detail
