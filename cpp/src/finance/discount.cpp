#include "trustcost/finance/discount.hpp"

#include <cmath>
#include <string>

#include "trustcost/core/errors.hpp"

namespace trustcost::finance {

using core::invalid;

Timing parse_timing(std::string_view timing) {
    if (timing == "end") return Timing::End;
    if (timing == "mid") return Timing::Mid;
    if (timing == "begin") return Timing::Begin;
    throw invalid("timing must be 'end', 'mid' or 'begin', got '", std::string(timing), "'");
}

double flow_time(std::size_t period, Timing timing) {
    if (period == 0) return 0.0;
    const double t = static_cast<double>(period);
    switch (timing) {
        case Timing::Mid: return t - 0.5;
        case Timing::Begin: return t - 1.0;
        default: return t;
    }
}

double discount_factor(double rate, double time, bool continuous) {
    core::require_finite(rate, "rate");
    if (continuous) return std::exp(-rate * time);
    core::require_rate(rate, "rate");
    return std::pow(1.0 + rate, -time);
}

std::vector<double> discount_factors(double rate, std::size_t periods, Timing timing,
                                     bool continuous) {
    core::require_finite(rate, "rate");
    if (!continuous) core::require_rate(rate, "rate");
    std::vector<double> out(periods);
    for (std::size_t t = 1; t <= periods; ++t)
        out[t - 1] = discount_factor(rate, flow_time(t, timing), continuous);
    return out;
}

double real_rate(double nominal, double inflation) {
    core::require_rate(nominal, "nominal");
    core::require_rate(inflation, "inflation");
    return (1.0 + nominal) / (1.0 + inflation) - 1.0;
}

double nominal_rate(double real, double inflation) {
    core::require_rate(real, "real");
    core::require_rate(inflation, "inflation");
    return (1.0 + real) * (1.0 + inflation) - 1.0;
}

namespace {
void require_periods(double n) {
    core::require_finite(n, "n");
    if (n < 0.0) throw invalid("n must be >= 0, got ", n);
}

// Periods by which the chosen timing moves each flow earlier than the end of its period.
double timing_shift(Timing timing) {
    switch (timing) {
        case Timing::Mid: return 0.5;
        case Timing::Begin: return 1.0;
        default: return 0.0;
    }
}
}  // namespace

double spv(double rate, double n) {
    core::require_rate(rate, "rate");
    require_periods(n);
    return std::pow(1.0 + rate, -n);
}

double upv(double rate, double n, double escalation, Timing timing) {
    core::require_rate(rate, "rate");
    core::require_rate(escalation, "escalation");
    require_periods(n);
    // Ratio q = (1+e)/(1+d); sum_{t=1..n} q^t = q (1 - q^n) / (1 - q), with n at q = 1.
    // log1p/expm1 keep the small-difference case (d close to e) accurate.
    const double log_q = std::log1p(escalation) - std::log1p(rate);
    double factor;
    if (std::abs(log_q) < 1e-12) {
        factor = n;
    } else {
        const double q = std::exp(log_q);
        factor = q * std::expm1(n * log_q) / std::expm1(log_q);
    }
    // Mid-year (and beginning-of-year) amounts are escalated and discounted to the same
    // earlier time, so the whole factor moves by q^-shift (MIL-HDBK-1003/13A mid-year tables).
    return factor * std::exp(-timing_shift(timing) * log_q);
}

double crf(double rate, double n) {
    core::require_rate(rate, "rate");
    core::require_finite(n, "n");
    if (n <= 0.0) throw invalid("n must be > 0, got ", n);
    if (std::abs(rate) < 1e-14) return 1.0 / n;
    // d / (1 - (1+d)^-n), with expm1 for accuracy at small rates.
    return rate / -std::expm1(-n * std::log1p(rate));
}

double eac(double present_value, double rate, double n) {
    core::require_finite(present_value, "present_value");
    return present_value * crf(rate, n);
}

}  // namespace trustcost::finance
