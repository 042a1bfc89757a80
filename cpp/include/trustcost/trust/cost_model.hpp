// What a buyer-supplier relationship costs to run as a function of trust tau in [0, 1]
// (Dyer 1997, Strategic Management Journal 18(7); Dyer & Chu 2003, Organization Science 14(1)).
//
// Every line is base x level(tau), where level moves from a low-trust anchor (tau = 0, the
// least-trusted buyer of the studies) to a high-trust anchor (tau = 1, the most trusted):
//     level(tau) = low + (high - low) * tau^curvature.
// curvature = 1 is linear interpolation; < 1 makes the first gains in trust pay off fastest.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>

namespace trustcost::trust {

// Cost lines, in reporting order. InformationSharing is a value, so its line is negative.
enum Line : std::size_t {
    kTransaction = 0,         // hours x hourly cost x transactional share of face-to-face time
    kProcurement = 1,         // spend x procurement staff cost per unit of spend
    kInspection = 2,          // lots x cost per lot x share of lots inspected
    kDisputes = 3,            // disputes x cost per dispute
    kInformationSharing = 4,  // -(spend x value of shared ideas per unit of spend)
    kLines = 5,
};

// How a count (hours, lots, disputes) is stated: per year, or per year and per million of the
// year's spend with the supplier, so that it scales with the relationship.
enum Basis : int {
    kPerYear = 0,
    kPerMillionSpend = 1,
};
constexpr double kMillion = 1e6;

// Column layout of one relationship's model (kModelParams doubles, row-major in batches). Python
// fills a row by these names (bound as TrustModelParam); the order lives here only.
enum ModelParam : std::size_t {
    kHours = 0,             // face-to-face interaction hours (per kHoursBasis)
    kHourlyCost = 1,        // loaded cost per hour
    kShareLow = 2,          // transactional share of that time at tau = 0
    kShareHigh = 3,         //   ... at tau = 1
    kProcurementLow = 4,    // procurement cost per unit of spend at tau = 0
    kProcurementHigh = 5,   //   ... at tau = 1
    kLotsPerYear = 6,       // incoming lots (per kLotsBasis)
    kCostPerLot = 7,        // cost of inspecting one lot
    kInspectionLow = 8,     // share of lots inspected at tau = 0
    kInspectionHigh = 9,    //   ... at tau = 1
    kCostPerDispute = 10,   // cost of one dispute
    kDisputesLow = 11,      // disputes (per kDisputesBasis) at tau = 0
    kDisputesHigh = 12,     //   ... at tau = 1
    kSharingLow = 13,       // value of shared ideas per unit of spend at tau = 0
    kSharingHigh = 14,      //   ... at tau = 1
    kCurvature = 15,        // exponent of tau in the interpolation, > 0
    kHoursBasis = 16,       // Basis of kHours
    kLotsBasis = 17,        // Basis of kLotsPerYear
    kDisputesBasis = 18,    // Basis of kDisputesLow and kDisputesHigh
    kModelParams = 19,
};

// level(tau) = low + (high - low) * tau^curvature.
inline double level(double low, double high, double curvature, double tau) {
    const double w = curvature == 1.0 ? tau : (tau <= 0.0 ? 0.0 : std::pow(tau, curvature));
    return low + (high - low) * w;
}

// Anchors and base of one line: cost = base(model, spend) * level(low, high, curvature, tau).
struct LineSpec {
    std::size_t low, high;
};
constexpr std::array<LineSpec, kLines> kAnchors{{{kShareLow, kShareHigh},
                                                 {kProcurementLow, kProcurementHigh},
                                                 {kInspectionLow, kInspectionHigh},
                                                 {kDisputesLow, kDisputesHigh},
                                                 {kSharingLow, kSharingHigh}}};

// The amount a line's level multiplies (negative for information sharing, a value).
double line_base(const double* model, Line line, double spend);

// Whether a line's base is proportional to the spend (and so escalates with it): procurement and
// information sharing always, the count lines when their count is per million of spend.
bool scales_with_spend(const double* model, Line line);

// Throws std::invalid_argument naming the row and parameter ("model 3: hours must be >= 0, got -1").
void validate_model(const double* model, std::size_t row = 0);

// The kLines costs of one relationship in one year.
std::array<double, kLines> line_costs(const double* model, double tau, double spend);

// Batch: rows relationships x years. models is rows x kModelParams, trust and spend rows x
// years; out receives rows x years x kLines. Rows run in parallel blocks; a bad value throws
// naming its row and year ("trust[3, 2] must be in [0, 1], got 1.2").
void evaluate_lines(const double* models, const double* trust, const double* spend, std::size_t rows,
                    std::size_t years, double* out);

}  // namespace trustcost::trust
