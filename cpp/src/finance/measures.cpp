#include "trustcost/finance/measures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>


#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"

namespace trustcost::finance {

using core::invalid;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kBlock = 2048;  // rows per parallel block

[[noreturn]] void throw_bad_flow(const char* name, const Series& v, std::size_t row) {
    const double* x = v.row(row);
    for (std::size_t j = 0; j < v.cols; ++j)
        if (!std::isfinite(x[j]))
            throw invalid(name, "[", row, ", ", j, "] must be finite, got ", x[j]);
    throw invalid(name, " row ", row, " gives a non-finite result");
}

// Dot product for the shared-rate npv, the one memory-bound hot loop. Eight independent sums
// let the compiler fill vector registers; target_clones picks AVX2 at run time where the CPU
// has it, while the wheel stays runnable on any x86-64. The summation order is fixed by the
// source, so every clone gives the same bits.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
double dot(const double* a, const double* b, std::size_t n) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) s[k] += a[i + k] * b[i + k];
    for (; i < n; ++i) s[i % 8] += a[i] * b[i];
    return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}

void require_columns(const Series& values) {
    if (values.cols == 0) throw invalid("values must have at least one period, got 0 columns");
}

void require_finite_flows(const char* name, const double* x, std::size_t n) {
    for (std::size_t j = 0; j < n; ++j)
        if (!std::isfinite(x[j])) throw invalid(name, "[", j, "] must be finite, got ", x[j]);
}

}  // namespace

void npv(const Series& values, const double* rates, std::size_t rates_size, Timing timing, bool pairwise,
         double* out) {
    if (pairwise && rates_size != 1 && rates_size != values.rows)
        throw invalid("rate must be a scalar or have one value per row (", values.rows, "), got ", rates_size,
                      " values");
    if (rates_size == 0) throw invalid("rate must not be empty");
    for (std::size_t i = 0; i < rates_size; ++i) core::require_rate(rates[i], "rate");
    require_columns(values);
    const std::size_t cols = values.cols, rows = values.rows;
    auto fill_factors = [&](double rate, double* f) {
        for (std::size_t t = 0; t < cols; ++t) f[t] = std::pow(1.0 + rate, -flow_time(t, timing));
    };
    const bool own_rate = pairwise && rates_size != 1;
    // Shared discount vectors, one per rate (own_rate: each row fills its own).
    std::vector<double> shared(own_rate ? 0 : rates_size * cols);
    for (std::size_t k = 0; !own_rate && k < rates_size; ++k) fill_factors(rates[k], shared.data() + k * cols);
    const std::size_t grid = own_rate ? 1 : rates_size;
    core::parallel_for(rows, kBlock, [&](std::size_t begin, std::size_t end) {
        std::vector<double> own(own_rate ? cols : 0);
        for (std::size_t i = begin; i < end; ++i) {
            if (own_rate) {
                fill_factors(rates[i], own.data());
                out[i] = dot(values.row(i), own.data(), cols);
                continue;
            }
            for (std::size_t k = 0; k < grid; ++k) out[k * rows + i] = dot(values.row(i), shared.data() + k * cols, cols);
        }
        // NaN or inf flows surface in the result: find and name them without a separate pass.
        for (std::size_t i = begin; i < end; ++i)
            for (std::size_t k = 0; k < grid; ++k)
                if (!std::isfinite(out[k * rows + i])) throw_bad_flow("values", values, i);
    });
}

namespace {
// One series' choice among its rates; the status says why there is none.
double choose(const Rates& found, double guess, IrrStatus& status) {
    if (!found.converged) {
        status = IrrStatus::IterationsExceeded;
        return kNaN;
    }
    if (found.rates.empty()) {
        status = IrrStatus::NoRealSolution;
        return kNaN;
    }
    status = IrrStatus::Found;
    return std::isnan(guess) ? plausible_rate(found.rates) : nearest_rate(found.rates, guess);
}

void require_max_iter(unsigned max_iter) {
    if (max_iter == 0) throw invalid("maxiter must be >= 1, got 0");
}
}  // namespace

void irr(const Series& values, unsigned max_iter, double guess, double* out, IrrStatus* status,
         const core::Progress& progress) {
    require_columns(values);
    require_max_iter(max_iter);
    core::parallel_for(values.rows, kBlock / 4, [&](std::size_t begin, std::size_t end) {
        RootWorkspace work;
        for (std::size_t i = begin; i < end; ++i) {
            const double* x = values.row(i);
            for (std::size_t j = 0; j < values.cols; ++j)
                if (!std::isfinite(x[j])) throw_bad_flow("values", values, i);
            out[i] = choose(polynomial_rates(x, values.cols, max_iter, work), guess, status[i]);
        }
    }, progress);
}

