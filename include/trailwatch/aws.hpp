// The aws unit: access to AWS for the audit and for `scan`'s reading of S3. Credentials as the AWS CLI finds
// them, Signature Version 4, HTTPS through libcurl, the JSON and Query protocols, pagination and throttling
// retries. Callers see only ApiSource: one call in, the response body out as the AWS CLI prints it with
// `--output json` (pages merged), so a live account, a folder written by `--save-dir` and a folder written by
// hand with the AWS CLI all look the same to the audit.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace trailwatch::aws {

/// One API call the audit makes. `service` and `operation` are named as the AWS CLI's JSON output files are
/// (`cloudtrail`, `logs`, `cloudwatch`, `sns`, `ec2`, `sts`; `DescribeTrails`, ...). `argument` is the one
/// request argument the operation takes (a trail ARN, a topic ARN), empty for none. `resource` is the name
/// that goes into the --save-dir file name (`cloudtrail.GetTrailStatus.<resource>.json`), empty for none.
///
/// The supported calls (the live source builds the request for each):
///   cloudtrail DescribeTrails          (includeShadowTrails = true)
///   cloudtrail GetTrailStatus          argument: trail ARN         resource: trail name
///   cloudtrail GetEventSelectors       argument: trail ARN         resource: trail name
///   logs       DescribeMetricFilters   (every filter of the region, pages merged into "metricFilters")
///   cloudwatch DescribeAlarms          (every metric alarm of the region, pages merged into "MetricAlarms")
///   sns        ListSubscriptionsByTopic argument: topic ARN        resource: topic name
///   ec2        DescribeRegions         (AllRegions = true, so regions not opted in are listed too)
///   sts        GetCallerIdentity
struct ApiCall {
  std::string region;
  std::string service;
  std::string operation;
  std::string argument;
  std::string resource;
};

/// A call that failed. `code` is AWS's error code (AccessDeniedException, AccessDenied, ThrottlingException,
/// TrailNotFoundException, ...) or a transport failure ("NetworkError"); the message never holds a secret.
class ApiError : public std::runtime_error {
 public:
  ApiError(std::string code, int http_status, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)), http_status_(http_status) {}
  const std::string& code() const { return code_; }
  int http_status() const { return http_status_; }
  bool access_denied() const {
    return code_ == "AccessDenied" || code_ == "AccessDeniedException" || code_ == "UnauthorizedOperation" ||
           code_ == "AuthorizationError";
  }

 private:
  std::string code_;
  int http_status_;
};

/// Answers API calls with the response body (JSON, as `aws ... --output json` prints it, pages merged).
class ApiSource {
 public:
  virtual ~ApiSource() = default;
  virtual std::string fetch(const ApiCall& call) = 0;
};

/// How to reach AWS. Unset fields fall back as the AWS CLI does.
struct ClientConfig {
  std::optional<std::string> profile;  // --profile, else AWS_PROFILE, else "default"
  // Overrides every service endpoint (tests, AWS-compatible servers).
  std::optional<std::string> endpoint_url;
  std::optional<std::string> ca_bundle;  // PEM file for TLS verification (else AWS_CA_BUNDLE, else system)
  int max_attempts = 5;                  // per call, throttling and 5xx retried with jittered backoff
};

/// Empty when `url` can be an endpoint URL (--endpoint-url), else why not: it must start with http:// or
/// https:// (the AWS CLI refuses "localhost:4566" too, rather than guess a scheme) and name a host.
std::string endpoint_url_problem(std::string_view url);

/// A region and where it was configured, for messages ("AWS_REGION", "profile 'audit' in
/// /home/u/.aws/config").
struct RegionSetting {
  std::string region;
  std::string source;
};

/// The region configured as the AWS CLI reads it: AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`
/// (config.profile, else AWS_PROFILE, else default); nullopt when none is (the AWS CLI then refuses to run).
std::optional<RegionSetting> configured_region(const ClientConfig& config);

/// configured_region's region, else us-east-1: a first guess where a wrong one is corrected (S3 says where
/// a bucket lives).
std::string default_region(const ClientConfig& config);

/// A source that calls AWS (or config.endpoint_url). Credentials are resolved on construction, along the
/// AWS CLI's chain (docs/design.md "Credentials"), and again before temporary ones expire; throws ApiError
/// ("NoCredentials", "InvalidEndpoint", ...) when there are none or --endpoint-url has no scheme.
std::unique_ptr<ApiSource> make_live_source(const ClientConfig& config);

}  // namespace trailwatch::aws
