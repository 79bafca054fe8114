#include "aws/aws_client.hpp"

#include <array>
#include <cctype>
#include <cstdlib>

#include <fmt/format.h>

#include "aws/aws_errors.hpp"
#include "aws/sigv4.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

constexpr std::array<ServiceInfo, 6> kServices = {{
    {"cloudtrail", "cloudtrail", Protocol::Json, "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.",
     "", "CLOUDTRAIL"},
    {"logs", "logs", Protocol::Json, "Logs_20140328.", "", "CLOUDWATCH_LOGS"},
    {"cloudwatch", "monitoring", Protocol::Query, "", "2010-08-01", "CLOUDWATCH"},
    {"sns", "sns", Protocol::Query, "", "2010-03-31", "SNS"},
    {"ec2", "ec2", Protocol::Query, "", "2016-11-15", "EC2"},
    {"sts", "sts", Protocol::Query, "", "2011-06-15", "STS"},
}};

std::time_t real_clock() {
  return std::time(nullptr);
}

}  // namespace

const ServiceInfo* find_service(std::string_view name) {
  for (const ServiceInfo& service : kServices) {
    if (service.name == name) return &service;
  }
  return nullptr;
}

std::string endpoint_url_problem(std::string_view url) {
  auto starts = [&](std::string_view scheme) {
    if (url.size() < scheme.size()) return false;
    for (size_t i = 0; i < scheme.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) return false;
    return true;
  };
  const size_t scheme = starts("http://") ? 7 : starts("https://") ? 8 : 0;
  if (scheme == 0) {
    return fmt::format("'{}' has no scheme: give http://{} or https://{}", url, url, url);
  }
  const std::string_view host = url.substr(scheme, url.find_first_of("/?#", scheme) - scheme);
  if (host.empty()) return fmt::format("'{}' names no host", url);
  return {};
}

std::optional<std::string> configured_endpoint_url(std::string_view env_id,
                                                   const std::optional<std::string>& explicit_url) {
  if (explicit_url && !explicit_url->empty()) {
    if (std::string problem = endpoint_url_problem(*explicit_url); !problem.empty())
      throw ApiError("InvalidEndpoint", 0, "--endpoint-url " + problem);
    return explicit_url;
  }
  const char* ignore = std::getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  if (ignore && std::string_view(ignore) == "true") return std::nullopt;
  const std::string specific = fmt::format("AWS_ENDPOINT_URL_{}", env_id);
  for (const std::string& name : {specific, std::string("AWS_ENDPOINT_URL")}) {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') continue;
    if (std::string problem = endpoint_url_problem(value); !problem.empty())
      throw ApiError("InvalidEndpoint", 0, name + " " + problem);
    return std::string(value);
  }
  return std::nullopt;
}

