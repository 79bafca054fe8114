#include "aws/instance_metadata.hpp"

#include <algorithm>
#include <cctype>

#include "aws/aws_client.hpp"
#include "aws/container_credentials.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

constexpr const char* kError = "InstanceMetadataError";
constexpr std::string_view kTokenPath = "/latest/api/token";
constexpr std::string_view kRolePath = "/latest/meta-data/iam/security-credentials/";
constexpr const char* kTokenTtlSeconds = "21600";  // six hours, as the AWS CLI asks

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The variable, else the profile's setting, else empty; `where` says which, for messages.
std::string setting(const char* variable, const char* key, const ProfileSettings* profile,
                    std::string& where) {
  if (std::string value = env_value(variable); !value.empty()) {
    where = variable;
    return value;
  }
  if (profile) {
    if (auto it = profile->find(key); it != profile->end() && !it->second.empty()) {
      where = key;
      return it->second;
    }
  }
  return {};
}

long positive_number(const std::string& text, const std::string& where, long fallback) {
  if (text.empty()) return fallback;
  try {
    size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size() && value > 0) return std::max(1L, static_cast<long>(value + 0.999));
  } catch (const std::exception&) {
  }
  throw ApiError(kError, 0, where + " is not a positive number: " + text);
}

struct Answer {
  bool reached = false;  // a whole HTTP response arrived
  int status = 0;
  std::string body;
  std::string failure;  // the transport's message when not reached
};

Answer ask(const Transport& transport, const InstanceMetadataSettings& settings, const std::string& method,
           std::string_view path, const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string base = settings.endpoint;
  while (base.ends_with('/')) base.pop_back();
  Answer answer;
  for (int attempt = 1; attempt <= settings.attempts; ++attempt) {
    HttpRequest request;
    request.method = method;
    request.url = base + std::string(path);
    request.headers = headers;
    request.headers.emplace_back("User-Agent", "trailwatch/0.1");
    request.max_response_bytes = 64 << 10;
    try {
      HttpResponse response = transport(request);
      answer = Answer{true, response.status, std::move(response.body), {}};
      if (response.status < 500) return answer;  // only a server error may pass
    } catch (const ApiError& error) {
      answer = Answer{false, 0, {}, error.what()};
    }
  }
  return answer;
}

std::string trimmed(std::string text) {
  text = text.substr(0, text.find_first_of("\r\n"));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

}  // namespace

InstanceMetadataSettings instance_metadata_settings(const ProfileSettings* profile) {
  InstanceMetadataSettings out;
  out.disabled = lower(env_value("AWS_EC2_METADATA_DISABLED")) == "true";
  std::string where;
  out.v1_disabled =
      lower(setting("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled", profile, where)) == "true";
  std::string endpoint =
      setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint", profile, where);
  if (!endpoint.empty()) {
    if (std::string problem = endpoint_url_problem(endpoint); !problem.empty())
      throw ApiError(kError, 0, where + " " + problem);
    out.endpoint = endpoint;
  } else if (lower(setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode",
                           profile, where)) == "ipv6") {
    out.endpoint = std::string(kInstanceMetadataEndpointIpv6);
  }
  std::string attempts =
      setting("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts", profile, where);
  out.attempts = static_cast<int>(std::min(10L, positive_number(attempts, where, 1)));
  // The variable only: the transport, built before any profile is read, times out after it.
  out.timeout_seconds = std::min(
      60L, positive_number(env_value("AWS_METADATA_SERVICE_TIMEOUT"), "AWS_METADATA_SERVICE_TIMEOUT", 1));
  return out;
}

std::optional<Credentials> fetch_instance_metadata_credentials(const Transport& transport,
                                                               const InstanceMetadataSettings& settings,
                                                               std::string& why_not) {
  // IMDSv2: a session token first.
  Answer token = ask(transport, settings, "PUT", kTokenPath,
                     {{"x-aws-ec2-metadata-token-ttl-seconds", kTokenTtlSeconds}, {"Content-Length", "0"}});
  std::vector<std::pair<std::string, std::string>> headers;
  if (token.reached && token.status == 200 && !token.body.empty()) {
    headers.emplace_back("x-aws-ec2-metadata-token", trimmed(token.body));
  } else if (token.reached && token.status == 400) {
    throw ApiError(kError, 0, settings.endpoint + " refused the IMDSv2 token request (HTTP 400)");
  } else if (settings.v1_disabled) {
    // 403, 404 and 405 mean a service without IMDSv2; no answer may mean a container whose hop limit drops
    // the token's reply. Either way IMDSv1 is the only way left, and it is switched off.
    why_not = settings.endpoint + " gave no IMDSv2 token (" +
              (token.reached ? "HTTP " + std::to_string(token.status) : token.failure) +
              ") and AWS_EC2_METADATA_V1_DISABLED forbids IMDSv1";
    return std::nullopt;
  }

  Answer role = ask(transport, settings, "GET", kRolePath, headers);
  if (!role.reached) {
    why_not = "no answer from " + settings.endpoint + " within " + std::to_string(settings.timeout_seconds) +
              " s (" + role.failure + ")";
    return std::nullopt;
  }
  if (role.status == 404) {
    why_not = settings.endpoint + " says no IAM role is attached to this instance";
    return std::nullopt;
  }
  const std::string role_name = trimmed(role.body);
  if (role.status != 200 || role_name.empty()) {
    why_not = settings.endpoint + " gave no role name (HTTP " + std::to_string(role.status) + ")";
    return std::nullopt;
  }
  Answer credentials = ask(transport, settings, "GET", std::string(kRolePath) + role_name, headers);
  const std::string source = "EC2 instance metadata (role " + role_name + " at " + settings.endpoint + ")";
  if (!credentials.reached) throw ApiError(kError, 0, source + ": " + credentials.failure);
  if (credentials.status != 200)
    throw ApiError(kError, 0, source + ": HTTP " + std::to_string(credentials.status));
  return parse_metadata_credentials(credentials.body, source, kError);
}

}  // namespace trailwatch::aws
