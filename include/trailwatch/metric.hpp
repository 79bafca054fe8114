// Metric layer: a metric filter (pattern + metric transformation) and the per-period datapoints it publishes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"
#include "trailwatch/seen_scope.hpp"

namespace trailwatch {

enum class Statistic : std::uint8_t { Sum, SampleCount, Average, Minimum, Maximum };

/// Returns the AWS spelling ("Sum", "SampleCount", ...).
std::string_view to_string(Statistic s);
/// Parses the AWS spelling. Returns nullopt for anything else.
std::optional<Statistic> parse_statistic(std::string_view text);

/// The samples one period received. Sums of counts are exact, which is what makes partial results mergeable
/// across threads and machines.
struct PeriodStats {
  double sum = 0;
  std::uint64_t count = 0;
  double min = 0;
  double max = 0;

  void add(double sample);
  void merge(const PeriodStats& other);
  /// The value of `s` over the samples (count must be > 0).
  double value(Statistic s) const;
};

/// period start (Unix seconds, aligned to the period) -> samples
using PeriodSeries = std::map<std::int64_t, PeriodStats>;

/// One datapoint as an alarm sees it, with the period's whole statistic set, from which any statistic can be
/// computed again and partial results merged.
struct Datapoint {
  std::int64_t timestamp = 0;  // start of the period, Unix seconds
  double value = 0;            // the statistic's value
  std::uint64_t sample_count = 0;
  double sum = 0;
  double minimum = 0;
  double maximum = 0;
};

/// Merges a series into periods of `period` seconds (a multiple of the series' own period).
PeriodSeries rebucket(const PeriodSeries& series, std::int64_t period);

/// Reduces a series to datapoints of statistic `s`, sorted by time.
std::vector<Datapoint> to_datapoints(const PeriodSeries& series, Statistic s);

/// The start of the period that holds `t` (periods aligned to the Unix epoch; works for negative t).
std::int64_t period_start(std::int64_t t, std::int64_t period);

/// A metric transformation (PutMetricFilter's metricTransformations[0]): what an event publishes.
struct MetricTransformation {
  std::string namespace_ = "CloudTrailMetrics";
  std::string name;
  /// A numeric literal ("1"), or a reference: "$.selector" (JSON patterns), "$name" or "$7"
  /// (space-delimited).
  std::string value = "1";
  /// Published once for every event the pattern does not match (not allowed together with dimensions).
  std::optional<double> default_value;
  /// Up to 3: dimension name -> "$.selector" or "$name"/"$N". Each distinct value tuple is its own series.
  std::vector<std::pair<std::string, std::string>> dimensions;
  std::string unit;  // empty = None
};

/// Checks a transformation against CloudWatch's rules and the pattern it goes with. Returns an empty string
/// when it is usable, else a one-line reason (e.g. "dimensions cannot be combined with a default value").
std::string validate_transformation(const MetricTransformation& metric, const Pattern& pattern);

/// A metric filter: the pattern and the metric it feeds.
struct MetricFilter {
  std::string id;
  Pattern pattern;
  MetricTransformation metric;
  /// When the filter was created (--config): it only ever saw events ingested after that.
  std::optional<std::int64_t> created_at = std::nullopt;
};

/// Parses a metric value literal ("1", "0.5", "+1e3"). Returns nullopt if it is not a finite number.
std::optional<double> parse_metric_literal(std::string_view text);

/// Which records a scan evaluates at all (--start/--end, --account, --region).
struct RecordScope {
  std::optional<std::int64_t> start;  // inclusive, Unix seconds, on eventTime
  std::optional<std::int64_t> end;    // exclusive
  std::vector<std::string> accounts;  // recipientAccountId; empty = all
  std::vector<std::string> regions;   // awsRegion; empty = all
};

/// Records over this many bytes are not delivered to CloudWatch Logs by CloudTrail.
inline constexpr std::size_t kCloudWatchLogsMaxEvent = 256 * 1024;

/// The dimension values of one series, in CompiledFilter::dimension_names order.
using SeriesKey = std::vector<std::string>;

/// Splitting every series by account and/or region (--group-by), as if each had its own log group.
struct GroupBy {
  bool account = false;  // recipientAccountId
  bool region = false;   // awsRegion
};

/// Where a sample's value or a dimension's value comes from.
struct ValueSource {
  enum class Kind : std::uint8_t { Literal, Field, Extracted };
  Kind kind = Kind::Literal;
  double literal = 1;
  SelectorId field = 0;   // Field: a JSON selector
  std::string extracted;  // Extracted: a space-delimited slot name or 1-based position
};

/// A filter ready to run: its value and dimension sources bound to the plan.
struct CompiledFilter {
  ValueSource value;
  std::vector<ValueSource> dimensions;
  /// Names of the series dimensions: the metric's, then recipientAccountId / awsRegion for --group-by.
  std::vector<std::string> dimension_names;
};

/// The filters of one scan bound to the fields they read. Owns both: built once, then shared read-only by all
/// workers; a RecordReader made from fields() must not outlive the engine.
class MetricEngine {
 public:
  /// Binds every filter's pattern, values and dimensions (and the fields the scan itself needs) into its own
  /// field plan. Throws std::invalid_argument with a one-line reason when a transformation is not usable.
  /// `event_ids`: also read recipientAccountId and eventID for --dedup-events (event_id()).
  MetricEngine(std::vector<MetricFilter> filters, RecordScope scope, std::int64_t period,
               GroupBy group_by = {}, bool event_ids = false);
  MetricEngine(const MetricEngine&) = delete;
  MetricEngine& operator=(const MetricEngine&) = delete;

