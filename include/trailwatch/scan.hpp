// Scan unit: the whole pipeline, from inputs to a report value. A ScanPlan is what a question asks (filters,
// alarms, scope), built once and immutable; an EventEvaluator runs a plan on single events (test-pattern, the
// audit's probes, the rule lint); a Scanner runs a plan over inputs on worker threads and returns a
// ScanReport. The report layer only writes a ScanReport out; the command line only turns flags into a
// ScanSpec.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "trailwatch/account_config.hpp"
#include "trailwatch/alarm.hpp"
#include "trailwatch/coverage.hpp"
#include "trailwatch/ingest.hpp"
#include "trailwatch/matched_events.hpp"
#include "trailwatch/metric.hpp"
#include "trailwatch/records.hpp"

namespace trailwatch {

// ---- the question

/// A plan that cannot be built (an unusable metric transformation, an alarm the series cannot serve).
class PlanError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// What a scan evaluates: the metric filters, which alarms are replayed on their series, and which records
/// count at all.
struct ScanSpec {
  std::vector<MetricFilter> filters;
  /// One alarm replayed on every series of every filter (built-in rules, an ad-hoc pattern), or the alarms of
  /// an account's configuration, each on the one series it watches (--config).
  std::variant<AlarmSettings, std::vector<ConfiguredAlarm>> alarms = AlarmSettings{};
  /// The statistic the report's datapoints show.
  Statistic series_statistic = Statistic::Sum;
  /// The aggregation period when no replayable alarm gives one (configured alarms without a replayable one).
  std::int64_t fallback_period = 300;
  RecordScope scope;
  GroupBy group_by;
  /// --dedup-events: a record whose (recipientAccountId, eventID) was already counted, in input order, adds
  /// nothing (overlapping organisation and account trails).
  bool dedup_events = false;
  /// Pruning by the layout (trailwatch/layout.hpp): how long after `scope.end` a log file may be delivered
  /// and still be read, in seconds (--delivery-slack, 0 to kMaxDeliverySlack); nullopt reads every file
  /// (--no-prune). Part of the question: records delivered later than that are not counted.
  std::optional<std::int64_t> delivery_slack = kDefaultDeliverySlack;
  /// --gap: more than this many seconds without a delivery for an account and region is a gap in the
  /// delivery coverage (trailwatch/coverage.hpp); 1 to kMaxCoverageGap.
  std::int64_t coverage_gap = kDefaultCoverageGap;
};

/// The settings of `spec` that change the answer, as canonical JSON: rules with their patterns and
/// transformations, alarms, statistic, period, scope, grouping and pruning; never paths, threads, --fast or
/// the machine (docs/design.md "Partial results and merge"). Equal specs give equal text.
std::string scan_settings_json(const ScanSpec& spec);
/// Reads what scan_settings_json wrote back into a spec. Throws PlanError naming what is wrong, or
/// PatternError for a pattern that does not parse.
ScanSpec parse_scan_settings(std::string_view json);
/// The hex FNV-1a-64 of a settings text: what identifies the question a report answers.
std::string settings_fingerprint(std::string_view settings_json);
/// This build's version ("0.1.0"), which reports carry: a merge refuses parts of different versions.
std::string_view trailwatch_version();

/// One alarm the plan replays, paired with the filter whose series it watches.
struct PlannedAlarm {
  std::string name;
  std::size_t filter = 0;
  /// The series it watches, by exactly these dimensions; nullopt: every series of the filter, one replay
  /// each.
  std::optional<std::map<std::string, std::string>> dimensions;
  AlarmSettings settings;
};

/// An alarm of a replayed configuration that could not be replayed, and why.
struct UnreplayableAlarm {
  std::string name;
  std::string reason;
};

// ---- the answer

/// The "input" section of a scan report.
struct InputSummary {
  std::string mode = "full";
  std::uint64_t files = 0;
  std::uint64_t files_failed = 0;
  std::uint64_t records = 0;
  std::uint64_t records_failed = 0;
  std::uint64_t records_out_of_range = 0;
  std::uint64_t records_out_of_scope = 0;
  /// --dedup-events: records not counted because their event already was; nullopt without the flag.
  std::optional<std::uint64_t> duplicate_events;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_inflated = 0;
  std::uint64_t buffers_skipped = 0;
  std::uint64_t bytes_skipped = 0;
  double seconds = 0;
  bool partial = false;      // some input could not be read
  bool interrupted = false;  // stopped before every input was read
  std::string kernel;        // the simdjson kernel that ran
  unsigned threads = 1;
  SkipCounts skipped;
  PruneCounts pruned;
  /// When the log files read were delivered, and the gaps: nullopt when no path read follows the layout.
  std::optional<DeliveryCoverage> delivery;
  /// When the matched records happened: nullopt without a match.
  std::optional<EventCoverage> coverage;
  std::vector<PathMessage> warnings;  // sorted
  std::vector<PathMessage> errors;    // sorted
  /// What the scope passed over: pruned folders and files, records out of scope or range.
  SeenScope seen;
  /// True when the inputs held logs and the scope left none of them to evaluate: every record read was out
  /// of scope or range, or pruning left nothing to read (docs/design.md "Nothing in scope"). False for an
  /// interrupted run or one with a failed file, whose missing part may have been in scope.
  bool nothing_in_scope() const;
};

struct AlarmResult {
  std::string name;
  std::map<std::string, std::string> dimensions;  // the series it watches
  AlarmSettings settings;
  std::vector<AlarmWindow> windows;
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
  std::uint64_t dropped_samples = 0;          // matches whose value or a dimension could not be read
  std::uint64_t matched_before_creation = 0;  // matches older than the filter (its alarm never saw them)
  std::optional<std::int64_t> created_at;     // the filter's creationTime, when the configuration gave one
  std::vector<SeriesResult> series;
  std::vector<AlarmResult> alarms;
  /// Per actor, source IP and resource, over the matched records counted above.
  WhoCounts who;
  /// The earliest matched records in time order, at most MatchDigest::kDefaultLimit (not in the JSON
  /// report: the HTML report shows them; a merged report has none).
  std::vector<MatchedEvent> earliest_events;
};

/// What produced a report: the question (its settings and their fingerprint) and the version that answered.
struct PlanIdentity {
  std::string fingerprint;
  std::string version;
  std::string settings;  // scan_settings_json's text
};

/// Everything a scan found: what was read, and per rule its series and alarm windows.
struct ScanReport {
  PlanIdentity plan;
  std::vector<std::string> inputs;  // the path arguments, as given
  std::optional<Shard> shard;       // the part of the inputs this report covers, when sharded
  std::int64_t period = 300;        // the plan's aggregation period, in seconds (not in the JSON: the plan's)
  RecordScope scope;  // the plan's --start/--end/--account/--region (not in the JSON: the plan's)
  InputSummary input;
  std::vector<RuleResult> rules;
  std::vector<UnreplayableAlarm> unreplayable_alarms;
  /// True when some replayed alarm has a window.
  bool any_alarm() const;
};

// ---- the plan

/// A question ready to run: the filters bound to the fields they read, the prefilter, and every alarm paired
/// with the series it watches. Immutable once built; readers and workers hold references to it, so it is
/// neither copied nor moved.
class ScanPlan {
 public:
  /// Throws PlanError with a one-line reason (naming the filter) when the spec does not make a scan.
  explicit ScanPlan(ScanSpec spec);
  ScanPlan(const ScanPlan&) = delete;
  ScanPlan& operator=(const ScanPlan&) = delete;

