// The plan: filters bound once, and every alarm paired with the series it watches. Pairing lives here, not
// in the command line, so `--rule`, `--pattern` and `--config` take one path and a merge of partial results
// can replay the same alarms.
#include <algorithm>
#include <numeric>

#include "trailwatch/scan.hpp"

namespace trailwatch {

namespace {

// The period every replayable alarm's period is a whole multiple of, so one aggregation serves them all.
std::int64_t aggregation_period(const ScanSpec& spec) {
  if (const auto* alarm = std::get_if<AlarmSettings>(&spec.alarms)) return alarm->period;
  std::int64_t g = 0;
  for (const ConfiguredAlarm& a : std::get<std::vector<ConfiguredAlarm>>(spec.alarms))
    if (a.unreplayable.empty() && a.settings.period > 0) g = std::gcd(g, a.settings.period);
  return g > 0 ? g : spec.fallback_period;
}

bool publishes(const MetricFilter& filter, const ConfiguredAlarm& alarm) {
  return filter.metric.namespace_ == alarm.metric_namespace && filter.metric.name == alarm.metric_name;
}

std::map<std::string, std::string> named_dimensions(const std::vector<std::string>& names,
                                                    const SeriesKey& key) {
  std::map<std::string, std::string> dims;
  for (std::size_t d = 0; d < names.size() && d < key.size(); ++d) dims[names[d]] = key[d];
  return dims;
}

}  // namespace

bool ScanReport::any_alarm() const {
  for (const RuleResult& rule : rules)
    for (const AlarmResult& alarm : rule.alarms)
      if (!alarm.windows.empty()) return true;
  return false;
}

ScanPlan::ScanPlan(ScanSpec spec) : ScanPlan(spec, aggregation_period(spec)) {}

ScanPlan::ScanPlan(ScanSpec& spec, std::int64_t period) try
    : settings_(scan_settings_json(spec)),
      fingerprint_(settings_fingerprint(settings_)),
      series_statistic_(spec.series_statistic),
      engine_(std::move(spec.filters), std::move(spec.scope), period, spec.group_by, spec.dedup_events),
      prefilter_(engine_.literal_prefilter()),
      pruning_(engine_.scope().accounts, engine_.scope().regions, engine_.scope().start, engine_.scope().end,
               spec.delivery_slack.value_or(0), spec.delivery_slack.has_value()),
      gap_rule_{spec.coverage_gap, engine_.scope().start, engine_.scope().end} {
  const std::vector<MetricFilter>& filters = engine_.filters();
  if (const auto* alarm = std::get_if<AlarmSettings>(&spec.alarms)) {
    if (std::string problem = alarm->validate(); !problem.empty()) throw PlanError(problem);
    for (std::size_t i = 0; i < filters.size(); ++i)
      alarms_.push_back({filters[i].id, i, std::nullopt, *alarm});
    return;
  }
  const auto& configured = std::get<std::vector<ConfiguredAlarm>>(spec.alarms);
  // Rules list their alarms in the configuration's order.
  for (std::size_t i = 0; i < filters.size(); ++i)
    for (const ConfiguredAlarm& alarm : configured)
      if (alarm.unreplayable.empty() && publishes(filters[i], alarm))
        alarms_.push_back({alarm.name, i, alarm.dimensions, alarm.settings});
  for (const ConfiguredAlarm& alarm : configured) {
    if (!alarm.unreplayable.empty())
      unreplayable_.push_back({alarm.name, alarm.unreplayable});
    else if (std::none_of(filters.begin(), filters.end(),
                          [&](const MetricFilter& f) { return publishes(f, alarm); }))
      unreplayable_.push_back({alarm.name, "no metric filter in the configuration publishes " +
                                               alarm.metric_namespace + "/" + alarm.metric_name});
  }
} catch (const PlanError&) {
  throw;
} catch (const std::invalid_argument& e) {
  throw PlanError(e.what());
}

std::vector<RuleResult> ScanPlan::results(const ScanTally& tally) const {
  const std::vector<MetricFilter>& filters = engine_.filters();
  const std::optional<std::int64_t> end = engine_.scope().end;
  std::vector<RuleResult> rules;
  for (std::size_t i = 0; i < filters.size(); ++i) {
    const FilterTally& counted = i < tally.filters.size() ? tally.filters[i] : FilterTally{};
    const std::vector<std::string>& names = engine_.compiled()[i].dimension_names;
    RuleResult rule;
    rule.id = filters[i].id;
    rule.pattern = filters[i].pattern.text();
    rule.metric = filters[i].metric;
    rule.created_at = filters[i].created_at;
    rule.matched_events = counted.matched;
    rule.matched_oversize = counted.oversize;
    rule.dropped_samples = counted.dropped;
    rule.matched_before_creation = counted.before_creation;

    // Each published series with its named dimensions, in key order. A metric without dimensions still has
    // its one series, with no datapoints when nothing matched.
    static const PeriodSeries kNoData;
    std::vector<std::pair<std::map<std::string, std::string>, const PeriodSeries*>> published;
    for (const auto& [key, periods] : counted.series)
      published.emplace_back(named_dimensions(names, key), &periods);
    if (published.empty() && names.empty())
      published.emplace_back(std::map<std::string, std::string>{}, &kNoData);
    for (const auto& [dimensions, periods] : published)
      rule.series.push_back({dimensions, to_datapoints(*periods, series_statistic_)});

    for (const PlannedAlarm& alarm : alarms_) {
      if (alarm.filter != i) continue;
      if (!alarm.dimensions) {
        // One replay per series, on the series' own datapoints (the alarm's period is the plan's).
        for (const auto& [dimensions, periods] : published)
          rule.alarms.push_back(
              {alarm.name, dimensions, alarm.settings,
               replay_alarm(alarm.settings, to_datapoints(*periods, alarm.settings.statistic), end).windows});
        continue;
      }
      // The alarm watches the one series whose dimensions are exactly its own; none published means no data.
      const PeriodSeries* watched = &kNoData;
      for (const auto& [dimensions, periods] : published)
        if (dimensions == *alarm.dimensions) watched = periods;
      std::vector<Datapoint> points =
          to_datapoints(rebucket(*watched, alarm.settings.period), alarm.settings.statistic);
      rule.alarms.push_back(
          {alarm.name, *alarm.dimensions, alarm.settings, replay_alarm(alarm.settings, points, end).windows});
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace trailwatch
