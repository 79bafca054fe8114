// The notification link: does the alarm's action reach someone, i.e. an SNS topic with a confirmed
// subscription? A pending or deleted subscription delivers nothing.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "audit/audit_remediation.hpp"
#include "audit/chain.hpp"

namespace trailwatch::audit {

NotificationFacts check_notification(Calls& calls, const AlarmDefinition& alarm) {
  NotificationFacts facts;
  facts.alarm = &alarm;
  for (const std::string& action : alarm.alarm_actions) {
    auto topic = parse_arn(action);
    if (!topic || topic->service != "sns") continue;
    TopicFacts t;
    t.arn = action;
    t.topic = *topic;
    std::vector<Subscription> subs = calls.subscriptions(*topic, action);
    t.subscriptions = subs.size();
    for (const Subscription& s : subs) {
      if (s.confirmed()) {
        ++t.confirmed;
        t.protocols.insert(s.protocol);
      } else if (s.arn == "PendingConfirmation") {
        ++t.pending;
      }
    }
    t.verdict = t.confirmed > 0 ? TopicVerdict::Confirmed
                : subs.empty()  ? TopicVerdict::NoSubscriptions
                : t.pending > 0 ? TopicVerdict::Pending
                                : TopicVerdict::NoneConfirmed;
    facts.topics.push_back(std::move(t));
  }
  return facts;
}

bool NotificationFacts::holds() const {
  return std::any_of(topics.begin(), topics.end(),
                     [](const TopicFacts& t) { return t.verdict == TopicVerdict::Confirmed; });
}

namespace {

std::string why_nobody(const TopicFacts& t) {
  switch (t.verdict) {
    case TopicVerdict::NoSubscriptions:
      return "no subscriptions";
    case TopicVerdict::Pending:
      return fmt::format("{} pending confirmation", plural(t.pending, "subscription"));
    case TopicVerdict::NoneConfirmed:
    case TopicVerdict::Confirmed:
      break;
  }
  return fmt::format("{}, none confirmed", plural(t.subscriptions, "subscription"));
}

}  // namespace

void notification_findings(const ChainFacts& chain, std::vector<Finding>& out) {
  const NotificationFacts& facts = *chain.notification;
  const AlarmDefinition& a = *facts.alarm;
  // One topic that reaches someone is enough: the others are not reported.
  if (facts.holds()) {
    for (const TopicFacts& t : facts.topics)
      if (t.verdict == TopicVerdict::Confirmed)
        add_finding(out, Link::Notification, CheckStatus::Pass,
                    fmt::format("alarm {} ({}) notifies SNS topic {}, which has {} ({})", a.config.name,
                                chain.alarm->region, t.topic.resource,
                                plural(t.confirmed, "confirmed subscription"), fmt::join(t.protocols, ", ")),
                    {t.arn});
    return;
  }
  for (const TopicFacts& t : facts.topics)
    add_finding(out, Link::Notification, CheckStatus::Fail,
                fmt::format("SNS topic {} ({}) of alarm {} has no confirmed subscription ({}): nobody is "
                            "notified",
                            t.topic.resource, t.topic.region, a.config.name, why_nobody(t)),
                {t.arn});
  if (facts.topics.empty())
    add_finding(
        out, Link::Notification, CheckStatus::Fail,
        fmt::format("alarm {} ({}) has no SNS topic among its actions{}", a.config.name, chain.alarm->region,
                    a.alarm_actions.empty() ? " (it has no actions)"
                                            : fmt::format(" ({})", fmt::join(a.alarm_actions, ", "))),
        {a.arn});
}

void notification_fixes(const ChainFacts& chain, std::vector<std::string>& out) {
  const NotificationFacts& facts = *chain.notification;
  if (facts.holds()) return;
  for (const TopicFacts& t : facts.topics) out.push_back(fix::subscribe(t.topic, t.arn));
  // Without a topic the alarm itself is redefined, with one.
  if (facts.topics.empty()) {
    const AlarmFacts& alarm = *chain.alarm;
    out.push_back(fix::put_metric_alarm(alarm.region, alarm.filter->filter->metric, facts.alarm->config.name,
                                        "", *chain.rule));
  }
}

}  // namespace trailwatch::audit
