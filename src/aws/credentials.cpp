#include "aws/credentials.hpp"

#include <simdjson.h>
#include <sys/wait.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "aws/aws_client.hpp"
#include "aws/aws_config_file.hpp"
#include "aws/aws_sts.hpp"
#include "aws/container_credentials.hpp"
#include "aws/instance_metadata.hpp"
#include "aws/sso_credentials.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

constexpr size_t kMaxRoleChain = 8;

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

std::optional<Credentials> environment_keys() {
  Credentials keys{env_value("AWS_ACCESS_KEY_ID"), env_value("AWS_SECRET_ACCESS_KEY"),
                   env_value("AWS_SESSION_TOKEN")};
  if (keys.access_key_id.empty() || keys.secret_access_key.empty()) return std::nullopt;
  return keys;
}

// A profile the assume-role step handles: role_arn without web_identity_token_file (which the web identity
// step handles with the same role_arn), as botocore decides.
bool assumes_role(const ProfileSettings& settings) {
  return !setting(settings, "role_arn").empty() && setting(settings, "web_identity_token_file").empty();
}

// Where STS is asked for a profile: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else us-east-1.
std::string sts_region(const ProfileSettings* settings) {
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::string value = env_value(name); !value.empty()) return value;
  }
  std::string region = settings ? setting(*settings, "region") : "";
  return region.empty() ? "us-east-1" : region;
}

std::string file_text(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::ostringstream text;
  if (ok) text << in.rdbuf();
  return text.str();
}

// One resolution: the context, the profiles visited (a source_profile chain must end) and, for the message
// when nothing is found, what each place said.
class Chain {
 public:
  explicit Chain(const CredentialContext& context) : context_(context) {}

  Credentials resolve(const std::optional<std::string>& explicit_profile) {
    const bool is_explicit = explicit_profile && !explicit_profile->empty();
    if (!is_explicit) {
      if (auto keys = environment_keys()) return *keys;
      looked_.push_back("the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set)");
    }
    const std::string name = profile_name(explicit_profile);
    const std::optional<ProfileSettings> settings = load_profile(name);
    // A profile named by --profile or AWS_PROFILE must exist; "default" need not.
    if (!settings && (is_explicit || !env_value("AWS_PROFILE").empty())) {
      throw no_credentials(fmt::format("profile '{}' is in neither {} nor {}{}", name, config_file_path(),
                                       credentials_file_path(),
                                       is_explicit ? "" : " (AWS_PROFILE names it)"));
    }
    visited_.insert(name);
    if (settings && assumes_role(*settings)) return assume_role(name, *settings);
    if (auto c = web_identity(name, settings ? &*settings : nullptr, !is_explicit)) return *c;
    if (settings) {
      if (auto c = profile_keys(name, *settings)) return *c;
      looked_.push_back(
          fmt::format("profile '{}' ({}, {}: no keys, role_arn, web_identity_token_file, "
                      "sso_* settings or credential_process)",
                      name, config_file_path(), credentials_file_path()));
    } else {
      looked_.push_back(
          fmt::format("a [default] profile ({}, {}: none)", config_file_path(), credentials_file_path()));
    }
    if (auto c = container()) return *c;
    looked_.push_back(
        "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are unset)");
    std::string why_not;
    if (auto c = instance_metadata(settings ? &*settings : nullptr, why_not)) return *c;
    looked_.push_back("EC2 instance metadata (" + why_not + ")");
    std::string message = "no AWS credentials found; looked, in the AWS CLI's order, at: ";
    for (size_t i = 0; i < looked_.size(); ++i) message += (i > 0 ? "; " : "") + looked_[i];
    throw no_credentials(message);
  }

 private:
  std::time_t now() const { return context_.clock ? context_.clock() : std::time(nullptr); }

  std::string session_name(const std::string& configured) const {
    return configured.empty() ? "trailwatch-" + std::to_string(now()) : configured;
  }

  // STS goes where --endpoint-url, AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL say.
  std::optional<std::string> sts_endpoint() const {
    return configured_endpoint_url("STS", context_.endpoint_url);
  }

