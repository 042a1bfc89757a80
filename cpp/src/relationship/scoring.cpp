#include "trustcost/relationship/scoring.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/vecmath.hpp"
#include "trustcost/relationship/bgnbd.hpp"
#include "trustcost/relationship/fit.hpp"
#include "trustcost/relationship/gamma_gamma.hpp"
#include "trustcost/relationship/mbgnbd.hpp"
#include "trustcost/relationship/model.hpp"
#include "trustcost/relationship/pareto_nbd.hpp"
#include "trustcost/relationship/rfm.hpp"

namespace trustcost::relationship::scoring {

namespace {
constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t kMaxWidth = 4;
constexpr std::size_t kRowBlock = 4096;    // cheap per-row work
constexpr std::size_t kDistinctBlock = 16;  // a 2F1 or more per distinct row

// splitmix64's finaliser per column: whole numbers as doubles differ only in their high bits, which
// a plain multiply would never carry down to the low bits that pick the slot.
std::uint64_t hash_row(const double* row, std::size_t width) {
    std::uint64_t h = 0x243F6A8885A308D3ull;
    for (std::size_t c = 0; c < width; ++c) {
        h += std::bit_cast<std::uint64_t>(row[c]);
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
        h ^= h >> 31;
    }
    return h;
}

void grow(std::vector<std::uint32_t>& slots, const Distinct& d) {
    slots.assign(slots.size() * 2, kEmpty);
    const std::size_t mask = slots.size() - 1;
    for (std::size_t id = 0; id < d.size(); ++id) {
        std::size_t s = hash_row(d.values.data() + id * d.width, d.width) & mask;
        while (slots[s] != kEmpty) s = (s + 1) & mask;
        slots[s] = static_cast<std::uint32_t>(id);
    }
}

struct Model {
    const char* name;
    using Alive = void (*)(std::span<const double>, const double*, const double*, const double*, std::size_t, double*);
    Alive p_alive;
    double (*expected_if_alive)(std::span<const double>, double, double, double);
    double (*probability_if_alive)(std::span<const double>, double, double, double, double);
    // Where P(alive) costs a few logarithms it is scored on every row, checking the rows as it goes;
    // null where it is costly: then once per distinct row.
    Alive p_alive_checking_rows = nullptr;
    bool alive_per_row() const { return p_alive_checking_rows != nullptr; }
};

const Model& model_of(CountModel m) {
    static const Model bgnbd_{"BG/NBD", &bgnbd::p_alive, &bgnbd::expected_if_alive, &bgnbd::probability_if_alive,
                              &bgnbd::p_alive_checking_rows};
    static const Model mbgnbd_{"MBG/NBD", &mbgnbd::p_alive, &mbgnbd::expected_if_alive, &mbgnbd::probability_if_alive,
                               &mbgnbd::p_alive_checking_rows};
    static const Model pareto_{"Pareto/NBD", &pareto_nbd::p_alive, &pareto_nbd::expected_if_alive,
                               &pareto_nbd::probability_if_alive};
    switch (m) {
        case CountModel::bgnbd: return bgnbd_;
        case CountModel::mbgnbd: return mbgnbd_;
        case CountModel::pareto_nbd: return pareto_;
    }
    throw core::invalid("unknown count model");
}

// P(alive) of every row into out, once per distinct row where it is costly.
void alive_of_rows(const Model& m, std::span<const double> params, const double* x, const double* t_x,
                   const double* T, std::size_t n, double* out) {
    if (m.alive_per_row()) {
        m.p_alive(params, x, t_x, T, n, out);
        return;
    }
    const Distinct d = distinct_rows({{x}, {t_x}, {T}}, n);
    const std::size_t k = d.size();
    std::vector<double> columns(3 * k), alive(k);
    for (std::size_t j = 0; j < k; ++j)
        for (std::size_t c = 0; c < 3; ++c) columns[c * k + j] = d.at(j, c);
    m.p_alive(params, columns.data(), columns.data() + k, columns.data() + 2 * k, k, alive.data());
    core::parallel_for(n, kRowBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] = alive[d.index[i]];
    });
}

