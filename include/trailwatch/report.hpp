// Report layer: writes what a scan found (trailwatch/scan.hpp) as a table, JSON (schema trailwatch.scan/1,
// docs/design.md), CSV or HTML, writes --matches, and draws the progress line.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "trailwatch/json_string.hpp"
#include "trailwatch/scan.hpp"
#include "trailwatch/terminal_style.hpp"

namespace trailwatch {

/// JSON, schema trailwatch.scan/1 (docs/design.md).
void write_json(std::ostream& out, const ScanReport& report);
/// A human-readable summary: input counts, per rule the datapoints and alarm windows, then errors. `style`
/// colours ALARM red, "never in ALARM" green and warnings yellow; the default writes no escape.
void write_table(std::ostream& out, const ScanReport& report, const TerminalStyle& style = {});
/// One self-contained HTML page (docs/design.md "HTML output"): per rule a timeline of the datapoints with
/// the alarm windows, who did it and the earliest matched events.
void write_html(std::ostream& out, const ScanReport& report);
/// One row per datapoint and one per window: kind,rule,timestamp,end,value,sample_count,alarm_at,peak,open;
/// then one per delivery gap.
void write_csv(std::ostream& out, const ScanReport& report);
/// What stderr says when the delivery coverage has gaps (logs are missing), whatever the format: a few lines
/// naming the first gaps; empty without gaps. `style` is stderr's (coloured only when stderr is a terminal).
std::string coverage_warning(const ScanReport& report, const TerminalStyle& style = {});
/// When the scope left nothing to evaluate (InputSummary::nothing_in_scope), one line without a newline
/// saying so: which of --account/--region/--start/--end match no logs, and the accounts, regions and days
/// seen (docs/design.md "Nothing in scope"); empty otherwise.
std::string nothing_in_scope_text(const ScanReport& report);

/// Writes --matches: one NDJSON line per matched record ({"rule","file","oversize","record"}), each input's
/// lines together. `out` must outlive the writer; calls from several workers are serialised.
class MatchesWriter : public MatchSink {
 public:
  explicit MatchesWriter(std::ostream& out) : out_(out) {}
  void write(const ScanPlan& plan, const std::string& path,
             const std::vector<MatchedRecord>& records) override;

 private:
  std::ostream& out_;
  std::mutex mutex_;
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
