// Container credentials: what ECS tasks, EKS Pod Identity and AWS Batch jobs get. The agent sets
// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (a path on http://169.254.170.2) or
// AWS_CONTAINER_CREDENTIALS_FULL_URI, and for the full URI an authorization token
// (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, else AWS_CONTAINER_AUTHORIZATION_TOKEN) sent as the Authorization
// header. The endpoint answers with temporary credentials as JSON, as the instance metadata service does.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.hpp"
#include "aws/http_client.hpp"

namespace trailwatch::aws {

/// The base of AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.
inline constexpr std::string_view kContainerCredentialsHost = "http://169.254.170.2";

/// Where to ask, and the Authorization header to send (empty: none).
struct ContainerEndpoint {
  std::string url;
  std::string authorization;  // a secret: never quoted in a message
  std::string variable;       // the variable that named the URL, for messages
};

/// The endpoint the environment names; nullopt when neither variable is set (the relative URI wins when both
/// are). Throws ApiError("ContainerCredentialsError") for a full URI that is not https and not on a loopback
/// address or a container credentials host (169.254.170.2, 169.254.170.23, fd00:ec2::23, as the AWS CLI
/// allows), an unreadable token file, or a token holding a line break.
std::optional<ContainerEndpoint> container_endpoint_from_environment();

/// The credentials in a container or instance metadata answer: AccessKeyId, SecretAccessKey, Token and
/// Expiration (ISO 8601). Throws ApiError(`code`) naming `source` and what is missing or wrong, or the Code
/// and Message of an error answer ({"Code": "...", "Message": "..."}), never a secret.
Credentials parse_metadata_credentials(std::string_view json, const std::string& source,
                                       const std::string& code);

/// Asks `endpoint` (GET, Accept: application/json): up to 3 attempts, `sleep(1)` between them, as the AWS
/// CLI. Throws ApiError("ContainerCredentialsError") naming the URL and the last failure.
Credentials fetch_container_credentials(const Transport& transport, const ContainerEndpoint& endpoint,
                                        const std::function<void(double)>& sleep);

}  // namespace trailwatch::aws
