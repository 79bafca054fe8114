#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "audit/audit_alarm_check.hpp"
#include "audit/audit_bodies.hpp"
#include "audit/export_path.hpp"
#include "audit/probe_judge.hpp"
#include "trailwatch/audit.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::audit {
namespace {

TEST(AuditBodies, ArnParts) {
  auto arn = parse_arn("arn:aws:logs:eu-west-1:111122223333:log-group:CloudTrail/x:*");
  ASSERT_TRUE(arn);
  EXPECT_EQ(arn->service, "logs");
  EXPECT_EQ(arn->region, "eu-west-1");
  EXPECT_EQ(arn->account, "111122223333");
  EXPECT_EQ(arn->resource, "log-group:CloudTrail/x:*");
  EXPECT_FALSE(parse_arn("PendingConfirmation"));
  EXPECT_FALSE(parse_arn("arn:aws:sns"));
}

TEST(AuditBodies, TrailStatusTimestampsAsNumbersOrText) {
  EXPECT_EQ(parse_trail_status(R"({"IsLogging":true,"LatestCloudWatchLogsDeliveryTime":1709294310.5})")
                .latest_logs_delivery,
            1709294310);
  EXPECT_EQ(parse_trail_status(
                R"({"IsLogging":true,"LatestCloudWatchLogsDeliveryTime":"2024-03-01T11:58:30.512000+00:00"})")
                .latest_logs_delivery,
            1709294310);
  TrailStatus s = parse_trail_status(R"({"IsLogging":false})");
  EXPECT_FALSE(s.is_logging);
  EXPECT_FALSE(s.latest_logs_delivery);
  EXPECT_THROW(parse_trail_status(R"({"IsLogging":"yes"})"), std::runtime_error);
  EXPECT_THROW(parse_trail_status("[]"), std::runtime_error);
}

TEST(AuditBodies, TrailsTakeTheHomeRegionFromTheArnWhenAbsent) {
  auto trails =
      parse_trails(R"({"trailList":[{"Name":"t","TrailARN":"arn:aws:cloudtrail:eu-west-1:1:trail/t"}]})");
  ASSERT_EQ(trails.size(), 1u);
  EXPECT_EQ(trails[0].home_region, "eu-west-1");
  EXPECT_FALSE(trails[0].multi_region);
  EXPECT_TRUE(parse_trails(R"({"trailList":[]})").empty());
}

TEST(AuditBodies, BasicSelectors) {
  auto covered = [](const char* json) { return parse_event_selectors(json).covered; };
  EXPECT_TRUE(covered(R"({"TrailARN":"x"})"));  // neither kind: the default, all management events
  EXPECT_TRUE(
      covered(R"({"EventSelectors":[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true}]})"));
  EXPECT_FALSE(
      covered(R"({"EventSelectors":[{"ReadWriteType":"ReadOnly","IncludeManagementEvents":true}]})"));
  EXPECT_FALSE(covered(R"({"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":false,
                           "DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}]}]})"));
  SelectorCoverage kms = parse_event_selectors(
      R"({"EventSelectors":[{"ReadWriteType":"All","ExcludeManagementEventSources":["kms.amazonaws.com"]}]})");
  EXPECT_FALSE(kms.covered);
  EXPECT_NE(kms.description.find("kms.amazonaws.com"), std::string::npos);
  EXPECT_TRUE(covered(
      R"({"EventSelectors":[{"ReadWriteType":"All","ExcludeManagementEventSources":["rdsdata.amazonaws.com"]}]})"));
}

TEST(AuditBodies, AdvancedSelectors) {
  auto covered = [](const std::string& fields) {
    return parse_event_selectors(R"({"AdvancedEventSelectors":[{"Name":"m","FieldSelectors":[)" + fields +
                                 "]}]}")
        .covered;
  };
  EXPECT_TRUE(covered(R"({"Field":"eventCategory","Equals":["Management"]})"));
  EXPECT_TRUE(covered(
      R"({"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["false"]})"));
  EXPECT_FALSE(
      covered(R"({"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["true"]})"));
  EXPECT_FALSE(covered(
      R"({"Field":"eventCategory","Equals":["Management"]},{"Field":"eventSource","NotEquals":["kms.amazonaws.com"]})"));
  EXPECT_TRUE(covered(
      R"({"Field":"eventCategory","Equals":["Management"]},{"Field":"eventSource","NotEquals":["rdsdata.amazonaws.com"]})"));
  EXPECT_FALSE(covered(
      R"({"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]})"));
  EXPECT_FALSE(covered(R"({"Field":"readOnly","Equals":["false"]})"));  // no eventCategory: not management
}

