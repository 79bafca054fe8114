// Credentials as the AWS CLI finds them: environment, then the profile's role_arn (STS AssumeRole with the
// source profile's credentials), static keys in the credentials file, credential_process, static keys in the
// config file. Secrets stay in Credentials: no message built here quotes one.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace trailwatch::aws {

/// The secret parts of an identity.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

/// What an AssumeRole call needs besides the caller's credentials (from the profile's settings).
struct AssumeRoleRequest {
  std::string role_arn;
  std::string role_session_name;
  std::string external_id;              // empty: not sent
  std::optional<int> duration_seconds;  // nullopt: STS's default (one hour)
  std::string region;                   // the profile's region, else default_region()
};

/// Calls STS AssumeRole signed with `source`; returns the temporary credentials or throws ApiError.
using AssumeRoleFunction = std::function<Credentials(const Credentials& source, const AssumeRoleRequest&)>;

/// Credentials for `explicit_profile` (--profile; nullopt: AWS_PROFILE, else "default"). An explicit profile
/// skips the environment variables, as the AWS CLI does. Throws ApiError("NoCredentials" or
/// "CredentialProcessError", ...) when none can be found.
Credentials resolve_credentials(const std::optional<std::string>& explicit_profile,
                                const AssumeRoleFunction& assume);

/// Parses the JSON a credential_process prints (Version 1: AccessKeyId, SecretAccessKey, optional
/// SessionToken and Expiration). Throws ApiError("CredentialProcessError") naming what is wrong, never a
/// value.
Credentials parse_credential_process_output(const std::string& json, const std::string& profile);

/// Runs `command` through /bin/sh and returns its standard output; throws ApiError("CredentialProcessError")
/// when it cannot start or exits non-zero (its standard error passes through to ours, as the AWS CLI does).
std::string run_credential_process(const std::string& command, const std::string& profile);

}  // namespace trailwatch::aws
