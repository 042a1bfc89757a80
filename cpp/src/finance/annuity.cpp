#include "trustcost/finance/annuity.hpp"

#include <cmath>
#include <limits>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"

namespace trustcost::finance {

using core::invalid;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kBlock = 4096;

// (1 + rate)^nper and (1 + rate)^nper - 1, the latter without cancellation at small rates.
struct Growth {
    double factor, minus_one;
};
inline Growth growth(double rate, double nper) {
    const double log_growth = nper * std::log1p(rate);
    const double factor = std::exp(log_growth);
    // expm1 only where factor - 1 would cancel (it costs as much as the rest together).
    return {factor, std::abs(log_growth) < 0.5 ? std::expm1(log_growth) : factor - 1.0};
}

// Payments-to-value factor: sum of the nper payments' growth to the end of the term.
inline double annuity_factor(double rate, double nper, double when, const Growth& g) {
    return rate == 0.0 ? nper : (1.0 + rate * when) * g.minus_one / rate;
}

void check_when(double when, std::size_t i) {
    if (when != 0.0 && when != 1.0) throw invalid("when[", i, "] must be 0 ('end') or 1 ('begin'), got ", when);
}

void check_finite(double v, const char* name, std::size_t i) {
    if (!std::isfinite(v)) throw invalid(name, "[", i, "] must be finite, got ", v);
}

void check_rate(double r, const char* name, std::size_t i) {
    check_finite(r, name, i);
    if (r <= -1.0) throw invalid(name, "[", i, "] must be > -1, got ", r);
}

}  // namespace

double fv(double rate, double nper, double pmt, double pv, double when) {
    const Growth g = growth(rate, nper);
    return -pv * g.factor - pmt * annuity_factor(rate, nper, when, g);
}

double pv(double rate, double nper, double pmt, double fv, double when) {
    const Growth g = growth(rate, nper);
    return -(fv + pmt * annuity_factor(rate, nper, when, g)) / g.factor;
}

double pmt(double rate, double nper, double pv, double fv, double when) {
    const Growth g = growth(rate, nper);
    return -(fv + pv * g.factor) / annuity_factor(rate, nper, when, g);
}

double nper(double rate, double pmt, double pv, double fv, double when) {
    if (rate == 0.0) return -(fv + pv) / pmt;
    const double z = pmt * (1.0 + rate * when) / rate;
    const double ratio = (z - fv) / (pv + z);
    return ratio > 0.0 ? std::log(ratio) / std::log1p(rate) : kNaN;
}

double ipmt(double rate, double per, double nper, double pv, double fv, double when) {
    if (!(per >= 1.0)) return kNaN;
    if (when == 1.0 && per == 1.0) return 0.0;  // the first payment falls before any interest
    const double payment = pmt(rate, nper, pv, fv, when);
    // Interest on the balance left after per - 1 payments. That balance is the value at that
    // time of the payments still to come (and fv) as well as the compounded loan less the
    // compounded payments; each form is free of cancellation on one side of r = 0.
    const double balance = rate > 0.0 ? -finance::pv(rate, nper - (per - 1.0), payment, fv, when)
                                      : finance::fv(rate, per - 1.0, payment, pv, when);
    const double interest = balance * rate;
    return when == 1.0 ? interest / (1.0 + rate) : interest;
}

double ppmt(double rate, double per, double nper, double pv, double fv, double when) {
    return pmt(rate, nper, pv, fv, when) - ipmt(rate, per, nper, pv, fv, when);
}

RateResult rate(double nper, double pmt, double pv, double fv, double when, double guess, double tol,
                unsigned max_iter) {
    // g(r) = fv + pv (1+r)^n + pmt (1 + r w) ((1+r)^n - 1) / r, solved by Newton's method.
    struct Value {
        double g, slope, scale;
    };
    auto evaluate = [&](double r) -> Value {
        if (r == 0.0)  // limits at r = 0
            return {fv + pv + pmt * nper, nper * pv + pmt * (nper * when + nper * (nper - 1.0) / 2.0),
                    std::abs(fv) + std::abs(pv) + std::abs(pmt * nper)};
        const double log_growth = nper * std::log1p(r);
        const double t1 = std::exp(log_growth), t2 = t1 / (1.0 + r);
        const double head = 1.0 + r * when;
        const double payments = pmt * head * std::expm1(log_growth) / r;
        return {fv + t1 * pv + payments,
                nper * t2 * pv - pmt * (t1 - 1.0) * head / (r * r) + nper * pmt * t2 * head / r +
                    pmt * (t1 - 1.0) * when / r,
                std::abs(fv) + std::abs(t1 * pv) + std::abs(payments)};
    };
    double r = guess;
    bool stopped = false;
    for (unsigned it = 0; it < max_iter && !stopped; ++it) {
        if (!(r > -1.0) || !std::isfinite(r)) break;
        const Value v = evaluate(r);
        const double next = r - v.g / v.slope;
        stopped = std::abs(next - r) < tol;
        r = next;
    }
    if (!stopped || !(r > -1.0) || !std::isfinite(r)) return {kNaN, false};
    // A small step is not enough (numpy-financial stops there): where g is steep Newton creeps
    // with small steps far from any root. Two more steps polish a true root to full precision;
    // then the rate must solve the equation relative to its terms.
    for (int polish = 0; polish < 2; ++polish) {
        const Value v = evaluate(r);
        const double next = r - v.g / v.slope;
        if (!(next > -1.0) || !std::isfinite(next)) break;
        r = next;
    }
    const Value v = evaluate(r);
    if (!(std::abs(v.g) <= 1e-9 * v.scale)) return {kNaN, false};
    return {r, true};
}