// Horizons up to 2^53 time units, like the purchase counts: far beyond, t / (alpha + T + t) rounds
// to 1 and the expectations' 2F1 series gave inf (MBG/NBD) or a wrong finite number (BG/NBD at 1e308).
void check_horizon(double t, std::size_t i) {
    if (!(std::isfinite(t) && t >= 0.0 && t <= kMaxPurchases))
        throw core::invalid("t must be finite and in [0, ", kMaxPurchases, "] time units, got ", t, " at row ", i);
}

const Model& checked(CountModel model, std::span<const double> params, const double* x, const double* t_x,
                     const double* T, std::size_t n) {
    const Model& m = model_of(model);
    require_params(params, 4, m.name);
    check_summary(x, t_x, T, n);
    return m;
}
}  // namespace

void alive_by_dropout_odds(double r, double alpha, double a, double b_x, bool certain_without_repeat, const double* x,
                           const double* t_x, const double* T, std::size_t n, double* out, bool check_rows) {
    constexpr std::size_t kBlock = 1024, kTable = 256;
    // log(a / (b_x + x)) per purchase count (whole numbers by the row rule) below kTable, the
    // common counts; larger ones computed directly.
    const double log_a = std::log(a);
    std::array<double, kTable> log_odds;
    for (std::size_t k = 0; k < kTable; ++k) log_odds[k] = log_a - std::log(b_x + static_cast<double>(k));
    core::parallel_for(n, kBlock, [&](std::size_t begin, std::size_t end) {
        if (check_rows) check_summary_block(x, t_x, T, begin, end);
        // The rows that need the formula (for BG/NBD only repeat buyers: often half the base),
        // gathered so the vector logarithms and exponentials run on them alone.
        std::array<std::uint32_t, kBlock> row;
        std::size_t len = 0;
        for (std::size_t i = begin; i < end; ++i) {
            out[i] = 1.0;
            row[len] = static_cast<std::uint32_t>(i - begin);
            len += !(certain_without_repeat && x[i] == 0.0);
        }
        // log((alpha + T) / (alpha + t_x)): one logarithm of the ratio (correctly rounded to an
        // ulp, so as accurate as the difference of two logarithms and half their cost).
        std::array<double, kBlock> growth;
        for (std::size_t j = 0; j < len; ++j) {
            const std::size_t i = begin + row[j];
            growth[j] = (alpha + T[i]) / (alpha + t_x[i]);
        }
        core::vecmath::log(growth.data(), len);
        // The log odds of having dropped out, then their exponential (overflow to inf gives 0).
        for (std::size_t j = 0; j < len; ++j) {
            const double xi = x[begin + row[j]];
            const double odds = xi < static_cast<double>(kTable) ? log_odds[static_cast<std::size_t>(xi)]
                                                                 : log_a - std::log(b_x + xi);
            growth[j] = odds + (r + xi) * growth[j];
        }
        core::vecmath::exp(growth.data(), len);
        for (std::size_t j = 0; j < len; ++j) out[begin + row[j]] = 1.0 / (1.0 + growth[j]);
    });
}

std::vector<double> total_weights(const Distinct& distinct, const double* weights) {
    std::vector<double> total(distinct.size(), 0.0);
    for (std::size_t i = 0; i < distinct.index.size(); ++i) total[distinct.index[i]] += weights ? weights[i] : 1.0;
    return total;
}