Rates irr_all(const double* values, std::size_t n, unsigned max_iter) {
    require_finite_flows("values", values, n);
    require_max_iter(max_iter);
    RootWorkspace work;
    return polynomial_rates(values, n, max_iter, work);
}

DayCount parse_day_count(std::string_view name) {
    if (name == "act/365f") return DayCount::Act365F;
    if (name == "act/360") return DayCount::Act360;
    if (name == "30/360") return DayCount::Thirty360;
    if (name == "30e/360") return DayCount::Thirty360E;
    if (name == "30/360 sia") return DayCount::Thirty360SIA;
    if (name == "act/act isda") return DayCount::ActActISDA;
    throw invalid("day_count must be 'act/365f', 'act/360', '30/360', '30e/360', '30/360 sia' or 'act/act isda', got '",
                  std::string(name), "'");
}

namespace {
struct Civil {
    std::int64_t year;
    int month, day;
};
// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return {yoe + era * 400 + (m <= 2), m, d};
}

// Days since 1970-01-01 of 1 January of `year` (H. Hinnant's days_from_civil for that day).
std::int64_t first_of_year(std::int64_t year) {
    const std::int64_t y = year - 1;  // January counts with the year before in March-based years
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doe = 365 * yoe + yoe / 4 - yoe / 100 + 306;  // 1 January: day 306 of the March year
    return era * 146097 + doe - 719468;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool last_of_february(const Civil& c) { return c.month == 2 && c.day == (leap(c.year) ? 29 : 28); }

double thirty_360(const Civil& a, int d1, const Civil& b, int d2) {
    return static_cast<double>(360 * (b.year - a.year) + 30 * (b.month - a.month) + (d2 - d1)) / 360.0;
}

double year_fraction(std::int64_t from, std::int64_t to, DayCount dc) {
    switch (dc) {
        case DayCount::Act360: return static_cast<double>(to - from) / 360.0;
        case DayCount::Thirty360: {  // ISDA 2006 4.16(f), the US bond basis
            const Civil a = civil_from_days(from), b = civil_from_days(to);
            const int d1 = std::min(a.day, 30);
            return thirty_360(a, d1, b, (b.day == 31 && d1 >= 30) ? 30 : b.day);
        }
        case DayCount::Thirty360E: {  // ISDA 2006 4.16(g), the Eurobond basis
            const Civil a = civil_from_days(from), b = civil_from_days(to);
            return thirty_360(a, std::min(a.day, 30), b, std::min(b.day, 30));
        }
        case DayCount::Thirty360SIA: {  // SIA Standard Securities Calculation Methods: February's end counts as the 30th
            const Civil a = civil_from_days(from), b = civil_from_days(to);
            const bool feb_a = last_of_february(a);
            int d1 = feb_a ? 30 : std::min(a.day, 30);
            int d2 = (feb_a && last_of_february(b)) ? 30 : b.day;
            if (d2 == 31 && d1 >= 30) d2 = 30;
            return thirty_360(a, d1, b, d2);
        }
        case DayCount::ActActISDA: {  // ISDA 2006 4.16(b): days in leap years / 366, the others / 365
            const Civil a = civil_from_days(from), b = civil_from_days(to);
            auto length = [](std::int64_t y) { return leap(y) ? 366.0 : 365.0; };
            if (a.year == b.year) return static_cast<double>(to - from) / length(a.year);
            return static_cast<double>(first_of_year(a.year + 1) - from) / length(a.year) +
                   static_cast<double>(b.year - a.year - 1) + static_cast<double>(to - first_of_year(b.year)) / length(b.year);
        }
        default: return static_cast<double>(to - from) / 365.0;
    }
}

}  // namespace

void year_fractions(std::int64_t origin, const std::int64_t* days, std::size_t n, DayCount day_count, double* out) {
    for (std::size_t i = 0; i < n; ++i) out[i] = year_fraction(origin, days[i], day_count);
}

