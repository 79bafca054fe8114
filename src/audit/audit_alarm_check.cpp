// Can the alarm notify on one DisableKey? A replay of the alarm over the single datapoint that one matching
// event makes, with the alarm layer that `scan` uses, so M of N, missing-data treatment and the statistic
// all count exactly as they do when replaying history.
#include <fmt/format.h>

#include <map>
#include <vector>

#include "trailwatch/alarm.hpp"
#include "trailwatch/audit.hpp"

namespace trailwatch::audit {

namespace {

std::string number(double v) {
  return fmt::format("{}", v);
}

// The statistic of one period holding `samples`.
double period_value(const AlarmSettings& s, const std::vector<double>& samples) {
  PeriodStats stats;
  for (double v : samples) stats.add(v);
  return stats.value(s.statistic);
}

bool fires(const AlarmSettings& s, double value) {
  const std::int64_t t0 = 1'700'000'000 / s.period * s.period;
  std::vector<Datapoint> points{Datapoint{t0, value, 1}};
  return !replay_alarm(s, points).windows.empty();
}

}  // namespace

FireCheck can_fire_on_one_event(const AlarmDefinition& alarm, const ConfiguredFilter& filter,
                                const FilterJudgement& judgement) {
  const ConfiguredAlarm& a = alarm.config;
  if (!a.unreplayable.empty()) return {false, "not judged: " + a.unreplayable};
  const AlarmSettings& s = a.settings;

  std::vector<RangePoint> nothing(static_cast<std::size_t>(s.evaluation_range_periods));
  if (evaluate_range(s, nothing, AlarmState::InsufficientData) == AlarmState::Alarm)
    return {false,
            "it is in ALARM without any event (missing data is treated as breaching), so an event "
            "changes nothing and notifies nobody"};

  // A filter with dimensions publishes no default value (CloudWatch rejects the combination).
  std::optional<double> default_value;
  if (a.dimensions.empty() && filter.metric.default_value) default_value = *filter.metric.default_value;
  std::vector<std::string> unreached;
  std::string first_failure;
  int caught = 0;
  for (const ProbeOutcome& o : judgement.outcomes) {
    if (!o.probe->positive || !o.matched) continue;
    ++caught;
    std::map<std::string, std::string> series;
    for (std::size_t i = 0; i < judgement.dimension_names.size() && i < o.dimensions.size(); ++i)
      series[judgement.dimension_names[i]] = o.dimensions[i];
    if (!o.value) {
      if (first_failure.empty())
        first_failure = "the filter publishes no value for " + o.probe->label + " (metricValue " +
                        filter.metric.value + " cannot be read)";
      continue;
    }
    if (series != a.dimensions) {
      unreached.push_back(o.probe->label);
      continue;
    }
    // A busy log group rarely has a period with only the one event: with a defaultValue, every other event
    // adds a sample, which moves Average, Minimum and SampleCount.
    std::vector<double> alone{*o.value};
    std::vector<double> busy{*o.value};
    if (default_value) busy.push_back(*default_value);
    for (const std::vector<double>* samples : {&alone, &busy}) {
      double value = period_value(s, *samples);
      if (fires(s, value) || !first_failure.empty()) continue;
      std::string why = fmt::format(
          "one matching event{} gives {} {} (metricValue {}{}), which {} {} {}",
          samples == &busy && default_value ? " among others" : "", to_string(s.statistic), number(value),
          filter.metric.value, default_value ? ", defaultValue " + number(*default_value) : "",
          breaches(s, value) ? "breaches" : "does not breach", to_string(s.comparison), number(s.threshold));
      if (breaches(s, value))
        why +=
            fmt::format(", but {} of {} datapoints must breach", s.datapoints_to_alarm, s.evaluation_periods);
      first_failure = why;
    }
  }
  if (caught == 0) return {false, "the filter catches none of the rule's events"};
  if (!first_failure.empty()) return {false, first_failure};
  if (!unreached.empty())
    return {false,
            fmt::format("it watches only the series with its dimensions, which {} of the rule's {} events "
                        "do not publish to (e.g. {})",
                        unreached.size(), caught, unreached.front())};
  FireCheck ok{true, ""};
  if (default_value && fires(s, period_value(s, {*default_value})))
    ok.reason = "it also fires on events that do not match (defaultValue " + number(*default_value) + ")";
  return ok;
}

}  // namespace trailwatch::audit