TEST(AuditBodies, SubscriptionsAreConfirmedWhenTheyAreArns) {
  auto subs = parse_subscriptions(R"({"Subscriptions":[
      {"SubscriptionArn":"PendingConfirmation","Protocol":"email"},
      {"SubscriptionArn":"Deleted","Protocol":"email"},
      {"SubscriptionArn":"arn:aws:sns:us-east-1:1:t:5c1f","Protocol":"sqs"}]})");
  ASSERT_EQ(subs.size(), 3u);
  EXPECT_FALSE(subs[0].confirmed());
  EXPECT_FALSE(subs[1].confirmed());
  EXPECT_TRUE(subs[2].confirmed());
}

TEST(AuditBodies, RegionsAndCaller) {
  auto regions = parse_regions(R"({"Regions":[{"RegionName":"a","OptInStatus":"not-opted-in"},
                                              {"RegionName":"b","OptInStatus":"opted-in"},{"RegionName":"c"}]})");
  ASSERT_EQ(regions.size(), 3u);
  EXPECT_FALSE(regions[0].enabled());
  EXPECT_TRUE(regions[1].enabled());
  EXPECT_TRUE(regions[2].enabled());
  EXPECT_EQ(parse_caller_account(R"({"UserId":"x","Account":"111122223333","Arn":"arn"})"), "111122223333");
  EXPECT_THROW(parse_caller_account("{}"), std::runtime_error);
}

TEST(AuditBodies, AlarmsKeepActionsAndMathMetrics) {
  auto alarms = parse_alarms(R"({"MetricAlarms":[
    {"AlarmName":"a","AlarmArn":"arn:a","ActionsEnabled":false,"AlarmActions":["arn:aws:sns:us-east-1:1:t"],
     "MetricName":"M","Namespace":"N","Statistic":"Sum","Period":300,"EvaluationPeriods":1,"Threshold":1,
     "ComparisonOperator":"GreaterThanOrEqualToThreshold"},
    {"AlarmName":"m","AlarmArn":"arn:m","EvaluationPeriods":1,"Threshold":1,
     "ComparisonOperator":"GreaterThanOrEqualToThreshold",
     "Metrics":[{"Id":"e","Expression":"m1*2"},{"Id":"m1","MetricStat":{"Metric":{"Namespace":"N","MetricName":"M"},
                 "Period":300,"Stat":"Sum"},"ReturnData":false}]}]})");
  ASSERT_EQ(alarms.size(), 2u);
  EXPECT_FALSE(alarms[0].actions_enabled);
  EXPECT_EQ(alarms[0].alarm_actions.size(), 1u);
  EXPECT_TRUE(alarms[0].config.unreplayable.empty());
  EXPECT_FALSE(alarms[1].config.unreplayable.empty());
  ASSERT_EQ(alarms[1].math_metrics.size(), 1u);
  EXPECT_EQ(alarms[1].math_metrics[0].second, "M");
  EXPECT_TRUE(parse_alarms(R"({"MetricAlarms":[],"CompositeAlarms":[]})").empty());
}

AlarmDefinition alarm_with(const std::string& fields) {
  return parse_alarms(R"({"MetricAlarms":[{"AlarmName":"a","MetricName":"CMKEventCount",)"
                      R"("Namespace":"CloudTrailMetrics","Period":300,)" +
                      fields + "}]}")
      .front();
}

FireCheck fire(const std::string& alarm_fields, const std::string& value = "1",
               std::optional<double> default_value = std::nullopt) {
  // Built in one go: g++ 12 warns falsely (-Wrestrict) on assigning a short literal to a member afterwards.
  ConfiguredFilter f{std::string("f"), std::string(), std::string(default_rule().pattern), {}, std::nullopt};
  f.metric.name = "CMKEventCount";
  f.metric.value = value;
  f.metric.default_value = default_value;
  return can_fire_on_one_event(alarm_with(alarm_fields), f, judge_filter(f));
}

