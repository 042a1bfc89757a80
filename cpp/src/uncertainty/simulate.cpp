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
            if (drawn >= lanes::kMaxLivesPerPath) throw lanes::too_many_lives(scale, service);
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

// How one item is costed on a path.
enum class Route {
    Constant,  // nothing uncertain, no events: its present value is added once per offer
    Linear,    // only its amount is uncertain: amount x present value of a unit amount
    Events,    // failures or default drawn as events, priced from a per-year weight table
    General,   // anything else: costed year by year like evaluate(), then discounted
};

struct ItemRoute {
    Route route = Route::General;
    bool same_events_as_previous = false;  // Events: the previous item's failures, priced alike
    bool fixed_shape = true;               // Events failures: one Weibull shape on every path
    std::vector<double> weight;  // Linear: unit PV by category slot 0; Events: escalation x discount x deflator by year
    std::vector<double> after;   // Events defaults: after[y] = sum of weight over the years after y
};

// The working arrays of one block of n paths: inputs column by column (x[k * n + j]) and
// present values by offer, category and path (pv[(offer * categories + category) * n + j]).
struct Block {
    std::uint64_t begin;
    std::size_t n;
    std::vector<double> x, pv;
};

// One run: what every block shares is built once (validation, bindings by item, each item's
// route, what is fixed priced once); a block then goes through the named steps.
class Run {
public:
    Run(const lcc::StudySpec& study, const lcc::Items& items, const SimulationPlan& plan, const Output& out)
        : study_(study), items_(items), plan_(plan), out_(out) {
        validate(plan);
        if (plan.keep_years != (out.yearly != nullptr)) throw invalid("yearly output must be given exactly when keep_years");
        factors_ = lcc::detail::year_factors(study);
        lcc::detail::check_items(study, items);
        n_items_ = static_cast<std::size_t>(items.offer_start[items.offers]);
        if (plan.event_streams.size() != n_items_)
            throw invalid("event_streams must have one key per item (", n_items_, "), got ", plan.event_streams.size());
        for (std::size_t k = 0; k < plan.bindings.size(); ++k)
            if (plan.bindings[k].item >= n_items_)
                throw invalid("binding ", k, ": item must be < ", n_items_, ", got ", plan.bindings[k].item);
        years_ = study.horizon + 1;
        categories_ = study.categories;
        offers_ = items.offers;
        index_bindings();
        route_items();
        for (const auto& input : plan.inputs) input_streams_.emplace_back(plan.seed, input.stream);
        for (std::size_t i = 0; i < n_items_; ++i) item_streams_.emplace_back(plan.seed, plan.event_streams[i]);
        find_copied_inputs();
    }

    // Paths [begin, begin + n), all in one block of the sums: their present values, kept inputs
    // and yearly costs into the output, their sums into `sums` (and `edge` when not null).
    void simulate_block(std::uint64_t begin, std::size_t n, double* sums, double* edge) const {
        Block block{begin, n, {}, {}};
        sample_inputs(block);
        cost_by_column(block);
        cost_year_by_year(block);
        accumulate(block, sums, edge);
    }

private:
    const lcc::StudySpec& study_;
    const lcc::Items& items_;
    const SimulationPlan& plan_;
    const Output& out_;
    lcc::detail::YearFactors factors_;
    std::size_t n_items_ = 0, years_ = 0, categories_ = 0, offers_ = 0;
    std::vector<std::size_t> first_, order_;  // item i's bindings: plan.bindings[order_[first_[i] .. first_[i + 1])]
    std::vector<ItemRoute> routes_;
    std::vector<double> fixed_pv_;  // offers x categories: present value of the Constant items
    std::vector<char> general_;     // offers with an item costed year by year
    std::vector<stats::Stream> input_streams_, item_streams_;
    std::vector<std::size_t> same_as_;  // an input drawn like an earlier one is a copy of it

