#include "trailwatch/rules.hpp"

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

std::vector<const BuiltinRule*> select_builtin_rules(const std::vector<std::string>& ids, std::string& unknown) {
  std::vector<bool> wanted(builtin_rules().size(), false);
  for (const std::string& id : ids) {
    if (id == "cis") {
      wanted.assign(wanted.size(), true);
      continue;
    }
    const BuiltinRule* rule = find_builtin_rule(id);
    if (rule == nullptr) {
      unknown = id;
      return {};
    }
    wanted[static_cast<std::size_t>(rule - builtin_rules().data())] = true;
  }
  std::vector<const BuiltinRule*> selected;
  for (std::size_t i = 0; i < wanted.size(); ++i)
    if (wanted[i]) selected.push_back(&builtin_rules()[i]);
  return selected;
}

}  // namespace trailwatch
