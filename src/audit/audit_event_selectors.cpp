// Whether a trail's event selectors record the rule's events: management events from their sources, with
// their names and read-only flags (audit/probe_records.hpp rule_events).
#include <algorithm>
#include <map>
#include <stdexcept>

#include "audit/audit_bodies.hpp"
#include "audit/audit_body_json.hpp"
#include "audit/probe_records.hpp"

namespace trailwatch::audit {

namespace {

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

SelectorCoverage basic_coverage(const std::vector<body::dom::element>& selectors,
                                const std::vector<RuleEvent>& events) {
  const bool writes =
      std::any_of(events.begin(), events.end(), [](const RuleEvent& e) { return !e.read_only; });
  const bool reads =
      std::any_of(events.begin(), events.end(), [](const RuleEvent& e) { return e.read_only; });
  std::string why = "no basic event selector records management write events";
  for (body::dom::element s : selectors) {
    if (!body::flag(s, "IncludeManagementEvents", true)) continue;
    std::string rw = body::text(s, "ReadWriteType");
    if (rw == "ReadOnly" && writes) {
      why = "the basic event selectors record read-only management events only";
      continue;
    }
    if (rw == "WriteOnly" && reads) {
      why =
          "the basic event selectors record write management events only; the rule is also about read-only "
          "calls";
      continue;
    }
    std::vector<std::string> excluded = body::texts(s, "ExcludeManagementEventSources");
    auto left_out = std::find_if(events.begin(), events.end(),
                                 [&](const RuleEvent& e) { return contains(excluded, e.source); });
    if (left_out != events.end()) {
      why = "the basic event selectors exclude " + left_out->source + " (ExcludeManagementEventSources)";
      continue;
    }
    return {true, "basic event selectors record " + std::string(rw.empty() || rw == "All" ? "all" : "write") +
                      " management events"};
  }
  return {false, why};
}

// One advanced selector's field conditions, applied to the values the rule's events carry. A condition on a
// field we cannot know for every such event (userIdentity.arn, ...) narrows the selector to an unknown
// subset.
struct AdvancedVerdict {
  bool covers = false;
  std::string why;
};

AdvancedVerdict advanced_covers(body::dom::element selector, const std::vector<RuleEvent>& events) {
  std::string name = body::text(selector, "Name");
  std::string label = name.empty() ? "an advanced event selector" : "advanced event selector '" + name + "'";
  bool management = false;
  for (const RuleEvent& rule_event : events) {
    const std::string& source = rule_event.source;
    const std::string& event_name = rule_event.name;
    const std::map<std::string, std::string> values = {{"eventCategory", "Management"},
                                                       {"readOnly", rule_event.read_only ? "true" : "false"},
                                                       {"eventSource", source},
                                                       {"eventName", event_name}};
    for (body::dom::element f : body::list(selector, "FieldSelectors")) {
      std::string field = body::text(f, "Field");
      auto known = values.find(field);
      if (known == values.end())
        return {false, label + " filters on " + field + ", so it may drop some " + event_name + " events"};
      const std::string& v = known->second;
      auto any = [&](std::string_view key, auto test) {
        for (const std::string& x : body::texts(f, key))
          if (test(x)) return true;
        return false;
      };
      auto eq = [&](const std::string& x) { return v == x; };
      auto starts = [&](const std::string& x) { return v.starts_with(x); };
      auto ends = [&](const std::string& x) { return v.ends_with(x); };
      bool ok = true;
      if (!body::list(f, "Equals").empty() && !any("Equals", eq)) ok = false;
      if (!body::list(f, "StartsWith").empty() && !any("StartsWith", starts)) ok = false;
      if (!body::list(f, "EndsWith").empty() && !any("EndsWith", ends)) ok = false;
      if (any("NotEquals", eq) || any("NotStartsWith", starts) || any("NotEndsWith", ends)) ok = false;
      if (field == "eventCategory" && ok) management = true;
      if (!ok) {
        if (field == "readOnly")
          return {false, label + " leaves out " + (rule_event.read_only ? "read-only" : "write") + " events"};
        if (field == "eventCategory") return {false, label + " does not select management events"};
        if (field == "eventSource") return {false, label + " leaves out " + source};
        return {false, label + " leaves out " + event_name};
      }
    }
  }
  if (!management) return {false, label + " does not select eventCategory = Management"};
  std::vector<std::string> sources;
  for (const RuleEvent& e : events)
    if (!contains(sources, e.source)) sources.push_back(e.source);
  std::string from;
  for (const std::string& x : sources) from += (from.empty() ? "" : ", ") + x;
  return {true, label + " records the rule's management events from " + from};
}

}  // namespace

SelectorCoverage parse_event_selectors(std::string_view json) {
  return parse_event_selectors(json, rule_events());
}

SelectorCoverage parse_event_selectors(std::string_view json, const std::vector<RuleEvent>& events) {
  try {
    body::dom::parser parser;
    body::dom::element root = body::parse_object(parser, json, "the body");
    std::vector<body::dom::element> basic = body::list(root, "EventSelectors");
    std::vector<body::dom::element> advanced = body::list(root, "AdvancedEventSelectors");
    // A trail never given selectors answers with neither (some AWS-compatible servers): CloudTrail's default
    // then applies, every management event, read and write.
    if (basic.empty() && advanced.empty())
      return {true, "no event selectors: the default records all management events", true};
    if (!basic.empty()) {
      SelectorCoverage c = basic_coverage(basic, events);
      if (c.covered || advanced.empty()) return c;
    }
    std::string why;
    for (body::dom::element s : advanced) {
      AdvancedVerdict v = advanced_covers(s, events);
      if (v.covers) return {true, v.why};
      if (why.empty()) why = v.why;
    }
    return {false, why.empty() ? "no advanced event selector records management write events" : why};
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("GetEventSelectors response: ") + e.what());
  }
}

}  // namespace trailwatch::audit