namespace {
// Flows sorted by date, same-day flows added, zero flows dropped; times in years from the
// earliest date.
struct DatedFlows {
    std::vector<double> amounts, years;
    double sum = 0.0;
};

constexpr std::int64_t kDayLimit = 1'000'000'000;  // about +-2.7 million years: beyond any calendar

// Into `f`, whose vectors keep their capacity: xirr over many small groups reuses one per thread.
void dated(const double* amounts, std::size_t n, const std::int64_t* days, std::size_t n_days, DayCount dc,
           DatedFlows& f) {
    if (n != n_days)
        throw invalid("amounts and dates must have the same length, got ", n, " amounts and ", n_days, " dates");
    if (n == 0) throw invalid("amounts must not be empty");
    require_finite_flows("amounts", amounts, n);
    bool sorted = true;
    for (std::size_t i = 0; i < n; ++i) {
        if (days[i] == std::numeric_limits<std::int64_t>::min()) throw invalid("dates[", i, "] is missing (NaT)");
        if (days[i] > kDayLimit || days[i] < -kDayLimit) throw invalid("dates[", i, "] is out of range: ", days[i], " days");
        sorted = sorted && (i == 0 || days[i - 1] <= days[i]);
    }
    std::vector<std::size_t> order;  // stable: same-day flows are added in the order given
    if (!sorted) {
        order.resize(n);
        for (std::size_t i = 0; i < n; ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return days[a] < days[b]; });
    }
    f.amounts.clear();
    f.years.clear();
    f.sum = 0.0;
    const std::int64_t origin = days[sorted ? 0 : order[0]];
    for (std::size_t j = 0; j < n; ++j) {
        const std::size_t i = sorted ? j : order[j];
        f.sum += amounts[i];
        const double t = year_fraction(origin, days[i], dc);
        if (!f.years.empty() && f.years.back() == t) f.amounts.back() += amounts[i];
        else {
            f.amounts.push_back(amounts[i]);
            f.years.push_back(t);
        }
    }
}

DatedFlows dated(const double* amounts, std::size_t n, const std::int64_t* days, std::size_t n_days, DayCount dc) {
    DatedFlows f;
    dated(amounts, n, days, n_days, dc, f);
    return f;
}

// Into `out` (a batch reuses one per thread, so small schedules allocate nothing).
void dated_roots(const DatedFlows& f, unsigned max_iter, const core::Progress& progress, Rates& out) {
    if (std::find(f.amounts.begin(), f.amounts.end(), 0.0) == f.amounts.end()) {  // the usual case: no copy
        dated_rates(f.amounts.data(), f.years.data(), f.amounts.size(), max_iter, out, progress);
        return;
    }
    std::vector<double> a, t;  // zero flows carry no information about the rate
    for (std::size_t i = 0; i < f.amounts.size(); ++i)
        if (f.amounts[i] != 0.0) {
            a.push_back(f.amounts[i]);
            t.push_back(f.years[i]);
        }
    dated_rates(a.data(), t.data(), a.size(), max_iter, out, progress);
}

Rates dated_roots(const DatedFlows& f, unsigned max_iter, const core::Progress& progress) {
    Rates out;
    dated_roots(f, max_iter, progress, out);
    return out;
}
}  // namespace

double xnpv(double rate, const double* amounts, std::size_t n_amounts, const std::int64_t* days, std::size_t n_days,
            DayCount day_count) {
    core::require_rate(rate, "rate");
    const double log_base = std::log1p(rate);
    // The usual schedule (finite flows on increasing dates, no two at one year fraction) is
    // discounted as it comes: the same terms in the same order as through dated(), so the same
    // bits, without its two allocations (xnpv over many small groups is mostly those).
    if (n_amounts == n_days && n_amounts > 0) {
        double sum = 0.0, before = -1.0;
        std::size_t i = 0;
        for (; i < n_amounts; ++i) {
            if (!std::isfinite(amounts[i]) || days[i] > kDayLimit || days[i] < -kDayLimit ||
                (i > 0 && days[i] <= days[i - 1]))
                break;
            const double t = year_fraction(days[0], days[i], day_count);
            if (!(t > before)) break;
            before = t;
            sum += amounts[i] * std::exp(-t * log_base);
        }
        if (i == n_amounts) return sum;
    }
    const DatedFlows f = dated(amounts, n_amounts, days, n_days, day_count);
    double sum = 0.0;
    for (std::size_t i = 0; i < f.amounts.size(); ++i) sum += f.amounts[i] * std::exp(-f.years[i] * log_base);
    return sum;
}