  Credentials assume_role(const std::string& name, const ProfileSettings& settings) {
    const std::string source_profile = setting(settings, "source_profile");
    const std::string credential_source = setting(settings, "credential_source");
    Credentials source;
    if (!source_profile.empty()) {
      // A profile may name itself as source when it also holds static keys (botocore allows this).
      if (source_profile == name) {
        auto keys = static_keys(settings);
        if (!keys)
          throw no_credentials("profile '" + name + "' is its own source_profile but has no static keys");
        source = *keys;
      } else {
        source = from_source_profile(name, source_profile);
      }
    } else if (!credential_source.empty()) {
      source = from_credential_source(name, credential_source, settings);
    } else {
      throw no_credentials("profile '" + name +
                           "' has role_arn but neither source_profile nor credential_source");
    }
    AssumeRoleRequest request;
    request.role_arn = setting(settings, "role_arn");
    request.role_session_name = session_name(setting(settings, "role_session_name"));
    request.external_id = setting(settings, "external_id");
    if (std::string duration = setting(settings, "duration_seconds"); !duration.empty()) {
      try {
        request.duration_seconds = std::stoi(duration);
      } catch (const std::exception&) {
        throw no_credentials("profile '" + name + "': duration_seconds is not a number: " + duration);
      }
    }
    request.region = sts_region(&settings);
    return context_.assume(source, request);
  }

  // botocore: a source profile with static keys, or without an assume-role setup, gives its own credentials
  // (web identity, Identity Center, keys, credential_process); otherwise it assumes its role in turn.
  Credentials from_source_profile(const std::string& parent, const std::string& name) {
    if (!visited_.insert(name).second || visited_.size() > kMaxRoleChain)
      throw no_credentials("profile '" + name + "': source_profile chain loops or is too long");
    std::optional<ProfileSettings> settings = load_profile(name);
    if (!settings) {
      throw no_credentials(fmt::format("profile '{}' names source_profile {}, which is in neither {} nor {}",
                                       parent, name, config_file_path(), credentials_file_path()));
    }
    if (static_keys(*settings) || !assumes_role(*settings)) {
      if (auto c = web_identity(name, &*settings, false)) return *c;
      if (auto c = profile_keys(name, *settings)) return *c;
      throw no_credentials("profile '" + name + "' (source_profile of '" + parent + "') has no credentials");
    }
    return assume_role(name, *settings);
  }

  Credentials from_credential_source(const std::string& name, const std::string& source,
                                     const ProfileSettings& settings) {
    if (source == "Environment") {
      if (auto keys = environment_keys()) return *keys;
      throw no_credentials("profile '" + name + "': credential_source Environment but AWS_ACCESS_KEY_ID or " +
                           "AWS_SECRET_ACCESS_KEY is unset");
    }
    if (source == "EcsContainer") {
      if (auto c = container()) return *c;
      throw no_credentials("profile '" + name + "': credential_source EcsContainer but " +
                           "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are unset");
    }
    if (source == "Ec2InstanceMetadata") {
      std::string why_not;
      if (auto c = instance_metadata(&settings, why_not)) return *c;
      throw no_credentials("profile '" + name + "': credential_source Ec2InstanceMetadata but " + why_not);
    }
    throw no_credentials("profile '" + name + "': credential_source " + source +
                         " is not one of Environment, EcsContainer, Ec2InstanceMetadata");
  }

  // AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME (each unless `use_environment` is
  // false), else the profile's web_identity_token_file, role_arn and role_session_name.
  std::optional<Credentials> web_identity(const std::string& name, const ProfileSettings* settings,
                                          bool use_environment) {
    auto get = [&](const char* variable, const char* key, std::string& where) {
      if (use_environment) {
        if (std::string value = env_value(variable); !value.empty()) {
          where = variable;
          return value;
        }
      }
      where = fmt::format("web_identity_token_file of profile '{}'", name);
      return settings ? setting(*settings, key) : std::string();
    };
    std::string where;
    const std::string token_file = get("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file", where);
    if (token_file.empty()) {
      if (use_environment) looked_.push_back("web identity (AWS_WEB_IDENTITY_TOKEN_FILE is unset)");
      return std::nullopt;
    }
    const std::string token_from = where;
    std::string unused;
    WebIdentityRequest request;
    request.role_arn = get("AWS_ROLE_ARN", "role_arn", unused);
    if (request.role_arn.empty()) {
      throw ApiError("WebIdentityError", 0,
                     fmt::format("web identity: {} is set but no role is: set AWS_ROLE_ARN{}", token_from,
                                 settings ? fmt::format(" or role_arn in profile '{}'", name) : ""));
    }
    request.role_session_name = session_name(get("AWS_ROLE_SESSION_NAME", "role_session_name", unused));
    bool ok = false;
    // Read at every resolution: EKS writes a new token to the file before the old one expires.
    request.token = file_text(token_file, ok);
    while (!request.token.empty() && std::isspace(static_cast<unsigned char>(request.token.back())))
      request.token.pop_back();
    if (!ok || request.token.empty()) {
      throw ApiError("WebIdentityError", 0,
                     fmt::format("web identity: the token file {} ({}) {}", token_file, token_from,
                                 ok ? "is empty" : "cannot be read"));
    }
    request.region = sts_region(settings);
    try {
      return assume_role_with_web_identity(context_.transport, request, sts_endpoint());
    } catch (const ApiError& error) {
      throw ApiError(error.code(), error.http_status(),
                     fmt::format("web identity ({} {}): {}", token_from, token_file, error.what()));
    }
  }

