// The built-in rule pack (metric layer): the CIS AWS Foundations monitoring rules as metric filters with the alarm
// CIS prescribes for each.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trailwatch {

/// A rule that ships with trailwatch: a metric filter and the alarm CIS prescribes for it.
struct BuiltinRule {
  std::string_view id;
  std::string_view title;
  std::string_view pattern;
  std::string_view metric_name;
};

/// Every built-in rule, in a stable order.
const std::vector<BuiltinRule>& builtin_rules();
/// The rule with this id, or nullptr.
const BuiltinRule* find_builtin_rule(std::string_view id);

/// The rules named by `ids`, in the pack's order, each once; "cis" names every rule. Returns the first unknown id
/// in `unknown` (and an empty list) when an id is not a rule.
std::vector<const BuiltinRule*> select_builtin_rules(const std::vector<std::string>& ids, std::string& unknown);

}  // namespace trailwatch