void sort_lexicographically(Distinct& d) {
    const std::size_t k = d.size(), w = d.width;
    // Each value as an unsigned key in the order of the doubles (sign bit flipped, or every bit of
    // a negative one; NaN made the positive quiet NaN, so after +inf), then a least-significant-
    // digit radix sort (16-bit digits, last column first; stable): linear in the rows, and a digit
    // that every key shares (most of them, for whole numbers) costs one counting pass.
    std::vector<std::uint64_t> keys(k * w);
    for (std::size_t j = 0; j < k; ++j)
        for (std::size_t c = 0; c < w; ++c) {
            const double v = d.values[j * w + c];
            const auto b = std::bit_cast<std::uint64_t>(std::isnan(v) ? std::numeric_limits<double>::quiet_NaN() : v);
            keys[c * k + j] = (b >> 63) ? ~b : b | (std::uint64_t{1} << 63);
        }
    std::vector<std::uint32_t> order(k), next(k);
    for (std::size_t j = 0; j < k; ++j) order[j] = static_cast<std::uint32_t>(j);
    std::vector<std::size_t> count(65537);
    for (std::size_t c = w; c-- > 0;) {
        const std::uint64_t* key = keys.data() + c * k;
        for (int shift = 0; shift < 64; shift += 16) {
            std::fill(count.begin(), count.end(), 0);
            for (std::size_t j = 0; j < k; ++j) ++count[((key[order[j]] >> shift) & 0xFFFF) + 1];
            if (std::find(count.begin() + 1, count.end(), k) != count.end()) continue;  // one digit for all
            for (std::size_t b = 1; b < count.size(); ++b) count[b] += count[b - 1];
            for (std::size_t j = 0; j < k; ++j) next[count[(key[order[j]] >> shift) & 0xFFFF]++] = order[j];
            order.swap(next);
        }
    }
    std::vector<double> values(d.values.size());
    std::vector<std::uint32_t> rank(k);
    for (std::size_t j = 0; j < k; ++j) {
        std::copy_n(d.values.begin() + order[j] * w, w, values.begin() + j * w);
        rank[order[j]] = static_cast<std::uint32_t>(j);
    }
    d.values = std::move(values);
    for (auto& i : d.index) i = rank[i];
}

namespace {
// The smallest and largest value of a column, or false when some value is not a whole number
// (NaN and infinities included). Branch-free, so it vectorises: the failed rows are counted as
// 1.0 each (see check_summary in rfm.cpp).
bool whole_range(const double* v, std::size_t n, double& low, double& high) {
    constexpr double kWhole = 4503599627370496.0;  // 2^52: (v + 2^52) - 2^52 rounds v below it
    double lo = v[0], hi = v[0], bad = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = v[i];
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
        bad += (std::fabs(x) < kWhole ? 0.0 : 1.0) + ((x + kWhole) - kWhole == x ? 0.0 : 1.0);
    }
    low = lo, high = hi;
    return bad == 0.0;
}

// Rows of whole numbers in small ranges (counts, whole weeks or days: the usual summary) are told
// apart by their position in the box of all value combinations, with no hashing: a table of one
// slot per combination, allowed when it is no larger than about twice the rows. Ids come in order
// of first appearance, as from the hash, so both give the same Distinct.
bool distinct_in_box(const std::vector<Column>& cols, std::size_t n, Distinct& d) {
    const std::size_t w = cols.size();
    std::array<double, kMaxWidth> low{}, stride{};
    double cells = 1.0;
    const double limit = std::min(2.0 * static_cast<double>(n) + 4096.0, 16777216.0);
    for (std::size_t c = w; c-- > 0;) {
        double lo = 0.0, hi = 0.0;
        if (!whole_range(cols[c].data, cols[c].broadcast ? 1 : n, lo, hi)) return false;
        low[c] = lo, stride[c] = cells;
        cells *= hi - lo + 1.0;
        if (cells > limit) return false;
    }
    std::vector<std::uint32_t> slot(static_cast<std::size_t>(cells), kEmpty);
    d.values.reserve(std::min(n, slot.size()) * w);
    for (std::size_t i = 0; i < n; ++i) {
        double key = 0.0;
        for (std::size_t c = 0; c < w; ++c) key += (cols[c][i] - low[c]) * stride[c];
        std::uint32_t& id = slot[static_cast<std::size_t>(key)];
        if (id == kEmpty) {
            id = static_cast<std::uint32_t>(d.size());
            for (std::size_t c = 0; c < w; ++c) d.values.push_back(cols[c][i] + 0.0);  // + 0.0: -0.0 becomes 0.0
        }
        d.index[i] = id;
    }
    return true;
}
}  // namespace

