#include "trailwatch/rules.hpp"

#include <stdexcept>

namespace trailwatch::audit {

const BuiltinRule& default_rule() {
  static const BuiltinRule* const rule = find_builtin_rule("kms-cmk-disable-or-delete");
  // The pack is compiled in: a missing rule is a programming error, caught by the first audit test.
  if (!rule) throw std::logic_error("the built-in rule pack has no kms-cmk-disable-or-delete");
  return *rule;
}

}  // namespace trailwatch::audit
