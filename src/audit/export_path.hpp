// Where an export folder (--save-dir / --from-dir) keeps each call's body. A pure function of its arguments.
#pragma once

#include <string>

#include "trailwatch/aws.hpp"

namespace trailwatch::audit {

/// DIR/<region>/<service>.<Operation>[.<resource>].json: where a call's body is kept.
std::string export_path(const std::string& dir, const aws::ApiCall& call);

}  // namespace trailwatch::audit
