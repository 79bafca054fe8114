// Coverage of a scan (docs/design.md "Coverage"): when CloudTrail delivered the log files the scan read, by
// their names alone (no extra reads), where an account and region went longer than --gap without a delivery,
// and when the matched events happened. The gaps of partial scans (shards) merge exactly: a part carries, per
// account and region, its first and last delivery, and the merge intersects the parts' free time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trailwatch/layout.hpp"

namespace trailwatch {

/// --gap by default: longer than an hour without a delivery is a gap (CloudTrail delivers about every 5
/// minutes while a region has activity).
inline constexpr std::int64_t kDefaultCoverageGap = 3600;
/// The longest --gap taken (ten years, as the delivery slack).
inline constexpr std::int64_t kMaxCoverageGap = 3650 * std::int64_t{86400};

/// One account and region's deliveries among the log files read: a stream.
struct DeliveryStream {
  std::string account;
  std::string region;
  std::int64_t first = 0;  // Unix seconds, whole minutes: the earliest delivery read
  std::int64_t last = 0;   // the latest
  std::uint64_t files = 0;
  bool operator==(const DeliveryStream&) const = default;
};

/// A time in which an account and region that has deliveries had none, longer than --gap: [from, to].
struct DeliveryGap {
  std::string account;
  std::string region;
  std::int64_t from = 0;
  std::int64_t to = 0;
  bool operator==(const DeliveryGap&) const = default;
};

/// input.delivery: over the log files read whose path follows the layout (layout.hpp).
struct DeliveryCoverage {
  std::int64_t first = 0;  // over every stream
  std::int64_t last = 0;
  std::vector<DeliveryGap> gaps;        // by account, region, then time
  std::vector<DeliveryStream> streams;  // by account, region
  /// The --gap the gaps were found with, in seconds; not written (plan.settings holds it), set wherever the
  /// coverage is computed (DeliveryLog::coverage, merge_delivery_coverage), for the table and stderr.
  std::int64_t gap = 0;
  bool operator==(const DeliveryCoverage&) const = default;
};

/// input.coverage: the eventTime of the first and the last matched record.
struct EventCoverage {
  std::int64_t first_event = 0;
  std::int64_t last_event = 0;
  bool operator==(const EventCoverage&) const = default;
};

/// What makes a gap: more than `gap` seconds without a delivery, looked for in [start, end] when given (the
/// scan's --start/--end), else between a stream's first and last delivery.
struct GapRule {
  std::int64_t gap = kDefaultCoverageGap;
  std::optional<std::int64_t> start;
  std::optional<std::int64_t> end;
};

/// The delivery times of the log files one scan (or one worker) read, by account and region.
class DeliveryLog {
 public:
  /// A log file read, as its path gave it (LayoutPath::file).
  void add(const LogFileName& name);
  /// Takes in what another log (another worker) collected.
  void merge(const DeliveryLog& other);
  bool empty() const { return times_.empty(); }
  /// The coverage of every file added; nullopt when none was added.
  std::optional<DeliveryCoverage> coverage(const GapRule& rule) const;

 private:
  std::map<std::pair<std::string, std::string>, std::vector<std::int64_t>> times_;
};

/// The delivery coverage of a scan whose files were split among parts (shards), from the parts' coverage
/// alone (nullopt for a part that read no file of the layout): exactly what DeliveryLog::coverage gives for
/// all their files together, when every part was computed with `rule`.
std::optional<DeliveryCoverage> merge_delivery_coverage(
    const std::vector<std::optional<DeliveryCoverage>>& parts, const GapRule& rule);

/// The earliest first_event and the latest last_event; nullopt when no part has one.
std::optional<EventCoverage> merge_event_coverage(const std::optional<EventCoverage>& a,
                                                  const std::optional<EventCoverage>& b);

/// "3h", "1h30m", "2d4h", "45m", "90s": a duration for people, to the second.
std::string duration_text(std::int64_t seconds);

}  // namespace trailwatch
