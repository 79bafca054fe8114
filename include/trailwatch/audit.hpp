// Audit layer: checks a live account (or an export of one) for the CIS rule "CMK disabled or scheduled for
// deletion", region by region, along the whole chain: trail -> CloudWatch Logs delivery -> metric filter ->
// alarm -> SNS notification. It reads AWS only through aws::ApiSource (trailwatch/aws.hpp) and judges a
// metric filter by running its pattern over built-in probe records, never by comparing text.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trailwatch/account_config.hpp"
#include "trailwatch/aws.hpp"
#include "trailwatch/metric.hpp"

namespace trailwatch::audit {

inline constexpr std::string_view kRuleId = "kms-cmk-disable-or-delete";
/// The pattern, metric and alarm CIS prescribes; used in remediation commands.
inline constexpr std::string_view kRulePattern =
    "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = "
    "ScheduleKeyDeletion)) }";
inline constexpr std::string_view kRuleMetricName = "CMKEventCount";
inline constexpr std::string_view kRuleNamespace = "CloudTrailMetrics";

// ---- offline folders (--save-dir / --from-dir)
// ----------------------------------------------------------------

/// DIR/<region>/<service>.<Operation>[.<resource>].json: where a call's body is kept.
std::string export_path(const std::string& dir, const aws::ApiCall& call);

/// The regions a folder holds an audit of: its subdirectories with a cloudtrail.DescribeTrails.json (a
/// subdirectory with only logs/cloudwatch/sns files was visited for a chain that crosses regions), sorted.
std::vector<std::string> exported_regions(const std::string& dir);

/// The first region subdirectory (sorted) holding ec2.DescribeRegions.json, or empty.
std::string exported_listing_region(const std::string& dir);

/// Answers calls from a folder. A call whose file is missing throws ApiError("NotInExport") naming the path;
/// an unreadable file throws ApiError("ExportUnreadable").
class FromDirSource : public aws::ApiSource {
 public:
  explicit FromDirSource(std::string dir) : dir_(std::move(dir)) {}
  std::string fetch(const aws::ApiCall& call) override;

 private:
  std::string dir_;
};

/// Forwards every call to `inner` and writes each successful body to export_path(dir, call), creating
/// directories, atomically (temporary file, then rename). A write failure throws ApiError("SaveFailed").
class SaveDirSource : public aws::ApiSource {
 public:
  SaveDirSource(aws::ApiSource& inner, std::string dir) : inner_(inner), dir_(std::move(dir)) {}
  std::string fetch(const aws::ApiCall& call) override;

