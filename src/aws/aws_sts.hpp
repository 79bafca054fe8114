// STS AssumeRole, for profiles with role_arn.
#pragma once

#include <string_view>

#include "aws/aws_client.hpp"
#include "aws/credentials.hpp"

namespace trailwatch::aws {

/// The AssumeRole form parameters for `request` (RoleArn, RoleSessionName, ExternalId, DurationSeconds).
std::vector<std::pair<std::string, std::string>> assume_role_params(const AssumeRoleRequest& request);

/// The temporary credentials in an AssumeRole XML response; throws ApiError("InvalidResponse") when absent.
Credentials parse_assume_role_response(std::string_view xml);

/// Calls AssumeRole through `client` (which signs with the source credentials) in request.region.
Credentials assume_role(AwsClient& client, const AssumeRoleRequest& request);

}  // namespace trailwatch::aws
