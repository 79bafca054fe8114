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

#include "aws/credentials.hpp"
#include "aws/http_client.hpp"
#include "aws/retry_policy.hpp"

namespace trailwatch::aws {

enum class Protocol { Json, Query };

/// How to talk to one service, keyed by the AWS CLI's name for it.
struct ServiceInfo {
  std::string_view name;             // cloudtrail, logs, cloudwatch, sns, ec2, sts
  std::string_view endpoint_prefix;  // also the SigV4 signing name
  Protocol protocol;
  std::string_view target_prefix;  // JSON: X-Amz-Target is this + operation
  std::string_view api_version;    // Query: Version=
};

/// The service named `name`; nullptr for one we do not speak.
const ServiceInfo* find_service(std::string_view name);

/// Where a service lives: `endpoint_url` as given (every service shares it), else
/// https://PREFIX.REGION.amazonaws.com (amazonaws.com.cn for cn- regions).
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

  /// `sleep` and `clock` default to the real ones; tests pass their own.
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

  Credentials credentials_;
  std::optional<std::string> endpoint_url_;
  RetryPolicy retry_;
  Transport transport_;
  Clock clock_;
};

}  // namespace trailwatch::aws