    const double* params(std::size_t i) const { return items_.params + i * P::kParams; }
    ItemKind kind(std::size_t i) const { return static_cast<ItemKind>(items_.kind[i]); }
    std::size_t category(std::size_t i) const { return static_cast<std::size_t>(items_.category[i]); }
    const double* trust_of(std::size_t o) const { return items_.trust ? items_.trust + o * years_ : nullptr; }
    std::size_t offer_of(std::size_t i) const {
        return static_cast<std::size_t>(std::upper_bound(items_.offer_start, items_.offer_start + offers_ + 1,
                                                         static_cast<std::int64_t>(i)) - items_.offer_start) - 1;
    }
    const Binding& binding(std::size_t k) const { return plan_.bindings[order_[k]]; }
    bool amount_only(std::size_t i) const {  // no uncertain input touches anything but the amount
        for (std::size_t k = first_[i]; k < first_[i + 1]; ++k)
            if (binding(k).param != P::kAmount) return false;
        return true;
    }

    // Bindings grouped by item, so each item applies its own in one pass.
    void index_bindings() {
        const auto& bindings = plan_.bindings;
        first_.assign(n_items_ + 1, 0);
        order_.assign(bindings.size(), 0);
        for (const auto& b : bindings) ++first_[b.item + 1];
        for (std::size_t i = 0; i < n_items_; ++i) first_[i + 1] += first_[i];
        std::vector<std::size_t> fill(first_.begin(), first_.end() - 1);
        for (std::size_t k = 0; k < bindings.size(); ++k) order_[fill[bindings[k].item]++] = k;
    }

