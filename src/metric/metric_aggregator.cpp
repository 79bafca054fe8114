#include <algorithm>

#include "trailwatch/metric.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch {

namespace {

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

// Why event_time_of gave nothing, in words for input.errors and --matches' time_error.
std::string time_problem(const FieldValues& fields, SelectorId id) {
  const JsonValue* value = fields.first(id);
  if (value == nullptr) return "no usable eventTime (there is none)";
  if (value->kind != JsonKind::String) return "no usable eventTime (it is not a string)";
  constexpr std::size_t kShown = 40;
  std::string shown(value->text.substr(0, kShown));
  if (value->text.size() > kShown) shown += "...";
  return "no usable eventTime (\"" + shown + "\" is not an ISO 8601 time)";
}

// Notes where a record the scope dropped comes from (docs/design.md "Nothing in scope"). Only a dropped
// record gets here, so the records a scan evaluates pay nothing for it.
void note_passed_over(SeenScope& seen, const MetricEngine& engine, const FieldValues& fields,
                      std::optional<std::int64_t> time) {
  if (const JsonValue* account = fields.first(engine.account()); account && account->kind == JsonKind::String)
    seen.add_account(account->text);
  if (const JsonValue* region = fields.first(engine.region()); region && region->kind == JsonKind::String)
    seen.add_region(region->text);
  if (time) seen.add_time(*time);
}

}  // namespace

void EventPublication::add_to(ScanTally& tally) const {
  for (const Sample& sample : samples) {
    FilterTally& counted = tally.filters[sample.filter];
    if (sample.matched) {
      tally.add_match_time(sample.time);
      ++counted.matched;
      if (sample.before_creation) ++counted.before_creation;
      if (sample.oversize) ++counted.oversize;
    }
    if (!sample.value) {
      ++counted.dropped;
      continue;
    }
    counted.series[sample.dimensions][sample.period].add(*sample.value);
  }
}

void ScanTally::add_match_time(std::int64_t time) {
  first_match = first_match ? std::min(*first_match, time) : time;
  last_match = last_match ? std::max(*last_match, time) : time;
}

