#include "trustcost/uncertainty/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "trustcost/core/errors.hpp"
#include "trustcost/lcc/items.hpp"
#include "trustcost/stats/random.hpp"

namespace trustcost::uncertainty {

using core::invalid;
using lcc::ItemKind;
namespace P = lcc;  // parameter column names (lcc::kAmount, ...)

namespace {

constexpr std::size_t kBlock = 1024;  // paths per parallel block

// A per-path event stream for one item: independent of every other (item, path).
stats::Stream event_stream(std::uint64_t seed, std::uint64_t key, std::size_t path) {
    return {seed, key ^ stats::mix64(static_cast<std::uint64_t>(path) + 1)};
}

// Failures drawn as events: Weibull lives renewed at each failure and, with a preventive
// interval tau, at tau, 2 tau, ... of service (block replacement), as in the expected model.
void add_failures(const double* p, std::size_t category, std::size_t categories, const double* deflator,
                  const stats::Stream& events, double* row) {
    const auto start = static_cast<std::size_t>(p[P::kStart]), end = static_cast<std::size_t>(p[P::kEnd]);
    const double service = static_cast<double>(end - start + 1);
    const double shape = p[P::kShape], scale = p[P::kScale], tau = p[P::kInterval];
    const double growth = 1.0 + p[P::kEscalation];
    double renewed = 0.0;  // service time of the last renewal
    double next_block = tau > 0 ? tau : std::numeric_limits<double>::infinity();
    for (std::uint64_t draw = 0;; ++draw) {
        const double life = scale * std::pow(-std::log1p(-events.uniform(draw)), 1.0 / shape);
        const double failure = renewed + life;
        if (failure >= next_block) {  // the preventive renewal comes first: a fresh unit
            renewed = next_block;
            next_block += tau;
            if (renewed >= service) break;
            continue;
        }
        if (failure > service) break;
        const double age_year = std::max(1.0, std::ceil(failure));  // service year (a - 1, a]
        const auto year = start + static_cast<std::size_t>(age_year) - 1;
        double amount = p[P::kAmount] * std::pow(growth, age_year - 1.0);
        if (p[P::kNominal] != 0.0) amount *= deflator[year];
        row[year * categories + category] += amount;
        renewed = failure;
    }
}

// The supplier's default as an event: it survives each year with probability 1 - q, so the
// default year is geometric; switching cost that year, the support premium every year after.
void add_default(const double* p, std::size_t category, std::size_t categories, const double* deflator,
                 double u, double* row) {
    const auto start = static_cast<std::size_t>(p[P::kStart]), end = static_cast<std::size_t>(p[P::kEnd]);
    const double q = p[P::kShape];
    if (q <= 0.0) return;
    const double survived = q >= 1.0 ? 0.0 : std::floor(std::log(u) / std::log1p(-q));
    if (survived > static_cast<double>(end - start)) return;
    const auto fails = start + static_cast<std::size_t>(survived);
    const double growth = 1.0 + p[P::kEscalation];
    for (std::size_t y = fails; y <= end; ++y) {
        double amount = std::pow(growth, static_cast<double>(y - start)) * (y == fails ? p[P::kAmount] : p[P::kScale]);
        if (p[P::kNominal] != 0.0) amount *= deflator[y];
        row[y * categories + category] += amount;
    }
}

}  // namespace

void simulate(const lcc::StudySpec& study, const lcc::Items& items, const std::vector<Input>& inputs,
              const std::vector<Binding>& bindings, const std::uint64_t* event_streams, std::size_t paths,
              std::uint64_t seed, const Output& out, const core::Progress& progress) {
    if (paths == 0) throw invalid("paths must be > 0, got 0");
    const auto [discount, deflator] = lcc::detail::year_factors(study);
    lcc::detail::check_items(study, items);
    const std::size_t n_items = static_cast<std::size_t>(items.offer_start[items.offers]);
    for (const auto& b : bindings) {
        if (b.item >= n_items || b.param >= P::kParams || b.input >= inputs.size() || !std::isfinite(b.factor))
            throw invalid("binding of input ", b.input, " to item ", b.item, " parameter ", b.param, " is out of range");
    }
    // Bindings grouped by item, so each item applies its own in one pass.
    std::vector<std::size_t> first(n_items + 1, 0), order(bindings.size());
    for (const auto& b : bindings) ++first[b.item + 1];
    for (std::size_t i = 0; i < n_items; ++i) first[i + 1] += first[i];
    {
        std::vector<std::size_t> fill(first.begin(), first.end() - 1);
        for (std::size_t k = 0; k < bindings.size(); ++k) order[fill[bindings[k].item]++] = k;
    }

    const std::size_t years = study.horizon + 1, categories = study.categories, offers = items.offers;
    const std::size_t stride = years * categories;
    const std::size_t blocks = (paths + kBlock - 1) / kBlock;
    // Per-block sums of present value by (offer, category) and their squares, added up in block
    // order at the end: the totals do not depend on which thread ran which block.
    std::vector<double> block_sums(blocks * offers * categories * 2, 0.0);

    core::parallel_for(paths, kBlock, [&](std::size_t begin, std::size_t end) {
        std::vector<double> row(stride), x(inputs.size()), param(P::kParams);
        lcc::detail::RenewalCache cache;
        double* sums = block_sums.data() + (begin / kBlock) * offers * categories * 2;
        for (std::size_t path = begin; path < end; ++path) {
            for (std::size_t k = 0; k < inputs.size(); ++k) {
                x[k] = inputs[k].distribution.quantile(stats::Stream(seed, inputs[k].stream).uniform(path));
                if (out.inputs && path < out.input_paths) out.inputs[path * inputs.size() + k] = x[k];
            }
            for (std::size_t o = 0; o < offers; ++o) {
                std::fill(row.begin(), row.end(), 0.0);
                for (auto i = static_cast<std::size_t>(items.offer_start[o]); i < static_cast<std::size_t>(items.offer_start[o + 1]); ++i) {
                    std::copy_n(items.params + i * P::kParams, P::kParams, param.begin());
                    for (std::size_t j = first[i]; j < first[i + 1]; ++j) {
                        const Binding& b = bindings[order[j]];
                        double& v = param[b.param];
                        switch (b.effect) {
                            case Effect::Replace: v = b.factor * x[b.input]; break;
                            case Effect::Scale: v *= b.factor * x[b.input]; break;
                            case Effect::ScaleOnePlus: v = (1.0 + v) * b.factor * (1.0 + x[b.input]) - 1.0; break;
                        }
                    }
                    const auto kind = static_cast<ItemKind>(items.kind[i]);
                    const auto category = static_cast<std::size_t>(items.category[i]);
                    if (kind == ItemKind::Failures)
                        add_failures(param.data(), category, categories, deflator.data(),
                                     event_stream(seed, event_streams[i], path), row.data());
                    else if (kind == ItemKind::SupplierRisk)
                        add_default(param.data(), category, categories, deflator.data(),
                                    event_stream(seed, event_streams[i], path).uniform(0), row.data());
                    else
                        lcc::detail::add_item(study, kind, category, param.data(), deflator.data(),
                                              items.trust ? items.trust + o * years : nullptr, cache, row.data());
                }
                double total = 0.0;
                double* s = sums + o * categories * 2;
                for (std::size_t c = 0; c < categories; ++c) {
                    double pv = 0.0;
                    for (std::size_t y = 0; y < years; ++y) pv += row[y * categories + c] * discount[y];
                    s[2 * c] += pv;
                    s[2 * c + 1] += pv * pv;
                    total += pv;
                }
                out.present_values[path * offers + o] = total;
                if (out.yearly) {
                    double* yearly = out.yearly + (path * offers + o) * years;
                    for (std::size_t y = 0; y < years; ++y) {
                        double cost = 0.0;
                        for (std::size_t c = 0; c < categories; ++c) cost += row[y * categories + c];
                        yearly[y] = cost;
                    }
                }
            }
        }
    }, progress);

    const double n = static_cast<double>(paths);
    for (std::size_t k = 0; k < offers * categories; ++k) {
        double sum = 0.0, sumsq = 0.0;
        for (std::size_t b = 0; b < blocks; ++b) {
            sum += block_sums[(b * offers * categories + k) * 2];
            sumsq += block_sums[(b * offers * categories + k) * 2 + 1];
        }
        const double mean = sum / n;
        const double variance = paths > 1 ? std::max(0.0, (sumsq - n * mean * mean) / (n - 1.0)) : 0.0;
        out.category_mean[k] = mean;
        out.category_std_error[k] = std::sqrt(variance / n);
    }
}

}  // namespace trustcost::uncertainty
