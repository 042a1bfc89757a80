#include "trustcost/relationship/scoring.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>

#include "trustcost/core/errors.hpp"
#include "trustcost/relationship/bgnbd.hpp"
#include "trustcost/relationship/fit.hpp"
#include "trustcost/relationship/gamma_gamma.hpp"
#include "trustcost/relationship/mbgnbd.hpp"
#include "trustcost/relationship/pareto_nbd.hpp"
#include "trustcost/relationship/rfm.hpp"

namespace trustcost::relationship::scoring {

namespace {
constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t kMaxWidth = 4;
constexpr std::size_t kRowBlock = 4096;    // cheap per-row work
constexpr std::size_t kDistinctBlock = 16;  // a 2F1 or more per distinct row

std::uint64_t hash_row(const double* row, std::size_t width) {
    std::uint64_t h = 0x243F6A8885A308D3ull;
    for (std::size_t c = 0; c < width; ++c) {
        h = (h ^ std::bit_cast<std::uint64_t>(row[c])) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 29;
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
    void (*p_alive)(std::span<const double>, const double*, const double*, const double*, std::size_t, double*);
    bool alive_per_row;  // P(alive) costs a few logarithms: every row; else once per distinct row
    double (*expected_if_alive)(std::span<const double>, double, double, double);
};

const Model& model_of(CountModel m) {
    static const Model bgnbd_{"BG/NBD", &bgnbd::p_alive, true, &bgnbd::expected_if_alive};
    static const Model mbgnbd_{"MBG/NBD", &mbgnbd::p_alive, true, &mbgnbd::expected_if_alive};
    static const Model pareto_{"Pareto/NBD", &pareto_nbd::p_alive, false, &pareto_nbd::expected_if_alive};
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
    if (m.alive_per_row) {
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

const Model& checked(CountModel model, std::span<const double> params, const double* x, const double* t_x,
                     const double* T, std::size_t n) {
    const Model& m = model_of(model);
    require_params(params, 4, m.name);
    check_summary(x, t_x, T, n);
    return m;
}
}  // namespace

Distinct distinct_rows(std::initializer_list<Column> columns, std::size_t n) {
    Distinct d;
    d.width = columns.size();
    if (d.width == 0 || d.width > kMaxWidth) throw core::invalid("distinct_rows takes 1..", kMaxWidth, " columns");
    if (n >= kEmpty) throw core::invalid("distinct_rows takes fewer than ", kEmpty, " rows, got ", n);
    const std::vector<Column> cols(columns);
    d.index.resize(n);
    std::vector<std::uint32_t> slots(1024, kEmpty);
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
    alive_of_rows(checked(model, params, x, t_x, T, n), params, x, t_x, T, n, out);
}

void expected_purchases(CountModel model, std::span<const double> params, Column t, const double* x,
                        const double* t_x, const double* T, std::size_t n, double* out) {
    const Model& m = checked(model, params, x, t_x, T, n);
    for (std::size_t i = 0; i < (t.broadcast ? std::min<std::size_t>(n, 1) : n); ++i)
        if (!(std::isfinite(t[i]) && t[i] >= 0.0)) throw core::invalid("t must be finite and >= 0, got ", t[i], " at row ", i);
    const Distinct d = distinct_rows({t, {x}, {T}}, n);
    std::vector<double> if_alive(d.size());
    core::parallel_for(d.size(), kDistinctBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t j = begin; j < end; ++j) if_alive[j] = m.expected_if_alive(params, d.at(j, 0), d.at(j, 1), d.at(j, 2));
    });
    alive_of_rows(m, params, x, t_x, T, n, out);
    core::parallel_for(n, kRowBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) out[i] *= if_alive[d.index[i]];
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
    for (std::size_t i = 0; i < n; ++i)
        if (!(std::isfinite(monetary_value[i]) && monetary_value[i] >= 0.0))
            throw core::invalid("monetary_value must be finite and >= 0, got ", monetary_value[i], " at row ", i);

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