void ScanTally::merge(const ScanTally& other) {
  if (other.first_match) add_match_time(*other.first_match);
  if (other.last_match) add_match_time(*other.last_match);
  records += other.records;
  records_failed += other.records_failed;
  records_out_of_range += other.records_out_of_range;
  records_out_of_scope += other.records_out_of_scope;
  seen.merge(other.seen);
  if (filters.size() < other.filters.size()) filters.resize(other.filters.size());
  for (std::size_t i = 0; i < other.filters.size(); ++i) {
    filters[i].matched += other.filters[i].matched;
    filters[i].oversize += other.filters[i].oversize;
    filters[i].dropped += other.filters[i].dropped;
    filters[i].before_creation += other.filters[i].before_creation;
    for (const auto& [key, series] : other.filters[i].series) {
      PeriodSeries& into = filters[i].series[key];
      for (const auto& [start, stats] : series) into[start].merge(stats);
    }
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
  pending_events_.clear();
  file_issues_.clear();
  record_index_ = 0;
}

std::vector<MatchedRecord> MetricAggregator::commit_file() {
  committed_.merge(pending_);
  for (EventPublication& event : pending_events_) committed_events_.push_back(std::move(event));
  pending_events_.clear();
  pending_ = ScanTally{};
  pending_.filters.resize(engine_.filters().size());
  return std::move(pending_matches_);
}

bool MetricAggregator::in_scope(const FieldValues& fields) const {
  const RecordScope& scope = engine_.scope();
  return listed(scope.accounts, fields.first(engine_.account())) &&
         listed(scope.regions, fields.first(engine_.region()));
}

std::string_view MetricAggregator::compact_text(const RecordView& record) {
  if (!record.message.empty()) return record.message;
  // Only matches get here, so compacting costs nothing overall; pretty-printed input is compacted so that the
  // 256 KB test and --matches (one line per record) see what CloudWatch Logs would have received.
  return compact_record_text(record.raw, compact_);
}

void MetricAggregator::on_unmatchable_record() {
  ++record_index_;
  ++pending_.records;
}

void MetricAggregator::on_record(const RecordView& record) {
  ++record_index_;
  ++pending_.records;
  const FieldValues& fields = record.fields;
  if (!in_scope(fields)) {
    ++pending_.records_out_of_scope;
    note_passed_over(pending_.seen, engine_, fields, event_time_of(fields, engine_.event_time()));
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
      note_passed_over(pending_.seen, engine_, fields, time);
      return;
    }
  }
  EventView event{&fields, record.message};
  bool failed = false;
  const bool held_back = engine_.event_id().has_value();
  if (held_back) {
    event_.samples.clear();
    event_.matches.clear();
  }
  for (std::size_t i = 0; i < engine_.filters().size(); ++i) {
    const MetricFilter& filter = engine_.filters()[i];
    engine_.evaluate(i, event, extracted_, sample_);
    if (!sample_.matched && !filter.metric.default_value) continue;
    if (!time_read) {
      time = event_time_of(fields, engine_.event_time());
      time_read = true;
    }
    if (!time) {
      // Without a time a match cannot be placed in a period: the record counts as failed once, and is named
      // for every rule it matched, in the errors and in --matches (a responder still wants to see it). A
      // record that only would have published the default value is not worth failing the run for.
      if (sample_.matched) {
        if (!failed) ++pending_.records_failed;
        failed = true;
        const std::string reason = time_problem(fields, engine_.event_time());
        file_issues_.push_back("record " + std::to_string(record_index_) + " matched rule " + filter.id +
                               " but has " + reason);
        if (keep_matches_) {
          const std::string_view compact = compact_text(record);
          (held_back ? event_.matches : pending_matches_)
              .push_back({i, compact.size() > kCloudWatchLogsMaxEvent, std::string(compact), reason});
        }
      }
      continue;
    }
    if (held_back) {
      hold_back(i, filter, record, time, sample_.value.has_value());
      continue;
    }
    FilterTally& tally = pending_.filters[i];
    if (sample_.matched) {
      pending_.add_match_time(*time);
      ++tally.matched;
      if (filter.created_at && *time < *filter.created_at) ++tally.before_creation;
      std::string_view compact = compact_text(record);
      bool oversize = compact.size() > kCloudWatchLogsMaxEvent;
      if (oversize) ++tally.oversize;
      if (keep_matches_) pending_matches_.push_back({i, oversize, std::string(compact), {}});
    }
    if (!sample_.value) {
      ++tally.dropped;
      continue;
    }
    tally.series[sample_.dimensions][period_start(*time, engine_.period())].add(*sample_.value);
  }
  if (held_back && (!event_.samples.empty() || !event_.matches.empty())) {
    event_.key = event_key(fields);
    pending_events_.push_back(std::move(event_));
    event_ = EventPublication{};
  }
}

std::string MetricAggregator::event_key(const FieldValues& fields) const {
  const JsonValue* id = fields.first(*engine_.event_id());
  if (id == nullptr || id->kind != JsonKind::String) return {};
  const JsonValue* account = fields.first(engine_.account());
  std::string key = account != nullptr ? std::string(account->text) : std::string();
  key += '\0';
  key += id->text;
  return key;
}

void MetricAggregator::hold_back(std::size_t i, const MetricFilter& filter, const RecordView& record,
                                 std::optional<std::int64_t> time, bool has_value) {
  EventPublication::Sample sample;
  sample.filter = i;
  sample.matched = sample_.matched;
  sample.value = has_value ? sample_.value : std::nullopt;
  sample.dimensions = sample_.dimensions;
  sample.period = period_start(*time, engine_.period());
  sample.time = *time;
  if (sample_.matched) {
    sample.before_creation = filter.created_at && *time < *filter.created_at;
    std::string_view compact = compact_text(record);
    sample.oversize = compact.size() > kCloudWatchLogsMaxEvent;
    if (keep_matches_) event_.matches.push_back({i, sample.oversize, std::string(compact), {}});
  }
  event_.samples.push_back(std::move(sample));
}

}  // namespace trailwatch