  const std::vector<MetricFilter>& filters() const { return filters_; }
  const std::vector<CompiledFilter>& compiled() const { return compiled_; }
  /// Every selector a record must be read for.
  const FieldPlan& fields() const { return plan_; }

  /// What one event publishes for filter `filter`.
  struct EventSample {
    bool matched = false;
    std::optional<double> value;  // none: nothing is published (no match and no default, or unreadable value)
    SeriesKey dimensions;         // the metric's dimension values, then the --group-by values
  };
  /// Evaluates filter `filter` on one event: the one place where a pattern and its transformation meet an
  /// event (scans, test-pattern, the audit's probes and the rule lint all come here). `extracted` is scratch
  /// space reused across calls.
  void evaluate(std::size_t filter, const EventView& event, ExtractedFields& extracted,
                EventSample& out) const;
  /// The literals a record must hold to publish anything for some filter, when that can be said: not when a
  /// filter publishes a default value (every record does), a scope (--start/--end, --account/--region) must
  /// look at every record, or a pattern names no literal text.
  std::optional<LiteralPrefilter> literal_prefilter() const;
  const GroupBy& group_by() const { return group_by_; }
  const RecordScope& scope() const { return scope_; }
  std::int64_t period() const { return period_; }
  SelectorId event_time() const { return event_time_; }
  SelectorId account() const { return account_; }
  SelectorId region() const { return region_; }
  /// The eventID selector, when the engine was built with event_ids.
  std::optional<SelectorId> event_id() const { return event_id_; }

 private:
  std::vector<MetricFilter> filters_;
  FieldPlan plan_;
  std::vector<CompiledFilter> compiled_;
  GroupBy group_by_;
  RecordScope scope_;
  std::int64_t period_;
  SelectorId event_time_;
  SelectorId account_;
  SelectorId region_;
  std::optional<SelectorId> event_id_;
};

/// What one filter published.
struct FilterTally {
  std::uint64_t matched = 0;
  std::uint64_t oversize = 0;
  std::uint64_t dropped = 0;  // matches whose value or a dimension was missing or not numeric: no sample
  std::uint64_t before_creation = 0;  // matches older than MetricFilter::created_at
  std::map<SeriesKey, PeriodSeries> series;
};

/// Counts that merge exactly across files, workers and machines.
struct ScanTally {
  std::uint64_t records = 0;
  std::uint64_t records_failed = 0;
  std::uint64_t records_out_of_range = 0;
  std::uint64_t records_out_of_scope = 0;  // excluded by --account / --region
  /// The accounts, regions and days of the records excluded above, noted only when one is excluded.
  SeenScope seen;
  std::vector<FilterTally> filters;
  /// The eventTime of the earliest and the latest matched record counted, of any filter (input.coverage).
  std::optional<std::int64_t> first_match;
  std::optional<std::int64_t> last_match;

