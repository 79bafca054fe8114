#include "cli/scan_results.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "trailwatch/account_config.hpp"
#include "trailwatch/alarm.hpp"

namespace trailwatch::cli {

ScanResults build_scan_results(const ScanSettings& s, const MetricEngine& engine, const ScanTally& tally) {
  ScanResults out;
  for (std::size_t i = 0; i < s.filters.size(); ++i) {
    RuleResult rule;
    rule.id = s.filters[i].id;
    rule.pattern = s.filters[i].pattern.text();
    rule.metric = s.filters[i].metric;
    rule.matched_events = tally.filters[i].matched;
    rule.matched_oversize = tally.filters[i].oversize;
    rule.dropped_samples = tally.filters[i].dropped;
    const std::vector<std::string>& names = engine.compiled()[i].dimension_names;
    std::map<SeriesKey, PeriodSeries> by_series = tally.filters[i].series;
    // A metric without dimensions still has its one series, with no datapoints when nothing matched.
    if (by_series.empty() && names.empty()) by_series[SeriesKey{}];
    for (const auto& [key, periods] : by_series) {
      SeriesResult series;
      for (std::size_t d = 0; d < names.size() && d < key.size(); ++d) series.dimensions[names[d]] = key[d];
      series.datapoints = to_datapoints(periods, s.alarm.statistic);
      if (!s.from_config) {
        AlarmResult result{rule.id, series.dimensions, s.alarm,
                           replay_alarm(s.alarm, series.datapoints, s.scope.end).windows};
        out.any_window |= !result.windows.empty();
        rule.alarms.push_back(std::move(result));
      }
      rule.series.push_back(std::move(series));
    }
    if (s.from_config) {
      rule.created_at = s.filters[i].created_at;
      rule.matched_before_creation = tally.filters[i].before_creation;
      for (const ConfiguredAlarm& configured : s.config.alarms) {
        if (!configured.unreplayable.empty() ||
            configured.metric_namespace != s.filters[i].metric.namespace_ ||
            configured.metric_name != s.filters[i].metric.name)
          continue;
        // The alarm watches the one series whose dimensions are exactly its own; none published means no
        // data.
        PeriodSeries watched;
        for (const auto& [key, periods] : by_series) {
          std::map<std::string, std::string> dims;
          for (std::size_t d = 0; d < names.size() && d < key.size(); ++d) dims[names[d]] = key[d];
          if (alarm_watches(configured, s.filters[i].metric, dims)) watched = periods;
        }
        std::vector<Datapoint> points =
            to_datapoints(rebucket(watched, configured.settings.period), configured.settings.statistic);
        AlarmResult result{configured.name, configured.dimensions, configured.settings,
                           replay_alarm(configured.settings, points, s.scope.end).windows};
        out.any_window |= !result.windows.empty();
        rule.alarms.push_back(std::move(result));
      }
    }
    out.rules.push_back(std::move(rule));
  }

  for (const ConfiguredAlarm& configured : s.config.alarms) {
    bool published = std::any_of(s.filters.begin(), s.filters.end(), [&](const MetricFilter& f) {
      return f.metric.namespace_ == configured.metric_namespace && f.metric.name == configured.metric_name;
    });
    if (!configured.unreplayable.empty())
      out.unreplayable.push_back({configured.name, configured.unreplayable});
    else if (!published)
      out.unreplayable.push_back({configured.name, "no metric filter in the configuration publishes " +
                                                       configured.metric_namespace + "/" +
                                                       configured.metric_name});
  }

  return out;
}

}  // namespace trailwatch::cli
