// The alarm link: which alarm on the filter's metric goes to ALARM on one matching event and has its actions
// enabled, and which alarms nearly watch that metric (worth a line: they are usually the intended alarm).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "audit/audit_remediation.hpp"
#include "audit/chain.hpp"

namespace trailwatch::audit {

namespace {

std::set<std::string> dimension_names(const MetricTransformation& m) {
  std::set<std::string> out;
  for (const auto& [name, selector] : m.dimensions) out.insert(name);
  return out;
}

std::set<std::string> dimension_names(const ConfiguredAlarm& a) {
  std::set<std::string> out;
  for (const auto& [name, value] : a.dimensions) out.insert(name);
  return out;
}

bool watches(const ConfiguredAlarm& a, const MetricTransformation& m) {
  return a.metric_namespace == m.namespace_ && a.metric_name == m.name &&
         dimension_names(a) == dimension_names(m);
}

std::optional<NearMiss> near_miss(const AlarmDefinition& a, const MetricTransformation& m) {
  const ConfiguredAlarm& c = a.config;
  if (std::any_of(a.math_metrics.begin(), a.math_metrics.end(),
                  [&](const auto& read) { return read.first == m.namespace_ && read.second == m.name; }))
    return NearMiss::MetricMath;
  if (c.metric_name != m.name) return std::nullopt;
  // Called only when no alarm watches the metric: same namespace and name means other dimensions.
  return c.metric_namespace != m.namespace_ ? NearMiss::OtherNamespace : NearMiss::OtherDimensions;
}

// The alarm's first SNS action, or empty: the fix keeps it.
std::string sns_topic(const AlarmDefinition& a) {
  for (const std::string& action : a.alarm_actions)
    if (auto arn = parse_arn(action); arn && arn->service == "sns") return action;
  return "";
}

// "Namespace/Name [dim=value, ...]": `dimensions` is a filter's (name -> selector) or an alarm's (name ->
// value).
template <typename Pairs>
std::string metric_text(std::string_view namespace_, std::string_view name, const Pairs& dimensions) {
  std::string out = fmt::format("{}/{}", namespace_, name);
  if (dimensions.empty()) return out;
  std::vector<std::string> pairs;
  for (const auto& [key, value] : dimensions) pairs.push_back(key + "=" + value);
  return out + fmt::format(" [{}]", fmt::join(pairs, ", "));
}

std::string metric_text(const MetricTransformation& m) {
  return metric_text(m.namespace_, m.name, m.dimensions);
}

std::string alarm_metric_text(const ConfiguredAlarm& a) {
  return metric_text(a.metric_namespace, a.metric_name, a.dimensions);
}

std::string_view symbol(ComparisonOperator op) {
  switch (op) {
    case ComparisonOperator::GreaterThanOrEqualToThreshold:
      return ">=";
    case ComparisonOperator::GreaterThanThreshold:
      return ">";
    case ComparisonOperator::LessThanThreshold:
      return "<";
    case ComparisonOperator::LessThanOrEqualToThreshold:
      return "<=";
  }
  return "?";
}

}  // namespace

AlarmTail check_alarm(Calls& calls, const std::string& region, const JudgedFilter& filter,
                      const std::vector<AlarmDefinition>& alarms) {
  AlarmTail tail;
  AlarmFacts& facts = tail.alarm;
  facts.region = region;
  facts.filter = &filter;
  const MetricTransformation& metric = filter.filter->metric;
  for (const AlarmDefinition& a : alarms)
    if (watches(a.config, metric))
      facts.watching.push_back(JudgedAlarm{&a, can_fire_on_one_event(a, *filter.filter, filter.judgement)});
  if (facts.watching.empty()) {
    for (const AlarmDefinition& a : alarms)
      if (auto why = near_miss(a, metric)) facts.near_misses.push_back(UnwatchingAlarm{&a, *why});
    return tail;
  }

  // The alarm whose whole chain holds, else the first that holds; notifications are read only until one
  // holds, so an export needs no more files than that.
  std::optional<NotificationFacts>& notification = tail.notification;
  for (const JudgedAlarm& x : facts.watching) {
    if (!x.holds()) continue;
    NotificationFacts n = check_notification(calls, *x.alarm);
    if (!facts.chosen || (n.holds() && !notification->holds())) {
      facts.chosen = &x;
      notification = std::move(n);
    }
    if (notification->holds()) break;
  }
  // No alarm holds: the first one's notification is reported too, so one run shows every fix.
  if (!facts.chosen) notification = check_notification(calls, *facts.watching.front().alarm);
  return tail;
}

void alarm_findings(const ChainFacts& chain, std::vector<Finding>& out) {
  const AlarmFacts& facts = *chain.alarm;
  const ConfiguredFilter& f = *facts.filter->filter;
  if (facts.watching.empty()) {
    add_finding(out, Link::Alarm, CheckStatus::Fail,
                fmt::format("no alarm in {} watches {}, the metric of filter {}", facts.region,
                            metric_text(f.metric), f.name));
    for (const UnwatchingAlarm& u : facts.near_misses) {
      const ConfiguredAlarm& c = u.alarm->config;
      switch (u.why) {
        case NearMiss::MetricMath:
          add_finding(out, Link::Alarm, CheckStatus::Info,
                      fmt::format("alarm {} ({}) is a metric-math alarm reading {}/{}: not judged", c.name,
                                  facts.region, f.metric.namespace_, f.metric.name),
                      {u.alarm->arn});
          break;
        case NearMiss::OtherNamespace:
          add_finding(out, Link::Alarm, CheckStatus::Fail,
                      fmt::format("alarm {} ({}) watches {}: another namespace than the filter's {}", c.name,
                                  facts.region, alarm_metric_text(c), f.metric.namespace_),
                      {u.alarm->arn});
          break;
        case NearMiss::OtherDimensions:
          add_finding(
              out, Link::Alarm, CheckStatus::Fail,
              fmt::format("alarm {} ({}) watches {}, but filter {} publishes {}: the dimensions differ, so "
                          "the alarm sees none of its datapoints",
                          c.name, facts.region, alarm_metric_text(c), f.name, metric_text(f.metric)),
              {u.alarm->arn});
          break;
      }
    }
    return;
  }
  if (facts.chosen) {
    const AlarmDefinition& a = *facts.chosen->alarm;
    const AlarmSettings& s = a.config.settings;
    const std::string& note = facts.chosen->fire.reason;
    add_finding(
        out, Link::Alarm, CheckStatus::Pass,
        fmt::format("alarm {} ({}) on {} fires on one matching event ({} {} {} over {} s, {} of {}){}",
                    a.config.name, facts.region, alarm_metric_text(a.config), to_string(s.statistic),
                    symbol(s.comparison), s.threshold, s.period, s.datapoints_to_alarm, s.evaluation_periods,
                    note.empty() ? "" : "; note: " + note),
        {a.arn});
    return;
  }
  for (const JudgedAlarm& x : facts.watching) {
    const AlarmDefinition& a = *x.alarm;
    if (!x.judged()) {
      add_finding(out, Link::Alarm, CheckStatus::Info,
                  fmt::format("alarm {} ({}): {}", a.config.name, facts.region, x.fire.reason), {a.arn});
      continue;
    }
    if (!a.actions_enabled)
      add_finding(out, Link::Alarm, CheckStatus::Fail,
                  fmt::format("alarm {} ({}) has its actions disabled (ActionsEnabled false): it notifies "
                              "nobody",
                              a.config.name, facts.region),
                  {a.arn});
    if (!x.fire.fires)
      add_finding(out, Link::Alarm, CheckStatus::Fail,
                  fmt::format("alarm {} ({}) cannot fire on one matching event: {}", a.config.name,
                              facts.region, x.fire.reason),
                  {a.arn});
  }
}

void alarm_fixes(const ChainFacts& chain, std::vector<std::string>& out) {
  const AlarmFacts& facts = *chain.alarm;
  if (facts.holds()) return;
  const MetricTransformation& metric = facts.filter->filter->metric;
  // Each alarm that can be judged is fixed in place; when none can, a new one is the fix.
  bool any_judged = false;
  for (const JudgedAlarm& x : facts.watching) {
    if (!x.judged()) continue;
    any_judged = true;
    const AlarmDefinition& a = *x.alarm;
    if (!a.actions_enabled) out.push_back(fix::enable_alarm_actions(facts.region, a.config.name));
    if (!x.fire.fires)
      out.push_back(fix::put_metric_alarm(facts.region, metric, a.config.name, sns_topic(a), *chain.rule));
  }
  if (!any_judged) out.push_back(fix::put_metric_alarm(facts.region, metric, "", "", *chain.rule));
}

}  // namespace trailwatch::audit
