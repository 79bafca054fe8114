// The built-in rule pack (metric layer): the CIS AWS Foundations monitoring rules as metric filters with the
// alarm CIS prescribes for each (the lint of the published texts is the scan unit's:
// trailwatch/rule_lint.hpp). Texts and numbering: docs/filter-patterns.md §8.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trailwatch {

/// The number a control has in a range of CIS AWS Foundations Benchmark versions, e.g. {"v1.3.0-v5.0.0",
/// "4.1"}.
struct CisNumber {
  std::string_view versions;
  std::string_view number;
};

/// The alarm CIS prescribes on a rule's metric, in put-metric-alarm's spellings.
struct RuleAlarm {
  std::string_view statistic;
  std::string_view comparison_operator;
  double threshold = 0;
  long long period = 0;  // seconds
  int evaluation_periods = 0;
  int datapoints_to_alarm = 0;
  std::string_view treat_missing_data;
};

/// Every built-in rule's alarm: Sum >= 1 over 300 s, 1 of 1 periods, missing data treated as missing.
inline constexpr RuleAlarm kCisAlarm{"Sum", "GreaterThanOrEqualToThreshold", 1, 300, 1, 1, "missing"};

/// A rule that ships with trailwatch: a metric filter and the alarm CIS prescribes for it.
struct BuiltinRule {
  std::string_view id;
  std::string_view title;
  /// The filter pattern, verbatim as published (source names which publication).
  std::string_view pattern;
  std::string_view metric_name;
  std::string_view metric_namespace;
  /// What each match publishes.
  std::string_view metric_value;
  /// The control's number in each range of benchmark versions that has it, oldest first.
  std::vector<CisNumber> cis;
  /// The AWS Security Hub control ("CloudWatch.7"); empty when Security Hub has none.
  std::string_view security_hub;
  /// Which published text `pattern` is, e.g. "CIS v1.2.0 3.1 (= Security Hub CloudWatch.2)".
  std::string_view source;
  RuleAlarm alarm;
};

/// Every built-in rule, in CIS order (the v1.2.0 numbering, then AWS Organizations changes). The order is
/// stable: reports list rules in it.
const std::vector<BuiltinRule>& builtin_rules();
/// The rule with this id, or nullptr.
const BuiltinRule* find_builtin_rule(std::string_view id);
/// The rule `scan` runs and `audit` checks when none is named: CIS "CMK disabled or scheduled for deletion".
/// Everything else that needs its id, pattern or metric asks for this rule instead of spelling them.
const BuiltinRule& default_rule();

/// The rules named by `ids`, in the pack's order, each once; "cis" names every rule. Returns the first
/// unknown id in `unknown` (and an empty list) when an id is not a rule.
std::vector<const BuiltinRule*> select_builtin_rules(const std::vector<std::string>& ids,
                                                     std::string& unknown);

}  // namespace trailwatch