TEST(AuditAlarmFires, StatisticOperatorThresholdAndMofN) {
  const std::string ge1 =
      R"("Threshold":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold","EvaluationPeriods":1)";
  EXPECT_TRUE(fire(R"("Statistic":"Sum",)" + ge1).fires);
  EXPECT_TRUE(fire(R"("Statistic":"Maximum",)" + ge1).fires);
  EXPECT_TRUE(fire(R"("Statistic":"Minimum",)" + ge1).fires);
  EXPECT_TRUE(fire(R"("Statistic":"Average",)" + ge1).fires);
  EXPECT_TRUE(fire(R"("Statistic":"SampleCount",)" + ge1, "0").fires);  // one sample, whatever its value
  EXPECT_FALSE(fire(R"("Statistic":"Sum",)" + ge1, "0").fires);
  EXPECT_TRUE(fire(R"("Statistic":"Sum","Threshold":0,"ComparisonOperator":"GreaterThanThreshold",)"
                   R"("EvaluationPeriods":1)")
                  .fires);
  EXPECT_FALSE(fire(R"("Statistic":"Sum","Threshold":1,"ComparisonOperator":"GreaterThanThreshold",)"
                    R"("EvaluationPeriods":1)")
                   .fires);
  EXPECT_FALSE(fire(R"("Statistic":"Sum","Threshold":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold",)"
                    R"("EvaluationPeriods":3,"DatapointsToAlarm":2,"TreatMissingData":"notBreaching")")
                   .fires);
  FireCheck always = fire(R"("Statistic":"Sum","Threshold":1,"ComparisonOperator":"LessThanThreshold",)"
                          R"("EvaluationPeriods":1,"TreatMissingData":"breaching")");
  EXPECT_FALSE(always.fires);
  EXPECT_NE(always.reason.find("without any event"), std::string::npos) << always.reason;
  // With a defaultValue, other events in the period pull the Average down.
  EXPECT_FALSE(fire(R"("Statistic":"Average",)" + ge1, "1", 0.0).fires);
  EXPECT_TRUE(fire(R"("Statistic":"Sum",)" + ge1, "1", 0.0).fires);
  FireCheck p90 = fire(R"("ExtendedStatistic":"p90",)" + ge1);
  EXPECT_FALSE(p90.fires);
  EXPECT_NE(p90.reason.find("not judged"), std::string::npos);
}

// The alarm must fire however many matching events share a period: an attacker picks how many keys to
// disable at once. A LessThan alarm that breaches on one event does not on two.
TEST(AuditAlarmFires, MoreMatchingEventsInAPeriodMustStillFire) {
  FireCheck lt2 = fire(R"("Statistic":"Sum","Threshold":2,"ComparisonOperator":"LessThanThreshold",)"
                       R"("EvaluationPeriods":1)");
  EXPECT_FALSE(lt2.fires);
  EXPECT_NE(lt2.reason.find("2 matching events in one period give Sum 2"), std::string::npos) << lt2.reason;
  EXPECT_FALSE(fire(R"("Statistic":"Sum","Threshold":1,"ComparisonOperator":"LessThanOrEqualToThreshold",)"
                    R"("EvaluationPeriods":1)")
                   .fires);
  EXPECT_FALSE(fire(R"("Statistic":"SampleCount","Threshold":5,"ComparisonOperator":"LessThanThreshold",)"
                    R"("EvaluationPeriods":1)")
                   .fires);
  // A negative value with LessThan does fire on any number of events (and nothing without one).
  EXPECT_TRUE(fire(R"("Statistic":"Sum","Threshold":0,"ComparisonOperator":"LessThanThreshold",)"
                   R"("EvaluationPeriods":1)",
                   "-1")
                  .fires);
  EXPECT_TRUE(
      fire(R"("Statistic":"Maximum","Threshold":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold",)"
           R"("EvaluationPeriods":1)")
          .fires);
}

