// The probes: whole CloudTrail records a candidate filter is run over, built once and kept for the life of
// the program (probes() returns the same vector on every call, so ProbeOutcome may point into it).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace trailwatch::audit {

/// A full CloudTrail record the rule must (positive) or must not (negative) catch.
struct Probe {
  std::string label;  // e.g. "ScheduleKeyDeletion by an assumed role, AccessDenied"
  std::string event_name;
  bool positive = false;
  std::string record;  // compact JSON, as CloudWatch Logs receives it
};
/// The built-in probes: the rule's events (kRuleEventNames from kRuleEventSource) by an IAM user, an assumed
/// role and root, each successful and failed (AccessDenied); negatives EnableKey, CancelKeyDeletion, Decrypt,
/// CreateKey from kms, and the rule's event names from another event source.
const std::vector<Probe>& probes();
/// The rule's events, which the positive probes record. The probes, the event-selector check and every
/// finding that names the events take them from here, so that auditing another rule starts with one change.
inline constexpr std::string_view kRuleEventSource = "kms.amazonaws.com";
inline constexpr std::array<std::string_view, 2> kRuleEventNames = {"DisableKey", "ScheduleKeyDeletion"};
/// The rule's events as a finding names them: "DisableKey or ScheduleKeyDeletion from kms.amazonaws.com".
std::string rule_events_text();
/// The region and account the probe records carry (awsRegion, recipientAccountId, ARNs, ...).
inline constexpr std::string_view kProbeRegion = "us-east-1";
inline constexpr std::string_view kProbeAccount = "111122223333";

}  // namespace trailwatch::audit
