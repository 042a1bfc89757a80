#include "trustcost/lcc/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"
#include "trustcost/lcc/items.hpp"
#include "trustcost/lcc/renewal.hpp"
#include "trustcost/trust/cost_model.hpp"

namespace trustcost::lcc {

using core::invalid;

namespace {
constexpr std::size_t kBlock = 64;  // offers per parallel block
}  // namespace

void require_study_size(std::size_t horizon, std::size_t categories) {
    if (horizon < 1 || horizon > kMaxHorizon)
        throw invalid("horizon must be >= 1 and <= ", kMaxHorizon, " years (the engine's limit), got ", horizon);
    if (categories < 1 || categories > kMaxCategories)
        throw invalid("categories must be 1..", kMaxCategories, ", got ", categories);
}

namespace detail {

void check_item(const StudySpec& s, const Items& items, std::size_t i, std::size_t offer) {
    const double* p = items.params + i * kParams;
    // The prefix is built only when an item is bad: validation runs over every item of a batch.
    auto bad = [&](const auto&... parts) { return invalid("item ", i, " (offer ", offer, "): ", parts...); };
    const auto kind = items.kind[i];
    if (kind < 0 || kind > static_cast<std::int32_t>(ItemKind::Trust)) throw bad("kind must be 0..6, got ", kind);
    if (items.category[i] < 0 || static_cast<std::size_t>(items.category[i]) >= s.categories)
        throw bad("category must be 0..", s.categories - 1, ", got ", items.category[i]);
    for (std::size_t k = 0; k < kParams; ++k)
        if (!std::isfinite(p[k])) throw bad("parameter ", k, " must be finite, got ", p[k]);
    const double horizon = static_cast<double>(s.horizon);
    if (p[kStart] < 0 || p[kStart] > p[kEnd] || p[kEnd] > horizon || p[kStart] != std::floor(p[kStart]) ||
        p[kEnd] != std::floor(p[kEnd]))
        throw bad("years must be whole with 0 <= start <= end <= horizon = ", s.horizon, ", got start ", p[kStart],
                  ", end ", p[kEnd]);
    if (p[kEscalation] <= -1.0) throw bad("escalation must be > -1, got ", p[kEscalation]);
    const double service = p[kEnd] - p[kStart] + 1.0;
    auto check_renewals = [&] {
        if (p[kInterval] > 0 && service / p[kInterval] > kMaxRenewals)
            throw bad("interval ", p[kInterval], " gives ", service / p[kInterval], " preventive renewals over ", service,
                      " years of service, more than the limit of ", kMaxRenewals);
    };
    switch (static_cast<ItemKind>(kind)) {
        case ItemKind::Periodic:
            if (p[kShape] < 1 || p[kShape] != std::floor(p[kShape]))
                throw bad("every must be a whole number of years >= 1, got ", p[kShape]);
            break;
        case ItemKind::Failures:
            if (p[kShape] <= 0) throw bad("shape must be > 0, got ", p[kShape]);
            if (p[kScale] <= 0) throw bad("scale must be > 0, got ", p[kScale]);
            if (p[kInterval] < 0) throw bad("interval must be >= 0, got ", p[kInterval]);
            if (p[kStart] < 1) throw bad("start must be >= 1 (service begins after year 0), got ", p[kStart]);
            check_renewals();
            break;
        case ItemKind::Preventive:
            if (p[kInterval] <= 0) throw bad("interval must be > 0, got ", p[kInterval]);
            if (p[kStart] < 1) throw bad("start must be >= 1 (service begins after year 0), got ", p[kStart]);
            check_renewals();
            break;
        case ItemKind::SupplierRisk:
            if (p[kShape] < 0 || p[kShape] > 1) throw bad("default probability must be in [0, 1], got ", p[kShape]);
            break;
        case ItemKind::Trust: {
            if (p[kShape] < 0) throw bad("low-trust level must be >= 0, got ", p[kShape]);
            if (p[kScale] < 0) throw bad("high-trust level must be >= 0, got ", p[kScale]);
            if (p[kInterval] <= 0) throw bad("curvature must be > 0, got ", p[kInterval]);
            if (!items.trust) throw bad("needs the study's trust paths, got none");
            const double* tau = items.trust + offer * (s.horizon + 1);
            for (auto y = static_cast<std::size_t>(p[kStart]); y <= static_cast<std::size_t>(p[kEnd]); ++y)
                if (!(tau[y] >= 0.0 && tau[y] <= 1.0)) throw bad("trust in year ", y, " must be in [0, 1], got ", tau[y]);
            break;
        }
        default: break;
    }
}

const RenewalFunction& RenewalCache::get(double shape_, double scale_, double t_max_) {
    if (!m || shape_ != shape || scale_ != scale || t_max_ != t_max) {
        m.emplace(Life{shape_, scale_}, t_max_, 0.0, poll);
        shape = shape_, scale = scale_, t_max = t_max_;
    }
    return *m;
}

YearFactors year_factors(const StudySpec& s) {
    require_study_size(s.horizon, s.categories);  // first: everything below is sized by them
    core::require_rate(s.discount_rate, "discount_rate");
    core::require_rate(s.inflation, "inflation");
    const std::size_t years = s.horizon + 1;
    YearFactors f{std::vector<double>(years, 1.0), std::vector<double>(years, 1.0)};
    for (std::size_t y = 1; y < years; ++y) {
        const double t = finance::flow_time(y, s.timing);
        f.discount[y] = finance::discount_factor(s.discount_rate, t);
        f.deflator[y] = std::pow(1.0 + s.inflation, -t);  // nominal -> real money of year 0
        if (!std::isfinite(f.discount[y]))  // (underflow to 0 is fine: worthless far future)
            throw core::overflow("discount_rate ", s.discount_rate, " gives a discount factor of ", f.discount[y], " in year ", y,
                          ": beyond double precision over a horizon of ", s.horizon, " years");
        if (!std::isfinite(f.deflator[y]))
            throw core::overflow("inflation ", s.inflation, " gives a deflator of ", f.deflator[y], " in year ", y,
                          ": beyond double precision over a horizon of ", s.horizon, " years");
    }
    return f;
}

void check_items(const StudySpec& s, const Items& items) {
    if (items.offer_start[0] != 0) throw invalid("offer_start[0] must be 0, got ", items.offer_start[0]);
    for (std::size_t o = 0; o < items.offers; ++o) {
        if (items.offer_start[o + 1] < items.offer_start[o])
            throw invalid("offer_start must be non-decreasing, got ", items.offer_start[o + 1], " after ",
                          items.offer_start[o]);
        for (auto i = items.offer_start[o]; i < items.offer_start[o + 1]; ++i)
            check_item(s, items, static_cast<std::size_t>(i), o);
    }
}

void add_item(const StudySpec& s, ItemKind kind, std::size_t category, const double* p,
              const double* deflator, const double* trust, RenewalCache& cache, double* row) {
    const auto start = static_cast<std::size_t>(p[kStart]), end = static_cast<std::size_t>(p[kEnd]);
    const double growth = 1.0 + p[kEscalation];
    auto add = [&](std::size_t year, double amount) { add_cost(s, category, p, deflator, year, amount, row); };
    switch (kind) {
        case ItemKind::OneTime: add(start, p[kAmount]); break;
        case ItemKind::Recurring:
        case ItemKind::Periodic: {
            const std::size_t every = kind == ItemKind::Periodic ? static_cast<std::size_t>(p[kShape]) : 1;
            for (std::size_t y = start; y <= end; y += every) add(y, p[kAmount] * escalation(p, y));
            break;
        }
        case ItemKind::Failures: {
            // Service time runs from the beginning of year `start`: year y covers (a - 1, a].
            const double tau = p[kInterval];
            const double service = static_cast<double>(end - start + 1);
            const auto& m = cache.get(p[kShape], p[kScale], tau > 0 ? std::min(tau, service) : service);
            double before = 0.0;
            for (std::size_t a = 1; a <= end - start + 1; ++a) {
                const double by_now = expected_failures(m, tau, static_cast<double>(a));
                add_failures(s, category, p, deflator, a, by_now - before, row);
                before = by_now;
            }
            break;
        }
        case ItemKind::Preventive: {
            // Renewals at k tau (k >= 1) strictly before the end of service (none at disposal); the
            // one at t falls in service year a = ceil(t - 1e-9). Counted per year, so the work
            // does not grow with the number of renewals.
            const double tau = p[kInterval];
            const double service = static_cast<double>(end - start + 1);
            const double total = std::ceil((service - 1e-9) / tau) - 1.0;  // k tau < service - 1e-9
            auto upto = [&](double a) { return std::min(total, std::floor((a + 1e-9) / tau)); };  // k tau <= a + 1e-9
            for (std::size_t y = start; y <= end; ++y) {
                const double a = static_cast<double>(y - start + 1);
                const double count = upto(a) - upto(a - 1.0);
                if (count > 0) add(y, count * p[kAmount] * std::pow(growth, static_cast<double>(y - start)));
            }
            break;
        }
        case ItemKind::Trust: {
            // The same line formula as trust::evaluate_lines, with this offer's trust of year y;
            // escalation as a running product (no pow per year: these items are many).
            double amount = p[kAmount];
            for (std::size_t y = start; y <= end; ++y, amount *= growth)
                add(y, amount * trust::level(p[kShape], p[kScale], p[kInterval], trust[y]));
            break;
        }
        case ItemKind::SupplierRisk: {
            // Default in year y with probability q (1 - q)^(y - start); the premium is paid in
            // every year after the default year (Bernoulli years, survival-weighted).
            const double q = p[kShape];
            double alive = 1.0;
            for (std::size_t y = start; y <= end; ++y) {
                add_default_year(s, category, p, deflator, y, alive, q, 1.0 - alive, row);
                alive *= 1.0 - q;
            }
            break;
        }
    }
}

}  // namespace detail

using namespace detail;

void evaluate(const StudySpec& s, const Items& items, double* costs, double* present_values,
              const core::Progress& progress) {
    const auto [discount, deflator] = year_factors(s);
    const std::size_t years = s.horizon + 1;
    check_items(s, items);
    const std::size_t stride = years * s.categories;
    core::parallel_for(items.offers, kBlock, [&](std::size_t begin, std::size_t end) {
        RenewalCache cache;
        cache.poll = progress;
        for (std::size_t o = begin; o < end; ++o) {
            double* row = costs + o * stride;
            std::fill(row, row + stride, 0.0);
            for (auto i = items.offer_start[o]; i < items.offer_start[o + 1]; ++i)
                add_item(s, static_cast<ItemKind>(items.kind[i]), static_cast<std::size_t>(items.category[i]),
                         items.params + static_cast<std::size_t>(i) * kParams, deflator.data(),
                         items.trust ? items.trust + o * years : nullptr, cache, row);
            double* pv = present_values + o * s.categories;
            std::fill(pv, pv + s.categories, 0.0);
            for (std::size_t y = 0; y < years; ++y)
                for (std::size_t c = 0; c < s.categories; ++c) pv[c] += row[y * s.categories + c] * discount[y];
        }
    }, progress);
}

void validate(const StudySpec& s) {
    require_study_size(s.horizon, s.categories);
    core::require_rate(s.discount_rate, "discount_rate");
    core::require_rate(s.inflation, "inflation");
}

}  // namespace trustcost::lcc
