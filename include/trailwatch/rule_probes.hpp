// The probe records of the built-in rules (metric layer, beside the rule pack): for each rule, whole
// CloudTrail records its filter must catch (each distinct way the control's events happen) and look-alikes it
// must not. `audit` judges a deployed filter by running it over them, and `rules --lint` can run a rule's own
// pattern over them (docs/audit.md "Probe records"). Built once, kept for the life of the program.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trailwatch {

/// A full CloudTrail record, compact JSON as CloudTrail delivers it to CloudWatch Logs.
struct RuleProbe {
  std::string label;  // e.g. "ScheduleKeyDeletion by an assumed role, AccessDenied"
  std::string event_source;
  std::string event_name;
  bool read_only = false;
  bool positive = false;  // true: the rule must catch it; false: a look-alike it must not
  std::string record;
};

/// The probes of the built-in rule `rule_id`, positives first; empty for an id that is not a built-in rule.
/// The same vector (same addresses) on every call.
const std::vector<RuleProbe>& rule_probes(std::string_view rule_id);

/// The region and account every probe record carries (awsRegion, recipientAccountId, ARNs, ...).
inline constexpr std::string_view kProbeRegion = "us-east-1";
inline constexpr std::string_view kProbeAccount = "111122223333";

}  // namespace trailwatch
