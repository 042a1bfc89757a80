#include "trustcost/trust/cost_model.hpp"

#include <cmath>

#include "trustcost/core/errors.hpp"
#include "trustcost/core/parallel.hpp"

namespace trustcost::trust {

using core::invalid;

namespace {

constexpr std::size_t kBlock = 256;  // relationships per parallel block

constexpr const char* kParamNames[kModelParams] = {
    "hours",           "hourly_cost",     "transactional_share_low", "transactional_share_high",
    "procurement_low", "procurement_high", "lots_per_year",          "cost_per_lot",
    "inspection_low",  "inspection_high",  "cost_per_dispute",       "disputes_low",
    "disputes_high",   "sharing_low",      "sharing_high",           "curvature",
    "hours_basis",     "lots_basis",       "disputes_basis"};

// The model row holds a Basis as a double (0 or 1).
bool is(double basis, Basis b) { return basis == static_cast<double>(b); }

// Spend as the multiplier of a count stated on `basis` (1 for counts per year).
double per(double basis, double spend) { return is(basis, kPerMillionSpend) ? spend / kMillion : 1.0; }

}  // namespace

double line_base(const double* m, Line line, double spend) {
    switch (line) {
        case kTransaction: return m[kHours] * m[kHourlyCost] * per(m[kHoursBasis], spend);
        case kProcurement: return spend;
        case kInspection: return m[kLotsPerYear] * m[kCostPerLot] * per(m[kLotsBasis], spend);
        case kDisputes: return m[kCostPerDispute] * per(m[kDisputesBasis], spend);
        case kInformationSharing: return -spend;
        default: throw invalid("line must be 0..", kLines - 1, ", got ", static_cast<std::size_t>(line));
    }
}

bool scales_with_spend(const double* m, Line line) {
    switch (line) {
        case kTransaction: return is(m[kHoursBasis], kPerMillionSpend);
        case kInspection: return is(m[kLotsBasis], kPerMillionSpend);
        case kDisputes: return is(m[kDisputesBasis], kPerMillionSpend);
        default: return true;
    }
}

void validate_model(const double* m, std::size_t row) {
    for (std::size_t k = 0; k < kModelParams; ++k) {
        const double x = m[k];
        if (k == kHoursBasis || k == kLotsBasis || k == kDisputesBasis) {
            if (!(is(x, kPerYear) || is(x, kPerMillionSpend)))
                throw invalid("model ", row, ": ", kParamNames[k], " must be 0 (per year) or 1 (per million of spend), got ", x);
            continue;
        }
        const bool share = k == kShareLow || k == kShareHigh || k == kInspectionLow || k == kInspectionHigh;
        const bool ok = k == kCurvature ? (x > 0.0 && std::isfinite(x))
                        : share         ? (x >= 0.0 && x <= 1.0)  // shares of time and of lots
                                        : (x >= 0.0 && std::isfinite(x));
        if (!ok)
            throw invalid("model ", row, ": ", kParamNames[k], k == kCurvature ? " must be > 0" : share ? " must be in [0, 1]" : " must be >= 0",
                          ", got ", x);
    }
}

std::array<double, kLines> line_costs(const double* m, double tau, double spend) {
    std::array<double, kLines> out{};
    for (std::size_t l = 0; l < kLines; ++l) {
        const auto line = static_cast<Line>(l);
        out[l] = line_base(m, line, spend) * level(m[kAnchors[l].low], m[kAnchors[l].high], m[kCurvature], tau);
    }
    return out;
}

void evaluate_lines(const double* models, const double* trust, const double* spend, std::size_t rows,
                    std::size_t years, double* out) {
    // Validate everything first so a bad value raises before any work is done.
    for (std::size_t r = 0; r < rows; ++r) {
        validate_model(models + r * kModelParams, r);
        for (std::size_t y = 0; y < years; ++y) {
            // Messages are built only on failure: this loop runs over every cell of a batch.
            const double tau = trust[r * years + y], s = spend[r * years + y];
            if (!(tau >= 0.0 && tau <= 1.0)) throw invalid("trust[", r, ", ", y, "] must be in [0, 1], got ", tau);
            if (!(s >= 0.0 && std::isfinite(s))) throw invalid("spend[", r, ", ", y, "] must be >= 0 and finite, got ", s);
        }
    }
    core::parallel_for(rows, kBlock, [&](std::size_t begin, std::size_t end) {
        for (std::size_t r = begin; r < end; ++r) {
            const double* m = models + r * kModelParams;
            for (std::size_t y = 0; y < years; ++y) {
                const auto c = line_costs(m, trust[r * years + y], spend[r * years + y]);
                std::copy(c.begin(), c.end(), out + (r * years + y) * kLines);
            }
        }
    });
}

}  // namespace trustcost::trust
