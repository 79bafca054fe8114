// Tests of `audit --format ocsf` (docs/ocsf.md): one OCSF 1.5.0 Detection Finding per region and rule,
// sorted by region then rule, the verdict in status_code, the run's clock in every time, resources from the
// findings' ARNs. The schema's required attributes are checked end to end by tests/e2e/test_audit_ocsf.py.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>
#include <string>
#include <string_view>

#include "trailwatch/audit.hpp"

namespace trailwatch::audit {
namespace {

constexpr std::int64_t kNowMs = 1764870647123;  // 2025-12-04T17:50:47.123Z

std::string ocsf(const AuditReport& report) {
  std::ostringstream out;
  write_audit_ocsf(out, report, OcsfRun{kNowMs, "9.9.9"});
  return out.str();
}

std::string_view str(simdjson::dom::element e) {
  return std::string_view(e);
}

AuditReport two_regions_two_rules() {
  RegionAudit kms_east{"us-east-1",
                       RegionStatus::Fail,
                       {Finding{"trail",
                                CheckStatus::Pass,
                                "trail main is logging",
                                {"arn:aws:cloudtrail:us-east-1:123456789012:trail/main"}},
                        Finding{"metric-filter",
                                CheckStatus::Fail,
                                "log group CT (us-east-1) has no metric filter",
                                {"arn:aws:logs:us-east-1:123456789012:log-group:CT:*"}}},
                       {"aws logs put-metric-filter --region us-east-1 ..."},
                       "kms-cmk-disable-or-delete"};
  RegionAudit root_east{"us-east-1", RegionStatus::Pass, {}, {}, "root-account-usage"};
  RegionAudit kms_eu{"eu-west-1",
                     RegionStatus::Error,
                     {Finding{"trail", CheckStatus::Error, "AccessDenied: cloudtrail:DescribeTrails", {}}},
                     {},
                     "kms-cmk-disable-or-delete"};
  RegionAudit root_eu{"eu-west-1", RegionStatus::Skipped, {}, {}, "root-account-usage"};
  // The report lists regions per region, per rule, in the order asked: us-east-1 before eu-west-1.
  return AuditReport{"123456789012",
                     RegionStatus::Error,
                     {root_east, kms_east, root_eu, kms_eu},
                     {"root-account-usage", "kms-cmk-disable-or-delete"}};
}

TEST(AuditOcsf, OneDetectionFindingPerRegionAndRuleSortedByRegionThenRule) {
  const std::string text = ocsf(two_regions_two_rules());
  simdjson::dom::parser parser;
  simdjson::dom::array findings;
  ASSERT_EQ(parser.parse(text).get(findings), simdjson::SUCCESS) << text;
  ASSERT_EQ(findings.size(), 4u);
  std::vector<std::string> order;
  for (simdjson::dom::element f : findings) {
    order.push_back(std::string(str(f["cloud"]["region"])) + " " +
                    std::string(str(f["metadata"]["event_code"])));
    EXPECT_EQ(int64_t(f["class_uid"]), 2004);
    EXPECT_EQ(int64_t(f["category_uid"]), 2);
    EXPECT_EQ(int64_t(f["type_uid"]), 200401);
    EXPECT_EQ(int64_t(f["activity_id"]), 1);
    EXPECT_EQ(str(f["metadata"]["version"]), "1.5.0");
    EXPECT_EQ(str(f["metadata"]["product"]["version"]), "9.9.9");
    EXPECT_EQ(int64_t(f["status_id"]), 1);
    EXPECT_EQ(str(f["status"]), "New");
    EXPECT_EQ(int64_t(f["severity_id"]), 3);
    EXPECT_EQ(str(f["cloud"]["provider"]), "AWS");
    EXPECT_EQ(str(f["cloud"]["account"]["uid"]), "123456789012");
    // One run clock: every time is the injected one.
    EXPECT_EQ(int64_t(f["time"]), kNowMs);
    EXPECT_EQ(int64_t(f["finding_info"]["created_time"]), kNowMs);
    EXPECT_EQ(str(f["time_dt"]), "2025-12-04T17:50:47.123Z");
    EXPECT_EQ(str(f["finding_info"]["created_time_dt"]), "2025-12-04T17:50:47.123Z");
    EXPECT_EQ(str(f["finding_info"]["analytic"]["uid"]), str(f["metadata"]["event_code"]));
  }
  // Regions sorted by name; within a region, rules in the report's (the pack's) order.
  EXPECT_EQ(order, (std::vector<std::string>{
                       "eu-west-1 root-account-usage", "eu-west-1 kms-cmk-disable-or-delete",
                       "us-east-1 root-account-usage", "us-east-1 kms-cmk-disable-or-delete"}));
  EXPECT_EQ(str(findings.at(0)["status_code"]), "SKIPPED");
  EXPECT_EQ(str(findings.at(1)["status_code"]), "ERROR");
  EXPECT_EQ(str(findings.at(2)["status_code"]), "PASS");
  EXPECT_EQ(str(findings.at(3)["status_code"]), "FAIL");
  // Same input, same bytes.
  EXPECT_EQ(text, ocsf(two_regions_two_rules()));
}

TEST(AuditOcsf, FailingFindingNamesRuleMessagesResourcesAndRemediation) {
  const std::string text = ocsf(two_regions_two_rules());
  simdjson::dom::parser parser;
  simdjson::dom::array findings;
  ASSERT_EQ(parser.parse(text).get(findings), simdjson::SUCCESS) << text;
  simdjson::dom::element f = findings.at(3);
  EXPECT_EQ(str(f["finding_info"]["uid"]), "trailwatch-aws-kms-cmk-disable-or-delete-123456789012-us-east-1");
  EXPECT_NE(str(f["finding_info"]["title"]).find("CMK"), std::string_view::npos);
  EXPECT_NE(str(f["message"]).find("has no metric filter"), std::string_view::npos) << str(f["message"]);
  EXPECT_EQ(
      str(f["status_detail"]),
      "PASS trail: trail main is logging\nFAIL metric-filter: log group CT (us-east-1) has no metric filter");
  simdjson::dom::array resources = f["resources"];
  ASSERT_EQ(resources.size(), 2u);
  EXPECT_EQ(str(resources.at(0)["type"]), "AwsCloudTrailTrail");
  EXPECT_EQ(str(resources.at(0)["name"]), "main");
  EXPECT_EQ(str(resources.at(0)["region"]), "us-east-1");
  EXPECT_EQ(str(resources.at(1)["type"]), "AwsLogsLogGroup");
  EXPECT_EQ(str(resources.at(1)["name"]), "CT");
  EXPECT_EQ(str(resources.at(1)["uid"]), "arn:aws:logs:us-east-1:123456789012:log-group:CT:*");
  EXPECT_EQ(str(f["remediation"]["references"].at(0)), "aws logs put-metric-filter --region us-east-1 ...");
  EXPECT_EQ(str(f["remediation"]["references"].at(1)),
            "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-7");
  EXPECT_EQ(str(f["unmapped"]["findings"].at(1)["status"]), "FAIL");
  EXPECT_EQ(str(f["unmapped"]["compliance"]["AWS-Security-Hub"].at(0)), "CloudWatch.7");
  // A finding with no ARN names the account instead, so every finding has a resource uid.
  simdjson::dom::element error = findings.at(1);
  EXPECT_EQ(str(error["resources"].at(0)["uid"]), "AWS::::Account:123456789012");
  EXPECT_EQ(str(error["resources"].at(0)["type"]), "AwsAccount");
}

TEST(AuditOcsf, NoAccountLeavesTheAccountOutAndAnEmptyReportIsAnEmptyArray) {
  RegionAudit r{"us-east-1", RegionStatus::Error, {}, {}, "kms-cmk-disable-or-delete"};
  const std::string text = ocsf(AuditReport{"", RegionStatus::Error, {r}, {"kms-cmk-disable-or-delete"}});
  simdjson::dom::parser parser;
  simdjson::dom::array findings;
  ASSERT_EQ(parser.parse(text).get(findings), simdjson::SUCCESS) << text;
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings.at(0)["cloud"]["account"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(findings.at(0)["resources"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(str(findings.at(0)["finding_info"]["uid"]),
            "trailwatch-aws-kms-cmk-disable-or-delete-unknown-us-east-1");
  EXPECT_EQ(ocsf(AuditReport{}), "[]\n");
}

}  // namespace
}  // namespace trailwatch::audit
