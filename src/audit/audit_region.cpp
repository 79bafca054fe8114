// One region's verdict: the best chain trail -> delivery -> filter -> alarm -> notification that records it.
// Every link of that chain is reported, failing ones with the command that fixes them, so one run lists all
// the work rather than the first problem.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "audit/audit_alarm_check.hpp"
#include "audit/audit_bodies.hpp"
#include "audit/audit_calls.hpp"
#include "audit/audit_region.hpp"
#include "audit/audit_remediation.hpp"
#include "audit/chain.hpp"
#include "audit/probe_judge.hpp"
#include "audit/probe_records.hpp"
#include "trailwatch/audit.hpp"
#include "trailwatch/rules.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch::audit {

namespace {

constexpr std::int64_t kStaleDelivery = 24 * 3600;

struct Stage {
  bool ok = false;
  std::vector<Finding> findings;
  std::vector<std::string> remediation;

  void add(Link link, CheckStatus status, std::string detail, std::vector<std::string> resources = {}) {
    std::erase(resources, std::string());
    findings.push_back(
        Finding{std::string(check_name(link)), status, std::move(detail), std::move(resources)});
  }
  void append(Stage&& other) {
    for (Finding& f : other.findings) findings.push_back(std::move(f));
    for (std::string& r : other.remediation) remediation.push_back(std::move(r));
  }
};

std::string metric_text(const MetricTransformation& m) {
  std::string out = m.namespace_ + "/" + m.name;
  if (!m.dimensions.empty()) {
    std::vector<std::string> names;
    for (const auto& [name, selector] : m.dimensions) names.push_back(name + "=" + selector);
    out += fmt::format(" [{}]", fmt::join(names, ", "));
  }
  return out;
}

std::string alarm_metric_text(const ConfiguredAlarm& a) {
  std::string out = a.metric_namespace + "/" + a.metric_name;
  if (!a.dimensions.empty()) {
    std::vector<std::string> dims;
    for (const auto& [k, v] : a.dimensions) dims.push_back(k + "=" + v);
    out += fmt::format(" [{}]", fmt::join(dims, ", "));
  }
  return out;
}

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

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// ---- notification -----------------------------------------------------------------------------------------

Stage notification_stage(Calls& calls, const AlarmDefinition& a, const std::string& region,
                         const MetricTransformation& metric) {
  Stage failing;
  Stage passing;
  bool any_topic = false;
  for (const std::string& action : a.alarm_actions) {
    auto topic = parse_arn(action);
    if (!topic || topic->service != "sns") continue;
    any_topic = true;
    std::vector<Subscription> subs = calls.subscriptions(*topic, action);
    std::size_t confirmed = 0;
    std::size_t pending = 0;
    std::set<std::string> protocols;
    for (const Subscription& s : subs) {
      if (s.confirmed()) {
        ++confirmed;
        protocols.insert(s.protocol);
      } else if (s.arn == "PendingConfirmation") {
        ++pending;
      }
    }
    if (confirmed > 0) {
      passing.ok = true;
      passing.add(
          Link::Notification, CheckStatus::Pass,
          fmt::format("alarm {} notifies SNS topic {}, which has {} ({})", a.config.name, topic->resource,
                      plural(confirmed, "confirmed subscription"), fmt::join(protocols, ", ")),
          {action});
    } else {
      std::string why = subs.empty() ? "no subscriptions"
                        : pending > 0
                            ? fmt::format("{} pending confirmation", plural(pending, "subscription"))
                            : fmt::format("{}, none confirmed", plural(subs.size(), "subscription"));
      failing.add(
          Link::Notification, CheckStatus::Fail,
          fmt::format("SNS topic {} of alarm {} has no confirmed subscription ({}): nobody is notified",
                      topic->resource, a.config.name, why),
          {action});
      failing.remediation.push_back(fix::subscribe(*topic, action));
    }
  }
  if (passing.ok) return passing;
  if (!any_topic) {
    failing.add(Link::Notification, CheckStatus::Fail,
                fmt::format("alarm {} has no SNS topic among its actions{}", a.config.name,
                            a.alarm_actions.empty() ? " (it has no actions)"
                                                    : fmt::format(" ({})", fmt::join(a.alarm_actions, ", "))),
                {a.arn});
    failing.remediation.push_back(fix::put_metric_alarm(region, metric, a.config.name, ""));
  }
  return failing;
}

// ---- alarm ------------------------------------------------------------------------------------------------

struct AlarmStage : Stage {
  Stage notification;
  bool any_alarm = false;
};

AlarmStage alarm_stage(Calls& calls, const std::string& region, const ConfiguredFilter& f,
                       const FilterJudgement& j, const std::vector<AlarmDefinition>& alarms) {
  AlarmStage stage;
  const std::set<std::string> filter_dims = dimension_names(f.metric);
  std::vector<const AlarmDefinition*> watching;
  for (const AlarmDefinition& a : alarms)
    if (a.config.metric_namespace == f.metric.namespace_ && a.config.metric_name == f.metric.name &&
        dimension_names(a.config) == filter_dims)
      watching.push_back(&a);

  if (watching.empty()) {
    stage.add(Link::Alarm, CheckStatus::Fail,
              fmt::format("no alarm in {} watches {}, the metric of filter {}", region, metric_text(f.metric),
                          f.name));
    for (const AlarmDefinition& a : alarms) {
      const ConfiguredAlarm& c = a.config;
      bool math = std::any_of(a.math_metrics.begin(), a.math_metrics.end(), [&](const auto& m) {
        return m.first == f.metric.namespace_ && m.second == f.metric.name;
      });
      if (math)
        stage.add(Link::Alarm, CheckStatus::Info,
                  fmt::format("alarm {} is a metric-math alarm reading {}/{}: not judged", c.name,
                              f.metric.namespace_, f.metric.name),
                  {a.arn});
      else if (c.metric_name == f.metric.name && c.metric_namespace != f.metric.namespace_)
        stage.add(Link::Alarm, CheckStatus::Fail,
                  fmt::format("alarm {} watches {}: another namespace than the filter's {}", c.name,
                              alarm_metric_text(c), f.metric.namespace_),
                  {a.arn});
      else if (c.metric_name == f.metric.name)
        stage.add(
            Link::Alarm, CheckStatus::Fail,
            fmt::format("alarm {} watches {}, but filter {} publishes {}: the dimensions differ, so the "
                        "alarm sees none of its datapoints",
                        c.name, alarm_metric_text(c), f.name, metric_text(f.metric)),
            {a.arn});
    }
    stage.remediation.push_back(fix::put_metric_alarm(region, f.metric, "", ""));
    return stage;
  }

  stage.any_alarm = true;
  struct Judged {
    const AlarmDefinition* alarm;
    FireCheck fire;
    bool ok;
  };
  std::vector<Judged> judged;
  for (const AlarmDefinition* a : watching) {
    FireCheck fire = can_fire_on_one_event(*a, f, j);
    judged.push_back(Judged{a, fire, fire.fires && a->actions_enabled});
  }
  // The alarm whose whole chain holds, else the first that fires, else the first: its notification link is
  // reported too, so one run shows every fix.
  const Judged* chosen = nullptr;
  Stage chosen_notification;
  for (const Judged& x : judged) {
    if (!x.ok) continue;
    Stage n = notification_stage(calls, *x.alarm, region, f.metric);
    if (!chosen || (n.ok && !chosen_notification.ok)) {
      chosen = &x;
      chosen_notification = std::move(n);
    }
    if (chosen_notification.ok) break;
  }
  if (chosen) {
    const AlarmSettings& s = chosen->alarm->config.settings;
    stage.ok = true;
    stage.add(Link::Alarm, CheckStatus::Pass,
              fmt::format("alarm {} on {} fires on one matching event ({} {} {} over {} s, {} of {}){}",
                          chosen->alarm->config.name, alarm_metric_text(chosen->alarm->config),
                          to_string(s.statistic), symbol(s.comparison), s.threshold, s.period,
                          s.datapoints_to_alarm, s.evaluation_periods,
                          chosen->fire.reason.empty() ? "" : "; note: " + chosen->fire.reason),
              {chosen->alarm->arn});
    stage.notification = std::move(chosen_notification);
    return stage;
  }
  for (const Judged& x : judged) {
    const AlarmDefinition& a = *x.alarm;
    std::string topic;
    for (const std::string& action : a.alarm_actions)
      if (auto arn = parse_arn(action); arn && arn->service == "sns" && topic.empty()) topic = action;
    if (!a.config.unreplayable.empty()) {
      stage.add(Link::Alarm, CheckStatus::Info, fmt::format("alarm {}: {}", a.config.name, x.fire.reason),
                {a.arn});
      continue;
    }
    if (!a.actions_enabled) {
      stage.add(Link::Alarm, CheckStatus::Fail,
                fmt::format("alarm {} has its actions disabled (ActionsEnabled false): it notifies nobody",
                            a.config.name),
                {a.arn});
      stage.remediation.push_back(fix::enable_alarm_actions(region, a.config.name));
    }
    if (!x.fire.fires) {
      stage.add(Link::Alarm, CheckStatus::Fail,
                fmt::format("alarm {} cannot fire on one matching event: {}", a.config.name, x.fire.reason),
                {a.arn});
      stage.remediation.push_back(fix::put_metric_alarm(region, f.metric, a.config.name, topic));
    }
  }
  if (stage.remediation.empty()) stage.remediation.push_back(fix::put_metric_alarm(region, f.metric, "", ""));
  stage.notification = notification_stage(calls, *judged.front().alarm, region, f.metric);
  return stage;
}

// ---- metric filter ----------------------------------------------------------------------------------------

struct LogGroup {
  std::string arn;
  std::string name;
  std::string region;
  std::string account;
};

struct FilterStage {
  std::size_t links = 0;  // filter, alarm, notification links that hold
  Stage stage;
};

// `region` is the audited region, whose events the filter must catch (a multi-region trail's log group holds
// every region's events); the filters and alarms live in the log group's region.
FilterStage filter_stage(Calls& calls, const LogGroup& lg, const std::string& region,
                         const std::string& account) {
  FilterStage out;
  std::vector<ConfiguredFilter> all = calls.filters(lg.region);
  std::vector<std::pair<const ConfiguredFilter*, FilterJudgement>> on_group;
  for (const ConfiguredFilter& f : all)
    if (f.log_group == lg.name) on_group.emplace_back(&f, judge_filter(f, region, account));
  auto is = [](const FilterJudgement& j, FilterVerdict v) { return j.verdict == v; };
  bool any_passing = std::any_of(on_group.begin(), on_group.end(), [&](const auto& p) {
    return is(p.second, FilterVerdict::Equivalent) || is(p.second, FilterVerdict::Broader);
  });

  // Candidates: the filters that pass; failing that, the narrower ones, which can be fixed in place while
  // their alarm chain is kept.
  struct Path {
    const ConfiguredFilter* filter;
    const FilterJudgement* judgement;
    AlarmStage alarms;
    std::tuple<bool, bool> score() const { return {alarms.ok, alarms.notification.ok}; }
  };
  std::vector<Path> paths;
  std::vector<AlarmDefinition> alarms;
  bool alarms_read = false;
  for (const auto& [f, j] : on_group) {
    bool passing = is(j, FilterVerdict::Equivalent) || is(j, FilterVerdict::Broader);
    if (any_passing ? !passing : !is(j, FilterVerdict::Narrower)) continue;
    if (!alarms_read) {
      alarms = calls.alarms(lg.region);
      alarms_read = true;
    }
    paths.push_back(Path{f, &j, alarm_stage(calls, lg.region, *f, j, alarms)});
  }
  Path* best = nullptr;
  for (Path& p : paths)
    if (!best || p.score() > best->score()) best = &p;

  Stage& s = out.stage;
  if (any_passing) {
    const FilterJudgement& j = *best->judgement;
    s.ok = true;
    ++out.links;
    if (j.verdict == FilterVerdict::Equivalent)
      s.add(Link::Filter, CheckStatus::Pass,
            fmt::format("metric filter {} on log group {} ({}) catches exactly the rule's events: equivalent",
                        best->filter->name, lg.name, lg.region),
            {lg.arn});
    else
      s.add(Link::Filter, CheckStatus::Pass,
            fmt::format("metric filter {} on log group {} ({}) catches the rule's events and more: broader "
                        "(also {}); its alarm fires on those too",
                        best->filter->name, lg.name, lg.region, j.extra()),
            {lg.arn});
    if (!j.error.empty())
      s.add(Link::Filter, CheckStatus::Warn, fmt::format("metric filter {}: {}", best->filter->name, j.error),
            {lg.arn});
  } else {
    std::size_t narrower = 0;
    for (const auto& [f, j] : on_group) {
      if (!is(j, FilterVerdict::Narrower)) continue;
      ++narrower;
      s.add(Link::Filter, CheckStatus::Fail,
            fmt::format("metric filter {} on log group {} is narrower than the rule: it misses {}", f->name,
                        lg.name, j.missed()),
            {lg.arn});
    }
    const ConfiguredFilter* unjudged = nullptr;
    for (const auto& [f, j] : on_group)
      if (is(j, FilterVerdict::Unparsable) && !unjudged) unjudged = f;
    if (on_group.empty())
      s.add(Link::Filter, CheckStatus::Fail,
            fmt::format("log group {} ({}) has no metric filter", lg.name, lg.region), {lg.arn});
    else if (narrower == 0)
      s.add(Link::Filter, CheckStatus::Fail,
            fmt::format("no metric filter on log group {} ({}) is seen to catch {} ({} there{})", lg.name,
                        lg.region, rule_events_text(), plural(on_group.size(), "filter"),
                        unjudged ? ", some not judged" : ""),
            {lg.arn});
    // Fixing an existing filter in place keeps the alarms already on its metric.
    const ConfiguredFilter* fixable = best ? best->filter : unjudged;
    MetricTransformation cis;
    cis.name = std::string(default_rule().metric_name);
    cis.namespace_ = std::string(default_rule().metric_namespace);
    s.remediation.push_back(fixable
                                ? fix::put_metric_filter(lg.region, lg.name, fixable->name, fixable->metric)
                                : fix::put_metric_filter(lg.region, lg.name, "", cis));
    if (!fixable) s.remediation.push_back(fix::put_metric_alarm(lg.region, cis, "", ""));
  }
  for (const auto& [f, j] : on_group)
    if (is(j, FilterVerdict::Unparsable))
      s.add(Link::Filter, CheckStatus::Warn,
            fmt::format("metric filter {} on log group {} was not judged: {}", f->name, lg.name, j.error),
            {lg.arn});
  if (best) {
    out.links += best->alarms.ok + best->alarms.notification.ok;
    Stage notification = std::move(best->alarms.notification);
    s.append(std::move(best->alarms));
    s.append(std::move(notification));
  }
  return out;
}

// ---- trail and delivery -----------------------------------------------------------------------------------

struct Chain {
  std::size_t links = 0;  // that hold, of kChainLinks
  const Trail* trail = nullptr;
  Stage stage;
};

std::string trail_text(const Trail& t) {
  return fmt::format("{}trail {} (home {})", t.multi_region ? "multi-region " : "", t.name, t.home_region);
}

Chain trail_chain(Calls& calls, const Trail& t, const std::string& region, const std::string& account,
                  std::int64_t now) {
  Chain chain;
  chain.trail = &t;
  Stage& s = chain.stage;
  TrailStatus status = calls.status(t);
  SelectorCoverage coverage = calls.selectors(t);
  // The default applies only to a trail never given selectors; one that has some but whose selectors did not
  // come back records something unknown.
  if (coverage.none_given && t.has_custom_event_selectors)
    coverage = {
        false,
        "DescribeTrails says it has custom event selectors, but GetEventSelectors returned none: what it "
        "records is unknown",
        true};
  if (!status.is_logging) {
    s.add(Link::Trail, CheckStatus::Fail, trail_text(t) + " is not logging", {t.arn});
    s.remediation.push_back(fix::start_logging(t));
  }
  if (!coverage.covered) {
    s.add(Link::Trail, CheckStatus::Fail, trail_text(t) + ": " + coverage.description, {t.arn});
    s.remediation.push_back(fix::put_event_selectors(t));
  }
  if (status.is_logging && coverage.covered) {
    ++chain.links;
    s.add(Link::Trail, CheckStatus::Pass, trail_text(t) + " is logging; " + coverage.description, {t.arn});
  }

  if (t.log_group_arn.empty()) {
    s.add(Link::Delivery, CheckStatus::Fail, trail_text(t) + " does not send its events to CloudWatch Logs",
          {t.arn});
    s.remediation.push_back(fix::send_to_logs(t, account));
    return chain;
  }
  auto arn = parse_arn(t.log_group_arn);
  if (!arn || arn->service != "logs" || !arn->resource.starts_with("log-group:")) {
    s.add(Link::Delivery, CheckStatus::Fail,
          fmt::format("{} names {} as its log group, which is not a log group ARN", trail_text(t),
                      t.log_group_arn),
          {t.arn});
    s.remediation.push_back(fix::send_to_logs(t, account));
    return chain;
  }
  LogGroup lg{t.log_group_arn, arn->resource.substr(10), arn->region, arn->account};
  if (lg.name.ends_with(":*")) lg.name.resize(lg.name.size() - 2);
  if (!account.empty() && lg.account != account) {
    s.add(Link::Delivery, CheckStatus::Fail,
          fmt::format("{} sends to log group {} in account {}, not this account ({}): its filters and alarms "
                      "cannot be checked from here; audit that account",
                      trail_text(t), lg.name, lg.account, account),
          {t.arn, lg.arn});
    return chain;
  }
  ++chain.links;
  s.add(Link::Delivery, CheckStatus::Pass,
        fmt::format("{} sends to log group {} in {}", trail_text(t), lg.name, lg.region),
        {lg.arn, t.logs_role_arn});
  if (!status.logs_delivery_error.empty())
    s.add(Link::Delivery, CheckStatus::Warn,
          fmt::format("{} reports a CloudWatch Logs delivery error: {}", trail_text(t),
                      status.logs_delivery_error),
          {t.arn});
  else if (!status.latest_logs_delivery)
    s.add(
        Link::Delivery, CheckStatus::Warn,
        fmt::format("{} reports no CloudWatch Logs delivery yet (a new trail, or a server that does not say)",
                    trail_text(t)),
        {t.arn});
  else if (now - *status.latest_logs_delivery > kStaleDelivery)
    s.add(Link::Delivery, CheckStatus::Warn,
          fmt::format("{} last delivered to CloudWatch Logs at {}, over a day ago", trail_text(t),
                      format_utc_time(*status.latest_logs_delivery)),
          {t.arn});

  FilterStage filters = filter_stage(calls, lg, region, account);
  chain.links += filters.links;
  s.append(std::move(filters.stage));
  return chain;
}

}  // namespace