  /// Widens first_match and last_match to hold `time`.
  void add_match_time(std::int64_t time);
  void merge(const ScanTally& other);
};

/// One matched record, for --matches.
struct MatchedRecord {
  std::size_t filter = 0;
  bool oversize = false;
  std::string raw;
  std::string time_error;  // why the record has no usable eventTime (it is then in no datapoint); else empty
};

/// What one record published, held back (--dedup-events) until it is known whether the record is the first of
/// its event in input order: only then is it added to a tally.
struct EventPublication {
  /// recipientAccountId, NUL, eventID; empty when the record has no eventID (it is then never a duplicate).
  std::string key;
  struct Sample {
    std::size_t filter = 0;
    bool matched = false;
    bool oversize = false;
    bool before_creation = false;
    std::optional<double> value;  // none: dropped (its value or a dimension could not be read)
    SeriesKey dimensions;
    std::int64_t period = 0;
    std::int64_t time = 0;  // the record's eventTime
  };
  std::vector<Sample> samples;
  std::vector<MatchedRecord> matches;

  /// Adds the samples to `tally` as an aggregator would have.
  void add_to(ScanTally& tally) const;
};

/// Evaluates every filter on every record of one worker. Results of a file are held back until the file is
/// known to be whole (commit_file), so a damaged file contributes nothing.
class MetricAggregator : public RecordSink {
 public:
  /// `keep_matches`: also keep the matched records' text (for --matches). With an engine built with event_ids
  /// (--dedup-events), what a record publishes is held back as an EventPublication (take_events) instead of
  /// being added to the tally, and its matches travel with it.
  MetricAggregator(const MetricEngine& engine, bool keep_matches);

  void begin_file();
  /// Adds the current file's results to the committed tally; returns its matched records (if kept).
  std::vector<MatchedRecord> commit_file();
  /// Problems with single records of the current file (e.g. a match without a usable eventTime).
  const std::vector<std::string>& file_issues() const { return file_issues_; }
  /// Counts records that the reader could not hand over (bad NDJSON lines).
  void add_failed_records(std::uint64_t n) { pending_.records_failed += n; }

  const ScanTally& tally() const { return committed_; }
  /// --dedup-events: the committed files' publications, in record order; the aggregator keeps none after.
  std::vector<EventPublication> take_events() { return std::move(committed_events_); }

  void on_record(const RecordView& record) override;
  void on_unmatchable_record() override;

 private:
  bool in_scope(const FieldValues& fields) const;
  std::string event_key(const FieldValues& fields) const;
  void hold_back(std::size_t filter_index, const MetricFilter& filter, const RecordView& record,
                 std::optional<std::int64_t> time, bool has_value);
  /// The record's JSON without insignificant whitespace (what CloudWatch Logs receives).
  std::string_view compact_text(const RecordView& record);

  const MetricEngine& engine_;
  bool keep_matches_;
  ScanTally committed_;
  ScanTally pending_;
  std::vector<MatchedRecord> pending_matches_;
  std::vector<EventPublication> pending_events_;
  std::vector<EventPublication> committed_events_;
  EventPublication event_;  // the record being read, with --dedup-events
  std::vector<std::string> file_issues_;
  std::uint64_t record_index_ = 0;
  ExtractedFields extracted_;
  MetricEngine::EventSample sample_;
  std::string compact_;
};

}  // namespace trailwatch