 private:
  aws::ApiSource& inner_;
  std::string dir_;
};

// ---- response bodies
// -------------------------------------------------------------------------------------------- Each parser
// takes a body as the AWS CLI prints it and throws std::runtime_error with a one-line reason when the body
// does not have the expected shape. Timestamps may be epoch numbers (raw API) or ISO-8601 strings.

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

/// Whether a trail's selectors record the rule's events (management, write, from kms.amazonaws.com).
struct SelectorCoverage {
  bool covered = false;
  std::string description;  // one line: which selectors, and why they do or do not cover
  bool none_given = false;  // the body held neither kind: CloudTrail's default was assumed
};
SelectorCoverage parse_event_selectors(std::string_view body);  // cloudtrail GetEventSelectors

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

// ---- judging a filter by behaviour
// ----------------------------------------------------------------------------

/// A full CloudTrail record the rule must (positive) or must not (negative) catch.
struct Probe {
  std::string label;  // e.g. "ScheduleKeyDeletion by an assumed role, AccessDenied"
  std::string event_name;
  bool positive = false;
  std::string record;  // compact JSON, as CloudWatch Logs receives it
};
/// The built-in probes: DisableKey and ScheduleKeyDeletion from kms.amazonaws.com by an IAM user, an assumed
/// role and root, each successful and failed (AccessDenied); negatives EnableKey, CancelKeyDeletion, Decrypt,
/// CreateKey from kms, and the rule's event names from another event source.
const std::vector<Probe>& probes();
/// The region and account the probe records carry (awsRegion, recipientAccountId, ARNs, ...).
inline constexpr std::string_view kProbeRegion = "us-east-1";
inline constexpr std::string_view kProbeAccount = "111122223333";

enum class FilterVerdict : std::uint8_t {
  Equivalent,  // every positive, no negative
  Broader,     // every positive and some negatives: passes, with a note
  Narrower,    // some positives missed: fails
  Unrelated,   // no positive
  Unparsable,  // trailwatch's parser rejects the pattern
};
std::string_view to_string(FilterVerdict v);

/// What the filter did with one probe.
struct ProbeOutcome {
  const Probe* probe = nullptr;
  bool matched = false;
  std::optional<double> value;          // the sample a match publishes (none: the value could not be read)
  std::vector<std::string> dimensions;  // its dimension values, in FilterJudgement::dimension_names order
};

struct FilterJudgement {
  FilterVerdict verdict = FilterVerdict::Unrelated;
  std::vector<ProbeOutcome> outcomes;  // one per probe, in probes() order
  std::vector<std::string> dimension_names;
  std::string error;  // Unparsable: the parser's message; else a problem with the transformation, if any
  /// "ScheduleKeyDeletion (all 6 probes)" style summaries of the positives missed / negatives caught.
  std::string missed() const;
  std::string extra() const;
};
/// Runs `filter`'s pattern and transformation over every probe. Never throws. With `region` and `account`
/// (the audited ones), the probes carry them instead of kProbeRegion and kProbeAccount: a multi-region
/// trail's log group receives every region's events, and a filter that pins $.awsRegion to another region
/// does not catch this region's.
FilterJudgement judge_filter(const ConfiguredFilter& filter, std::string_view region = {},
                             std::string_view account = {});

/// Whether `alarm` goes to ALARM on one matching event in a period, for every positive probe `filter`
/// catches: the sample is the filter's value for that event (with its defaultValue, one more sample from an
/// event that does not match), the alarm must watch the series the event publishes to, and it must not
/// already be in ALARM without any event.
struct FireCheck {
  bool fires = false;
  std::string reason;  // one line: why not, or a note when it fires
};
FireCheck can_fire_on_one_event(const AlarmDefinition& alarm, const ConfiguredFilter& filter,
                                const FilterJudgement& judgement);

// ---- the audit
// -------------------------------------------------------------------------------------------------

enum class CheckStatus : std::uint8_t { Pass, Fail, Warn, Info };
enum class RegionStatus : std::uint8_t { Pass, Fail, Delegated, Skipped, Error };
std::string_view to_string(CheckStatus s);
std::string_view to_string(RegionStatus s);

struct Finding {
  std::string check;  // trail | cloudwatch-logs-delivery | metric-filter | alarm | notification
  CheckStatus status = CheckStatus::Info;
  std::string detail;  // one line
  std::vector<std::string> resources;
};

struct RegionAudit {
  std::string region;
  RegionStatus status = RegionStatus::Fail;
  std::vector<Finding> findings;
  std::vector<std::string> remediation;  // aws CLI lines, one per failing link
};

struct AuditReport {
  std::string account;                       // empty when no region could tell
  RegionStatus status = RegionStatus::Fail;  // Pass, Fail or Error (Error when some region is)
  std::vector<RegionAudit> regions;
};

struct AuditRequest {
  std::vector<std::string> regions;  // audited in this order (duplicates dropped)
  bool all_regions = false;          // instead: every region ec2 DescribeRegions lists in listing_region
  std::string listing_region = "us-east-1";
  std::int64_t now = 0;  // Unix seconds; a CloudWatch Logs delivery older than a day is stale
};

/// A call that failed (transport, AWS error, or a body of the wrong shape: code "InvalidResponse"), with the
/// call, so a report can say which permission or file was missing.
class CallFailure : public aws::ApiError {
 public:
  CallFailure(const aws::ApiError& error, aws::ApiCall call) : aws::ApiError(error), call_(std::move(call)) {}
  const aws::ApiCall& call() const { return call_; }

 private:
  aws::ApiCall call_;
};

/// Audits every requested region through `source`. An ApiError in a region makes that region ERROR (with the
/// permission it needed when access was denied); other regions are still audited. Never throws ApiError.
AuditReport run_audit(aws::ApiSource& source, const AuditRequest& request);

/// Audits one region; `account` is the caller's account. Throws CallFailure when a call fails.
RegionAudit audit_region(aws::ApiSource& source, const std::string& region, const std::string& account,
                         std::int64_t now);

/// The IAM action a call needs, e.g. "cloudtrail:DescribeTrails".
std::string permission_for(const aws::ApiCall& call);

/// JSON, schema trailwatch.audit/1 (DESIGN.md), one document and a newline.
void write_audit_json(std::ostream& out, const AuditReport& report);
/// A table per region: status, findings, remediation.
void write_audit_table(std::ostream& out, const AuditReport& report);

}  // namespace trailwatch::audit
