// The rule the audit checks: the built-in pack's "CMK disabled or scheduled for deletion", so that its id,
// pattern, metric and namespace have one definition. The reference lives as long as the program.
#pragma once

#include "trailwatch/rules.hpp"

namespace trailwatch::audit {

/// The built-in rule kms-cmk-disable-or-delete (its pattern, metric and namespace go into remediation).
const BuiltinRule& default_rule();

}  // namespace trailwatch::audit
