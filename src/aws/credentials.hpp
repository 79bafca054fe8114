// Credentials as the AWS CLI finds them (docs/design.md "Credentials"), in its order:
//   1. the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), unless --profile is
//   given;
//   2. the profile's role_arn with source_profile or credential_source (STS AssumeRole);
//   3. web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or the profile's web_identity_token_file +
//      role_arn: STS AssumeRoleWithWebIdentity);
//   4. IAM Identity Center (the profile's sso_session or sso_start_url: the token `aws sso login` cached,
//   then
//      GetRoleCredentials);
//   5. the credentials file's keys, credential_process, the config file's keys;
//   6. container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI: ECS, EKS Pod Identity,
//   Batch);
//   7. EC2 instance metadata (IMDSv2), unless AWS_EC2_METADATA_DISABLED=true.
// Secrets stay in Credentials: no message built here quotes one.
#pragma once

#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aws/http_client.hpp"

namespace trailwatch::aws {

/// The secret parts of an identity.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  /// When temporary credentials stop working (Unix seconds); nullopt: long-term keys, or a source that does
  /// not say (then they are never refreshed).
  std::optional<std::time_t> expiration = std::nullopt;
};

/// What an AssumeRole call needs besides the caller's credentials (from the profile's settings).
struct AssumeRoleRequest {
  std::string role_arn;
  std::string role_session_name;
  std::string external_id;              // empty: not sent
  std::optional<int> duration_seconds;  // nullopt: STS's default (one hour)
  std::string region;                   // the profile's region, else the configured one, else us-east-1
};

/// Calls STS AssumeRole signed with `source`; returns the temporary credentials or throws ApiError.
using AssumeRoleFunction = std::function<Credentials(const Credentials& source, const AssumeRoleRequest&)>;

/// What the chain reaches outside the process for, so that tests can answer in AWS's place.
struct CredentialContext {
  AssumeRoleFunction assume;
  /// Unsigned HTTP requests: STS AssumeRoleWithWebIdentity, the IAM Identity Center portal, the container
  /// endpoint.
  Transport transport;
  /// The container endpoint (empty: `transport`).
  Transport container_transport;
  /// EC2 instance metadata; short timeouts so that a machine outside EC2 is not held up (empty: `transport`).
  Transport metadata_transport;
  /// --endpoint-url: STS calls go there too (as the audit's calls do).
  std::optional<std::string> endpoint_url;
  /// Now, in Unix seconds (empty: the system clock).
  std::function<std::time_t()> clock;
  /// Waits between container endpoint attempts (empty: sleeps).
  std::function<void(double seconds)> sleep;
};

/// Credentials for `explicit_profile` (--profile; nullopt: AWS_PROFILE, else "default") from the first source
/// of the chain above that has some. An explicit profile skips the environment variables (keys and web
/// identity), as the AWS CLI does. Throws ApiError: "NoCredentials" naming every place looked in when none
/// has any; "CredentialProcessError", "WebIdentityError", "SsoTokenExpired", "SsoError",
/// "ContainerCredentialsError", "InstanceMetadataError" or an STS error when a configured source fails.
Credentials resolve_credentials(const std::optional<std::string>& explicit_profile,
                                const CredentialContext& context);

/// Parses the JSON a credential_process prints (Version 1: AccessKeyId, SecretAccessKey, optional
/// SessionToken and Expiration). Throws ApiError("CredentialProcessError") naming what is wrong, never a
/// value.
Credentials parse_credential_process_output(const std::string& json, const std::string& profile);

/// Runs `command` through /bin/sh and returns its standard output; throws ApiError("CredentialProcessError")
/// when it cannot start or exits non-zero (its standard error passes through to ours, as the AWS CLI does).
std::string run_credential_process(const std::string& command, const std::string& profile);

/// An ISO 8601 UTC time as AWS writes expirations ("2024-05-01T12:00:00Z", with or without fractional
/// seconds, "+00:00" or "UTC" for "Z") in Unix seconds; nullopt when it is not one.
std::optional<std::time_t> parse_expiration(std::string_view text);

/// The value of environment variable `name`, empty when unset.
std::string env_value(const char* name);

}  // namespace trailwatch::aws
