// The response bodies the audit reads, parsed into what it judges. Each parser takes a body as the AWS CLI
// prints it and throws std::runtime_error with a one-line reason when the body does not have the expected
// shape. Timestamps may be epoch numbers (raw API) or ISO-8601 strings. Results own their strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/probe_records.hpp"
#include "trailwatch/account_config.hpp"

namespace trailwatch::audit {

/// arn:partition:service:region:account:resource
struct Arn {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;  // everything after the fifth ':'
};
/// Returns nullopt unless `text` has the six ARN parts.
std::optional<Arn> parse_arn(std::string_view text);

struct Trail {
  std::string name;
  std::string arn;
  std::string home_region;
  bool multi_region = false;
  bool organization = false;
  std::string log_group_arn;  // CloudWatchLogsLogGroupArn; empty when the trail does not deliver there
  std::string logs_role_arn;  // CloudWatchLogsRoleArn
  bool has_custom_event_selectors = false;
};
std::vector<Trail> parse_trails(std::string_view body);  // cloudtrail DescribeTrails

struct TrailStatus {
  bool is_logging = false;
  std::optional<std::int64_t> latest_logs_delivery;  // LatestCloudWatchLogsDeliveryTime, Unix seconds
  std::string logs_delivery_error;                   // LatestCloudWatchLogsDeliveryError
};
TrailStatus parse_trail_status(std::string_view body);  // cloudtrail GetTrailStatus

/// Whether a trail's selectors record the rule's events (audit/probe_records.hpp rule_events).
struct SelectorCoverage {
  bool covered = false;
  std::string description;  // one line: which selectors, and why they do or do not cover
  bool none_given = false;  // the body held neither kind: CloudTrail's default was assumed
};
/// cloudtrail GetEventSelectors, against `events` (the rule's); without them, the default rule's.
SelectorCoverage parse_event_selectors(std::string_view body, const std::vector<RuleEvent>& events);
SelectorCoverage parse_event_selectors(std::string_view body);

std::vector<ConfiguredFilter> parse_metric_filters(std::string_view body);  // logs DescribeMetricFilters

/// A metric alarm with what the audit needs beyond its replay settings.
struct AlarmDefinition {
  ConfiguredAlarm config;  // name, metric, dimensions, settings; `unreplayable` says why it is not judged
  std::string arn;
  bool actions_enabled = true;
  std::vector<std::string> alarm_actions;
  /// Unit: empty when the alarm names none. An alarm with a unit sees only datapoints published with it.
  std::string unit;
  /// Metric-math alarms: the (namespace, metric name) pairs their Metrics[] read.
  std::vector<std::pair<std::string, std::string>> math_metrics;
};
std::vector<AlarmDefinition> parse_alarms(std::string_view body);  // cloudwatch DescribeAlarms

struct Subscription {
  std::string arn;  // an ARN once confirmed; "PendingConfirmation" or "Deleted" otherwise
  std::string protocol;
  std::string endpoint;
  bool confirmed() const { return parse_arn(arn).has_value(); }
};
std::vector<Subscription> parse_subscriptions(std::string_view body);  // sns ListSubscriptionsByTopic

struct RegionInfo {
  std::string name;
  std::string opt_in_status;  // "opt-in-not-required", "opted-in", "not-opted-in"
  bool enabled() const { return opt_in_status != "not-opted-in"; }
};
std::vector<RegionInfo> parse_regions(std::string_view body);  // ec2 DescribeRegions

std::string parse_caller_account(std::string_view body);  // sts GetCallerIdentity

}  // namespace trailwatch::audit
