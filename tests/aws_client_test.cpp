#include <gtest/gtest.h>
#include <simdjson.h>

#include <deque>
#include <filesystem>

#include "aws/aws_client.hpp"
#include "aws/aws_live_source.hpp"
#include "testdata_file.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

std::string body(const std::string& name) {
  return testing_support::read_testdata(std::filesystem::path("aws") / name);
}

std::string header(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "";
}

const Credentials kCredentials{"AKIDTEST", "test-secret-key", "test-session-token"};

// Answers from a script and keeps every request, with no network and no waiting.
struct FakeAws {
  std::deque<HttpResponse> answers;
  std::vector<HttpRequest> requests;
  std::vector<double> sleeps;

  Transport transport() {
    return [this](const HttpRequest& request) {
      requests.push_back(request);
      if (answers.empty()) throw ApiError("NetworkError", 0, "no scripted answer");
      HttpResponse response = answers.front();
      answers.pop_front();
      if (response.status == 0) throw ApiError("NetworkError", 0, "connection refused");
      return response;
    };
  }
  std::unique_ptr<ApiSource> source(ClientConfig config = {}) {
    return make_source(kCredentials, config, transport(), [this](double s) { sleeps.push_back(s); });
  }
};

simdjson::dom::element parse(simdjson::dom::parser& parser, const std::string& json) {
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  return doc;
}

TEST(AwsEndpoints, RegionalAndOverridden) {
  Endpoint e = endpoint_for(*find_service("cloudwatch"), "eu-west-1", std::nullopt);
  EXPECT_EQ(e.url, "https://monitoring.eu-west-1.amazonaws.com/");
  EXPECT_EQ(e.host, "monitoring.eu-west-1.amazonaws.com");
  EXPECT_EQ(endpoint_for(*find_service("logs"), "cn-north-1", std::nullopt).host,
            "logs.cn-north-1.amazonaws.com.cn");
  Endpoint o = endpoint_for(*find_service("sns"), "us-east-1", std::string("http://127.0.0.1:5000"));
  EXPECT_EQ(o.url, "http://127.0.0.1:5000/");
  EXPECT_EQ(o.host, "127.0.0.1:5000");
  EXPECT_EQ(o.path, "/");
  EXPECT_EQ(endpoint_for(*find_service("sts"), "us-east-1", std::string("https://proxy.example/aws")).path,
            "/aws");
  EXPECT_EQ(find_service("s3"), nullptr);
}

TEST(AwsRetry, BackoffIsCappedFullJitter) {
  EXPECT_EQ(backoff_seconds(1, 1.0), 1.0);
  EXPECT_EQ(backoff_seconds(3, 0.5), 2.0);
  EXPECT_EQ(backoff_seconds(10, 1.0), 20.0);
  EXPECT_EQ(backoff_seconds(2, 0.0), 0.0);
}