    // Routes each item once: what is fixed is priced once, so a path only pays for what varies.
    // With keep_years every item goes the General way, which also fills the yearly costs.
    void route_items() {
        const auto& [discount, deflator] = factors_;
        routes_.assign(n_items_, {});
        fixed_pv_.assign(offers_ * categories_, 0.0);
        lcc::detail::RenewalCache cache;
        std::vector<double> row(years_ * categories_);
        for (std::size_t i = 0; i < n_items_; ++i) {
            const double* p = params(i);
            const bool only_amount = amount_only(i);
            bool fixed_weights = true;
            ItemRoute& r = routes_[i];
            for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) {
                const std::size_t bound_param = binding(k).param;  // a bound span goes year by year too
                fixed_weights &= bound_param != P::kEscalation && bound_param != P::kStart && bound_param != P::kEnd;
                r.fixed_shape &= bound_param != P::kShape;
            }
            const bool events = kind(i) == ItemKind::Failures || kind(i) == ItemKind::SupplierRisk;
            if (out_.yearly) {
                r.route = Route::General;
            } else if (events) {
                r.route = fixed_weights ? Route::Events : Route::General;
                if (r.route == Route::Events) {
                    const auto start = static_cast<std::size_t>(p[P::kStart]), end = static_cast<std::size_t>(p[P::kEnd]);
                    r.weight.assign(years_ + 1, 0.0);
                    for (std::size_t y = start; y <= end; ++y) {
                        // Failures index by service year a = y - start + 1, defaults by study year.
                        const std::size_t slot = kind(i) == ItemKind::Failures ? y - start + 1 : y;
                        r.weight[slot] = lcc::detail::escalation(p, y) * discount[y] * (p[P::kNominal] != 0.0 ? deflator[y] : 1.0);
                    }
                    if (kind(i) == ItemKind::SupplierRisk) {
                        r.after.assign(years_ + 1, 0.0);
                        for (std::size_t y = years_; y-- > 0;) r.after[y] = r.after[y + 1] + r.weight[y + 1];
                    }
                    // An element's repair and downtime lines share their breakdowns: draw them once.
                    if (kind(i) == ItemKind::Failures && i > 0 && offer_of(i - 1) == offer_of(i) &&
                        routes_[i - 1].route == Route::Events && items_.kind[i - 1] == items_.kind[i] &&
                        plan_.event_streams[i - 1] == plan_.event_streams[i] && r.weight == routes_[i - 1].weight &&
                        only_amount && amount_only(i - 1)) {
                        const double* q = p - P::kParams;
                        r.same_events_as_previous = std::equal(q + P::kStart, q + P::kParams, p + P::kStart);
                    }
                }
            } else if (first_[i] == first_[i + 1] || only_amount) {
                // Present value of the item as it stands (Constant) or per unit of amount (Linear).
                std::vector<double> unit(p, p + P::kParams);
                if (first_[i] != first_[i + 1]) unit[P::kAmount] = 1.0;
                std::fill(row.begin(), row.end(), 0.0);
                lcc::detail::add_item(study_, kind(i), category(i), unit.data(), deflator.data(), trust_of(offer_of(i)),
                                      cache, row.data());
                double pv = 0.0;
                for (std::size_t y = 0; y < years_; ++y) pv += row[y * categories_ + category(i)] * discount[y];
                if (first_[i] == first_[i + 1]) {
                    r.route = Route::Constant;
                    fixed_pv_[offer_of(i) * categories_ + category(i)] += pv;
                } else {
                    r.route = Route::Linear;
                    r.weight = {pv};
                }
            }
        }
        general_.assign(offers_, 0);
        for (std::size_t i = 0; i < n_items_; ++i) general_[offer_of(i)] |= routes_[i].route == Route::General;
    }

    // An input with the stream and distribution of an earlier one (paired offers alike) is a copy.
    void find_copied_inputs() {
        const auto& inputs = plan_.inputs;
        same_as_.resize(inputs.size());
        for (std::size_t k = 0; k < inputs.size(); ++k) {
            same_as_[k] = k;
            for (std::size_t m = 0; m < k && same_as_[k] == k; ++m)
                if (inputs[m].stream == inputs[k].stream && inputs[m].distribution == inputs[k].distribution) same_as_[k] = m;
        }
    }

    // Step: every input's draws for the block's paths (kept in the output below input_paths).
    void sample_inputs(Block& b) const {
        const auto& inputs = plan_.inputs;
        const std::size_t n = b.n;
        b.x.resize(inputs.size() * n);
        for (std::size_t k = 0; k < inputs.size(); ++k) {
            if (same_as_[k] != k)
                std::copy_n(b.x.data() + same_as_[k] * n, n, b.x.data() + k * n);
            else
                sample_paths(inputs[k].distribution, input_streams_[k], b.begin, n, b.x.data() + k * n);
        }
        if (out_.inputs)
            for (std::size_t j = 0; j < n && b.begin + j < plan_.input_paths; ++j)
                for (std::size_t k = 0; k < inputs.size(); ++k)
                    out_.inputs[(b.begin + j - plan_.first_path) * inputs.size() + k] = b.x[k * n + j];
    }

    // Step (bindings applied): item i's parameters on path j of the block.
    void parameters_of(std::size_t i, const Block& b, std::size_t j, double* param) const {
        std::copy_n(params(i), P::kParams, param);
        for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) {
            const Binding& bd = binding(k);
            param[bd.param] = bound_value(bd.effect, bd.factor, param[bd.param], b.x[bd.input * b.n + j]);
        }
    }
    // The same, one parameter over the block's paths: column[j] = parameter `param` of item i on path j.
    void column_of(std::size_t i, std::size_t param, const Block& b, double* column) const {
        const std::size_t n = b.n;
        std::fill_n(column, n, params(i)[param]);
        for (std::size_t k = first_[i]; k < first_[i + 1]; ++k) {
            const Binding& bd = binding(k);
            if (bd.param != param) continue;
            const double* value = b.x.data() + bd.input * n;
            const double f = bd.factor;
            switch (bd.effect) {  // bound_value(), a loop per effect so each one vectorises
                case Effect::Replace:
                    for (std::size_t j = 0; j < n; ++j) column[j] = bound_value(Effect::Replace, f, column[j], value[j]);
                    break;
                case Effect::Multiply:
                    for (std::size_t j = 0; j < n; ++j) column[j] = bound_value(Effect::Multiply, f, column[j], value[j]);
                    break;
                case Effect::MultiplyOnePlus:
                    for (std::size_t j = 0; j < n; ++j) column[j] = bound_value(Effect::MultiplyOnePlus, f, column[j], value[j]);
                    break;
            }
        }
    }

    // Step: the fixed present values, then the Linear and Events items a column at a time (an
    // item's parameter, its events, over all the block's paths), which the vector kernels run a
    // path per lane.
    void cost_by_column(Block& b) const {
        const std::size_t n = b.n;
        const auto& simd = lanes::kernels();
        b.pv.resize(offers_ * categories_ * n);
        for (std::size_t oc = 0; oc < offers_ * categories_; ++oc) std::fill_n(b.pv.data() + oc * n, n, fixed_pv_[oc]);
        std::vector<double> events(n), amount(n), other(n), tau(n), service(n), param(P::kParams);
        for (std::size_t i = 0; i < n_items_; ++i) {
            const ItemRoute& r = routes_[i];
            if (r.route == Route::Constant || r.route == Route::General) continue;
            double* to = b.pv.data() + (offer_of(i) * categories_ + category(i)) * n;
            column_of(i, P::kAmount, b, amount.data());
            if (r.route == Route::Linear) {
                for (std::size_t j = 0; j < n; ++j) to[j] += amount[j] * r.weight[0];
            } else if (kind(i) == ItemKind::SupplierRisk) {
                // Switching cost in the default year, the premium (kScale) in every year after.
                simd.uniforms(item_streams_[i].key(), b.begin, n, 0, events.data());
                simd.log(events.data(), n);
                column_of(i, P::kScale, b, other.data());
                column_of(i, P::kShape, b, tau.data());  // the annual default probability
                const double* p = params(i);
                const auto first_year = static_cast<std::size_t>(p[P::kStart]), last_year = static_cast<std::size_t>(p[P::kEnd]);
                const double q = tau[0];
                if (q > 0.0 && q < 1.0 && std::all_of(tau.begin(), tau.end(), [q](double v) { return v == q; })) {
                    // One default probability for the block: the years survived, a register at a time.
                    simd.floor_quotient(events.data(), n, std::log1p(-q));
                    const auto span = static_cast<double>(last_year - first_year);
                    for (std::size_t j = 0; j < n; ++j) {
                        const std::size_t fails = events[j] > span ? last_year + 1 : first_year + static_cast<std::size_t>(events[j]);
                        to[j] += amount[j] * r.weight[fails] + other[j] * r.after[fails];
                    }
                } else {
                    for (std::size_t j = 0; j < n; ++j) {
                        const std::size_t fails = default_year(first_year, last_year, tau[j], std::log1p(-tau[j]), events[j]);
                        to[j] += amount[j] * r.weight[fails] + other[j] * r.after[fails];
                    }
                }
            } else {
                // Breakdowns, drawn once for an element's repair and downtime lines.
                if (!r.same_events_as_previous) {
                    if (r.fixed_shape) {
                        column_of(i, P::kScale, b, other.data());
                        column_of(i, P::kInterval, b, tau.data());
                        const double* p = params(i);
                        std::fill(service.begin(), service.end(), p[P::kEnd] - p[P::kStart] + 1.0);
                        if (!simd.renewal({item_streams_[i].key(), b.begin, n, other.data(), tau.data(),
                                           service.data(), 1.0 / p[P::kShape], r.weight.data(), r.weight.size()},
                                          events.data()))
                            throw lanes::too_many_lives(*std::min_element(other.begin(), other.end()), service[0]);
                    } else {
                        for (std::size_t j = 0; j < n; ++j) {
                            parameters_of(i, b, j, param.data());
                            events[j] = 0.0;
                            for_each_failure(param.data(), item_streams_[i].substream(b.begin + j),
                                             [&](std::size_t a) { events[j] += r.weight[a]; });
                        }
                    }
                }
                for (std::size_t j = 0; j < n; ++j) to[j] += amount[j] * events[j];
            }
        }
    }

    // Step: the General items path by path, into a cost row by year and category with the
    // costing evaluate() uses (drawn failures and defaults instead of expected ones), then
    // discounted into the present values (and kept by year when keep_years).
    void cost_year_by_year(Block& b) const {
        const auto& [discount, deflator] = factors_;
        const std::size_t n = b.n;
        std::vector<double> row(years_ * categories_), param(P::kParams);
        lcc::detail::RenewalCache cache;
        for (std::size_t o = 0; o < offers_; ++o) {
            if (!general_[o]) continue;
            for (std::size_t j = 0; j < n; ++j) {
                const std::uint64_t path = b.begin + j;
                std::fill(row.begin(), row.end(), 0.0);
                for (auto i = static_cast<std::size_t>(items_.offer_start[o]); i < static_cast<std::size_t>(items_.offer_start[o + 1]); ++i) {
                    if (routes_[i].route != Route::General) continue;
                    parameters_of(i, b, j, param.data());
                    const stats::Stream events = item_streams_[i].substream(path);
                    if (kind(i) == ItemKind::Failures) {
                        for_each_failure(param.data(), events, [&](std::size_t a) {
                            lcc::detail::add_failures(study_, category(i), param.data(), deflator.data(), a, 1.0, row.data());
                        });
                    } else if (kind(i) == ItemKind::SupplierRisk) {
                        const std::size_t fails = default_year(param.data(), std::log(events.uniform(0)));
                        for (std::size_t y = fails; y <= static_cast<std::size_t>(param[P::kEnd]); ++y)
                            lcc::detail::add_default_year(study_, category(i), param.data(), deflator.data(), y,
                                                          y == fails ? 1.0 : 0.0, 1.0, y > fails ? 1.0 : 0.0, row.data());
                    } else {
                        lcc::detail::add_item(study_, kind(i), category(i), param.data(), deflator.data(), trust_of(o), cache,
                                              row.data());
                    }
                }
                for (std::size_t y = 0; y < years_; ++y)
                    for (std::size_t c = 0; c < categories_; ++c)
                        b.pv[(o * categories_ + c) * n + j] += row[y * categories_ + c] * discount[y];
                if (out_.yearly) {
                    double* yearly = out_.yearly + ((path - plan_.first_path) * offers_ + o) * years_;
                    for (std::size_t y = 0; y < years_; ++y) {
                        double cost = 0.0;
                        for (std::size_t c = 0; c < categories_; ++c) cost += row[y * categories_ + c];
                        yearly[y] = cost;
                    }
                }
            }
        }
    }

    // Step: discount done, each path's total by offer into the output, and the block's sums
    // and squares by offer and category (its values too when the range has only part of it).
    void accumulate(const Block& b, double* sums, double* edge) const {
        const std::size_t n = b.n, cells = offers_ * categories_;
        block_sums(b.pv.data(), n, 1, cells, b.begin, n, sums);
        if (edge)
            for (std::size_t oc = 0; oc < cells; ++oc)
                for (std::size_t j = 0; j < n; ++j) edge[j * cells + oc] = b.pv[oc * n + j];
        std::vector<double> total(n);
        for (std::size_t o = 0; o < offers_; ++o) {
            std::fill(total.begin(), total.end(), 0.0);
            for (std::size_t c = 0; c < categories_; ++c) {
                const double* v = b.pv.data() + (o * categories_ + c) * n;
                for (std::size_t j = 0; j < n; ++j) total[j] += v[j];
            }
            for (std::size_t j = 0; j < n; ++j) out_.present_values[(b.begin + j - plan_.first_path) * offers_ + o] = total[j];
        }
    }
};

}  // namespace

