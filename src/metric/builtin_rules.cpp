#include "trailwatch/metric.hpp"

namespace trailwatch {

const std::vector<BuiltinRule>& builtin_rules() {
  // The CIS AWS Foundations text (v1.2 3.7 / v1.4-v5 4.7 / v6 5.7, Security Hub CloudWatch.7), spaced for
  // reading; spacing does not change its meaning.
  static const std::vector<BuiltinRule> rules = {
      {"kms-cmk-disable-or-delete", "CMK disabled or scheduled for deletion",
       "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = "
       "ScheduleKeyDeletion)) }",
       "CMKEventCount"},
  };
  return rules;
}

const BuiltinRule* find_builtin_rule(std::string_view id) {
  for (const BuiltinRule& rule : builtin_rules())
    if (rule.id == id) return &rule;
  return nullptr;
}

}  // namespace trailwatch
