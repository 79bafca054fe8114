// The probe lint (audit unit, beside the filter judge it reuses): `rules --lint` runs a filter (a built-in
// rule's own pattern, or a filter of an `aws logs describe-metric-filters` export) over the probe records of
// the CIS rule it stands for (trailwatch/rule_probes.hpp), with the same judge and the same verdicts as
// `audit`. How a configured filter is tied to a rule: docs/audit.md "Linting filters with the probes".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/account_config.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch {

/// PASS: catches every must-match probe and no look-alike; WARN: broader (every must-match probe, and some
/// look-alikes), or a filter no rule could be tied to because its pattern does not parse; FAIL: misses a
/// must-match probe, or its pattern does not parse; SKIPPED: the filter stands for no built-in rule.
enum class ProbeLintStatus : std::uint8_t { Pass, Warn, Fail, Skipped };
std::string_view to_string(ProbeLintStatus s);

/// How a configured filter was tied to a rule.
enum class RuleTie : std::uint8_t {
  Builtin,     // the built-in rule's own pattern
  MetricName,  // the filter publishes the metric the rule names (`trailwatch rules`: UnauthorizedAPICalls)
  Behaviour,   // no metric name matched: the rule whose must-match probes it catches best
  None,        // no rule: it catches none of any rule's must-match probes (or its pattern does not parse)
};
std::string_view to_string(RuleTie t);

struct ProbeLint {
  std::string rule_id;  // empty when RuleTie::None
  std::string filter;   // the configured filter's name; empty for a built-in rule
  std::string log_group;
  RuleTie tie = RuleTie::None;
  ProbeLintStatus status = ProbeLintStatus::Skipped;
  std::string verdict;  // audit's: equivalent, broader, narrower, unrelated, unparsable; empty when not tied
  std::vector<std::string> missed;  // the label of each must-match probe it misses
  std::vector<std::string> caught;  // the label of each look-alike it catches
  std::string missed_summary;       // as audit's finding names them: "ModifySecurityGroupRules by an ..."
  std::string caught_summary;
  std::string error;  // the parser's message, or a problem with the metric transformation
};

/// `rule`'s own pattern over its probes (the reference: it must PASS).
ProbeLint lint_builtin_rule(const BuiltinRule& rule);
/// `filter` over the probes of the rule it is tied to: by metric name first, else by behaviour.
ProbeLint lint_configured_filter(const ConfiguredFilter& filter);

}  // namespace trailwatch