void validate(const SimulationPlan& plan) {
    if (plan.paths == 0) throw invalid("paths must be > 0, got 0");
    if (plan.first_path > std::numeric_limits<std::uint64_t>::max() - plan.paths)
        throw invalid("first_path + paths must be < 2**64, got first_path ", plan.first_path, " and paths ", plan.paths);
    for (std::size_t k = 0; k < plan.bindings.size(); ++k) {
        const Binding& b = plan.bindings[k];
        validate(b, k);
        if (b.input >= plan.inputs.size()) throw invalid("binding ", k, ": input must be < ", plan.inputs.size(), ", got ", b.input);
    }
}

std::size_t kept_input_rows(const SimulationPlan& plan) {
    return plan.input_paths <= plan.first_path
               ? 0
               : static_cast<std::size_t>(std::min<std::uint64_t>(plan.input_paths - plan.first_path, plan.paths));
}

PathSums simulate(const lcc::StudySpec& study, const lcc::Items& items, const SimulationPlan& plan, const Output& out,
                  const core::Progress& progress) {
    const Run run(study, items, plan, out);
    PathSums result(plan.first_path, plan.paths, items.offers * study.categories);
    // Blocks are numbered from path 0, so a range of paths sums its blocks as a whole run does;
    // the totals do not depend on which thread ran which block.
    const std::size_t paths = plan.paths, cells = result.cells;
    auto report = [&](std::size_t done, std::size_t total) {  // blocks done -> paths done
        return !progress || progress(done == total ? paths : std::min(paths, done * kBlock), paths);
    };
    core::parallel_for(result.blocks(), 1, [&](std::size_t first_block, std::size_t last_block) {
        for (std::size_t b = first_block; b < last_block; ++b) {
            const std::uint64_t block = result.first_block() + b;
            const auto [begin, end] = result.covered(block);
            double* edge = result.whole(block) ? nullptr : result.edges.data() + result.edge_offset(block) * cells;
            run.simulate_block(begin, static_cast<std::size_t>(end - begin), result.sums.data() + b * cells * 2, edge);
        }
    }, report);
    return result;
}

}  // namespace trustcost::uncertainty
