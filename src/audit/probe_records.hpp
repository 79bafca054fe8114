// The probes the audit runs a candidate filter over: the built-in rule's (trailwatch/rule_probes.hpp), which
// live as long as the program, so ProbeOutcome may point into them.
#pragma once

#include <string>
#include <vector>

#include "trailwatch/rule_probes.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::audit {

using Probe = RuleProbe;

/// The probes of `rule`: its events by several identities (positives) and look-alikes (negatives).
const std::vector<Probe>& probes(const BuiltinRule& rule = default_rule());

/// One kind of event the rule is about, as its positive probes record it.
struct RuleEvent {
  std::string source;
  std::string name;
  bool read_only = false;
};
/// The distinct events of the rule's positive probes, in probe order. The event-selector check and every
/// finding that names the rule's events take them from here.
std::vector<RuleEvent> rule_events(const BuiltinRule& rule = default_rule());
/// The rule's events as a finding names them: "DisableKey or ScheduleKeyDeletion from kms.amazonaws.com";
/// a rule of many event names or sources by its title ("the events of Unauthorized API calls").
std::string rule_events_text(const BuiltinRule& rule = default_rule());

}  // namespace trailwatch::audit
