// make_live_source: the calls the audit makes (aws.hpp), built for each protocol, paged and merged.
#include "aws/aws_live_source.hpp"

#include <cstdlib>
#include <set>

#include <fmt/format.h>

#include "aws/aws_client.hpp"
#include "aws/aws_config_file.hpp"
#include "aws/aws_json.hpp"
#include "aws/credentials.hpp"
#include "aws/live_credentials.hpp"
#include "aws/xml_to_json.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

// A server that hands back the same token forever must not keep us paging forever.
constexpr int kMaxPages = 1000;

std::string ca_bundle(const ClientConfig& config) {
  if (config.ca_bundle && !config.ca_bundle->empty()) return *config.ca_bundle;
  const char* env = std::getenv("AWS_CA_BUNDLE");
  return env ? env : "";
}

Transport transport_for(const ClientConfig& config) {
  return make_curl_transport(http_options(config));
}

class LiveSource : public ApiSource {
 public:
  LiveSource(const ClientConfig& config, std::shared_ptr<CredentialProvider> credentials, Transport transport,
             AwsClient::Sleep sleep)
      : client_(std::move(credentials), config.endpoint_url, config.max_attempts, std::move(transport),
                std::move(sleep)) {}

  std::string fetch(const ApiCall& call) override {
    const ServiceInfo* service = find_service(call.service);
    auto needs_argument = [&](const char* what) {
      if (call.argument.empty()) {
        throw ApiError("InvalidCall", 0, call.service + ":" + call.operation + " needs " + what);
      }
    };
    if (call.service == "cloudtrail" && call.operation == "DescribeTrails") {
      return client_.call_json(call.region, *service, call.operation, R"({"includeShadowTrails":true})");
    }
    if (call.service == "cloudtrail" && call.operation == "GetTrailStatus") {
      needs_argument("a trail ARN");
      return client_.call_json(call.region, *service, call.operation,
                               "{\"Name\":" + json_quote(call.argument) + "}");
    }
    if (call.service == "cloudtrail" && call.operation == "GetEventSelectors") {
      needs_argument("a trail ARN");
      return client_.call_json(call.region, *service, call.operation,
                               "{\"TrailName\":" + json_quote(call.argument) + "}");
    }
    if (call.service == "logs" && call.operation == "DescribeMetricFilters") {
      return json_pages(call, *service, "nextToken");
    }
    if (call.service == "cloudwatch" && call.operation == "DescribeAlarms")
      return query_pages(call, *service, {});
    if (call.service == "sns" && call.operation == "ListSubscriptionsByTopic") {
      needs_argument("a topic ARN");
      return query_pages(call, *service, {{"TopicArn", call.argument}});
    }
    if (call.service == "ec2" && call.operation == "DescribeRegions") {
      return ec2_xml_to_json(
          client_.call_query(call.region, *service, call.operation, {{"AllRegions", "true"}}));
    }
    if (call.service == "sts" && call.operation == "GetCallerIdentity") {
      return query_xml_to_json(client_.call_query(call.region, *service, call.operation, {}), call.operation);
    }
    throw ApiError("UnsupportedCall", 0,
                   call.service + ":" + call.operation + " is not a call trailwatch makes");
  }

 private:
  std::string json_pages(const ApiCall& call, const ServiceInfo& service, std::string_view token_key) {
    std::vector<std::string> pages;
    std::set<std::string> seen;
    std::optional<std::string> token;
    do {
      std::string body = "{}";
      if (token) body = fmt::format("{{{}:{}}}", json_quote(token_key), json_quote(*token));
      pages.push_back(client_.call_json(call.region, service, call.operation, std::move(body)));
      token = json_string_member(pages.back(), token_key);
    } while (token && seen.insert(*token).second && pages.size() < kMaxPages);
    return merge_json_pages(pages, token_key);
  }

  std::string query_pages(const ApiCall& call, const ServiceInfo& service,
                          std::vector<std::pair<std::string, std::string>> params) {
    std::vector<std::string> pages;
    std::set<std::string> seen;
    std::optional<std::string> token;
    do {
      auto page_params = params;
      if (token) page_params.emplace_back("NextToken", *token);
      pages.push_back(query_xml_to_json(client_.call_query(call.region, service, call.operation, page_params),
                                        call.operation));
      token = json_string_member(pages.back(), "NextToken");
    } while (token && seen.insert(*token).second && pages.size() < kMaxPages);
    return merge_json_pages(pages, "NextToken");
  }

  AwsClient client_;
};

}  // namespace

HttpOptions http_options(const ClientConfig& config) {
  HttpOptions options;
  if (std::string bundle = ca_bundle(config); !bundle.empty()) options.ca_bundle = bundle;
  return options;
}

std::optional<RegionSetting> configured_region(const ClientConfig& config) {
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (const char* value = std::getenv(name); value && *value) return RegionSetting{value, name};
  }
  const std::string profile = profile_name(config.profile);
  if (auto settings = load_profile(profile)) {
    if (auto it = settings->find("region"); it != settings->end() && !it->second.empty())
      return RegionSetting{it->second, fmt::format("profile '{}' in {}", profile, config_file_path())};
  }
  return std::nullopt;
}

std::string default_region(const ClientConfig& config) {
  std::optional<RegionSetting> configured = configured_region(config);
  return configured ? configured->region : "us-east-1";
}

std::unique_ptr<ApiSource> make_source(std::shared_ptr<CredentialProvider> credentials,
                                       const ClientConfig& config, Transport transport,
                                       AwsClient::Sleep sleep) {
  return std::make_unique<LiveSource>(config, std::move(credentials), std::move(transport), std::move(sleep));
}

std::unique_ptr<ApiSource> make_source(Credentials credentials, const ClientConfig& config,
                                       Transport transport, AwsClient::Sleep sleep) {
  return make_source(CredentialProvider::fixed(std::move(credentials)), config, std::move(transport),
                     std::move(sleep));
}

std::unique_ptr<ApiSource> make_live_source(const ClientConfig& config) {
  // A bad --endpoint-url (no scheme) is said before anything else.
  configured_endpoint_url("STS", config.endpoint_url);
  std::shared_ptr<CredentialProvider> credentials = make_credential_provider(config);
  credentials->get();  // resolved now, so that a missing or broken source stops the run before any call
  return make_source(std::move(credentials), config, transport_for(config));
}

}  // namespace trailwatch::aws