Distinct distinct_rows(std::span<const Column> columns, std::size_t n) {
    Distinct d;
    d.width = columns.size();
    if (d.width == 0 || d.width > kMaxWidth) throw core::invalid("distinct_rows takes 1..", kMaxWidth, " columns");
    if (n >= kEmpty) throw core::invalid("distinct_rows takes fewer than ", kEmpty, " rows, got ", n);
    const std::vector<Column> cols(columns.begin(), columns.end());
    d.index.resize(n);
    if (n > 0 && distinct_in_box(cols, n, d)) return d;
    // Room for every row to be distinct up to 2^20 rows (4 MB), so mostly-distinct columns do not
    // rehash on the way; beyond, the table grows with what it finds.
    std::size_t capacity = 1024;
    while (capacity < 2 * n && capacity < (std::size_t{1} << 21)) capacity *= 2;
    std::vector<std::uint32_t> slots(capacity, kEmpty);
    d.values.reserve(std::min<std::size_t>(n, std::size_t{1} << 20) * d.width);
    std::array<double, kMaxWidth> row{};
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t c = 0; c < d.width; ++c) row[c] = cols[c][i] + 0.0;  // + 0.0: -0.0 becomes 0.0
        const std::size_t mask = slots.size() - 1;
        std::size_t s = hash_row(row.data(), d.width) & mask;
        for (;;) {
            const std::uint32_t id = slots[s];
            if (id == kEmpty) {
                const auto fresh = static_cast<std::uint32_t>(d.size());
                slots[s] = fresh;
                d.values.insert(d.values.end(), row.begin(), row.begin() + static_cast<std::ptrdiff_t>(d.width));
                d.index[i] = fresh;
                if (2 * d.size() > slots.size()) grow(slots, d);
                break;
            }
            if (std::equal(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(d.width),
                           d.values.begin() + static_cast<std::ptrdiff_t>(id * d.width))) {
                d.index[i] = id;
                break;
            }
            s = (s + 1) & mask;
        }
    }
    return d;
}

void p_alive(CountModel model, std::span<const double> params, const double* x, const double* t_x, const double* T,
             std::size_t n, double* out) {
    const Model& m = model_of(model);
    if (m.alive_per_row()) {
        m.p_alive_checking_rows(params, x, t_x, T, n, out);  // one pass: each block checked, then scored
        return;
    }
    alive_of_rows(checked(model, params, x, t_x, T, n), params, x, t_x, T, n, out);
}

void expected_purchases(CountModel model, std::span<const double> params, Column t, const double* x,
                        const double* t_x, const double* T, std::size_t n, double* out) {
    const Model& m = checked(model, params, x, t_x, T, n);
    for (std::size_t i = 0; i < (t.broadcast ? std::min<std::size_t>(n, 1) : n); ++i)
        check_horizon(t[i], i);
    // One horizon for all (the usual call): distinct (x, T) suffice.
    const Distinct d = t.broadcast ? distinct_rows({{x}, {T}}, n) : distinct_rows({t, {x}, {T}}, n);
    const std::size_t first = t.broadcast ? 0 : 1;
    std::vector<double> if_alive(d.size());
    core::parallel_for(d.size(), kDistinctBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t j = begin; j < end; ++j)
            if_alive[j] = m.expected_if_alive(params, t.broadcast ? t[0] : d.at(j, 0), d.at(j, first), d.at(j, first + 1));
    });
    alive_of_rows(m, params, x, t_x, T, n, out);
    core::parallel_for(n, kRowBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] *= if_alive[d.index[i]];
    });
}

