// One region's audit: the best chain trail -> delivery -> filter -> alarm -> notification that records it.
// Reads AWS only through `source`, during the call; keeps nothing.
#pragma once

#include <cstdint>
#include <string>

#include "trailwatch/audit.hpp"
#include "trailwatch/aws.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::audit {

/// Audits one region for `rule`; `account` is the caller's account. Throws CallFailure when a call fails.
RegionAudit audit_region(aws::ApiSource& source, const std::string& region, const std::string& account,
                         std::int64_t now, const BuiltinRule& rule);

}  // namespace trailwatch::audit
