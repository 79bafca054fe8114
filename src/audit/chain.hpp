// The chain the audit follows in each region: trail -> CloudWatch Logs delivery -> metric filter -> alarm ->
// SNS notification. Its links are named here once; everything that counts or names them derives from Link.
// Each stage first decides (check_*: its calls and verdicts, kept as facts), then says what it found
// (*_findings) and what fixes it (*_fixes: aws CLI lines from audit_remediation). Facts point into the AWS
// answers the ChainFacts and the caller's trail list hold: move a ChainFacts, never copy it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_alarm_check.hpp"
#include "audit/audit_bodies.hpp"
#include "audit/audit_calls.hpp"
#include "audit/probe_judge.hpp"
#include "trailwatch/account_config.hpp"
#include "trailwatch/audit.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::audit {

// ---- the links --------------------------------------------------------------------------------------------

/// The links of a chain, in the order it is walked.
enum class Link : std::uint8_t { Trail, Delivery, Filter, Alarm, Notification };
inline constexpr std::size_t kChainLinks = static_cast<std::size_t>(Link::Notification) + 1;

/// The link's name as a Finding's `check` ("trail", "cloudwatch-logs-delivery", ...); a static string.
std::string_view check_name(Link link);

struct ChainFacts;
struct AlarmTail;

/// Appends a finding about `link`, dropping empty resources.
void add_finding(std::vector<Finding>& out, Link link, CheckStatus status, std::string detail,
                 std::vector<std::string> resources = {});
/// "1 trail", "2 trails".
std::string plural(std::size_t n, std::string_view word);

// ---- trail (chain_trail.cpp) ------------------------------------------------------------------------------

struct TrailFacts {
  const Trail* trail = nullptr;
  TrailStatus status;
  SelectorCoverage coverage;  // whether its selectors record the rule's events
  bool holds() const { return status.is_logging && coverage.covered; }
};
/// Reads the trail's status and selectors (in its home region); the selectors are judged for `rule`.
TrailFacts check_trail(Calls& calls, const Trail& trail, const BuiltinRule& rule);
/// "multi-region trail main (home us-east-1)": how every finding names a trail.
std::string trail_text(const Trail& trail);
void trail_findings(const ChainFacts& chain, std::vector<Finding>& out);
void trail_fixes(const ChainFacts& chain, std::vector<std::string>& out);

// ---- CloudWatch Logs delivery (chain_trail.cpp) -----------------------------------------------------------

enum class Delivery : std::uint8_t {
  None,          // the trail names no log group
  NotALogGroup,  // what it names is not a log group ARN
  OtherAccount,  // a log group of another account: the rest of the chain cannot be seen from here
  Delivers,      // a log group of this account: the chain goes on there
};
/// What GetTrailStatus says of the latest delivery; anything but Recent is a warning, not a broken link.
enum class DeliveryHealth : std::uint8_t { Recent, Error, NoneYet, Stale };

struct LogGroup {
  std::string arn;
  std::string name;
  std::string region;
  std::string account;
};

struct DeliveryFacts {
  Delivery verdict = Delivery::None;
  LogGroup log_group;                              // OtherAccount and Delivers
  DeliveryHealth health = DeliveryHealth::Recent;  // Delivers
  bool holds() const { return verdict == Delivery::Delivers; }
};
/// `account` is the audited one (empty: unknown, any account is taken as this one); `now` in Unix seconds.
DeliveryFacts check_delivery(const TrailFacts& trail, const std::string& account, std::int64_t now);
void delivery_findings(const ChainFacts& chain, std::vector<Finding>& out);
void delivery_fixes(const ChainFacts& chain, std::vector<std::string>& out);

// ---- metric filter (chain_filter.cpp) ---------------------------------------------------------------------

struct JudgedFilter {
  const ConfiguredFilter* filter = nullptr;
  FilterJudgement judgement;  // for the audited region and account
  /// When it catches only part of the rule's events but exactly another built-in rule's (root usage catches
  /// the changes root makes): that rule's id. Such a filter is not a narrower copy of this rule's, so it is
  /// neither reported nor fixed as one (its verdict is then Unrelated).
  std::string_view other_rule;
  /// Catches every event of the rule (equivalent or broader): the filter link holds.
  bool catches() const;
};

enum class FilterOutcome : std::uint8_t {
  Catches,      // some filter on the log group catches every event of the rule
  Narrower,     // none does; some catch part of them
  NoFilter,     // the log group has no filter
  NoneCatches,  // it has filters, none seen to catch any of the rule's events
};

struct FilterFacts {
  FilterFacts() = default;
  FilterFacts(const FilterFacts&) = delete;  // on_group and the tail's facts point into filters and alarms
  FilterFacts(FilterFacts&&) = default;