void conditional_probability_of_n_purchases(CountModel model, std::span<const double> params, Column k, Column t,
                                            const double* x, const double* t_x, const double* T, std::size_t n,
                                            double* out) {
    const Model& m = checked(model, params, x, t_x, T, n);
    for (std::size_t i = 0; i < (k.broadcast ? std::min<std::size_t>(n, 1) : n); ++i)
        if (!(std::isfinite(k[i]) && k[i] >= 0.0 && k[i] == std::floor(k[i]) && k[i] <= kMaxPurchases))
            throw core::invalid("n must be whole numbers in [0, ", kMaxPurchases, "], got ", k[i], " at row ", i);
    for (std::size_t i = 0; i < (t.broadcast ? std::min<std::size_t>(n, 1) : n); ++i)
        check_horizon(t[i], i);
    // The columns that vary (a broadcast one adds nothing to the key).
    std::vector<Column> key;
    if (!k.broadcast) key.push_back(k);
    if (!t.broadcast) key.push_back(t);
    key.push_back({x});
    key.push_back({T});
    const Distinct d = distinct_rows(std::span<const Column>(key), n);
    std::vector<double> if_alive(d.size());
    core::parallel_for(d.size(), kDistinctBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t j = begin; j < end; ++j) {
            std::size_t c = 0;
            const double kj = k.broadcast ? k[0] : d.at(j, c++);
            const double tj = t.broadcast ? t[0] : d.at(j, c++);
            if_alive[j] = m.probability_if_alive(params, kj, tj, d.at(j, c), d.at(j, c + 1));
        }
    });
    alive_of_rows(m, params, x, t_x, T, n, out);
    core::parallel_for(n, kRowBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            out[i] = out[i] * if_alive[d.index[i]] + (k[i] == 0.0 ? 1.0 - out[i] : 0.0);
    });
}

void customer_lifetime_value(CountModel model, std::span<const double> params, std::span<const double> spend_params,
                             const double* x, const double* t_x, const double* T, const double* monetary_value,
                             std::size_t n, const ValueOptions& options, double* out, const core::Progress& progress) {
    const Model& m = checked(model, params, x, t_x, T, n);
    if (options.months < 0 || options.months > 12000)
        throw core::invalid("months must be in 0..12000, got ", options.months);
    if (!(std::isfinite(options.periods_per_month) && options.periods_per_month > 0.0))
        throw core::invalid("periods_per_month must be finite and > 0, got ", options.periods_per_month);
    if (!(std::isfinite(options.discount_rate) && options.discount_rate > -1.0))
        throw core::invalid("discount_rate must be finite and > -1, got ", options.discount_rate);
    gamma_gamma::expected_average_value(spend_params, nullptr, nullptr, 0, nullptr);  // checks p, q > 1, v
    const std::array<const double*, 2> spend_rows{x, monetary_value};
    check_spend_rows(spend_rows.data(), n);  // Gamma-Gamma's row rule (model.cpp), as its own predictions

    // Per distinct (x, T): sum_k (1 + rate)^-k (E[Y(k c) | alive] - E[Y((k - 1) c) | alive]).
    const Distinct d = distinct_rows({{x}, {T}}, n);
    std::vector<double> discount(static_cast<std::size_t>(options.months));
    for (int k = 1; k <= options.months; ++k)
        discount[static_cast<std::size_t>(k - 1)] = std::pow(1.0 + options.discount_rate, -static_cast<double>(k));
    std::vector<double> per_history(d.size());
    core::parallel_for(
        d.size(), kDistinctBlock,
        [&](std::size_t begin, std::size_t end) {
            for (std::size_t j = begin; j < end; ++j) {
                double total = 0.0, previous = 0.0;
                for (int k = 1; k <= options.months; ++k) {
                    const double now = m.expected_if_alive(params, k * options.periods_per_month, d.at(j, 0), d.at(j, 1));
                    total += discount[static_cast<std::size_t>(k - 1)] * (now - previous);
                    previous = now;
                }
                per_history[j] = total;
            }
        },
        progress);
    alive_of_rows(m, params, x, t_x, T, n, out);
    core::parallel_for(n, kRowBlock, [&](std::size_t begin, std::size_t end) {
        std::array<double, kRowBlock> spend;
        gamma_gamma::expected_average_value(spend_params, x + begin, monetary_value + begin, end - begin, spend.data());
        for (std::size_t i = begin; i < end; ++i) out[i] *= per_history[d.index[i]] * spend[i - begin];
    });
}

}  // namespace trustcost::relationship::scoring