XirrResult xirr(const double* amounts, std::size_t n_amounts, const std::int64_t* days, std::size_t n_days,
                DayCount day_count, unsigned max_iter, double guess, const core::Progress& progress) {
    require_max_iter(max_iter);
    thread_local DatedFlows f;
    dated(amounts, n_amounts, days, n_days, day_count, f);
    XirrResult result{kNaN, IrrStatus::Found};
    thread_local Rates found;
    dated_roots(f, max_iter, progress, found);
    result.rate = choose(found, guess, result.status);
    return result;
}

namespace {
// Group g's flows are [offsets[g], offsets[g + 1]); an error names the group.
template <class Body>
void for_each_group(const std::size_t* offsets, std::size_t groups, const core::Progress& progress, Body body) {
    for (std::size_t g = 0; g < groups; ++g)
        if (offsets[g + 1] < offsets[g]) throw invalid("offsets must not decrease, got ", offsets[g], " then ", offsets[g + 1]);
    core::parallel_for(
        groups, 64,
        [&](std::size_t begin, std::size_t end) {
            for (std::size_t g = begin; g < end; ++g) {
                try {
                    body(g, offsets[g], offsets[g + 1] - offsets[g]);
                } catch (const std::invalid_argument& e) {
                    throw invalid("group ", g, ": ", e.what());
                }
            }
        },
        progress);
}
}  // namespace

void xnpv_groups(double rate, const double* amounts, const std::int64_t* days, const std::size_t* offsets,
                 std::size_t groups, DayCount day_count, double* out, const core::Progress& progress) {
    core::require_rate(rate, "rate");
    for_each_group(offsets, groups, progress, [&](std::size_t g, std::size_t first, std::size_t n) {
        out[g] = xnpv(rate, amounts + first, n, days + first, n, day_count);
    });
}

void xirr_groups(const double* amounts, const std::int64_t* days, const std::size_t* offsets, std::size_t groups,
                 DayCount day_count, unsigned max_iter, double guess, double* out, IrrStatus* status,
                 const core::Progress& progress) {
    require_max_iter(max_iter);
    for_each_group(offsets, groups, progress, [&](std::size_t g, std::size_t first, std::size_t n) {
        const XirrResult r = xirr(amounts + first, n, days + first, n, day_count, max_iter, guess, progress);
        out[g] = r.rate;
        status[g] = r.status;
    });
}

Rates xirr_all(const double* amounts, std::size_t n_amounts, const std::int64_t* days, std::size_t n_days,
               DayCount day_count, unsigned max_iter, const core::Progress& progress) {
    require_max_iter(max_iter);
    return dated_roots(dated(amounts, n_amounts, days, n_days, day_count), max_iter, progress);
}

void payback(const Series& values, const double* rate, bool fractional, double* out) {
    if (rate) core::require_rate(*rate, "rate");
    require_columns(values);
    core::parallel_for(values.rows, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const double* x = values.row(i);
            double cumulative = 0.0, factor = 1.0, result = kNaN;
            const double step = rate ? 1.0 / (1.0 + *rate) : 1.0;
            for (std::size_t t = 0; t < values.cols; ++t) {
                if (!std::isfinite(x[t])) throw_bad_flow("values", values, i);
                const double flow = x[t] * factor;
                const double before = cumulative;
                cumulative += flow;
                factor *= step;
                if (cumulative >= 0.0) {
                    result = (fractional && t > 0 && flow > 0.0) ? (t - 1) + (-before / flow) : t;
                    break;
                }
            }
            out[i] = result;
        }
    });
}

double sir(double pv_savings, double pv_investment) {
    core::require_finite(pv_savings, "pv_savings");
    core::require_finite(pv_investment, "pv_investment");
    if (pv_investment > 0.0) return pv_savings / pv_investment;
    // No additional investment: the alternative dominates when it also saves (NIST: SIR is
    // infinite); with no savings either, or with both negative, the ratio has no meaning.
    if (pv_savings > 0.0 || (pv_savings == 0.0 && pv_investment < 0.0)) return std::numeric_limits<double>::infinity();
    return kNaN;
}

double airr(double sir_value, double reinvestment_rate, double n) {
    core::require_rate(reinvestment_rate, "reinvestment_rate");
    core::require_finite(n, "n");
    if (n <= 0.0) throw invalid("n must be > 0, got ", n);
    if (std::isnan(sir_value) || sir_value < 0.0) return kNaN;
    if (std::isinf(sir_value)) return sir_value;
    // NIST Handbook 135 eq. 6.9: AIRR = (1 + r) SIR^(1/N) - 1.
    return (1.0 + reinvestment_rate) * std::pow(sir_value, 1.0 / n) - 1.0;
}

}  // namespace trustcost::finance
