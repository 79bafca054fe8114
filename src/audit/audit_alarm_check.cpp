// Can the alarm notify on one DisableKey? A replay of the alarm over the single datapoint that one matching
// event makes, with the alarm layer that `scan` uses, so M of N, missing-data treatment and the statistic
// all count exactly as they do when replaying history.
#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <vector>

#include "audit/audit_alarm_check.hpp"
#include "trailwatch/alarm.hpp"

namespace trailwatch::audit {

namespace {

std::string number(double v) {
  return fmt::format("{}", v);
}

// `count` samples of `value` in one period.
PeriodStats samples(double value, std::uint64_t count) {
  PeriodStats stats;
  if (count == 0) return stats;
  stats.sum = value * static_cast<double>(count);
  stats.count = count;
  stats.min = stats.max = value;
  return stats;
}

bool fires(const AlarmSettings& s, double value) {
  const std::int64_t t0 = 1'700'000'000 / s.period * s.period;
  std::vector<Datapoint> points{Datapoint{t0, value, 1}};
  return !replay_alarm(s, points).windows.empty();
}

// One period of the log group: `matching` events of the rule, each publishing `value`, among `others` events
// that do not match (each publishing the filter's defaultValue, when it has one).
struct Period {
  std::uint64_t matching = 1;
  std::uint64_t others = 0;
};

// An attacker chooses how many keys to disable in a period, and a busy log group holds many other events: the
// alarm must fire however many there are. These stand for "one", "a few", "many" and "a busy log group".
constexpr Period kPeriods[] = {{1, 0}, {2, 0}, {10, 0}, {1000, 0}, {1, 1}, {1, 1'000'000}};
constexpr std::uint64_t kBusy = 1'000'000;

std::string describe(const Period& p, bool with_default) {
  std::string events = p.matching == 1 ? "one matching event" : fmt::format("{} matching events", p.matching);
  if (with_default && p.others == 1) return events + " among others";
  if (with_default && p.others > 1) return fmt::format("{} among {} others", events, p.others);
  return p.matching == 1 ? events : events + " in one period";
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

  // A metric filter without a unit publishes with unit None; an alarm that names another unit never sees
  // those datapoints (it stays in INSUFFICIENT_DATA).
  const std::string published = filter.metric.unit.empty() ? "None" : filter.metric.unit;
  if (!alarm.unit.empty() && alarm.unit != published)
    return {false,
            fmt::format("it watches only datapoints with unit {}, but the filter publishes unit {}, so "
                        "it sees none of them",
                        alarm.unit, published)};

  // The judge could not run the filter's own transformation (it used the value 1 instead): what the live
  // filter publishes is unknown, so the alarm is not taken to fire on it.
  if (!judgement.error.empty())
    return {false, "the filter's metric transformation could not be evaluated (" + judgement.error +
                       "), so what it publishes is unknown"};

  // A filter with dimensions publishes no default value (CloudWatch rejects the combination).
  std::optional<double> default_value;
  if (a.dimensions.empty() && filter.metric.default_value) default_value = *filter.metric.default_value;

  // With a defaultValue every other event of the log group publishes a sample. A log group that CloudTrail
  // delivers to is never quiet, so an alarm that breaches on those samples alone is in ALARM all the time:
  // a matching event changes nothing and notifies nobody.
  if (default_value)
    for (std::uint64_t others : {std::uint64_t{1}, kBusy})
      if (double v = samples(*default_value, others).value(s.statistic); fires(s, v))
        return {false,
                fmt::format("{} other events (defaultValue {}) already give {} {}, which breaches {} {}: "
                            "the alarm is in ALARM whenever the log group receives events, so a "
                            "matching event changes nothing and notifies nobody",
                            others, number(*default_value), to_string(s.statistic), number(v),
                            to_string(s.comparison), number(s.threshold))};

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
    for (const Period& p : kPeriods) {
      if (!first_failure.empty()) break;
      if (p.others > 0 && !default_value) continue;  // without a defaultValue other events publish nothing
      PeriodStats stats = samples(*o.value, p.matching);
      if (p.others > 0) stats.merge(samples(*default_value, p.others));
      double value = stats.value(s.statistic);
      if (fires(s, value)) continue;
      std::string why = fmt::format(
          "{} {} {} {} (metricValue {}{}), which {} {} {}", describe(p, default_value.has_value()),
          p.matching == 1 && p.others == 0 ? "gives" : "give", to_string(s.statistic), number(value),
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
  return {true, ""};
}

}  // namespace trailwatch::audit
