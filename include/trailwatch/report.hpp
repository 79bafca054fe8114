// Report layer: the result of a scan as data, and its table, JSON (schema trailwatch.scan/1) and CSV forms.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "trailwatch/alarm.hpp"
#include "trailwatch/ingest.hpp"
#include "trailwatch/metric.hpp"

namespace trailwatch {

/// The "input" section of a scan report.
struct InputSummary {
  std::string mode = "full";
  std::uint64_t files = 0;
  std::uint64_t files_failed = 0;
  std::uint64_t records = 0;
  std::uint64_t records_failed = 0;
  std::uint64_t records_out_of_range = 0;
  std::uint64_t records_out_of_scope = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_inflated = 0;
  std::uint64_t buffers_skipped = 0;
  std::uint64_t bytes_skipped = 0;
  double seconds = 0;
  bool partial = false;      // some input could not be read
  bool interrupted = false;  // stopped by a signal before every input was read
  std::string kernel;        // the simdjson kernel that ran
  unsigned threads = 1;
  SkipCounts skipped;
  std::vector<PathMessage> warnings;
  std::vector<PathMessage> errors;
};

struct AlarmResult {
  std::string name;
  std::map<std::string, std::string> dimensions;  // the series it watches
  AlarmSettings settings;
  std::vector<AlarmWindow> windows;
};

/// An alarm of a replayed configuration that could not be replayed, and why.
struct UnreplayableAlarm {
  std::string name;
  std::string reason;
};

struct SeriesResult {
  std::map<std::string, std::string> dimensions;
  std::vector<Datapoint> datapoints;
};

struct RuleResult {
  std::string id;
  std::string pattern;
  MetricTransformation metric;
  std::uint64_t matched_events = 0;
  std::uint64_t matched_oversize = 0;
  std::uint64_t dropped_samples = 0;  // matches whose value or a dimension could not be read
  std::uint64_t matched_before_creation =
      0;  // --config: matches older than the filter (the alarm never saw them)
  std::optional<std::int64_t> created_at;  // --config: the filter's creationTime
  std::vector<SeriesResult> series;
  std::vector<AlarmResult> alarms;
};

struct ScanReport {
  InputSummary input;
  std::vector<RuleResult> rules;
  std::vector<UnreplayableAlarm> unreplayable_alarms;
};

/// JSON, schema trailwatch.scan/1 (DESIGN.md).
void write_json(std::ostream& out, const ScanReport& report);
/// A human-readable summary: input counts, per rule the datapoints and alarm windows, then errors.
void write_table(std::ostream& out, const ScanReport& report);
/// One row per datapoint and one per window: kind,rule,timestamp,end,value,sample_count,alarm_at,peak,open.
void write_csv(std::ostream& out, const ScanReport& report);

/// Appends `text` to `out` as a JSON string literal (quotes included), escaping as RFC 8259 requires. The
/// literal is valid UTF-8 whatever `text` holds: valid UTF-8 is copied byte for byte, each ill-formed
/// sequence becomes U+FFFD, and control characters are escaped (\n, \r, \t by name, the rest and DEL as
/// \u00XX).
void append_json_string(std::string& out, std::string_view text);

/// Counters that workers bump and the progress line reads.
struct ScanProgress {
  std::atomic<std::uint64_t> files_done{0};
  std::atomic<std::uint64_t> bytes_read{0};
  std::atomic<std::uint64_t> records{0};
  std::uint64_t files_total = 0;
  std::uint64_t bytes_total = 0;
};

/// Draws a one-line progress display on a terminal from a background thread until stopped.
class ProgressLine {
 public:
  ProgressLine(const ScanProgress& progress, int fd);
  ~ProgressLine();  // stops and erases the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace trailwatch
