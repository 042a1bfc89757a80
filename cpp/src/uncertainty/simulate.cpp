#include "trustcost/uncertainty/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Core>

#include "trustcost/core/errors.hpp"
#include "trustcost/lcc/items.hpp"
#include "trustcost/stats/random.hpp"
#include "trustcost/uncertainty/lanes.hpp"
#include "trustcost/uncertainty/sampling.hpp"

namespace trustcost::uncertainty {

using core::invalid;
using lcc::ItemKind;
namespace P = lcc;  // parameter column names (lcc::kAmount, ...)

namespace {

constexpr std::size_t kBlock = kPathBlock;  // paths per parallel block: a block of the sums

// Calls on_failure(service year a) for each failure of a unit with Weibull lives renewed at each
// failure and, with a preventive interval tau, at tau, 2 tau, ... of service (block replacement),
// as in the expected model. One path at a time, for items costed year by year; the vector
// kernel lanes::Kernels::renewal draws the same lives a register of paths at a time. Lives come
// eight at a time from Eigen's vectorised log and exp; unused draws of a chunk are discarded.
template <class OnFailure>
void for_each_failure(const double* p, const stats::Stream& events, OnFailure on_failure) {
    constexpr int kChunk = 8;
    const double service = p[P::kEnd] - p[P::kStart] + 1.0;
    const double inverse_shape = 1.0 / p[P::kShape], scale = p[P::kScale], tau = p[P::kInterval];
    Eigen::Array<double, kChunk, 1> lives;
    int next = kChunk;
    std::uint64_t drawn = 0;
    double renewed = 0.0;  // service time of the last renewal
    double next_block = tau > 0 ? tau : std::numeric_limits<double>::infinity();
    for (;;) {
        if (next == kChunk) {
            for (int k = 0; k < kChunk; ++k) lives[k] = events.uniform(drawn++);
            lives = -lives.log();                                      // Exp(1)
            if (inverse_shape != 1.0) lives = (lives.log() * inverse_shape).exp();  // Weibull(shape, 1)
            next = 0;
        }
        const double failure = renewed + scale * lives[next++];
        if (failure >= next_block) {  // the preventive renewal comes first: a fresh unit
            renewed = next_block;
            next_block += tau;
            if (renewed >= service) return;
            continue;
        }
        if (failure > service) return;
        on_failure(static_cast<std::size_t>(std::max(1.0, std::ceil(failure))));  // service year (a - 1, a]
        renewed = failure;
    }
}

// The supplier survives each year with probability q' = 1 - q, so its default year is
// geometric: the first year y >= start with y - start >= log u / log q'. Returns the default
// year, or end + 1 when it survives the study; log_u is log of a uniform, log_survival log1p(-q).
std::size_t default_year(std::size_t start, std::size_t end, double q, double log_survival, double log_u) {
    if (q <= 0.0) return end + 1;
    const double survived = q >= 1.0 ? 0.0 : std::floor(log_u / log_survival);
    return survived > static_cast<double>(end - start) ? end + 1 : start + static_cast<std::size_t>(survived);
}

std::size_t default_year(const double* p, double log_u) {
    const double q = p[P::kShape];
    return default_year(static_cast<std::size_t>(p[P::kStart]), static_cast<std::size_t>(p[P::kEnd]), q, std::log1p(-q), log_u);
}

// A parameter p after a sampled input x is bound to it.
double bound(const Binding& b, double p, double x) {
    switch (b.effect) {
        case Effect::Replace: return b.factor * x;
        case Effect::Scale: return p * (b.factor * x);
        case Effect::ScaleOnePlus: return (1.0 + p) * b.factor * (1.0 + x) - 1.0;
    }
    return p;
}

// How one item is costed on a path.
enum class Route {
    Constant,  // nothing uncertain, no events: its present value is added once per offer
    Linear,    // only its amount is uncertain: amount x present value of a unit amount
    Events,    // failures or default drawn as events, priced from a per-year weight table
    General,   // anything else: costed year by year like evaluate(), then discounted
};

struct Plan {
    Route route = Route::General;
    bool same_events_as_previous = false;  // Events: the previous item's failures, priced alike
    bool fixed_shape = true;               // Events failures: one Weibull shape on every path
    std::vector<double> weight;  // Linear: unit PV by category slot 0; Events: escalation x discount x deflator by year
    std::vector<double> after;   // Events defaults: after[y] = sum of weight over the years after y
};

}  // namespace

PathSums simulate(const lcc::StudySpec& study, const lcc::Items& items, const std::vector<Input>& inputs,
                  const std::vector<Binding>& bindings, const std::uint64_t* event_streams, std::uint64_t first_path,
                  std::size_t paths, std::uint64_t seed, const Output& out, const core::Progress& progress) {
    if (paths == 0) throw invalid("paths must be > 0, got 0");
    PathSums result(first_path, paths, items.offers * study.categories);
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
    auto trust_of = [&](std::size_t o) { return items.trust ? items.trust + o * years : nullptr; };
    auto offer_of = [&](std::size_t i) {
        return static_cast<std::size_t>(std::upper_bound(items.offer_start, items.offer_start + offers + 1,
                                                         static_cast<std::int64_t>(i)) - items.offer_start) - 1;
    };

    auto amount_only = [&](std::size_t i) {  // no uncertain input touches anything but the amount
        for (std::size_t j = first[i]; j < first[i + 1]; ++j)
            if (bindings[order[j]].param != P::kAmount) return false;
        return true;
    };

    // Plan each item once: what is fixed is priced once, so a path only pays for what varies.
    // With keep_years every item goes the General way, which also fills the yearly costs.
    std::vector<Plan> plan(n_items);
    std::vector<double> fixed_pv(offers * categories, 0.0);
    {
        lcc::detail::RenewalCache cache;
        std::vector<double> row(stride);
        for (std::size_t i = 0; i < n_items; ++i) {
            const auto kind = static_cast<ItemKind>(items.kind[i]);
            const auto category = static_cast<std::size_t>(items.category[i]);
            const double* p = items.params + i * P::kParams;
            const bool only_amount = amount_only(i);
            bool fixed_weights = true;
            Plan& pl = plan[i];
            for (std::size_t j = first[i]; j < first[i + 1]; ++j) {
                const std::size_t bound_param = bindings[order[j]].param;  // a bound span goes year by year too
                fixed_weights &= bound_param != P::kEscalation && bound_param != P::kStart && bound_param != P::kEnd;
                pl.fixed_shape &= bound_param != P::kShape;
            }
            const bool events = kind == ItemKind::Failures || kind == ItemKind::SupplierRisk;
            if (out.yearly) {
                pl.route = Route::General;
            } else if (events) {
                pl.route = fixed_weights ? Route::Events : Route::General;
                if (pl.route == Route::Events) {
                    const auto start = static_cast<std::size_t>(p[P::kStart]), end = static_cast<std::size_t>(p[P::kEnd]);
                    pl.weight.assign(years + 1, 0.0);
                    for (std::size_t y = start; y <= end; ++y) {
                        const double esc = std::pow(1.0 + p[P::kEscalation], static_cast<double>(y - start));
                        // Failures index by service year a = y - start + 1, defaults by study year.
                        const std::size_t slot = kind == ItemKind::Failures ? y - start + 1 : y;
                        pl.weight[slot] = esc * discount[y] * (p[P::kNominal] != 0.0 ? deflator[y] : 1.0);
                    }
                    if (kind == ItemKind::SupplierRisk) {
                        pl.after.assign(years + 1, 0.0);
                        for (std::size_t y = years; y-- > 0;) pl.after[y] = pl.after[y + 1] + pl.weight[y + 1];
                    }
                    // An element's repair and downtime lines share their breakdowns: draw them once.
                    if (kind == ItemKind::Failures && i > 0 && offer_of(i - 1) == offer_of(i) &&
                        plan[i - 1].route == Route::Events && items.kind[i - 1] == items.kind[i] &&
                        event_streams[i - 1] == event_streams[i] && pl.weight == plan[i - 1].weight &&
                        only_amount && amount_only(i - 1)) {
                        const double* q = p - P::kParams;
                        pl.same_events_as_previous = std::equal(q + P::kStart, q + P::kParams, p + P::kStart);
                    }
                }
            } else if (first[i] == first[i + 1] || only_amount) {
                // Present value of the item as it stands (Constant) or per unit of amount (Linear).
                std::vector<double> unit(p, p + P::kParams);
                if (first[i] != first[i + 1]) unit[P::kAmount] = 1.0;
                std::fill(row.begin(), row.end(), 0.0);
                lcc::detail::add_item(study, kind, category, unit.data(), deflator.data(), trust_of(offer_of(i)), cache,
                                      row.data());
                double pv = 0.0;
                for (std::size_t y = 0; y < years; ++y) pv += row[y * categories + category] * discount[y];
                if (first[i] == first[i + 1]) {
                    pl.route = Route::Constant;
                    fixed_pv[offer_of(i) * categories + category] += pv;
                } else {
                    pl.route = Route::Linear;
                    pl.weight = {pv};
                }
            }
        }
    }

    std::vector<char> general(offers, 0);  // offers with an item costed year by year
    for (std::size_t i = 0; i < n_items; ++i) general[offer_of(i)] |= plan[i].route == Route::General;

    std::vector<stats::Stream> input_streams, item_streams;
    for (const auto& input : inputs) input_streams.emplace_back(seed, input.stream);
    for (std::size_t i = 0; i < n_items; ++i) item_streams.emplace_back(seed, event_streams[i]);

    // Blocks are numbered from path 0, so a range of paths sums its blocks as a whole run does;
    // the totals do not depend on which thread ran which block.

    // Sets param to item i's parameters on path j of a block whose inputs are x[k * n + j].
    auto parameters_of = [&](std::size_t i, const double* x, std::size_t n, std::size_t j, double* param) {
        std::copy_n(items.params + i * P::kParams, P::kParams, param);
        for (std::size_t k = first[i]; k < first[i + 1]; ++k) {
            const Binding& b = bindings[order[k]];
            param[b.param] = bound(b, param[b.param], x[b.input * n + j]);
        }
    };
    // column[j] = parameter `param` of item i on path j: the same, column by column.
    auto column_of = [&](std::size_t i, std::size_t param, const double* x, std::size_t n, double* column) {
        std::fill_n(column, n, items.params[i * P::kParams + param]);
        for (std::size_t k = first[i]; k < first[i + 1]; ++k) {
            const Binding& b = bindings[order[k]];
            if (b.param != param) continue;
            const double* value = x + b.input * n;
            const double f = b.factor;
            switch (b.effect) {  // bound(), a loop per effect
                case Effect::Replace: for (std::size_t j = 0; j < n; ++j) column[j] = f * value[j]; break;
                case Effect::Scale: for (std::size_t j = 0; j < n; ++j) column[j] *= f * value[j]; break;
                case Effect::ScaleOnePlus:
                    for (std::size_t j = 0; j < n; ++j) column[j] = (1.0 + column[j]) * f * (1.0 + value[j]) - 1.0;
                    break;
            }
        }
    };
    // An input with the stream and distribution of an earlier one (paired offers alike) is a copy.
    std::vector<std::size_t> same_as(inputs.size());
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        same_as[k] = k;
        for (std::size_t m = 0; m < k && same_as[k] == k; ++m)
            if (inputs[m].stream == inputs[k].stream && inputs[m].distribution == inputs[k].distribution) same_as[k] = m;
    }

