// Expected yearly cost of many offers at once: each offer is a list of flat cost items, and the
// result is a cost matrix (offer x year x category) and present values (offer x category).
#pragma once

#include <cstddef>
#include <cstdint>

#include "trustcost/core/parallel.hpp"
#include "trustcost/finance/discount.hpp"

namespace trustcost::lcc {

// What an item's parameters mean. Years are whole study years 0..horizon; an item runs
// from `start` to `end` inclusive and escalates by `escalation` per year from `start`.
enum class ItemKind : std::int32_t {
    OneTime = 0,       // amount in year start (= end)
    Recurring = 1,     // amount (1 + escalation)^(y - start) every year in [start, end]
    Periodic = 2,      // as Recurring, but only in years start, start + every, ...
    Failures = 3,      // amount per expected failure of a renewed Weibull life
    Preventive = 4,    // amount per preventive renewal at every multiple of `interval` of service time
    SupplierRisk = 5,  // supplier default: switching cost once, then a support premium each year
    Trust = 6,         // relationship line: Recurring amount x level(low, high, curvature, trust of the year)
};

// Column layout of the parameter matrix (kParams doubles per item).
enum Param : std::size_t {
    kAmount = 0,      // cost per occurrence (switching cost for SupplierRisk)
    kStart = 1,       // first year
    kEnd = 2,         // last year
    kEscalation = 3,  // real escalation per year, > -1
    kNominal = 4,     // 1: amounts are then-current money, deflated by the study's inflation
    kShape = 5,       // Failures: Weibull shape; Periodic: every; SupplierRisk: default probability; Trust: low-trust level
    kScale = 6,       // Failures: Weibull scale; SupplierRisk: support premium per year after default; Trust: high-trust level
    kInterval = 7,    // Failures, Preventive: preventive renewal interval (0 = none); Trust: curvature
    kParams = 8,
};

struct Items {
    const std::int32_t* kind;       // ItemKind per item
    const std::int32_t* category;   // 0..categories-1
    const double* params;           // items x kParams, row-major
    const std::int64_t* offer_start;  // offers + 1 offsets: offer i owns items [start[i], start[i+1])
    std::size_t offers;
    // offers x (horizon + 1) trust per offer and year (trustcost::trust); read only by Trust items,
    // may be null when there are none.
    const double* trust = nullptr;
};

// Longest study the engine takes, in years: far beyond any asset's life, and small enough that
// years x categories x offers stays a sane allocation and horizon + 1 cannot wrap.
inline constexpr std::size_t kMaxHorizon = 10'000;
// Most cost categories one study may have (the standard ones, relationship lines, user ones).
inline constexpr std::size_t kMaxCategories = 100'000;

// Most preventive renewals one item may have over its service (service / interval): bounds the
// work of the Monte Carlo, which walks every renewal of every path.
inline constexpr double kMaxRenewals = 1e6;

struct StudySpec {
    std::size_t horizon;   // years after year 0
    double discount_rate;  // real, per year
    finance::Timing timing;
    double inflation;      // general inflation per year, deflates nominal items
    std::size_t categories;
};

// Throws std::invalid_argument naming the field unless rates are > -1 and categories >= 1.
void validate(const StudySpec& study);
// Throws std::invalid_argument unless 1 <= horizon <= kMaxHorizon and 1 <= categories <= kMaxCategories:
// call before sizing anything by horizon + 1 or categories.
void require_study_size(std::size_t horizon, std::size_t categories);

// Fills costs[offer][year][category] (real, undiscounted expected costs, years 0..horizon) and
// present_values[offer][category]. Offers run in parallel blocks; throws std::invalid_argument
// naming the item ("item 12 (offer 3): shape must be > 0, got -1").
// `progress` is polled between blocks of offers and inside long renewal solves (false: stop with
// core::Cancelled).
void evaluate(const StudySpec& study, const Items& items, double* costs, double* present_values,
              const core::Progress& progress = {});

}  // namespace trustcost::lcc
