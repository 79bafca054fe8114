#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>

#include "aws/aws_errors.hpp"
#include "aws/aws_json.hpp"
#include "aws/aws_sts.hpp"
#include "aws/xml_to_json.hpp"
#include "testdata_file.hpp"

namespace trailwatch::aws {
namespace {

std::string body(const std::string& name) {
  return testing_support::read_testdata(std::filesystem::path("aws") / name);
}

// Parsed with a fresh parser so that the document outlives the call.
struct Json {
  explicit Json(const std::string& text) : text_(text) {
    EXPECT_EQ(parser_.parse(text_).get(root), simdjson::SUCCESS) << text_;
  }
  simdjson::dom::element root;

 private:
  std::string text_;
  simdjson::dom::parser parser_;
};

TEST(AwsXml, DescribeAlarmsBecomesTheCliJson) {
  std::string json = query_xml_to_json(body("cloudwatch.DescribeAlarms.page1.xml"), "DescribeAlarms");
  Json doc(json);
  simdjson::dom::element alarm = doc.root["MetricAlarms"].at(0);
  EXPECT_EQ(std::string_view(alarm["AlarmName"]), "CMKEventCount-alarm");
  EXPECT_EQ(std::string_view(alarm["AlarmDescription"]),
            "KMS key disabled or scheduled for deletion & \"quoted\"");
  EXPECT_TRUE(bool(alarm["ActionsEnabled"]));
  EXPECT_EQ(int64_t(alarm["Period"]), 300);
  EXPECT_EQ(int64_t(alarm["EvaluationPeriods"]), 1);
  EXPECT_EQ(int64_t(alarm["DatapointsToAlarm"]), 1);
  EXPECT_EQ(double(alarm["Threshold"]), 1.0);
  EXPECT_EQ(std::string_view(alarm["AlarmActions"].at(0)),
            "arn:aws:sns:us-east-1:111122223333:SecurityAlerts");
  EXPECT_EQ(simdjson::dom::array(alarm["OKActions"]).size(), 0u);
  EXPECT_EQ(simdjson::dom::array(alarm["Dimensions"]).size(), 0u);
  EXPECT_EQ(std::string_view(alarm["StateUpdatedTimestamp"]), "2024-03-01T10:05:00.000Z");
  EXPECT_EQ(std::string_view(doc.root["NextToken"]), "token-page-2");
  EXPECT_TRUE(doc.root["CompositeAlarms"].is_array());
  EXPECT_EQ(json.find("ResponseMetadata"), std::string::npos);
}

TEST(AwsXml, DimensionValuesStayStrings) {
  Json doc(query_xml_to_json(body("cloudwatch.DescribeAlarms.page2.xml"), "DescribeAlarms"));
  simdjson::dom::element alarm = doc.root["MetricAlarms"].at(0);
  EXPECT_EQ(std::string_view(alarm["Dimensions"].at(0)["Name"]), "keyId");
  EXPECT_EQ(std::string_view(alarm["Dimensions"].at(0)["Value"]), "0123");
  EXPECT_FALSE(bool(alarm["ActionsEnabled"]));
  EXPECT_EQ(double(alarm["Threshold"]), 2.5);
  EXPECT_EQ(simdjson::dom::array(alarm["AlarmActions"]).size(), 2u);
}

TEST(AwsXml, PagesMergeIntoOneBody) {
  std::vector<std::string> pages = {
      query_xml_to_json(body("cloudwatch.DescribeAlarms.page1.xml"), "DescribeAlarms"),
      query_xml_to_json(body("cloudwatch.DescribeAlarms.page2.xml"), "DescribeAlarms")};
  EXPECT_EQ(json_string_member(pages[0], "NextToken"), "token-page-2");
  EXPECT_EQ(json_string_member(pages[1], "NextToken"), std::nullopt);
  std::string merged = merge_json_pages(pages, "NextToken");
  Json doc(merged);
  simdjson::dom::array alarms = doc.root["MetricAlarms"];
  ASSERT_EQ(alarms.size(), 2u);
  EXPECT_EQ(std::string_view(alarms.at(1)["AlarmName"]), "per-key-alarm");
  EXPECT_EQ(merged.find("NextToken"), std::string::npos);
  EXPECT_EQ(simdjson::dom::array(doc.root["CompositeAlarms"]).size(), 0u);
}

TEST(AwsXml, JsonPagesMergeWithEscapesIntact) {
  std::string merged = merge_json_pages(
      {body("logs.DescribeMetricFilters.page1.json"), body("logs.DescribeMetricFilters.page2.json")},
      "nextToken");
  Json doc(merged);
  simdjson::dom::array filters = doc.root["metricFilters"];
  ASSERT_EQ(filters.size(), 2u);
  EXPECT_EQ(std::string_view(filters.at(1)["filterName"]), "Unicode \xc3\xa9 \"quoted\"");
  EXPECT_EQ(int64_t(filters.at(0)["creationTime"]), 1709287200123);
  EXPECT_EQ(merged.find("nextToken"), std::string::npos);
}

TEST(AwsXml, PendingConfirmationSubscriptionIsKeptAsIs) {
  Json doc(query_xml_to_json(body("sns.ListSubscriptionsByTopic.xml"), "ListSubscriptionsByTopic"));
  simdjson::dom::array subs = doc.root["Subscriptions"];
  ASSERT_EQ(subs.size(), 2u);
  EXPECT_EQ(std::string_view(subs.at(0)["SubscriptionArn"]), "PendingConfirmation");
  EXPECT_EQ(std::string_view(subs.at(0)["Protocol"]), "email");
  EXPECT_EQ(std::string_view(subs.at(0)["Owner"]), "111122223333");
  EXPECT_EQ(std::string_view(subs.at(0)["Endpoint"]), "secops@example.com");
  EXPECT_EQ(std::string_view(subs.at(1)["TopicArn"]), "arn:aws:sns:us-east-1:111122223333:SecurityAlerts");
  EXPECT_TRUE(std::string_view(subs.at(1)["SubscriptionArn"]).starts_with("arn:aws:sns:"));
}

TEST(AwsXml, EmptySubscriptionListIsAnArray) {
  Json doc(
      query_xml_to_json("<ListSubscriptionsByTopicResponse><ListSubscriptionsByTopicResult><Subscriptions/>"
                        "</ListSubscriptionsByTopicResult></ListSubscriptionsByTopicResponse>",
                        "ListSubscriptionsByTopic"));
  EXPECT_EQ(simdjson::dom::array(doc.root["Subscriptions"]).size(), 0u);
}

TEST(AwsXml, DescribeRegionsUsesTheCliNames) {
  std::string json = ec2_xml_to_json(body("ec2.DescribeRegions.xml"));
  Json doc(json);
  simdjson::dom::array regions = doc.root["Regions"];
  ASSERT_EQ(regions.size(), 3u);
  EXPECT_EQ(std::string_view(regions.at(1)["RegionName"]), "af-south-1");
  EXPECT_EQ(std::string_view(regions.at(1)["Endpoint"]), "ec2.af-south-1.amazonaws.com");
  EXPECT_EQ(std::string_view(regions.at(1)["OptInStatus"]), "not-opted-in");
  EXPECT_EQ(json.find("requestId"), std::string::npos);
  EXPECT_EQ(json.find("RequestId"), std::string::npos);
}

TEST(AwsXml, GetCallerIdentity) {
  Json doc(query_xml_to_json(body("sts.GetCallerIdentity.xml"), "GetCallerIdentity"));
  EXPECT_EQ(std::string_view(doc.root["Account"]), "111122223333");
  EXPECT_EQ(std::string_view(doc.root["UserId"]), "AIDACKCEVSQ6C2EXAMPLE");
  EXPECT_EQ(std::string_view(doc.root["Arn"]), "arn:aws:iam::111122223333:user/auditor");
}

TEST(AwsXml, AssumeRoleCredentials) {
  Credentials c = parse_assume_role_response(body("sts.AssumeRole.xml"));
  EXPECT_EQ(c.access_key_id, "ASIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(c.secret_access_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
  EXPECT_EQ(c.session_token, "IQoJb3JpZ2luX2VjEXAMPLETOKEN");
  EXPECT_THROW(parse_assume_role_response("<AssumeRoleResponse/>"), ApiError);
}

TEST(AwsXml, BrokenXmlIsAnInvalidResponse) {
  try {
    query_xml_to_json("<DescribeAlarmsResponse><oops>", "DescribeAlarms");
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "InvalidResponse");
  }
}

TEST(AwsXml, JsonNumbersAreRecognisedStrictly) {
  for (const char* yes : {"0", "1", "-1", "1.0", "2.5e3", "1E-2", "300"})
    EXPECT_TRUE(is_json_number(yes)) << yes;
  for (const char* no : {"", "+1", ".5", "1.", "01", "NaN", "Infinity", "1e", "0x1"}) {
    EXPECT_FALSE(is_json_number(no)) << no;
  }
}

TEST(AwsJson, QuotesControlCharactersAndKeepsUtf8) {
  EXPECT_EQ(json_quote("a\"b\\c\n\x01\xc3\xa9"), "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"");
}

TEST(AwsErrors, XmlAccessDeniedNamesTheAction) {
  ApiError e = parse_xml_error(403, body("error.AccessDenied.xml"), "cloudwatch:DescribeAlarms");
  EXPECT_EQ(e.code(), "AccessDenied");
  EXPECT_TRUE(e.access_denied());
  EXPECT_EQ(e.http_status(), 403);
  EXPECT_TRUE(std::string_view(e.what()).starts_with("cloudwatch:DescribeAlarms denied: User: arn:aws:iam::"))
      << e.what();
}

TEST(AwsErrors, JsonAccessDeniedDropsTheTypePrefix) {
  ApiError e = parse_json_error(400, body("error.AccessDeniedException.json"), "cloudtrail:DescribeTrails");
  EXPECT_EQ(e.code(), "AccessDeniedException");
  EXPECT_TRUE(e.access_denied());
  EXPECT_TRUE(std::string_view(e.what()).starts_with("cloudtrail:DescribeTrails denied: ")) << e.what();
}

TEST(AwsErrors, Ec2ErrorsAreNested) {
  ApiError e = parse_xml_error(403, body("error.ec2.xml"), "ec2:DescribeRegions");
  EXPECT_EQ(e.code(), "UnauthorizedOperation");
  EXPECT_TRUE(e.access_denied());
}

TEST(AwsErrors, ThrottlingAndServerErrorsAreRetryable) {
  ApiError throttled = parse_xml_error(400, body("error.Throttling.xml"), "cloudwatch:DescribeAlarms");
  EXPECT_EQ(throttled.code(), "Throttling");
  EXPECT_TRUE(is_retryable(throttled));
  EXPECT_NE(std::string_view(throttled.what()).find("Rate exceeded"), std::string_view::npos);
  EXPECT_TRUE(is_retryable(parse_json_error(400, R"({"__type":"ThrottlingException"})", "logs:X")));
  EXPECT_TRUE(is_retryable(parse_json_error(503, "<html>Service Unavailable</html>", "logs:X")));
  EXPECT_TRUE(is_retryable(ApiError("NetworkError", 0, "timeout")));
  EXPECT_FALSE(
      is_retryable(parse_json_error(400, R"({"__type":"TrailNotFoundException","message":"x"})", "c:X")));
  EXPECT_FALSE(
      is_retryable(parse_xml_error(403, body("error.AccessDenied.xml"), "cloudwatch:DescribeAlarms")));
}

TEST(AwsErrors, UnparseableBodiesStillGiveACodeAndTheStatus) {
  ApiError e = parse_json_error(502, "Bad Gateway\nmore", "logs:DescribeMetricFilters");
  EXPECT_EQ(e.code(), "ServiceUnavailable");
  EXPECT_EQ(std::string(e.what()),
            "logs:DescribeMetricFilters failed: ServiceUnavailable (HTTP 502): Bad Gateway");
}

}  // namespace
}  // namespace trailwatch::aws
