// Discounting and the NIST Handbook 135 / ASTM E917 present-value factors.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace trustcost::finance {

// Where in a period its cash flow falls: end of period t at time t, mid-period at t - 0.5,
// beginning at t - 1 (NIST Handbook 135, section 4.3: end-of-year and mid-year conventions).
enum class Timing { End, Mid, Begin };

Timing parse_timing(std::string_view timing);

// Time (in periods) at which the flow of period t >= 1 occurs; period 0 is always at time 0.
double flow_time(std::size_t period, Timing timing);

// Factor that brings a flow at `time` back to time 0: (1 + rate)^-time, or exp(-rate * time)
// for a continuously compounded rate.
double discount_factor(double rate, double time, bool continuous = false);

// Factors for periods 1..periods under the given timing.
std::vector<double> discount_factors(double rate, std::size_t periods, Timing timing,
                                     bool continuous = false);

// Fisher relation: (1 + nominal) = (1 + real)(1 + inflation).
double real_rate(double nominal, double inflation);
double nominal_rate(double real, double inflation);

// Single present value: SPV = (1 + d)^-n.
double spv(double rate, double n);

// Uniform present value of 1 per period for n periods, escalating at `escalation` per period
// (NIST UPV, and UPV* when escalation != 0): sum_{t=1..n} ((1+e)/(1+d))^t at end of year. Mid-year
// (beginning-of-year) flows are escalated and discounted to t - 0.5 (t - 1): the sum times
// ((1+e)/(1+d))^-0.5 (^-1), as in MIL-HDBK-1003/13A's mid-year UPV* table (d = 10%, e = 7%,
// 25 years: 18.049).
double upv(double rate, double n, double escalation = 0.0, Timing timing = Timing::End);

// Capital recovery factor (NIST UCR): d (1+d)^n / ((1+d)^n - 1), 1/n at d = 0.
double crf(double rate, double n);

// Equivalent annual cost of a present value over n periods: pv * crf(rate, n).
double eac(double present_value, double rate, double n);

}  // namespace trustcost::finance
