// Recency-frequency-monetary summaries of transaction logs, and checks of such summaries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trustcost/core/parallel.hpp"

namespace trustcost::relationship {

// The unit of a log's time stamps: numpy's datetime64 units (ticks since 1970-01-01 00:00, wall
// clock), or `period` for stamps that are already period numbers.
enum class StampUnit { period, day, second, millisecond, microsecond, nanosecond };

// The period of a summary, numbered as pandas numbers its Periods: hours, days, months, quarters
// and years since 1970 (equal to pandas' Period ordinals), weeks ending on Sunday counted from the
// one holding 1970-01-01 (pandas' W-SUN ordinal minus 1).
enum class PeriodUnit { hour, day, week, month, quarter, year };

struct PeriodClock {
    StampUnit stamp = StampUnit::period;
    PeriodUnit period = PeriodUnit::day;
};

// Period numbers of time stamps, floored (a stamp before 1970 falls in the period holding it).
// Throws naming `name` and the row for a missing stamp (NaT: INT64_MIN) or one beyond the range.
void period_numbers(const std::int64_t* stamps, std::size_t n, PeriodClock clock, std::int64_t* out,
                    std::string_view name = "date");

// A transaction log as columns read in place, one row per purchase.
struct TransactionLog {
    const std::int64_t* customer = nullptr;  // codes in [0, customers)
    const std::int64_t* stamp = nullptr;     // time stamps in clock.stamp units
    const double* value = nullptr;           // purchase values (finite), or nullptr
    std::size_t rows = 0;
    std::size_t customers = 0;
    PeriodClock clock;
    // The columns' names, for the messages.
    std::string customer_name = "customer", date_name = "date", value_name = "value";
};

// Where the summary looks, in period numbers.
struct SummaryWindow {
    // Rows after it are excluded (and counted); default: the last period of the log.
    std::optional<std::int64_t> observation_end;
    // Last period of the calibration; the periods after it up to observation_end are the holdout.
    // Default: observation_end (no holdout).
    std::optional<std::int64_t> calibration_end;
    bool include_first = false;  // count the first period in frequency and monetary value
    double time_scale = 1.0;     // recency, T and the holdout duration are divided by it (> 0)
};

// Where write() puts one row per customer; any pointer but customer and the first three may be nullptr.
struct SummaryColumns {
    std::int64_t* customer = nullptr;  // the customer's code
    double* frequency = nullptr;
    double* recency = nullptr;
    double* T = nullptr;
    double* monetary = nullptr;
    double* holdout_frequency = nullptr;
    double* holdout_monetary = nullptr;
    double* holdout_duration = nullptr;
};

// Per-customer reduction of a transaction log with the semantics of lifetimes'
// summary_data_from_transaction_data and calibration_and_holdout_data: transactions in the same
// period are merged (their values summed); in the calibration (periods up to calibration_end)
// frequency counts the periods with purchases after the first, recency = last - first period,
// T = calibration_end - first period, monetary value = mean of the repeat periods' sums (0
// without); in the holdout, frequency counts the periods with purchases and monetary value is the
// mean of their sums. With `include_first` the first period counts too. Only customers whose
// first purchase is on or before calibration_end are summarised.
//
// One pass over the rows, in row order: the rows are checked (customer code in range, stamp
// present, value finite: std::invalid_argument naming the column and the first bad row), turned
// into period numbers, and folded into per-customer running sums. Logs are mostly in time order
// per customer; a customer whose periods go backwards is summed again afterwards from their rows
// sorted by period (stable), so every customer's sums are added in the same order either way.
// When many customers go backwards (a shuffled log) everyone is summed from sorted rows.
class TransactionSummary {
public:
    // Polls `progress` every ~million rows (Ctrl-C: core::Cancelled).
    TransactionSummary(const TransactionLog& log, const SummaryWindow& window, const core::Progress& progress = {});

    std::size_t size() const { return size_; }  // customers in the summary
    std::int64_t calibration_end() const { return calibration_end_; }
    std::int64_t observation_end() const { return observation_end_; }
    std::size_t excluded_rows() const { return excluded_rows_; }                  // after observation_end
    std::size_t first_seen_in_holdout() const { return first_seen_in_holdout_; }  // customers not summarised

    // One row per summarised customer, by ascending code or, with `order` (a permutation of the
    // codes), in that order. Each column has size() entries.
    void write(SummaryColumns out, const std::int64_t* order = nullptr) const;

    // Running sums of one customer (public for the implementation's helpers).
    struct Track {
        std::int64_t first, last;  // first and latest period
        std::uint64_t periods;     // distinct periods so far (0: no purchase yet)
        double repeat, current;    // sum of the counted calibration periods; of period `last` so far
    };
    struct HoldoutTrack {  // written when a customer's calibration closes
        std::int64_t calibration_last;
        std::uint64_t calibration_periods;  // 0: first purchase in the holdout
        double holdout_sum;
    };

private:
    // With a holdout both sums of a customer share one cache line (the pass reads them in log
    // order, which jumps from customer to customer).
    struct alignas(64) Joint {
        Track track;
        HoldoutTrack holdout;
    };
    template <bool Holdout>
    Track& track(std::size_t c) {
        if constexpr (Holdout) return joint_[c].track;
        else return tracks_[c];
    }
    template <bool Holdout>
    HoldoutTrack* holdout(std::size_t c) {
        if constexpr (Holdout) return &joint_[c].holdout;
        else return nullptr;
    }
    template <bool Holdout>
    void summarise(const TransactionLog& log, const core::Progress& progress);
    struct Counts {  // what the pass counts (see the accessors)
        std::int64_t latest = std::numeric_limits<std::int64_t>::min();
        std::size_t excluded = 0, started = 0, in_holdout = 0;
    };
    // Sums again from rows sorted by period the customers that went backwards, or everyone.
    template <bool Holdout>
    Counts resum(const TransactionLog& log, bool everyone, Counts counts, const core::Progress& progress);
    template <bool Holdout>
    void write_rows(SummaryColumns out, const std::int64_t* order) const;

    SummaryWindow window_;
    std::vector<Track> tracks_;  // without a holdout
    std::vector<Joint> joint_;   // with a holdout
    std::int64_t calibration_end_ = 0, observation_end_ = 0;
    std::size_t size_ = 0, excluded_rows_ = 0, first_seen_in_holdout_ = 0;
};

// Purchase counts are whole numbers up to 2^53 (exact in a double): beyond, x + 1 == x and the
// casts to an index that the likelihoods' tables take are undefined (1e306 purchases crashed).
inline constexpr double kMaxPurchases = 9007199254740992.0;

// Throws std::invalid_argument naming the column and the first bad row when frequency is negative,
// fractional or above kMaxPurchases, recency or T negative, recency > T, frequency 0 with
// recency > 0, or any is NaN.
void check_summary(const double* frequency, const double* recency, const double* T, std::size_t n);
// Rows [begin, end) of the same rule (row numbers as given): for a parallel pass that checks each
// block just before it computes on it, while the rows are in cache.
void check_summary_block(const double* frequency, const double* recency, const double* T, std::size_t begin,
                         std::size_t end);

}  // namespace trustcost::relationship