// With a defaultValue, every other event of the (never quiet) log group publishes a sample.
TEST(AuditAlarmFires, DefaultValueInABusyLogGroup) {
  const std::string ge =
      R"("ComparisonOperator":"GreaterThanOrEqualToThreshold","EvaluationPeriods":1,"Threshold":)";
  // Average 0.5 with one other event, but far below with many.
  FireCheck avg = fire(R"("Statistic":"Average",)" + ge + "0.5", "1", 0.0);
  EXPECT_FALSE(avg.fires);
  EXPECT_NE(avg.reason.find("among 1000000 others"), std::string::npos) << avg.reason;
  EXPECT_FALSE(fire(R"("Statistic":"Minimum",)" + ge + "1", "1", 0.0).fires);
  EXPECT_TRUE(fire(R"("Statistic":"Maximum",)" + ge + "1", "1", 0.0).fires);
  EXPECT_TRUE(fire(R"("Statistic":"Sum",)" + ge + "1", "1", 0.0).fires);
  // Breaching on the other events' default samples alone: always in ALARM, a DisableKey notifies nobody.
  FireCheck always = fire(R"("Statistic":"Sum",)" + ge + "1", "1", 1.0);
  EXPECT_FALSE(always.fires);
  EXPECT_NE(always.reason.find("whenever the log group receives events"), std::string::npos) << always.reason;
  EXPECT_FALSE(fire(R"("Statistic":"SampleCount",)" + ge + "1", "1", 0.0).fires);
  EXPECT_FALSE(fire(R"("Statistic":"Sum",)" + ge + "1", "1", 0.001).fires);  // 1000000 others sum to 1000
}

// An alarm that names a unit sees only datapoints published with it; a filter without a unit publishes None.
TEST(AuditAlarmFires, UnitMustBeWhatTheFilterPublishes) {
  const std::string ge1 =
      R"("Statistic":"Sum","Threshold":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold",)"
      R"("EvaluationPeriods":1)";
  EXPECT_EQ(alarm_with(ge1 + R"(,"Unit":"Count")").unit, "Count");
  FireCheck count = fire(ge1 + R"(,"Unit":"Count")");
  EXPECT_FALSE(count.fires);
  EXPECT_NE(count.reason.find("unit Count, but the filter publishes unit None"), std::string::npos)
      << count.reason;
  EXPECT_TRUE(fire(ge1 + R"(,"Unit":"None")").fires);

  // Built in one go: g++ 12 warns falsely (-Wrestrict) on assigning a short literal to a member afterwards.
  ConfiguredFilter f{std::string("f"), std::string(), std::string(default_rule().pattern), {}, std::nullopt};
  f.metric.name = "CMKEventCount";
  f.metric.unit = "Count";
  EXPECT_TRUE(can_fire_on_one_event(alarm_with(ge1 + R"(,"Unit":"Count")"), f, judge_filter(f)).fires);
  EXPECT_TRUE(can_fire_on_one_event(alarm_with(ge1), f, judge_filter(f)).fires);
}

// When the judge could not run the filter's own transformation it used the value 1: not proof of anything.
TEST(AuditAlarmFires, UnevaluatedTransformationDoesNotFire) {
  // Built in one go: g++ 12 warns falsely (-Wrestrict) on assigning a short literal to a member afterwards.
  ConfiguredFilter f{std::string("f"), std::string(), std::string(default_rule().pattern), {}, std::nullopt};
  f.metric.name = "CMKEventCount";
  f.metric.value = "lots";  // neither a number nor a reference
  FilterJudgement j = judge_filter(f);
  ASSERT_FALSE(j.error.empty());
  FireCheck c = can_fire_on_one_event(
      alarm_with(R"("Statistic":"Sum","Threshold":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold",)"
                 R"("EvaluationPeriods":1)"),
      f, j);
  EXPECT_FALSE(c.fires);
  EXPECT_NE(c.reason.find("could not be evaluated"), std::string::npos) << c.reason;
}