TEST(AwsLiveSource, DescribeTrailsIsASignedJsonCall) {
  FakeAws aws;
  aws.answers.push_back({200, R"({"trailList":[{"Name":"main","HomeRegion":"us-east-1"}]})"});
  std::string out = aws.source()->fetch({"eu-west-1", "cloudtrail", "DescribeTrails", "", ""});
  EXPECT_EQ(out, R"({"trailList":[{"Name":"main","HomeRegion":"us-east-1"}]})");
  ASSERT_EQ(aws.requests.size(), 1u);
  const HttpRequest& r = aws.requests[0];
  EXPECT_EQ(r.url, "https://cloudtrail.eu-west-1.amazonaws.com/");
  EXPECT_EQ(r.body, R"({"includeShadowTrails":true})");
  EXPECT_EQ(header(r, "X-Amz-Target"),
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails");
  EXPECT_EQ(header(r, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(header(r, "Host"), "cloudtrail.eu-west-1.amazonaws.com");
  EXPECT_EQ(header(r, "X-Amz-Security-Token"), "test-session-token");
  std::string auth = header(r, "Authorization");
  EXPECT_TRUE(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/")) << auth;
  EXPECT_NE(auth.find("/eu-west-1/cloudtrail/aws4_request, SignedHeaders=content-type;host;x-amz-date;"
                      "x-amz-security-token;x-amz-target, Signature="),
            std::string::npos)
      << auth;
}

TEST(AwsLiveSource, TrailArgumentsAreJsonQuoted) {
  FakeAws aws;
  aws.answers.push_back({200, "{}"});
  aws.answers.push_back({200, "{}"});
  auto source = aws.source();
  source->fetch(
      {"us-east-1", "cloudtrail", "GetTrailStatus", "arn:aws:cloudtrail:us-east-1:1:trail/a\"b", "a\"b"});
  source->fetch(
      {"us-east-1", "cloudtrail", "GetEventSelectors", "arn:aws:cloudtrail:us-east-1:1:trail/t", "t"});
  EXPECT_EQ(aws.requests[0].body, R"({"Name":"arn:aws:cloudtrail:us-east-1:1:trail/a\"b"})");
  EXPECT_EQ(aws.requests[1].body, R"({"TrailName":"arn:aws:cloudtrail:us-east-1:1:trail/t"})");
  EXPECT_THROW(source->fetch({"us-east-1", "cloudtrail", "GetTrailStatus", "", ""}), ApiError);
}

TEST(AwsLiveSource, MetricFiltersArePagedAndMerged) {
  FakeAws aws;
  aws.answers.push_back({200, body("logs.DescribeMetricFilters.page1.json")});
  aws.answers.push_back({200, body("logs.DescribeMetricFilters.page2.json")});
  std::string out = aws.source()->fetch({"us-east-1", "logs", "DescribeMetricFilters", "", ""});
  ASSERT_EQ(aws.requests.size(), 2u);
  EXPECT_EQ(aws.requests[0].body, "{}");
  EXPECT_EQ(aws.requests[1].body, R"({"nextToken":"mf-token-2"})");
  EXPECT_EQ(header(aws.requests[1], "X-Amz-Target"), "Logs_20140328.DescribeMetricFilters");
  simdjson::dom::parser parser;
  simdjson::dom::array filters = parse(parser, out)["metricFilters"];
  EXPECT_EQ(filters.size(), 2u);
}

TEST(AwsLiveSource, AlarmsArePagedFormPostsConvertedToJson) {
  FakeAws aws;
  aws.answers.push_back({200, body("cloudwatch.DescribeAlarms.page1.xml")});
  aws.answers.push_back({200, body("cloudwatch.DescribeAlarms.page2.xml")});
  std::string out = aws.source()->fetch({"us-east-1", "cloudwatch", "DescribeAlarms", "", ""});
  ASSERT_EQ(aws.requests.size(), 2u);
  EXPECT_EQ(aws.requests[0].url, "https://monitoring.us-east-1.amazonaws.com/");
  EXPECT_EQ(aws.requests[0].body, "Action=DescribeAlarms&Version=2010-08-01");
  EXPECT_EQ(aws.requests[1].body, "Action=DescribeAlarms&Version=2010-08-01&NextToken=token-page-2");
  EXPECT_EQ(header(aws.requests[0], "Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_NE(header(aws.requests[0], "Authorization").find("/us-east-1/monitoring/aws4_request"),
            std::string::npos);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parse(parser, out);
  simdjson::dom::array alarms = doc["MetricAlarms"];
  ASSERT_EQ(alarms.size(), 2u);
  EXPECT_EQ(int64_t(alarms.at(0)["Period"]), 300);
  EXPECT_EQ(out.find("NextToken"), std::string::npos);
}

TEST(AwsLiveSource, SubscriptionsRegionsAndIdentity) {
  FakeAws aws;
  aws.answers.push_back({200, body("sns.ListSubscriptionsByTopic.xml")});
  aws.answers.push_back({200, body("ec2.DescribeRegions.xml")});
  aws.answers.push_back({200, body("sts.GetCallerIdentity.xml")});
  auto source = aws.source();
  std::string subs = source->fetch({"us-east-1", "sns", "ListSubscriptionsByTopic",
                                    "arn:aws:sns:us-east-1:111122223333:SecurityAlerts", "SecurityAlerts"});
  std::string regions = source->fetch({"us-east-1", "ec2", "DescribeRegions", "", ""});
  std::string identity = source->fetch({"us-east-1", "sts", "GetCallerIdentity", "", ""});
  EXPECT_EQ(aws.requests[0].body,
            "Action=ListSubscriptionsByTopic&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%"
            "3A111122223333%3A"
            "SecurityAlerts");
  EXPECT_EQ(aws.requests[1].body, "Action=DescribeRegions&Version=2016-11-15&AllRegions=true");
  EXPECT_EQ(aws.requests[2].url, "https://sts.us-east-1.amazonaws.com/");
  simdjson::dom::parser p1, p2, p3;
  EXPECT_EQ(std::string_view(parse(p1, subs)["Subscriptions"].at(0)["SubscriptionArn"]),
            "PendingConfirmation");
  EXPECT_EQ(std::string_view(parse(p2, regions)["Regions"].at(1)["OptInStatus"]), "not-opted-in");
  EXPECT_EQ(std::string_view(parse(p3, identity)["Account"]), "111122223333");
}

TEST(AwsLiveSource, ThrottlingIsRetriedWithBackoff) {
  FakeAws aws;
  aws.answers.push_back({400, body("error.Throttling.xml")});
  aws.answers.push_back({503, "Service Unavailable"});
  aws.answers.push_back({0, ""});  // connection refused
  aws.answers.push_back({200, body("sts.GetCallerIdentity.xml")});
  std::string out = aws.source()->fetch({"us-east-1", "sts", "GetCallerIdentity", "", ""});
  EXPECT_NE(out.find("111122223333"), std::string::npos);
  EXPECT_EQ(aws.requests.size(), 4u);
  ASSERT_EQ(aws.sleeps.size(), 3u);
  EXPECT_LE(aws.sleeps[0], 1.0);
  EXPECT_LE(aws.sleeps[2], 4.0);
}

TEST(AwsLiveSource, RetriesStopAtMaxAttempts) {
  FakeAws aws;
  for (int i = 0; i < 5; ++i)
    aws.answers.push_back({400, R"({"__type":"ThrottlingException","message":"slow"})"});
  ClientConfig config;
  config.max_attempts = 3;
  try {
    aws.source(config)->fetch({"us-east-1", "cloudtrail", "DescribeTrails", "", ""});
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "ThrottlingException");
    EXPECT_EQ(std::string(e.what()),
              "cloudtrail:DescribeTrails failed: ThrottlingException (HTTP 400): slow");
  }
  EXPECT_EQ(aws.requests.size(), 3u);
}

TEST(AwsLiveSource, AccessDeniedIsNotRetriedAndNamesThePermission) {
  FakeAws aws;
  aws.answers.push_back({403, body("error.AccessDenied.xml")});
  try {
    aws.source()->fetch({"us-east-1", "cloudwatch", "DescribeAlarms", "", ""});
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_TRUE(e.access_denied());
    EXPECT_TRUE(std::string_view(e.what()).starts_with("cloudwatch:DescribeAlarms denied: ")) << e.what();
  }
  EXPECT_EQ(aws.requests.size(), 1u);
  EXPECT_TRUE(aws.sleeps.empty());
}

TEST(AwsLiveSource, NetworkErrorsNameTheCall) {
  FakeAws aws;
  ClientConfig config;
  config.max_attempts = 2;
  try {
    aws.source(config)->fetch({"us-east-1", "logs", "DescribeMetricFilters", "", ""});
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "NetworkError");
    EXPECT_TRUE(std::string_view(e.what()).starts_with("logs:DescribeMetricFilters failed: ")) << e.what();
  }
}

TEST(AwsLiveSource, SecretsEchoedByAServerAreRedacted) {
  FakeAws aws;
  aws.answers.push_back(
      {400,
       R"({"__type":"InvalidSignatureException","message":"bad key test-secret-key and test-session-token"})"});
  try {
    aws.source()->fetch({"us-east-1", "cloudtrail", "DescribeTrails", "", ""});
    FAIL();
  } catch (const ApiError& e) {
    std::string what = e.what();
    EXPECT_EQ(what.find("test-secret-key"), std::string::npos) << what;
    EXPECT_EQ(what.find("test-session-token"), std::string::npos) << what;
    EXPECT_NE(what.find("<redacted>"), std::string::npos) << what;
  }
  // Nor does any request carry the secret key itself.
  for (const HttpRequest& r : aws.requests) {
    for (const auto& [name, value] : r.headers) EXPECT_EQ(value.find("test-secret-key"), std::string::npos);
    EXPECT_EQ(r.body.find("test-secret-key"), std::string::npos);
  }
}

// A secret that the mask itself holds ("t", as test setups use) once made the search find it forever.
TEST(AwsRedact, ASecretInsideTheMaskIsReplacedOnce) {
  EXPECT_EQ(redact("key t and t", Credentials{"AKID", "t", ""}), "key <redacted> and <redacted>");
  EXPECT_EQ(redact("tt", Credentials{"AKID", "t", ""}), "<redacted><redacted>");
}

TEST(AwsLiveSource, EndpointUrlServesEveryService) {
  FakeAws aws;
  aws.answers.push_back({200, "{}"});
  aws.answers.push_back({200, body("sts.GetCallerIdentity.xml")});
  ClientConfig config;
  config.endpoint_url = "http://127.0.0.1:4566";
  auto source = aws.source(config);
  source->fetch({"us-east-1", "cloudtrail", "DescribeTrails", "", ""});
  source->fetch({"us-east-1", "sts", "GetCallerIdentity", "", ""});
  for (const HttpRequest& r : aws.requests) {
    EXPECT_EQ(r.url, "http://127.0.0.1:4566/");
    EXPECT_EQ(header(r, "Host"), "127.0.0.1:4566");
  }
}

TEST(AwsLiveSource, UnknownCallsAreRefused) {
  FakeAws aws;
  try {
    aws.source()->fetch({"us-east-1", "s3", "ListBuckets", "", ""});
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "UnsupportedCall");
  }
  EXPECT_TRUE(aws.requests.empty());
}

}  // namespace
}  // namespace trailwatch::aws