  const MetricEngine& engine() const { return engine_; }
  const std::vector<MetricFilter>& filters() const { return engine_.filters(); }
  const FieldPlan& fields() const { return engine_.fields(); }
  /// The literals every match holds, or nullptr when the plan must look at every record (see
  /// MetricEngine::literal_prefilter).
  const LiteralPrefilter* prefilter() const { return prefilter_ ? &*prefilter_ : nullptr; }
  const std::vector<PlannedAlarm>& alarms() const { return alarms_; }
  /// --dedup-events: each event counted once.
  bool dedup_events() const { return engine_.event_id().has_value(); }
  /// The spec's settings (scan_settings_json) and their fingerprint.
  const std::string& settings() const { return settings_; }
  const std::string& fingerprint() const { return fingerprint_; }
  const std::vector<UnreplayableAlarm>& unreplayable() const { return unreplayable_; }
  Statistic series_statistic() const { return series_statistic_; }
  const RecordScope& scope() const { return engine_.scope(); }
  /// What the scope and the delivery slack let discovery pass over in the layout.
  const Pruning& pruning() const { return pruning_; }
  /// What makes a gap in the delivery coverage: --gap, in --start/--end.
  const GapRule& gap_rule() const { return gap_rule_; }
  /// The aggregation period: every replayed alarm's period is a whole multiple of it.
  std::int64_t period() const { return engine_.period(); }