void annuity(Annuity kind, const double* const* a, const std::size_t* steps, std::size_t size, double* out) {
    static constexpr const char* kNames[6][6] = {
        {"rate", "nper", "pmt", "pv", "when", ""},  {"rate", "nper", "pmt", "fv", "when", ""},
        {"rate", "nper", "pv", "fv", "when", ""},   {"rate", "pmt", "pv", "fv", "when", ""},
        {"rate", "per", "nper", "pv", "fv", "when"}, {"rate", "per", "nper", "pv", "fv", "when"},
    };
    const bool per_form = kind == Annuity::IPMT || kind == Annuity::PPMT;
    const std::size_t nargs = per_form ? 6 : 5;
    const auto& names = kNames[static_cast<int>(kind)];
    core::parallel_for(size, kBlock, [&](std::size_t begin, std::size_t end) {
        double x[6];
        for (std::size_t i = begin; i < end; ++i) {
            for (std::size_t j = 0; j < nargs; ++j) x[j] = a[j][i * steps[j]];
            check_rate(x[0], "rate", i);
            for (std::size_t j = 1; j + 1 < nargs; ++j) check_finite(x[j], names[j], i);
            const double w = x[nargs - 1];
            check_when(w, i);
            switch (kind) {
                case Annuity::FV: out[i] = fv(x[0], x[1], x[2], x[3], w); break;
                case Annuity::PV: out[i] = pv(x[0], x[1], x[2], x[3], w); break;
                case Annuity::PMT: out[i] = pmt(x[0], x[1], x[2], x[3], w); break;
                case Annuity::NPER: out[i] = nper(x[0], x[1], x[2], x[3], w); break;
                case Annuity::IPMT: out[i] = ipmt(x[0], x[1], x[2], x[3], x[4], w); break;
                case Annuity::PPMT: out[i] = ppmt(x[0], x[1], x[2], x[3], x[4], w); break;
            }
        }
    });
}

void rate(const double* const* a, const std::size_t* steps, std::size_t size, double guess, double tol,
          unsigned max_iter, double* out, std::uint8_t* converged) {
    core::require_rate(guess, "guess");
    core::require_positive(tol, "tol");
    static constexpr const char* kNames[4] = {"nper", "pmt", "pv", "fv"};
    core::parallel_for(size, kBlock, [&](std::size_t begin, std::size_t end) {
        double x[5];
        for (std::size_t i = begin; i < end; ++i) {
            for (std::size_t j = 0; j < 5; ++j) x[j] = a[j][i * steps[j]];
            for (std::size_t j = 0; j < 4; ++j) check_finite(x[j], kNames[j], i);
            check_when(x[4], i);
            const RateResult r = rate(x[0], x[1], x[2], x[3], x[4], guess, tol, max_iter);
            out[i] = r.converged ? r.rate : kNaN;
            converged[i] = r.converged;
        }
    });
}

void mirr(const Series& values, const double* finance_rate, const double* reinvest_rate, std::size_t rates_size,
          double* out, std::uint8_t* has_solution) {
    if (values.cols < 2) throw invalid("values must have at least 2 periods for mirr, got ", values.cols);
    for (std::size_t j = 0; j < rates_size; ++j) {
        if (!std::isfinite(finance_rate[j]) || finance_rate[j] <= -1.0)
            throw invalid("finance_rate[", j, "] must be finite and > -1, got ", finance_rate[j]);
        if (!std::isfinite(reinvest_rate[j]) || reinvest_rate[j] <= -1.0)
            throw invalid("reinvest_rate[", j, "] must be finite and > -1, got ", reinvest_rate[j]);
    }
    const std::size_t n = values.cols;
    core::parallel_for(values.rows, kBlock / 8, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const double* v = values.row(i);
            bool pos = false, neg = false;
            for (std::size_t t = 0; t < n; ++t) {
                if (!std::isfinite(v[t])) throw invalid("values[", i, ", ", t, "] must be finite, got ", v[t]);
                pos |= v[t] > 0.0;
                neg |= v[t] < 0.0;
            }
            for (std::size_t j = 0; j < rates_size; ++j) {
                double* o = out + i * rates_size + j;
                has_solution[i * rates_size + j] = pos && neg;
                if (!(pos && neg)) {
                    *o = kNaN;
                    continue;
                }
                // Present values, as numpy-financial computes them; the ratio is the same as FV/PV.
                double gains = 0.0, costs = 0.0;
                const double step_r = 1.0 / (1.0 + reinvest_rate[j]), step_f = 1.0 / (1.0 + finance_rate[j]);
                double dr = 1.0, df = 1.0;
                for (std::size_t t = 0; t < n; ++t) {
                    if (v[t] > 0.0) gains += v[t] * dr;
                    if (v[t] < 0.0) costs += v[t] * df;
                    dr *= step_r;
                    df *= step_f;
                }
                *o = std::pow(gains / -costs, 1.0 / static_cast<double>(n - 1)) * (1.0 + reinvest_rate[j]) - 1.0;
            }
        }
    });
}

}  // namespace trustcost::finance
