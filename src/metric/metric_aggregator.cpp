#include <algorithm>

#include "trailwatch/metric.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch {

namespace {

SelectorPath member_path(std::string_view key) {
  SelectorStep step;
  step.kind = SelectorStep::Kind::Member;
  step.key = std::string(key);
  return {step};
}

bool listed(const std::vector<std::string>& allowed, const JsonValue* value) {
  if (allowed.empty()) return true;
  if (value == nullptr || value->kind != JsonKind::String) return false;
  return std::find(allowed.begin(), allowed.end(), value->text) != allowed.end();
}

std::optional<std::int64_t> event_time_of(const FieldValues& fields, SelectorId id) {
  const JsonValue* value = fields.first(id);
  if (value == nullptr || value->kind != JsonKind::String) return std::nullopt;
  return parse_utc_time(value->text);
}

}  // namespace

MetricEngine::MetricEngine(std::vector<MetricFilter>& filters, RecordScope scope, std::int64_t period,
                           FieldPlan& plan)
    : filters_(filters),
      scope_(std::move(scope)),
      period_(period),
      event_time_(plan.add(member_path("eventTime"))),
      account_(plan.add(member_path("recipientAccountId"))),
      region_(plan.add(member_path("awsRegion"))) {
  for (MetricFilter& filter : filters_) filter.pattern.bind(plan);
}

void ScanTally::merge(const ScanTally& other) {
  records += other.records;
  records_failed += other.records_failed;
  records_out_of_range += other.records_out_of_range;
  records_out_of_scope += other.records_out_of_scope;
  if (filters.size() < other.filters.size()) filters.resize(other.filters.size());
  for (std::size_t i = 0; i < other.filters.size(); ++i) {
    filters[i].matched += other.filters[i].matched;
    filters[i].oversize += other.filters[i].oversize;
    for (const auto& [start, stats] : other.filters[i].series) filters[i].series[start].merge(stats);
  }
}

MetricAggregator::MetricAggregator(const MetricEngine& engine, bool keep_matches)
    : engine_(engine), keep_matches_(keep_matches) {
  committed_.filters.resize(engine.filters().size());
  pending_.filters.resize(engine.filters().size());
}

void MetricAggregator::begin_file() {
  pending_ = ScanTally{};
  pending_.filters.resize(engine_.filters().size());
  pending_matches_.clear();
  file_issues_.clear();
  record_index_ = 0;
}

std::vector<MatchedRecord> MetricAggregator::commit_file() {
  committed_.merge(pending_);
  pending_ = ScanTally{};
  pending_.filters.resize(engine_.filters().size());
  return std::move(pending_matches_);
}

bool MetricAggregator::in_scope(const FieldValues& fields) const {
  const RecordScope& scope = engine_.scope();
  return listed(scope.accounts, fields.first(engine_.account())) &&
         listed(scope.regions, fields.first(engine_.region()));
}

void MetricAggregator::on_record(const RecordView& record) {
  ++record_index_;
  ++pending_.records;
  const FieldValues& fields = record.fields;
  if (!in_scope(fields)) {
    ++pending_.records_out_of_scope;
    return;
  }
  const RecordScope& scope = engine_.scope();
  std::optional<std::int64_t> time;
  bool time_read = false;
  if (scope.start || scope.end) {
    time = event_time_of(fields, engine_.event_time());
    time_read = true;
    if (time && ((scope.start && *time < *scope.start) || (scope.end && *time >= *scope.end))) {
      ++pending_.records_out_of_range;
      return;
    }
  }
  bool failed = false;
  for (std::size_t i = 0; i < engine_.filters().size(); ++i) {
    const MetricFilter& filter = engine_.filters()[i];
    if (!filter.pattern.matches(fields)) continue;
    if (!time_read) {
      time = event_time_of(fields, engine_.event_time());
      time_read = true;
    }
    if (!time) {
      // Without a time the match cannot be placed in a period: count it as failed and say so.
      if (!failed) {
        failed = true;
        ++pending_.records_failed;
        file_issues_.push_back("record " + std::to_string(record_index_) + " matched rule " + filter.id +
                               " but has no usable eventTime");
      }
      continue;
    }
    FilterTally& tally = pending_.filters[i];
    bool oversize = record.raw.size() > kCloudWatchLogsMaxEvent;
    ++tally.matched;
    if (oversize) ++tally.oversize;
    tally.series[period_start(*time, engine_.period())].add(filter.sample_value);
    if (keep_matches_) pending_matches_.push_back({i, oversize, std::string(record.raw)});
  }
}

}  // namespace trailwatch
