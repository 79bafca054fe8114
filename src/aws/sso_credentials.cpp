#include "aws/sso_credentials.hpp"

#include <openssl/evp.h>
#include <simdjson.h>

#include <array>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "aws/aws_client.hpp"
#include "aws/retry_policy.hpp"
#include "aws/sigv4.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

std::string setting(const ProfileSettings& settings, const std::string& key) {
  auto it = settings.find(key);
  return it == settings.end() ? std::string() : it->second;
}

std::string sha1_hex(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha1(), nullptr) != 1)
    throw ApiError("SsoError", 0, "SHA-1 is not available");
  std::string out;
  for (unsigned int i = 0; i < size; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

std::string login_command(const SsoProfile& sso) {
  return sso.profile == "default" ? "aws sso login" : "aws sso login --profile " + sso.profile;
}

ApiError expired(const SsoProfile& sso, const std::string& why) {
  return ApiError(
      "SsoTokenExpired", 0,
      fmt::format("profile '{}' uses IAM Identity Center ({}): {}; run `{}` and try again", sso.profile,
                  sso.session_name.empty() ? sso.start_url : "sso-session " + sso.session_name, why,
                  login_command(sso)));
}

std::string first_line(std::string_view text) {
  std::string out(text.substr(0, text.find('\n')));
  if (out.size() > 200) out = out.substr(0, 200) + "...";
  return out;
}

}  // namespace

std::optional<SsoProfile> sso_profile(const std::string& name, const ProfileSettings& settings) {
  if (setting(settings, "sso_account_id").empty() && setting(settings, "sso_role_name").empty())
    return std::nullopt;
  ProfileSettings resolved = settings;
  SsoProfile out;
  out.profile = name;
  out.session_name = setting(settings, "sso_session");
  std::vector<std::string> required = {"sso_start_url", "sso_region", "sso_account_id", "sso_role_name"};
  if (!out.session_name.empty()) {
    std::optional<ProfileSettings> session = load_sso_session(out.session_name);
    if (!session) {
      throw ApiError("SsoError", 0,
                     fmt::format("profile '{}' names sso_session {}, but the config file has no "
                                 "[sso-session {}] section",
                                 name, out.session_name, out.session_name));
    }
    for (const auto& [key, value] : *session) {
      if (auto it = resolved.find(key); it != resolved.end() && it->second != value) {
        throw ApiError("SsoError", 0,
                       fmt::format("profile '{}': {} is {} in the profile but {} in [sso-session {}]", name,
                                   key, it->second, value, out.session_name));
      }
      resolved[key] = value;
    }
  }
  std::string missing;
  for (const std::string& key : required)
    if (setting(resolved, key).empty()) missing += (missing.empty() ? "" : ", ") + key;
  if (!missing.empty()) {
    throw ApiError(
        "SsoError", 0,
        fmt::format("profile '{}' is configured for IAM Identity Center but lacks {}{}", name, missing,
                    out.session_name.empty() ? "" : " (in the profile or its sso-session)"));
  }
  out.start_url = setting(resolved, "sso_start_url");
  out.region = setting(resolved, "sso_region");
  out.account_id = setting(resolved, "sso_account_id");
  out.role_name = setting(resolved, "sso_role_name");
  return out;
}

std::string sso_token_cache_path(const SsoProfile& sso) {
  const std::string home = env_value("HOME");
  return home + "/.aws/sso/cache/" + sha1_hex(sso.session_name.empty() ? sso.start_url : sso.session_name) +
         ".json";
}

std::string sso_access_token(const SsoProfile& sso, std::time_t now) {
  const std::string path = sso_token_cache_path(sso);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw expired(sso, "no cached sign-in (" + path + ")");
  std::ostringstream text;
  text << in.rdbuf();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view token;
  std::string_view expires_at;
  if (parser.parse(text.str()).get(doc) != simdjson::SUCCESS || !doc.is_object() ||
      doc["accessToken"].get(token) != simdjson::SUCCESS ||
      doc["expiresAt"].get(expires_at) != simdjson::SUCCESS) {
    throw ApiError("SsoError", 0, path + " is not an `aws sso login` token (accessToken and expiresAt)");
  }
  const std::optional<std::time_t> expiry = parse_expiration(expires_at);
  if (!expiry) throw ApiError("SsoError", 0, path + ": expiresAt is not an ISO 8601 time");
  if (*expiry <= now) throw expired(sso, fmt::format("the sign-in expired at {}", expires_at));
  return std::string(token);
}

Credentials get_role_credentials(const Transport& transport, const SsoProfile& sso,
                                 const std::string& token) {
  std::optional<std::string> base = configured_endpoint_url("SSO", std::nullopt);
  if (!base) {
    base = fmt::format("https://portal.sso.{}.{}", sso.region,
                       sso.region.starts_with("cn-") ? "amazonaws.com.cn" : "amazonaws.com");
  }
  while (base->ends_with('/')) base->pop_back();
  const std::string url = fmt::format("{}/federation/credentials?account_id={}&role_name={}", *base,
                                      uri_encode(sso.account_id, false), uri_encode(sso.role_name, false));
  const std::string what =
      fmt::format("IAM Identity Center GetRoleCredentials (profile '{}', role {} in account {})", sso.profile,
                  sso.role_name, sso.account_id);
  RetryPolicy retry(3);
  return retry.run([&](int) {
    HttpRequest request;
    request.method = "GET";
    request.url = url;
    request.headers = {{"x-amz-sso_bearer_token", token}, {"User-Agent", "trailwatch/0.1"}};
    request.max_response_bytes = 64 << 10;
    HttpResponse response = transport(request);
    if (response.status == 401) throw expired(sso, "the portal refused the cached sign-in (HTTP 401)");
    if (response.status == 429 || response.status >= 500)
      throw ApiError("ServiceUnavailable", response.status,
                     fmt::format("{} failed: HTTP {}", what, response.status));
    if (response.status != 200) {
      throw ApiError("SsoError", response.status,
                     fmt::format("{} failed: HTTP {}: {}", what, response.status, first_line(response.body)));
    }
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    simdjson::dom::element role;
    if (parser.parse(response.body).get(doc) != simdjson::SUCCESS ||
        doc["roleCredentials"].get(role) != simdjson::SUCCESS || !role.is_object())
      throw ApiError("SsoError", 0, what + ": the answer holds no roleCredentials");
    auto text = [&](const char* key) {
      std::string_view value;
      return role[key].get(value) == simdjson::SUCCESS ? std::string(value) : std::string();
    };
    Credentials out{text("accessKeyId"), text("secretAccessKey"), text("sessionToken")};
    if (out.access_key_id.empty() || out.secret_access_key.empty())
      throw ApiError("SsoError", 0, what + ": the answer holds no accessKeyId or secretAccessKey");
    // Milliseconds since the epoch.
    int64_t millis = 0;
    double millis_double = 0;
    if (role["expiration"].get(millis) == simdjson::SUCCESS)
      out.expiration = static_cast<std::time_t>(millis / 1000);
    else if (role["expiration"].get(millis_double) == simdjson::SUCCESS)
      out.expiration = static_cast<std::time_t>(millis_double / 1000);
    return out;
  });
}

}  // namespace trailwatch::aws
