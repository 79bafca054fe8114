// STS: AssumeRole, for profiles with role_arn (signed with the source credentials), and
// AssumeRoleWithWebIdentity, for web identity tokens (EKS service accounts, CI OIDC tokens; unsigned: the
// token is the proof).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/aws_client.hpp"
#include "aws/credentials.hpp"
#include "aws/http_client.hpp"

namespace trailwatch::aws {

/// The AssumeRole form parameters for `request` (RoleArn, RoleSessionName, ExternalId, DurationSeconds).
std::vector<std::pair<std::string, std::string>> assume_role_params(const AssumeRoleRequest& request);

/// The temporary credentials (and their Expiration) in an AssumeRole XML response; throws
/// ApiError("InvalidResponse") when absent.
Credentials parse_assume_role_response(std::string_view xml);

/// Calls AssumeRole through `client` (which signs with the source credentials) in request.region.
Credentials assume_role(AwsClient& client, const AssumeRoleRequest& request);

/// What AssumeRoleWithWebIdentity needs: the role, a session name and the token itself.
struct WebIdentityRequest {
  std::string role_arn;
  std::string role_session_name;
  std::string token;   // the token file's content (a secret: never quoted in a message)
  std::string region;  // where STS is asked; empty: us-east-1
};

/// The AssumeRoleWithWebIdentity form parameters, Action and Version included.
std::vector<std::pair<std::string, std::string>> web_identity_params(const WebIdentityRequest& request);

/// The temporary credentials in an AssumeRoleWithWebIdentity XML response; throws
/// ApiError("InvalidResponse") when absent.
Credentials parse_web_identity_response(std::string_view xml);

/// Calls STS AssumeRoleWithWebIdentity, unsigned, at `endpoint_url` (the configured STS endpoint) or at
/// https://sts.REGION.amazonaws.com. Throws ApiError with STS's code (InvalidIdentityToken, AccessDenied,
/// ExpiredTokenException, ...) and a message that names the role, never the token.
Credentials assume_role_with_web_identity(const Transport& transport, const WebIdentityRequest& request,
                                          const std::optional<std::string>& endpoint_url);

}  // namespace trailwatch::aws