    const std::size_t blocks = result.blocks();
    auto report = [&](std::size_t done, std::size_t total) {  // blocks done -> paths done
        return !progress || progress(done == total ? paths : std::min(paths, done * kBlock), paths);
    };
    core::parallel_for(blocks, 1, [&](std::size_t first_block, std::size_t last_block) {
      for (std::size_t b = first_block; b < last_block; ++b) {
        // A block is computed column by column (an input, an item's parameter, an offer's
        // category over all its paths), which the vector kernels run a path per lane; only
        // items costed year by year go path by path.
        const std::uint64_t block = result.first_block() + b;
        const auto [begin, end] = result.covered(block);
        const auto n = static_cast<std::size_t>(end - begin);
        const auto row_of = [&](std::uint64_t path) { return static_cast<std::size_t>(path - first_path); };
        const auto& simd = lanes::kernels();
        std::vector<double> x(inputs.size() * n);
        for (std::size_t k = 0; k < inputs.size(); ++k) {
            if (same_as[k] != k)
                std::copy_n(x.data() + same_as[k] * n, n, x.data() + k * n);
            else
                sample_paths(inputs[k].distribution, input_streams[k], begin, n, x.data() + k * n);
        }
        if (out.inputs)
            for (std::size_t j = 0; j < n && begin + j < out.input_paths; ++j)
                for (std::size_t k = 0; k < inputs.size(); ++k) out.inputs[row_of(begin + j) * inputs.size() + k] = x[k * n + j];

        // Present value by offer, category and path.
        std::vector<double> pv(offers * categories * n);
        for (std::size_t oc = 0; oc < offers * categories; ++oc) std::fill_n(pv.data() + oc * n, n, fixed_pv[oc]);
        std::vector<double> events(n), amount(n), other(n), tau(n), service(n), param(P::kParams);
        for (std::size_t i = 0; i < n_items; ++i) {
            const Plan& pl = plan[i];
            if (pl.route == Route::Constant || pl.route == Route::General) continue;
            const auto kind = static_cast<ItemKind>(items.kind[i]);
            double* to = pv.data() + (offer_of(i) * categories + static_cast<std::size_t>(items.category[i])) * n;
            column_of(i, P::kAmount, x.data(), n, amount.data());
            if (pl.route == Route::Linear) {
                for (std::size_t j = 0; j < n; ++j) to[j] += amount[j] * pl.weight[0];
            } else if (kind == ItemKind::SupplierRisk) {
                // Switching cost in the default year, the premium (kScale) in every year after.
                simd.uniforms(item_streams[i].key(), begin, n, 0, events.data());
                simd.log(events.data(), n);
                column_of(i, P::kScale, x.data(), n, other.data());
                column_of(i, P::kShape, x.data(), n, tau.data());  // the annual default probability
                const double* p = items.params + i * P::kParams;
                const auto first_year = static_cast<std::size_t>(p[P::kStart]), last_year = static_cast<std::size_t>(p[P::kEnd]);
                const double q = tau[0];
                if (q > 0.0 && q < 1.0 && std::all_of(tau.begin(), tau.end(), [q](double v) { return v == q; })) {
                    // One default probability for the block: the years survived, a register at a time.
                    simd.floor_quotient(events.data(), n, std::log1p(-q));
                    const auto span = static_cast<double>(last_year - first_year);
                    for (std::size_t j = 0; j < n; ++j) {
                        const std::size_t fails = events[j] > span ? last_year + 1 : first_year + static_cast<std::size_t>(events[j]);
                        to[j] += amount[j] * pl.weight[fails] + other[j] * pl.after[fails];
                    }
                } else {
                    for (std::size_t j = 0; j < n; ++j) {
                        const std::size_t fails = default_year(first_year, last_year, tau[j], std::log1p(-tau[j]), events[j]);
                        to[j] += amount[j] * pl.weight[fails] + other[j] * pl.after[fails];
                    }
                }
            } else {
                // Breakdowns, drawn once for an element's repair and downtime lines.
                if (!pl.same_events_as_previous) {
                    if (pl.fixed_shape) {
                        column_of(i, P::kScale, x.data(), n, other.data());
                        column_of(i, P::kInterval, x.data(), n, tau.data());
                        const double* p = items.params + i * P::kParams;
                        std::fill(service.begin(), service.end(), p[P::kEnd] - p[P::kStart] + 1.0);
                        simd.renewal({item_streams[i].key(), begin, n, other.data(), tau.data(), service.data(),
                                      1.0 / items.params[i * P::kParams + P::kShape], pl.weight.data(), pl.weight.size()},
                                     events.data());
                    } else {
                        for (std::size_t j = 0; j < n; ++j) {
                            parameters_of(i, x.data(), n, j, param.data());
                            events[j] = 0.0;
                            for_each_failure(param.data(), item_streams[i].substream(begin + j),
                                             [&](std::size_t a) { events[j] += pl.weight[a]; });
                        }
                    }
                }
                for (std::size_t j = 0; j < n; ++j) to[j] += amount[j] * events[j];
            }
        }

        // Items costed year by year, path by path, into a row (kept when keep_years).
        std::vector<double> row(stride);
        lcc::detail::RenewalCache cache;
        for (std::size_t o = 0; o < offers; ++o) {
            if (!general[o]) continue;
            for (std::size_t j = 0; j < n; ++j) {
                const std::uint64_t path = begin + j;
                std::fill(row.begin(), row.end(), 0.0);
                for (auto i = static_cast<std::size_t>(items.offer_start[o]); i < static_cast<std::size_t>(items.offer_start[o + 1]); ++i) {
                    if (plan[i].route != Route::General) continue;
                    parameters_of(i, x.data(), n, j, param.data());
                    const auto kind = static_cast<ItemKind>(items.kind[i]);
                    const auto category = static_cast<std::size_t>(items.category[i]);
                    const double amount_j = param[P::kAmount];
                    const stats::Stream events_of_path = item_streams[i].substream(path);
                    const auto start = static_cast<std::size_t>(param[P::kStart]);
                    const double growth = 1.0 + param[P::kEscalation];
                    const bool nominal = param[P::kNominal] != 0.0;
                    auto add = [&](std::size_t y, double cost) { row[y * categories + category] += nominal ? cost * deflator[y] : cost; };
                    if (kind == ItemKind::Failures) {
                        for_each_failure(param.data(), events_of_path, [&](std::size_t a) {
                            add(start + a - 1, amount_j * std::pow(growth, static_cast<double>(a) - 1.0));
                        });
                    } else if (kind == ItemKind::SupplierRisk) {
                        const std::size_t fails = default_year(param.data(), std::log(events_of_path.uniform(0)));
                        for (std::size_t y = fails; y <= static_cast<std::size_t>(param[P::kEnd]); ++y)
                            add(y, std::pow(growth, static_cast<double>(y - start)) * (y == fails ? amount_j : param[P::kScale]));
                    } else {
                        lcc::detail::add_item(study, kind, category, param.data(), deflator.data(), trust_of(o), cache, row.data());
                    }
                }
                for (std::size_t y = 0; y < years; ++y)
                    for (std::size_t c = 0; c < categories; ++c) pv[(o * categories + c) * n + j] += row[y * categories + c] * discount[y];
                if (out.yearly) {
                    double* yearly = out.yearly + (row_of(path) * offers + o) * years;
                    for (std::size_t y = 0; y < years; ++y) {
                        double cost = 0.0;
                        for (std::size_t c = 0; c < categories; ++c) cost += row[y * categories + c];
                        yearly[y] = cost;
                    }
                }
            }
        }

        // Totals per path, and the block's sums and squares by offer and category (its values
        // too when the range has only part of the block).
        block_sums(pv.data(), n, 1, offers * categories, begin, n, result.sums.data() + b * offers * categories * 2);
        if (!result.whole(block)) {
            double* edge = result.edges.data() + result.edge_offset(block) * offers * categories;
            for (std::size_t oc = 0; oc < offers * categories; ++oc)
                for (std::size_t j = 0; j < n; ++j) edge[j * offers * categories + oc] = pv[oc * n + j];
        }
        std::vector<double> total(n);
        for (std::size_t o = 0; o < offers; ++o) {
            std::fill(total.begin(), total.end(), 0.0);
            for (std::size_t c = 0; c < categories; ++c) {
                const double* v = pv.data() + (o * categories + c) * n;
                for (std::size_t j = 0; j < n; ++j) total[j] += v[j];
            }
            for (std::size_t j = 0; j < n; ++j) out.present_values[(row_of(begin) + j) * offers + o] = total[j];
        }
      }
    }, report);
    return result;
}

}  // namespace trustcost::uncertainty