TEST(AuditDirSource, SavedBodiesReadBackUnderTheDocumentedNames) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() /
                 ("tw-audit-save-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::remove_all(dir);
  class Fixed : public aws::ApiSource {
   public:
    std::string fetch(const aws::ApiCall& call) override { return "{\"op\":\"" + call.operation + "\"}"; }
  } live;
  SaveDirSource save(live, dir.string());
  aws::ApiCall status{"us-east-1", "cloudtrail", "GetTrailStatus",
                      "arn:aws:cloudtrail:us-east-1:1:trail/main", "main"};
  aws::ApiCall trails{"eu-west-1", "cloudtrail", "DescribeTrails", "", ""};
  EXPECT_EQ(save.fetch(status), "{\"op\":\"GetTrailStatus\"}");
  save.fetch(trails);
  EXPECT_TRUE(fs::is_regular_file(dir / "us-east-1" / "cloudtrail.GetTrailStatus.main.json"));
  EXPECT_TRUE(fs::is_regular_file(dir / "eu-west-1" / "cloudtrail.DescribeTrails.json"));
  EXPECT_EQ(export_path(dir.string(), status),
            (dir / "us-east-1" / "cloudtrail.GetTrailStatus.main.json").string());

  FromDirSource from(dir.string());
  EXPECT_EQ(from.fetch(status), "{\"op\":\"GetTrailStatus\"}\n");
  EXPECT_EQ(exported_regions(dir.string()), std::vector<std::string>{"eu-west-1"});
  try {
    from.fetch(aws::ApiCall{"us-east-1", "logs", "DescribeMetricFilters", "", ""});
    ADD_FAILURE() << "no error for a missing file";
  } catch (const aws::ApiError& e) {
    EXPECT_EQ(e.code(), "NotInExport");
    EXPECT_NE(std::string(e.what()).find("logs.DescribeMetricFilters.json"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

// A missing file says which file, why in that region's folder, and the AWS CLI line that writes it there.
TEST(AuditDirSource, AMissingFileSaysWhichAwsLineWritesIt) {
  const std::string dir = "export";
  const aws::ApiCall filters{"eu-west-1", "logs", "DescribeMetricFilters", "", ""};
  FromDirSource from("export-that-does-not-exist");
  try {
    from.fetch(filters);
    ADD_FAILURE() << "no error for a missing file";
  } catch (const aws::ApiError& e) {
    EXPECT_EQ(std::string(e.what()),
              "the export has no export-that-does-not-exist/eu-west-1/logs.DescribeMetricFilters.json (logs "
              "DescribeMetricFilters in eu-west-1; metric filters are read from the log group's region, "
              "eu-west-1); add it with: aws logs describe-metric-filters --region eu-west-1 --output json > "
              "export-that-does-not-exist/eu-west-1/logs.DescribeMetricFilters.json");
  }
  EXPECT_EQ(export_command(dir, {"eu-west-1", "cloudwatch", "DescribeAlarms", "", ""}),
            "aws cloudwatch describe-alarms --region eu-west-1 --output json > "
            "export/eu-west-1/cloudwatch.DescribeAlarms.json");
  EXPECT_EQ(export_command(dir, {"us-east-1", "cloudtrail", "GetTrailStatus",
                                 "arn:aws:cloudtrail:us-east-1:111122223333:trail/main", "main"}),
            "aws cloudtrail get-trail-status --name arn:aws:cloudtrail:us-east-1:111122223333:trail/main "
            "--region us-east-1 --output json > export/us-east-1/cloudtrail.GetTrailStatus.main.json");
  EXPECT_EQ(
      export_command(dir, {"us-east-1", "cloudtrail", "GetEventSelectors",
                           "arn:aws:cloudtrail:us-east-1:111122223333:trail/main", "main"}),
      "aws cloudtrail get-event-selectors --trail-name arn:aws:cloudtrail:us-east-1:111122223333:trail/main "
      "--region us-east-1 --output json > export/us-east-1/cloudtrail.GetEventSelectors.main.json");
  EXPECT_EQ(
      export_command(dir, {"eu-west-1", "sns", "ListSubscriptionsByTopic",
                           "arn:aws:sns:eu-west-1:111122223333:cis-alarms", "cis-alarms"}),
      "aws sns list-subscriptions-by-topic --topic-arn arn:aws:sns:eu-west-1:111122223333:cis-alarms "
      "--region eu-west-1 --output json > export/eu-west-1/sns.ListSubscriptionsByTopic.cis-alarms.json");
  EXPECT_EQ(export_command(dir, {"us-east-1", "ec2", "DescribeRegions", "", ""}),
            "aws ec2 describe-regions --all-regions --region us-east-1 --output json > "
            "export/us-east-1/ec2.DescribeRegions.json");
  EXPECT_EQ(export_command("my export", {"us-east-1", "sts", "GetCallerIdentity", "", ""}),
            "aws sts get-caller-identity --region us-east-1 --output json > "
            "'my export/us-east-1/sts.GetCallerIdentity.json'");
  EXPECT_EQ(export_region_reason({"us-east-1", "sts", "GetCallerIdentity", "", ""}), "");
  EXPECT_EQ(export_region_reason({"ap-south-1", "sns", "ListSubscriptionsByTopic", "a", "t"}),
            "a topic is read from its own region, ap-south-1");
}

}  // namespace
}  // namespace trailwatch::audit
