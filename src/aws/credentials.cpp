#include "aws/credentials.hpp"

#include <simdjson.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "aws/aws_config_file.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

constexpr int kMaxRoleChain = 8;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string setting(const ProfileSettings& settings, const std::string& key) {
  auto it = settings.find(key);
  return it == settings.end() ? std::string() : it->second;
}

ApiError no_credentials(const std::string& why) {
  return ApiError("NoCredentials", 0, why);
}

std::optional<Credentials> static_keys(const ProfileSettings& settings) {
  std::string id = setting(settings, "aws_access_key_id");
  std::string secret = setting(settings, "aws_secret_access_key");
  if (id.empty() || secret.empty()) return std::nullopt;
  return Credentials{id, secret, setting(settings, "aws_session_token")};
}

std::string region_of(const ProfileSettings& settings) {
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::string value = env(name); !value.empty()) return value;
  }
  std::string region = setting(settings, "region");
  return region.empty() ? "us-east-1" : region;
}

Credentials from_profile(const std::string& name, const AssumeRoleFunction& assume,
                         std::set<std::string>& visited);

Credentials assume_role(const std::string& name, const ProfileSettings& settings,
                        const AssumeRoleFunction& assume, std::set<std::string>& visited) {
  std::string source_profile = setting(settings, "source_profile");
  std::string credential_source = setting(settings, "credential_source");
  Credentials source;
  if (!source_profile.empty()) {
    // A profile may name itself as source when it also holds static keys (botocore allows this).
    if (source_profile == name) {
      auto keys = static_keys(settings);
      if (!keys)
        throw no_credentials("profile '" + name + "' is its own source_profile but has no static keys");
      source = *keys;
    } else {
      source = from_profile(source_profile, assume, visited);
    }
  } else if (credential_source == "Environment") {
    source = Credentials{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")};
    if (source.access_key_id.empty() || source.secret_access_key.empty()) {
      throw no_credentials("profile '" + name + "': credential_source Environment but AWS_ACCESS_KEY_ID or " +
                           "AWS_SECRET_ACCESS_KEY is unset");
    }
  } else if (!credential_source.empty()) {
    throw no_credentials("profile '" + name + "': credential_source " + credential_source +
                         " is not supported (use source_profile, Environment or credential_process)");
  } else {
    throw no_credentials("profile '" + name +
                         "' has role_arn but neither source_profile nor credential_source");
  }
  AssumeRoleRequest request;
  request.role_arn = setting(settings, "role_arn");
  request.role_session_name = setting(settings, "role_session_name");
  if (request.role_session_name.empty()) {
    auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    request.role_session_name = "trailwatch-" + std::to_string(now.count());
  }
  request.external_id = setting(settings, "external_id");
  if (std::string duration = setting(settings, "duration_seconds"); !duration.empty()) {
    try {
      request.duration_seconds = std::stoi(duration);
    } catch (const std::exception&) {
      throw no_credentials("profile '" + name + "': duration_seconds is not a number: " + duration);
    }
  }
  request.region = region_of(settings);
  return assume(source, request);
}

Credentials from_profile(const std::string& name, const AssumeRoleFunction& assume,
                         std::set<std::string>& visited) {
  if (!visited.insert(name).second || visited.size() > kMaxRoleChain) {
    throw no_credentials("profile '" + name + "': source_profile chain loops or is too long");
  }
  std::optional<ProfileSettings> settings = load_profile(name);
  if (!settings) throw no_credentials("profile '" + name + "' is not in the AWS config or credentials file");
  // botocore's order: assume-role, the credentials file's keys, credential_process, the config file's keys.
  if (!setting(*settings, "role_arn").empty()) return assume_role(name, *settings, assume, visited);
  auto keys = static_keys(*settings);
  if (keys && credentials_file_has(name, "aws_access_key_id")) return *keys;
  if (std::string command = setting(*settings, "credential_process"); !command.empty()) {
    return parse_credential_process_output(run_credential_process(command, name), name);
  }
  if (keys) return *keys;
  if (!setting(*settings, "sso_session").empty() || !setting(*settings, "sso_start_url").empty()) {
    throw no_credentials("profile '" + name + "' uses SSO: set credential_process = aws configure " +
                         "export-credentials --profile " + name +
                         " --format process in another profile, or " + "export the credentials");
  }
  throw no_credentials("profile '" + name +
                       "' has no credentials (aws_access_key_id, credential_process or " + "role_arn)");
}

}  // namespace

Credentials parse_credential_process_output(const std::string& json, const std::string& profile) {
  auto fail = [&](const std::string& why) {
    return ApiError("CredentialProcessError", 0, "credential_process of profile '" + profile + "': " + why);
  };
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    throw fail("output is not a JSON object");
  }
  int64_t version = 0;
  if (doc["Version"].get(version) != simdjson::SUCCESS || version != 1) throw fail("Version is not 1");
  auto text = [&](const char* key, bool required) {
    std::string_view value;
    auto error = doc[key].get(value);
    if (error == simdjson::NO_SUCH_FIELD && !required) return std::string();
    if (error != simdjson::SUCCESS) throw fail(std::string(key) + " is missing or not a string");
    return std::string(value);
  };
  Credentials out{text("AccessKeyId", true), text("SecretAccessKey", true), text("SessionToken", false)};
  if (out.access_key_id.empty() || out.secret_access_key.empty())
    throw fail("AccessKeyId or SecretAccessKey is empty");
  return out;
}

std::string run_credential_process(const std::string& command, const std::string& profile) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe)
    throw ApiError("CredentialProcessError", 0,
                   "credential_process of profile '" + profile + "' did not start");
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  int status = ::pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string how =
        WIFEXITED(status) ? "exited with status " + std::to_string(WEXITSTATUS(status)) : "failed";
    throw ApiError("CredentialProcessError", 0, "credential_process of profile '" + profile + "' " + how);
  }
  return out;
}

Credentials resolve_credentials(const std::optional<std::string>& explicit_profile,
                                const AssumeRoleFunction& assume) {
  bool is_explicit = explicit_profile && !explicit_profile->empty();
  if (!is_explicit) {
    Credentials from_env{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")};
    if (!from_env.access_key_id.empty() && !from_env.secret_access_key.empty()) return from_env;
  }
  std::string name = profile_name(explicit_profile);
  std::set<std::string> visited;
  // Without any profile the message should say where we looked, not blame a profile the user never named.
  if (!is_explicit && name == "default" && !load_profile(name)) {
    throw no_credentials(
        "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, " +
        std::string("or a [default] profile in ~/.aws/credentials or ~/.aws/config"));
  }
  return from_profile(name, assume, visited);
}

}  // namespace trailwatch::aws