  // The profile's own credentials after web identity, in botocore's order: IAM Identity Center, the
  // credentials file's keys, credential_process, the config file's keys.
  std::optional<Credentials> profile_keys(const std::string& name, const ProfileSettings& settings) {
    if (std::optional<SsoProfile> sso = sso_profile(name, settings)) {
      const std::string token = sso_access_token(*sso, now());
      return get_role_credentials(context_.transport, *sso, token);
    }
    auto keys = static_keys(settings);
    if (keys && credentials_file_has(name, "aws_access_key_id")) return *keys;
    if (std::string command = setting(settings, "credential_process"); !command.empty())
      return parse_credential_process_output(run_credential_process(command, name), name);
    if (keys) return *keys;
    return std::nullopt;
  }

  std::optional<Credentials> container() {
    std::optional<ContainerEndpoint> endpoint = container_endpoint_from_environment();
    if (!endpoint) return std::nullopt;
    auto sleep = context_.sleep ? context_.sleep : [](double seconds) {
      std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    };
    const Transport& transport =
        context_.container_transport ? context_.container_transport : context_.transport;
    return fetch_container_credentials(transport, *endpoint, sleep);
  }

  std::optional<Credentials> instance_metadata(const ProfileSettings* settings, std::string& why_not) {
    InstanceMetadataSettings imds = instance_metadata_settings(settings);
    if (imds.disabled) {
      why_not = "AWS_EC2_METADATA_DISABLED is true";
      return std::nullopt;
    }
    const Transport& transport =
        context_.metadata_transport ? context_.metadata_transport : context_.transport;
    return fetch_instance_metadata_credentials(transport, imds, why_not);
  }

  const CredentialContext& context_;
  std::set<std::string> visited_;
  std::vector<std::string> looked_;
};

bool digits(std::string_view text, size_t at, size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::string env_value(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::optional<std::time_t> parse_expiration(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (text.size() < 19 || !digits(text, 0, 4, year) || text[4] != '-' || !digits(text, 5, 2, month) ||
      text[7] != '-' || !digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !digits(text, 11, 2, hour) || text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' ||
      !digits(text, 17, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
  }
  std::string_view zone = text.substr(at);
  long offset = 0;
  if (zone == "Z" || zone == "z" || zone == "UTC" || zone.empty()) {
    offset = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int h, m;
    if (!digits(zone, 1, 2, h) || !digits(zone, 4, 2, m)) return std::nullopt;
    offset = (zone[0] == '+' ? 1 : -1) * (h * 3600L + m * 60L);
  } else if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    int h, m;
    if (!digits(zone, 1, 2, h) || !digits(zone, 3, 2, m)) return std::nullopt;
    offset = (zone[0] == '+' ? 1 : -1) * (h * 3600L + m * 60L);
  } else {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return ::timegm(&tm) - offset;
}

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
  // With an Expiration the process is run again before then, as the AWS CLI does.
  if (std::string expiration = text("Expiration", false); !expiration.empty()) {
    out.expiration = parse_expiration(expiration);
    if (!out.expiration) throw fail("Expiration is not an ISO 8601 time");
  }
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
                                const CredentialContext& context) {
  return Chain(context).resolve(explicit_profile);
}

}  // namespace trailwatch::aws