  /// Each rule's series from the merged tally, and every alarm replayed over the series it watches.
  std::vector<RuleResult> results(const ScanTally& tally) const;

 private:
  ScanPlan(ScanSpec& spec, std::int64_t period);

  std::string settings_;  // first: made from the spec before its filters move into the engine
  std::string fingerprint_;
  Statistic series_statistic_;
  MetricEngine engine_;
  std::optional<LiteralPrefilter> prefilter_;
  std::vector<PlannedAlarm> alarms_;
  std::vector<UnreplayableAlarm> unreplayable_;
  Pruning pruning_;
  GapRule gap_rule_;
};

// ---- single events

/// Runs a plan on events one at a time, each given as its text: one JSON object is read as a CloudTrail
/// record (through the same records layer as a scan), anything else is an event without fields that only
/// term, regex and space-delimited patterns can match. One per thread; the plan must outlive it.
class EventEvaluator {
 public:
  explicit EventEvaluator(const ScanPlan& plan);
  ~EventEvaluator();
  EventEvaluator(const EventEvaluator&) = delete;
  EventEvaluator& operator=(const EventEvaluator&) = delete;

  /// What every filter of the plan publishes for `event` (index = filter). Valid until the next call.
  const std::vector<MetricEngine::EventSample>& evaluate(std::string_view event);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Calls `on_event(number, text)` for each event of `in`, one per line as TestMetricFilter takes them: a
/// trailing CR is dropped and blank lines are not events; numbers start at 1. Returns the number of events.
std::uint64_t for_each_event_line(std::istream& in,
                                  const std::function<void(std::uint64_t, std::string_view)>& on_event);

// ---- whole inputs

/// How a scan runs, as opposed to what it answers: none of this changes the answer.
struct ScanRunOptions {
  unsigned threads = 0;  // 0: one per core; never more than there are inputs
  /// Skip parsing buffers the prefilter proves cannot match (records are then not counted). Without a
  /// prefilter everything is read and the report's mode says "full".
  bool fast = false;
  LoaderOptions loader;
  RecordLimits limits;
};

/// Counters that workers bump while a scan runs and a progress display reads from another thread.
struct ScanProgress {
  std::atomic<std::uint64_t> files_done{0};
  std::atomic<std::uint64_t> bytes_read{0};
  std::atomic<std::uint64_t> records{0};
  std::uint64_t files_total = 0;
  std::uint64_t bytes_total = 0;
};

/// Receives the matched records of each input once the input is known to be whole. Called from worker threads
/// (one call per input, never concurrently with itself for the same input); implementations lock.
class MatchSink {
 public:
  virtual ~MatchSink() = default;
  virtual void write(const ScanPlan& plan, const std::string& path,
                     const std::vector<MatchedRecord>& records) = 0;
};

/// Runs a plan over inputs on worker threads.
class Scanner {
 public:
  /// `plan` must outlive the scanner.
  Scanner(const ScanPlan& plan, ScanRunOptions options);

  /// True when --fast can take effect: the plan has a prefilter.
  bool fast() const;

  /// Reads every input of `inputs` (its skip counts and errors are carried into the report) and returns the
  /// report. `stop` is polled between inputs and between the pieces of a stream: once set, the inputs being
  /// read are finished and the report says it was interrupted. `progress` may be read concurrently. `matches`
  /// (may be null) receives each input's matched records.
  ScanReport run(const Discovery& inputs, ScanProgress& progress, const std::atomic<bool>& stop,
                 MatchSink* matches = nullptr) const;

 private:
  const ScanPlan& plan_;
  ScanRunOptions options_;
};

}  // namespace trailwatch
