// IAM Identity Center (formerly AWS SSO) profiles: `aws sso login` signs the user in and caches an access
// token in ~/.aws/sso/cache/<SHA-1 of the sso_session name, or of the legacy sso_start_url>.json; the
// portal's GetRoleCredentials trades it for the role's temporary credentials in the account. trailwatch reads
// the cache and never signs in itself: an expired token is an error that says which `aws sso login` to run.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "aws/aws_config_file.hpp"
#include "aws/credentials.hpp"
#include "aws/http_client.hpp"

namespace trailwatch::aws {

/// What an Identity Center profile names, its sso-session section resolved.
struct SsoProfile {
  std::string profile;       // the profile's name, for messages
  std::string session_name;  // sso_session; empty for a legacy profile (sso_start_url in the profile)
  std::string start_url;
  std::string region;  // sso_region: where the portal is
  std::string account_id;
  std::string role_name;
};

/// The Identity Center settings of profile `name`; nullopt when it has neither sso_account_id nor
/// sso_role_name (not such a profile). Throws ApiError("SsoError") naming what is missing (the keys, or the
/// [sso-session NAME] section) or inconsistent between the profile and its session.
std::optional<SsoProfile> sso_profile(const std::string& name, const ProfileSettings& settings);

/// ~/.aws/sso/cache/<sha1 hex of the session name, else of the start URL>.json, as the AWS CLI writes it.
std::string sso_token_cache_path(const SsoProfile& sso);

/// The accessToken of the cached token. Throws ApiError("SsoTokenExpired") when there is none, or its
/// expiresAt is not after `now`, with the `aws sso login` command to run; ApiError("SsoError") when the file
/// is not such a token.
std::string sso_access_token(const SsoProfile& sso, std::time_t now);

/// The role's credentials from the portal (GET /federation/credentials?account_id=&role_name= with the
/// x-amz-sso_bearer_token header) at AWS_ENDPOINT_URL_SSO or AWS_ENDPOINT_URL, else
/// https://portal.sso.REGION.amazonaws.com. Throws ApiError("SsoTokenExpired") when the portal refuses the
/// token (401), ApiError("SsoError") for anything else.
Credentials get_role_credentials(const Transport& transport, const SsoProfile& sso, const std::string& token);

}  // namespace trailwatch::aws
