// Where an export folder (--save-dir / --from-dir) keeps each call's body, and the AWS CLI line that writes
// it by hand. Pure functions of their arguments.
#pragma once

#include <string>

#include "trailwatch/aws.hpp"

namespace trailwatch::audit {

/// DIR/<region>/<service>.<Operation>[.<resource>].json: where a call's body is kept.
std::string export_path(const std::string& dir, const aws::ApiCall& call);

/// The `aws ... --region R --output json > PATH` line that writes `call`'s file into the export `dir`, as
/// README's hand-written folder does (export_command.cpp).
std::string export_command(const std::string& dir, const aws::ApiCall& call);

/// Why `call` is read from its region's folder when that is not obvious ("the metric filters are read from
/// the log group's region"), empty for the calls made in the audited region itself.
std::string export_region_reason(const aws::ApiCall& call);

}  // namespace trailwatch::audit