Endpoint endpoint_for(const ServiceInfo& service, std::string_view region,
                      const std::optional<std::string>& endpoint_url) {
  Endpoint out;
  if (endpoint_url && !endpoint_url->empty()) {
    std::string_view url = *endpoint_url;
    if (std::string problem = endpoint_url_problem(url); !problem.empty())
      throw ApiError("InvalidEndpoint", 0, "the endpoint URL " + problem);
    size_t authority_start = url.find("://") + 3;
    size_t path_start = url.find('/', authority_start);
    out.host = std::string(url.substr(authority_start, path_start - authority_start));
    out.path.assign(path_start == std::string_view::npos ? std::string_view("/") : url.substr(path_start));
    // fmt rather than operator+: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string at -O3.
    out.url = fmt::format("{}{}{}", url.substr(0, authority_start), out.host, out.path);
    return out;
  }
  out.host = fmt::format("{}.{}{}", service.endpoint_prefix, region,
                         region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
  out.path = std::string(1, '/');
  out.url = fmt::format("https://{}/", out.host);
  return out;
}

std::string redact(std::string text, const Credentials& credentials) {
  for (const std::string* secret : {&credentials.secret_access_key, &credentials.session_token}) {
    if (secret->empty()) continue;
    constexpr std::string_view kMask = "<redacted>";
    // The search goes on after the mask: a secret that occurs in the mask ("t") would be found in it forever.
    for (size_t at = text.find(*secret); at != std::string::npos; at = text.find(*secret, at + kMask.size()))
      text.replace(at, secret->size(), kMask);
  }
  return text;
}

AwsClient::AwsClient(Credentials credentials, std::optional<std::string> endpoint_url, int max_attempts,
                     Transport transport, Sleep sleep, Clock clock)
    : AwsClient(CredentialProvider::fixed(std::move(credentials)), std::move(endpoint_url), max_attempts,
                std::move(transport), std::move(sleep), std::move(clock)) {}

AwsClient::AwsClient(std::shared_ptr<CredentialProvider> credentials, std::optional<std::string> endpoint_url,
                     int max_attempts, Transport transport, Sleep sleep, Clock clock)
    : credentials_(std::move(credentials)),
      endpoint_url_(std::move(endpoint_url)),
      retry_(max_attempts, std::move(sleep)),
      transport_(std::move(transport)),
      clock_(clock ? std::move(clock) : Clock(real_clock)) {}

std::string AwsClient::call_json(std::string_view region, const ServiceInfo& service,
                                 std::string_view operation, std::string body) {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", "application/x-amz-json-1.1"},
      {"X-Amz-Target", std::string(service.target_prefix) + std::string(operation)}};
  return send(region, service, operation, std::move(headers), std::move(body));
}

std::string AwsClient::call_query(std::string_view region, const ServiceInfo& service,
                                  std::string_view operation,
                                  const std::vector<std::pair<std::string, std::string>>& params) {
  std::vector<std::pair<std::string, std::string>> form = {{"Action", std::string(operation)},
                                                           {"Version", std::string(service.api_version)}};
  form.insert(form.end(), params.begin(), params.end());
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  return send(region, service, operation, std::move(headers), form_encode(form));
}

std::string AwsClient::send(std::string_view region, const ServiceInfo& service, std::string_view operation,
                            std::vector<std::pair<std::string, std::string>> headers, std::string body) {
  Endpoint endpoint = endpoint_for(service, region, configured_endpoint_url(service.env_id, endpoint_url_));
  std::string action = std::string(service.name) + ":" + std::string(operation);
  return retry_.run([&](int attempt) -> std::string {
    // Asked on every attempt: temporary credentials are replaced before they expire, in a long run.
    const Credentials credentials = credentials_->get();
    SignableRequest signable;
    signable.method = "POST";
    signable.path = endpoint.path;
    signable.headers = headers;
    signable.headers.insert(signable.headers.begin(), {"Host", endpoint.host});
    signable.body = body;
    // Signed again on every attempt: a signature is valid for a few minutes only.
    sign(signable, credentials, region, service.endpoint_prefix, clock_());

    HttpRequest request;
    request.method = "POST";
    request.url = endpoint.url;
    request.headers = signable.headers;
    request.headers.emplace_back("User-Agent", "trailwatch/0.1");
    request.body = body;
    try {
      HttpResponse response = transport_(request);
      if (response.status >= 200 && response.status < 300) return std::move(response.body);
      ApiError error = service.protocol == Protocol::Json
                           ? parse_json_error(response.status, response.body, action)
                           : parse_xml_error(response.status, response.body, action);
      throw ApiError(error.code(), error.http_status(), redact(error.what(), credentials));
    } catch (const ApiError& error) {
      // The last attempt's transport failure names the call; retried ones are passed on as they are.
      const bool last = attempt >= retry_.max_attempts() || !is_retryable(error);
      if (!last || error.code() != "NetworkError") throw;
      throw ApiError(error.code(), error.http_status(), action + " failed: " + error.what());
    }
  });
}

}  // namespace trailwatch::aws
