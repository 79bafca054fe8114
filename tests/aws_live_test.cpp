// Against an AWS-compatible server, driven by tests/e2e/test_aws_client.py (which starts moto, populates it
// and sets the variables below). Skipped when TRAILWATCH_TEST_ENDPOINT is unset, so the unit suite needs no
// network.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>

#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

class AwsLive : public ::testing::Test {
 protected:
  void SetUp() override {
    if (env("TRAILWATCH_TEST_ENDPOINT").empty()) GTEST_SKIP() << "TRAILWATCH_TEST_ENDPOINT is not set";
    config_.endpoint_url = env("TRAILWATCH_TEST_ENDPOINT");
    config_.max_attempts = 2;
    source_ = make_live_source(config_);
  }

  simdjson::dom::element fetch(const ApiCall& call) {
    bodies_.push_back(source_->fetch(call));
    simdjson::dom::element doc;
    EXPECT_EQ(parser_.parse(bodies_.back()).get(doc), simdjson::SUCCESS) << bodies_.back();
    return doc;
  }

  ClientConfig config_;
  std::unique_ptr<ApiSource> source_;
  std::vector<std::string> bodies_;
  simdjson::dom::parser parser_;
};

TEST_F(AwsLive, DescribeTrailsListsTheMultiRegionTrailInAnotherRegion) {
  simdjson::dom::array trails = fetch({"eu-west-1", "cloudtrail", "DescribeTrails", "", ""})["trailList"];
  bool found = false;
  for (simdjson::dom::element trail : trails) {
    std::string_view arn;
    if (trail["TrailARN"].get(arn) == simdjson::SUCCESS && arn == env("TRAILWATCH_TEST_TRAIL_ARN")) {
      found = true;
      EXPECT_EQ(std::string_view(trail["HomeRegion"]), "us-east-1");
      EXPECT_TRUE(bool(trail["IsMultiRegionTrail"]));
    }
  }
  EXPECT_TRUE(found) << bodies_.back();
}

TEST_F(AwsLive, TrailStatusAndEventSelectors) {
  std::string arn = env("TRAILWATCH_TEST_TRAIL_ARN");
  simdjson::dom::element status = fetch({"us-east-1", "cloudtrail", "GetTrailStatus", arn, "main"});
  EXPECT_TRUE(bool(status["IsLogging"]));
  simdjson::dom::element selectors = fetch({"us-east-1", "cloudtrail", "GetEventSelectors", arn, "main"});
  EXPECT_EQ(std::string_view(selectors["TrailARN"]), arn);
}

TEST_F(AwsLive, MissingTrailIsAnApiError) {
  try {
    source_->fetch({"us-east-1", "cloudtrail", "GetTrailStatus",
                    "arn:aws:cloudtrail:us-east-1:123456789012:trail/absent-trail", "absent-trail"});
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "TrailNotFoundException") << e.what();
    EXPECT_FALSE(e.access_denied());
    EXPECT_TRUE(std::string_view(e.what()).starts_with("cloudtrail:GetTrailStatus failed: ")) << e.what();
  }
}

TEST_F(AwsLive, MetricFiltersOfTheRegion) {
  simdjson::dom::array filters =
      fetch({"us-east-1", "logs", "DescribeMetricFilters", "", ""})["metricFilters"];
  ASSERT_GE(filters.size(), 3u) << bodies_.back();
  simdjson::dom::element first = filters.at(0);
  EXPECT_FALSE(std::string_view(first["filterPattern"]).empty());
  EXPECT_EQ(std::string_view(first["metricTransformations"].at(0)["metricNamespace"]), "CloudTrailMetrics");
}

TEST_F(AwsLive, AlarmsAreTypedAsTheCliPrintsThem) {
  simdjson::dom::array alarms = fetch({"us-east-1", "cloudwatch", "DescribeAlarms", "", ""})["MetricAlarms"];
  ASSERT_GE(alarms.size(), 1u) << bodies_.back();
  simdjson::dom::element alarm = alarms.at(0);
  EXPECT_EQ(std::string_view(alarm["AlarmName"]), "CMKEventCount-alarm");
  EXPECT_EQ(int64_t(alarm["Period"]), 300);
  EXPECT_EQ(int64_t(alarm["EvaluationPeriods"]), 1);
  EXPECT_EQ(double(alarm["Threshold"]), 1.0);
  EXPECT_TRUE(bool(alarm["ActionsEnabled"]));
  EXPECT_EQ(std::string_view(alarm["AlarmActions"].at(0)), env("TRAILWATCH_TEST_TOPIC_ARN"));
  EXPECT_EQ(std::string_view(alarm["Namespace"]), "CloudTrailMetrics");
}

TEST_F(AwsLive, SubscriptionsOfTheTopic) {
  std::string topic = env("TRAILWATCH_TEST_TOPIC_ARN");
  simdjson::dom::array subs =
      fetch({"us-east-1", "sns", "ListSubscriptionsByTopic", topic, "SecurityAlerts"})["Subscriptions"];
  ASSERT_EQ(subs.size(), 1u) << bodies_.back();
  EXPECT_EQ(std::string_view(subs.at(0)["TopicArn"]), topic);
  EXPECT_EQ(std::string_view(subs.at(0)["Protocol"]), "email");
  EXPECT_EQ(std::string_view(subs.at(0)["Endpoint"]), "secops@example.com");
}

TEST_F(AwsLive, RegionsAndIdentity) {
  simdjson::dom::array regions = fetch({"us-east-1", "ec2", "DescribeRegions", "", ""})["Regions"];
  ASSERT_GE(regions.size(), 10u) << bodies_.back();
  bool us_east_1 = false;
  for (simdjson::dom::element region : regions)
    us_east_1 |= std::string_view(region["RegionName"]) == "us-east-1";
  EXPECT_TRUE(us_east_1);
  simdjson::dom::element identity = fetch({"us-east-1", "sts", "GetCallerIdentity", "", ""});
  EXPECT_EQ(std::string_view(identity["Account"]), "123456789012");
}

TEST_F(AwsLive, ProfileWithRoleArnAssumesTheRole) {
  if (env("TRAILWATCH_TEST_ROLE_PROFILE").empty()) GTEST_SKIP() << "TRAILWATCH_TEST_ROLE_PROFILE is not set";
  ClientConfig config = config_;
  config.profile = env("TRAILWATCH_TEST_ROLE_PROFILE");
  std::string body = make_live_source(config)->fetch({"us-east-1", "sts", "GetCallerIdentity", "", ""});
  EXPECT_NE(body.find("assumed-role/auditor/"), std::string::npos) << body;
}

}  // namespace
}  // namespace trailwatch::aws