RegionAudit audit_region(aws::ApiSource& source, const std::string& region, const std::string& account,
                         std::int64_t now) {
  Calls calls(source);
  RegionAudit out;
  out.region = region;
  std::vector<Trail> trails = calls.trails(region);
  std::vector<const Trail*> own;
  std::vector<const Trail*> delegated;
  for (const Trail& t : trails) {
    if (!t.multi_region && t.home_region != region) continue;
    auto arn = parse_arn(t.arn);
    if (t.organization && arn && !account.empty() && arn->account != account)
      delegated.push_back(&t);
    else
      own.push_back(&t);
  }

  std::vector<Chain> chains;
  for (const Trail* t : own) chains.push_back(trail_chain(calls, *t, region, account, now));
  const Chain* best = nullptr;
  for (const Chain& c : chains)
    if (!best || c.links > best->links) best = &c;

  if (best && best->links == kChainLinks) {
    out.status = RegionStatus::Pass;
    out.findings = best->stage.findings;
    return out;
  }
  if (!delegated.empty()) {
    const Trail& t = *delegated.front();
    out.status = RegionStatus::Delegated;
    out.findings.push_back(
        Finding{std::string(check_name(Link::Trail)),
                CheckStatus::Info,
                fmt::format("organization {} belongs to account {}: monitoring of {} is expected in that "
                            "(management) account",
                            trail_text(t), parse_arn(t.arn)->account, region),
                {t.arn}});
    return out;
  }
  out.status = RegionStatus::Fail;
  if (!best) {
    out.findings.push_back(Finding{
        std::string(check_name(Link::Trail)),
        CheckStatus::Fail,
        trails.empty() ? fmt::format("no trail records {}", region)
                       : fmt::format("no trail records {}: {} listed, none multi-region or homed here",
                                     region, plural(trails.size(), "trail")),
        {}});
    out.remediation.push_back(fix::create_trail(region));
    return out;
  }
  out.findings = best->stage.findings;
  out.remediation = best->stage.remediation;
  for (const Chain& c : chains)
    if (&c != best)
      out.findings.push_back(Finding{std::string(check_name(Link::Trail)),
                                     CheckStatus::Info,
                                     fmt::format("{} also records {}; {} of its {} links hold",
                                                 trail_text(*c.trail), region, c.links, kChainLinks),
                                     {c.trail->arn}});
  return out;
}

}  // namespace trailwatch::audit
