// One signed AWS call over either protocol, with retries: the piece between the ApiSource calls
// (aws_live_source.cpp) and the wire (http_client.hpp).
#pragma once

#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <memory>

#include "aws/credential_provider.hpp"
#include "aws/credentials.hpp"
#include "aws/http_client.hpp"
#include "aws/retry_policy.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {

enum class Protocol { Json, Query };

/// How to talk to one service, keyed by the AWS CLI's name for it.
struct ServiceInfo {
  std::string_view name;             // cloudtrail, logs, cloudwatch, sns, ec2, sts
  std::string_view endpoint_prefix;  // also the SigV4 signing name
  Protocol protocol;
  std::string_view target_prefix;  // JSON: X-Amz-Target is this + operation
  std::string_view api_version;    // Query: Version=
  std::string_view env_id;         // AWS_ENDPOINT_URL_<env_id> overrides its endpoint
};

/// The service named `name`; nullptr for one we do not speak.
const ServiceInfo* find_service(std::string_view name);

/// The endpoint URL configured for the service the AWS CLI calls `env_id` ("STS", "CLOUDTRAIL",
/// "CLOUDWATCH_LOGS", "SSO", "S3", ...), as the AWS CLI picks it: `explicit_url` (--endpoint-url), else
/// AWS_ENDPOINT_URL_<env_id>, else AWS_ENDPOINT_URL (the variables are ignored when
/// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true); nullopt: the service's own endpoint. Throws
/// ApiError("InvalidEndpoint"), naming the flag or variable, when the URL is not usable (endpoint_url_problem
/// in trailwatch/aws.hpp).
std::optional<std::string> configured_endpoint_url(std::string_view env_id,
                                                   const std::optional<std::string>& explicit_url);

/// Where a service lives: `endpoint_url` as given (every service shares it), else
/// https://PREFIX.REGION.amazonaws.com (amazonaws.com.cn for cn- regions). Throws ApiError("InvalidEndpoint")
/// when `endpoint_url` has no scheme.
struct Endpoint {
  std::string url;   // scheme, authority and path, no query
  std::string host;  // the authority, as signed in the Host header
  std::string path;  // "/" when the URL has none
};
Endpoint endpoint_for(const ServiceInfo& service, std::string_view region,
                      const std::optional<std::string>& endpoint_url);

/// `text` with every occurrence of the secret key and session token replaced, for messages built from
/// anything a server echoed.
std::string redact(std::string text, const Credentials& credentials);

class AwsClient {
 public:
  using Sleep = std::function<void(double seconds)>;
  using Clock = std::function<std::time_t()>;

  /// `sleep` and `clock` default to the real ones; tests pass their own. Each attempt is signed with what
  /// `credentials` gives then (refreshed temporary credentials included). `endpoint_url` is --endpoint-url;
  /// without it, AWS_ENDPOINT_URL_<service> and AWS_ENDPOINT_URL apply.
  AwsClient(std::shared_ptr<CredentialProvider> credentials, std::optional<std::string> endpoint_url,
            int max_attempts, Transport transport, Sleep sleep = {}, Clock clock = {});
  /// Signs with `credentials` always.
  AwsClient(Credentials credentials, std::optional<std::string> endpoint_url, int max_attempts,
            Transport transport, Sleep sleep = {}, Clock clock = {});

  /// A JSON-protocol call; returns the response body. Throws ApiError with the service's code and message.
  std::string call_json(std::string_view region, const ServiceInfo& service, std::string_view operation,
                        std::string body);

  /// A Query-protocol call (form POST of Action, Version and `params`); returns the XML body.
  std::string call_query(std::string_view region, const ServiceInfo& service, std::string_view operation,
                         const std::vector<std::pair<std::string, std::string>>& params);

 private:
  std::string send(std::string_view region, const ServiceInfo& service, std::string_view operation,
                   std::vector<std::pair<std::string, std::string>> headers, std::string body);

  std::shared_ptr<CredentialProvider> credentials_;
  std::optional<std::string> endpoint_url_;
  RetryPolicy retry_;
  Transport transport_;
  Clock clock_;
};

}  // namespace trailwatch::aws