  std::vector<ConfiguredFilter> filters;  // DescribeMetricFilters in the log group's region
  std::vector<AlarmDefinition> alarms;    // DescribeAlarms there, read once some filter is a candidate
  std::vector<JudgedFilter> on_group;     // the filters on the log group, in filters' order
  std::size_t unjudged = 0;               // of on_group: Unparsable
  FilterOutcome outcome = FilterOutcome::NoFilter;
  const JudgedFilter* chosen = nullptr;  // the candidate whose alarm chain holds best; null when none is one
  /// When the link fails: the filter to give the rule's pattern, which keeps the alarms on its metric; null
  /// when a filter (and an alarm) must be created.
  const ConfiguredFilter* fixable = nullptr;
  bool holds() const { return outcome == FilterOutcome::Catches; }
};
/// Judges the filters on the delivery's log group and, for each candidate (those that catch, else the
/// narrower ones), its alarm chain; fills chain.filter, and chain.alarm and chain.notification with the
/// tail of the candidate that holds best.
void check_filter(Calls& calls, ChainFacts& chain);
void filter_findings(const ChainFacts& chain, std::vector<Finding>& out);
void filter_fixes(const ChainFacts& chain, std::vector<std::string>& out);

// ---- alarm (chain_alarm.cpp) ------------------------------------------------------------------------------

/// Why an alarm that does not watch the filter's metric is still worth a line.
enum class NearMiss : std::uint8_t { MetricMath, OtherNamespace, OtherDimensions };

struct UnwatchingAlarm {
  const AlarmDefinition* alarm = nullptr;
  NearMiss why = NearMiss::MetricMath;
};

struct JudgedAlarm {
  const AlarmDefinition* alarm = nullptr;
  FireCheck fire;  // on one event the filter catches
  /// Its settings could be replayed (metric-math and similar alarms cannot).
  bool judged() const { return alarm->config.unreplayable.empty(); }
  bool holds() const { return fire.fires && alarm->actions_enabled; }
};

struct AlarmFacts {
  std::string region;                        // the alarms' region: the log group's
  const JudgedFilter* filter = nullptr;      // whose metric the alarms must watch
  std::vector<JudgedAlarm> watching;         // the alarms on its namespace, metric and dimensions
  std::vector<UnwatchingAlarm> near_misses;  // when none watches: the alarms that nearly do
  /// The alarm that holds whose notification holds, else the first that holds; null when none holds.
  const JudgedAlarm* chosen = nullptr;
  bool holds() const { return chosen != nullptr; }
};
/// Judges the alarms in `alarms` (the log group region's) on `filter`'s metric, with the notification of
/// the chosen alarm (else of the first watching one, so one run shows every fix).
AlarmTail check_alarm(Calls& calls, const std::string& region, const JudgedFilter& filter,
                      const std::vector<AlarmDefinition>& alarms);
void alarm_findings(const ChainFacts& chain, std::vector<Finding>& out);
void alarm_fixes(const ChainFacts& chain, std::vector<std::string>& out);

// ---- notification (chain_notification.cpp) ---------------------------------------------------------------

enum class TopicVerdict : std::uint8_t { Confirmed, NoSubscriptions, Pending, NoneConfirmed };

struct TopicFacts {
  std::string arn;  // as the alarm action names it
  Arn topic;
  TopicVerdict verdict = TopicVerdict::NoSubscriptions;
  std::size_t subscriptions = 0;
  std::size_t confirmed = 0;
  std::size_t pending = 0;          // PendingConfirmation
  std::set<std::string> protocols;  // of the confirmed ones
};

struct NotificationFacts {
  const AlarmDefinition* alarm = nullptr;
  std::vector<TopicFacts> topics;  // its SNS actions, in its order
  bool holds() const;
};
/// Lists the subscriptions of each SNS topic among the alarm's actions (in the topic's region).
NotificationFacts check_notification(Calls& calls, const AlarmDefinition& alarm);
void notification_findings(const ChainFacts& chain, std::vector<Finding>& out);
void notification_fixes(const ChainFacts& chain, std::vector<std::string>& out);

// ---- the whole chain (chain.cpp) --------------------------------------------------------------------------

/// The links after the filter, for one candidate filter.
struct AlarmTail {
  AlarmFacts alarm;
  std::optional<NotificationFacts> notification;  // none when no alarm watches the filter's metric
};

/// One trail's chain for one region: a link the walk did not reach is empty.
struct ChainFacts {
  ChainFacts() = default;
  ChainFacts(const ChainFacts&) = delete;  // its facts point into each other's vectors
  ChainFacts(ChainFacts&&) = default;

  std::string region;                         // audited: the filter must catch its events
  std::string account;                        // audited; empty when unknown
  const BuiltinRule* rule = &default_rule();  // audited: its probes judge the filter
  TrailFacts trail;
  DeliveryFacts delivery;
  std::optional<FilterFacts> filter;              // when the delivery holds
  std::optional<AlarmFacts> alarm;                // when some filter is a candidate
  std::optional<NotificationFacts> notification;  // when some alarm watches the chosen filter's metric
  bool holds(Link link) const;
  std::size_t links_holding() const;  // of kChainLinks
};
/// Walks `trail`'s chain for `region` and `rule`, calls in chain order. Throws CallFailure when a call fails.
ChainFacts walk_chain(Calls& calls, const Trail& trail, const std::string& region, const std::string& account,
                      std::int64_t now, const BuiltinRule& rule);

/// What a chain found and the aws CLI lines that fix its failing links, each in chain order.
struct ChainReport {
  std::vector<Finding> findings;
  std::vector<std::string> remediation;
};
ChainReport say_chain(const ChainFacts& chain);

}  // namespace trailwatch::audit
