// The rule's events, derived from its positive probes so that the probes stay the one statement of what the
// rule is about.
#include "audit/probe_records.hpp"

#include <algorithm>

namespace trailwatch::audit {

const std::vector<Probe>& probes(const BuiltinRule& rule) {
  return rule_probes(rule.id);
}

std::vector<RuleEvent> rule_events(const BuiltinRule& rule) {
  std::vector<RuleEvent> out;
  for (const Probe& p : probes(rule)) {
    if (!p.positive) continue;
    auto same = [&](const RuleEvent& e) {
      return e.source == p.event_source && e.name == p.event_name && e.read_only == p.read_only;
    };
    if (std::none_of(out.begin(), out.end(), same))
      out.push_back({p.event_source, p.event_name, p.read_only});
  }
  return out;
}

std::string rule_events_text(const BuiltinRule& rule) {
  std::vector<RuleEvent> events = rule_events(rule);
  std::vector<std::string> names;
  for (const RuleEvent& e : events) {
    if (e.source != events.front().source) return "the events of \"" + std::string(rule.title) + "\"";
    if (std::find(names.begin(), names.end(), e.name) == names.end()) names.push_back(e.name);
  }
  if (names.empty() || names.size() > 3) return "the events of \"" + std::string(rule.title) + "\"";
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : " or ") + n;
  return text + " from " + events.front().source;
}

}  // namespace trailwatch::audit
