// Every verdict path, on folders written in the AWS CLI's JSON shape (testdata/audit/<scenario>/<region>/).
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "audit/audit_calls.hpp"
#include "trailwatch/audit.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch::audit {
namespace {

std::string folder(const std::string& scenario) {
  return std::string(TW_TESTDATA) + "/audit/" + scenario;
}

// Shortly after the fixtures' last CloudWatch Logs delivery (2024-03-01T11:58:30Z), so it is not stale.
const std::int64_t kNow = *parse_utc_time("2024-03-01T12:00:00Z");

AuditReport audit(const std::string& scenario, std::vector<std::string> regions = {}) {
  FromDirSource source(folder(scenario));
  AuditRequest request;
  request.regions = regions.empty() ? exported_regions(folder(scenario)) : regions;
  request.now = kNow;
  return run_audit(source, request);
}

const RegionAudit& region(const AuditReport& r, const std::string& name) {
  for (const RegionAudit& x : r.regions)
    if (x.region == name) return x;
  static RegionAudit none;
  ADD_FAILURE() << "no region " << name;
  return none;
}

std::string dump(const RegionAudit& r) {
  std::ostringstream out;
  write_audit_table(out, AuditReport{"", r.status, {r}});
  return out.str();
}

// The finding of `check` with `status` whose detail contains `text`.
bool has(const RegionAudit& r, const std::string& check, CheckStatus status, const std::string& text = "") {
  return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
    return f.check == check && f.status == status && f.detail.find(text) != std::string::npos;
  });
}

bool fix_mentions(const RegionAudit& r, const std::string& text) {
  return std::any_of(r.remediation.begin(), r.remediation.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

struct Expect {
  const char* scenario;
  RegionStatus status;
  const char* check;  // the finding that decides
  CheckStatus finding;
  const char* detail;       // a fragment of its detail
  const char* remediation;  // a fragment of a remediation line, or ""
};

class AuditScenario : public ::testing::TestWithParam<Expect> {};

TEST_P(AuditScenario, GivesItsVerdict) {
  const Expect& e = GetParam();
  AuditReport report = audit(e.scenario);
  ASSERT_EQ(report.regions.size(), 1u);
  const RegionAudit& r = report.regions.front();
  EXPECT_EQ(r.status, e.status) << dump(r);
  EXPECT_TRUE(has(r, e.check, e.finding, e.detail)) << dump(r);
  if (*e.remediation) {
    EXPECT_TRUE(fix_mentions(r, e.remediation)) << dump(r);
    EXPECT_EQ(r.remediation.size(), 1u) << dump(r);  // one line per failing link; one link fails
  } else {
    EXPECT_TRUE(r.remediation.empty()) << dump(r);
  }
  EXPECT_EQ(report.account, e.status == RegionStatus::Error ? "" : "111122223333");
}

INSTANTIATE_TEST_SUITE_P(
    Folders, AuditScenario,
    ::testing::Values(
        Expect{"compliant", RegionStatus::Pass, "notification", CheckStatus::Pass, "1 confirmed subscription",
               ""},
        Expect{"no-trail", RegionStatus::Fail, "trail", CheckStatus::Fail, "no trail records us-east-1",
               "aws cloudtrail create-trail"},
        Expect{"trail-not-logging", RegionStatus::Fail, "trail", CheckStatus::Fail, "is not logging",
               "aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:111122223333:trail/main"},
        Expect{"trail-without-cloudwatch-logs", RegionStatus::Fail, "cloudwatch-logs-delivery",
               CheckStatus::Fail, "does not send its events to CloudWatch Logs",
               "aws cloudtrail update-trail"},
        Expect{"kms-excluded", RegionStatus::Fail, "trail", CheckStatus::Fail, "exclude kms.amazonaws.com",
               "put-event-selectors"},
        Expect{"read-only-selectors", RegionStatus::Fail, "trail", CheckStatus::Fail, "read-only",
               "put-event-selectors"},
        Expect{"advanced-selectors", RegionStatus::Pass, "trail", CheckStatus::Pass,
               "advanced event selector", ""},
        Expect{"equivalent-pattern", RegionStatus::Pass, "metric-filter", CheckStatus::Pass, "equivalent",
               ""},
        Expect{"narrower-pattern", RegionStatus::Fail, "metric-filter", CheckStatus::Fail,
               "on log group CloudTrail/management (us-east-1) is narrower than the rule: it misses "
               "ScheduleKeyDeletion",
               "aws logs put-metric-filter"},
        Expect{"broader-pattern", RegionStatus::Pass, "metric-filter", CheckStatus::Pass,
               "broader (also EnableKey by an assumed role; CancelKeyDeletion by an assumed role; Decrypt",
               ""},
        Expect{"unparsable-pattern", RegionStatus::Fail, "metric-filter", CheckStatus::Warn,
               "on log group CloudTrail/management (us-east-1) was not judged: invalid filter pattern",
               "--filter-name CMKEventCount"},
        Expect{"alarm-other-namespace", RegionStatus::Fail, "alarm", CheckStatus::Fail,
               "watches CISBenchmark/CMKEventCount: another namespace", "put-metric-alarm"},
        Expect{"dimensions-mismatch", RegionStatus::Fail, "alarm", CheckStatus::Fail, "the dimensions differ",
               "put-metric-alarm"},
        Expect{"actions-disabled", RegionStatus::Fail, "alarm", CheckStatus::Fail,
               "alarm CMKEventCountAlarm (us-east-1) has its actions disabled",
               "aws cloudwatch enable-alarm-actions --alarm-names CMKEventCountAlarm"},
        Expect{"threshold-2", RegionStatus::Fail, "alarm", CheckStatus::Fail,
               "gives Sum 1 (metricValue 1), which does not breach GreaterThanOrEqualToThreshold 2",
               "put-metric-alarm --alarm-name CMKEventCountAlarm"},
        Expect{"less-than", RegionStatus::Fail, "alarm", CheckStatus::Fail,
               "does not breach LessThanThreshold 1", "--comparison-operator GreaterThanOrEqualToThreshold"},
        Expect{"metric-value-0", RegionStatus::Fail, "alarm", CheckStatus::Fail,
               "gives Sum 0 (metricValue 0)", "put-metric-alarm"},
        Expect{
            "topic-without-subscriptions", RegionStatus::Fail, "notification", CheckStatus::Fail,
            "SNS topic cis-alarms (us-east-1) of alarm CMKEventCountAlarm has no confirmed subscription (no "
            "subscriptions)",
            "aws sns subscribe --topic-arn"},
        Expect{"pending-confirmation", RegionStatus::Fail, "notification", CheckStatus::Fail,
               "1 subscription pending confirmation", "aws sns subscribe"},
        Expect{
            "multi-region-home-elsewhere", RegionStatus::Pass, "cloudwatch-logs-delivery", CheckStatus::Pass,
            "multi-region trail main (home us-east-1) sends to log group CloudTrail/management (us-east-1)",
            ""},
        Expect{"log-group-other-account", RegionStatus::Fail, "cloudwatch-logs-delivery", CheckStatus::Fail,
               "in account 444455556666, not this account (111122223333)", ""},
        Expect{"organization-trail", RegionStatus::Delegated, "trail", CheckStatus::Info,
               "belongs to account 999988887777", ""},
        Expect{"epoch-timestamps", RegionStatus::Pass, "notification", CheckStatus::Pass, "confirmed", ""},
        Expect{"delivery-error", RegionStatus::Pass, "cloudwatch-logs-delivery", CheckStatus::Warn,
               "delivery error: AccessDenied", ""}),
    [](const auto& info) {
      std::string name = info.param.scenario;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

TEST(AuditScenarios, CompliantChainHoldsLinkByLink) {
  const AuditReport report = audit("compliant");
  const RegionAudit& r = report.regions.front();
  for (const char* check : {"trail", "cloudwatch-logs-delivery", "metric-filter", "alarm", "notification"})
    EXPECT_TRUE(has(r, check, CheckStatus::Pass)) << check << "\n" << dump(r);
  EXPECT_FALSE(has(r, "cloudwatch-logs-delivery", CheckStatus::Warn)) << dump(r);
}

TEST(AuditScenarios, StaleOrMissingDeliveryIsAWarningNotAFailure) {
  FromDirSource source(folder("compliant"));
  AuditRequest request{{"us-east-1"}, false, "us-east-1", kNow + 3 * 86400};
  const RegionAudit r = run_audit(source, request).regions.front();
  EXPECT_EQ(r.status, RegionStatus::Pass);
  EXPECT_TRUE(has(r, "cloudwatch-logs-delivery", CheckStatus::Warn, "over a day ago")) << dump(r);
}

TEST(AuditScenarios, MultiRegionChainIsReadFromTheHomeRegion) {
  // us-east-1 holds only the chain of the trail, not an audit of its own.
  EXPECT_EQ(exported_regions(folder("multi-region-home-elsewhere")), std::vector<std::string>{"us-west-2"});
  EXPECT_EQ(audit("multi-region-home-elsewhere").regions.front().region, "us-west-2");
}

// The trail homed in us-east-1 delivers us-west-2's events to the same log group, but its filter only
// catches events whose awsRegion is us-east-1: us-west-2 is not monitored.
TEST(AuditScenarios, FilterPinnedToTheHomeRegionDoesNotCoverOtherRegions) {
  const AuditReport report = audit("filter-pins-home-region");
  ASSERT_EQ(report.regions.size(), 1u);
  const RegionAudit& r = report.regions.front();
  EXPECT_EQ(r.region, "us-west-2");
  EXPECT_EQ(r.status, RegionStatus::Fail) << dump(r);
  EXPECT_TRUE(
      has(r, "metric-filter", CheckStatus::Fail, "is seen to catch DisableKey or ScheduleKeyDeletion"))
      << dump(r);
  EXPECT_EQ(report.status, RegionStatus::Fail);
}

TEST(AuditScenarios, TwoRegionsOneCompliant) {
  AuditReport report = audit("two-regions-one-compliant");
  ASSERT_EQ(report.regions.size(), 2u);
  EXPECT_EQ(region(report, "us-east-1").status, RegionStatus::Pass);
  EXPECT_EQ(region(report, "eu-west-1").status, RegionStatus::Fail);
  EXPECT_TRUE(has(region(report, "eu-west-1"), "trail", CheckStatus::Fail, "no trail records eu-west-1"));
  EXPECT_EQ(report.status, RegionStatus::Fail);
}

TEST(AuditScenarios, NotOptedInRegionsAreSkipped) {
  FromDirSource source(folder("not-opted-in"));
  AuditRequest request{{}, true, exported_listing_region(folder("not-opted-in")), kNow};
  AuditReport report = run_audit(source, request);
  ASSERT_EQ(report.regions.size(), 2u);
  EXPECT_EQ(region(report, "ap-east-1").status, RegionStatus::Skipped);
  EXPECT_EQ(region(report, "us-east-1").status, RegionStatus::Pass);
  EXPECT_EQ(report.status, RegionStatus::Pass);
}

TEST(AuditScenarios, MissingFileIsAnErrorNamingThePath) {
  AuditReport report = audit("no-trail", {"us-east-1", "eu-north-1"});
  const RegionAudit& r = region(report, "eu-north-1");
  EXPECT_EQ(r.status, RegionStatus::Error);
  EXPECT_TRUE(has(r, "trail", CheckStatus::Error, "eu-north-1/sts.GetCallerIdentity.json")) << dump(r);
  EXPECT_EQ(report.status, RegionStatus::Error);
}

// Answers from a folder, but denies one operation as AWS would.
class DenyingSource : public aws::ApiSource {
 public:
  DenyingSource(std::string dir, std::string operation)
      : inner_(std::move(dir)), operation_(std::move(operation)) {}
  std::string fetch(const aws::ApiCall& call) override {
    if (call.operation == operation_)
      throw aws::ApiError("AccessDeniedException", 400,
                          "User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: " +
                              permission_for(call));
    return inner_.fetch(call);
  }

 private:
  FromDirSource inner_;
  std::string operation_;
};

TEST(AuditScenarios, AccessDeniedMakesTheRegionErrorNamingThePermission) {
  for (auto [operation, permission, check] :
       {std::tuple{"DescribeTrails", "cloudtrail:DescribeTrails", "trail"},
        std::tuple{"GetEventSelectors", "cloudtrail:GetEventSelectors", "trail"},
        std::tuple{"DescribeMetricFilters", "logs:DescribeMetricFilters", "metric-filter"},
        std::tuple{"DescribeAlarms", "cloudwatch:DescribeAlarms", "alarm"},
        std::tuple{"ListSubscriptionsByTopic", "sns:ListSubscriptionsByTopic", "notification"}}) {
    DenyingSource source(folder("two-regions-one-compliant"), operation);
    AuditReport report = run_audit(source, AuditRequest{{"us-east-1"}, false, "us-east-1", kNow});
    const RegionAudit& r = report.regions.front();
    EXPECT_EQ(r.status, RegionStatus::Error) << operation;
    EXPECT_TRUE(
        has(r, check, CheckStatus::Error, std::string("access denied: the audit needs ") + permission))
        << dump(r);
    EXPECT_EQ(report.status, RegionStatus::Error);
  }
}

// A trail never given selectors records the default (all management events); one that DescribeTrails says
// has custom selectors, but whose selectors do not come back, is not taken to.
TEST(AuditScenarios, MissingSelectorsMeanTheDefaultOnlyWithoutCustomSelectors) {
  class Source : public aws::ApiSource {
   public:
    explicit Source(bool custom) : custom_(custom) {}
    std::string fetch(const aws::ApiCall& call) override {
      if (call.operation == "DescribeTrails")
        return std::string(
                   R"({"trailList":[{"Name":"main","TrailARN":"arn:aws:cloudtrail:us-east-1:)"
                   R"(111122223333:trail/main","HomeRegion":"us-east-1","HasCustomEventSelectors":)") +
               (custom_ ? "true" : "false") + "}]}";
      if (call.operation == "GetTrailStatus") return R"({"IsLogging":true})";
      if (call.operation == "GetEventSelectors") return "{}";
      return R"({"Account":"111122223333"})";
    }

   private:
    bool custom_;
  };
  Source plain(false);
  const RegionAudit a =
      run_audit(plain, AuditRequest{{"us-east-1"}, false, "us-east-1", kNow}).regions.front();
  EXPECT_TRUE(has(a, "trail", CheckStatus::Pass, "the default records all management events")) << dump(a);
  Source custom(true);
  const RegionAudit b =
      run_audit(custom, AuditRequest{{"us-east-1"}, false, "us-east-1", kNow}).regions.front();
  EXPECT_EQ(b.status, RegionStatus::Fail) << dump(b);
  EXPECT_TRUE(has(b, "trail", CheckStatus::Fail, "returned none")) << dump(b);
}

// A listing without regions audits nothing, which must not read as a PASS.
TEST(AuditScenarios, EmptyRegionListingIsAnError) {
  class NoRegions : public aws::ApiSource {
   public:
    std::string fetch(const aws::ApiCall&) override { return R"({"Regions":[]})"; }
  } source;
  AuditReport report = run_audit(source, AuditRequest{{}, true, "us-east-1", kNow});
  ASSERT_EQ(report.regions.size(), 1u);
  EXPECT_EQ(report.regions.front().status, RegionStatus::Error);
  EXPECT_TRUE(has(report.regions.front(), "trail", CheckStatus::Error, "listed no region"));
  EXPECT_EQ(report.status, RegionStatus::Error);
}

TEST(AuditScenarios, DeniedRegionListingIsAnError) {
  DenyingSource source(folder("not-opted-in"), "DescribeRegions");
  AuditReport report = run_audit(source, AuditRequest{{}, true, "us-east-1", kNow});
  ASSERT_EQ(report.regions.size(), 1u);
  EXPECT_EQ(report.regions.front().status, RegionStatus::Error);
  EXPECT_TRUE(has(report.regions.front(), "trail", CheckStatus::Error, "ec2:DescribeRegions"));
}

TEST(AuditScenarios, JsonFollowsTheContract) {
  std::ostringstream out;
  write_audit_json(out, audit("two-regions-one-compliant"));
  std::string json = out.str();
  EXPECT_EQ(
      json.rfind("{\"schema\":\"trailwatch.audit/1\",\"account\":\"111122223333\",\"rule\":"
                 "\"kms-cmk-disable-or-delete\",\"status\":\"FAIL\",\"regions\":[{\"region\":\"eu-west-1\","
                 "\"status\":\"FAIL\",\"findings\":[{\"check\":\"trail\",\"status\":\"FAIL\",\"detail\":",
                 0),
      0u)
      << json;
  EXPECT_NE(json.find("\"remediation\":[\"aws cloudtrail create-trail"), std::string::npos) << json;
  EXPECT_EQ(json.back(), '\n');
}

// Names and messages come from the account or a hand-written export: JSON stays valid and one line per
// detail, and the table never passes an escape sequence to the terminal.
TEST(AuditScenarios, OutputsEscapeWhatTheAccountNamed) {
  AuditReport report{"111122223333",
                     RegionStatus::Fail,
                     {RegionAudit{"us-east-1",
                                  RegionStatus::Fail,
                                  {Finding{"alarm",
                                           CheckStatus::Fail,
                                           "alarm \"x\"\x1b[2J\nnext\x01 \xc2\x9b"
                                           "31m caf\xc3\xa9 \xff",
                                           {"arn:\x07"}}},
                                  {"aws cloudwatch enable-alarm-actions --alarm-names '\x1b]0;t\x07'"}}}};
  std::ostringstream json;
  write_audit_json(json, report);
  const std::string j = json.str();
  EXPECT_NE(j.find(R"("detail":"alarm \"x\"\u001b[2J next\u0001 )"), std::string::npos) << j;
  EXPECT_NE(j.find("caf\xc3\xa9"), std::string::npos) << j;  // non-ASCII kept as UTF-8
  EXPECT_NE(j.find(R"("arn:\u0007")"), std::string::npos) << j;
  EXPECT_EQ(j.find('\x1b'), std::string::npos) << j;
  EXPECT_EQ(j.find('\xff'), std::string::npos) << j;  // invalid UTF-8 replaced
  EXPECT_EQ(std::count(j.begin(), j.end(), '\n'), 1) << j;

  std::ostringstream table;
  write_audit_table(table, report);
  const std::string t = table.str();
  EXPECT_EQ(t.find('\x1b'), std::string::npos) << t;
  EXPECT_EQ(t.find('\x07'), std::string::npos) << t;
  EXPECT_EQ(t.find("\xc2\x9b"), std::string::npos) << t;
  EXPECT_NE(t.find("alarm \"x\"?[2J next? ?31m caf\xc3\xa9"), std::string::npos) << t;
}

// Remediation lines are pasted into a shell: values read from a (possibly hostile) export are quoted.
TEST(AuditScenarios, RemediationQuotesWhatItReads) {
  std::string hostile =
      R"({"trailList":[{"Name":"main","TrailARN":"arn:aws:cloudtrail:us-east-1:111122223333:trail/main",)"
      R"("HomeRegion":"us-east-1;touch pwned","IsMultiRegionTrail":true}]})";
  class Hostile : public aws::ApiSource {
   public:
    explicit Hostile(std::string trails) : trails_(std::move(trails)) {}
    std::string fetch(const aws::ApiCall& call) override {
      if (call.operation == "DescribeTrails") return trails_;
      if (call.operation == "GetTrailStatus") return R"({"IsLogging":false})";
      if (call.operation == "GetEventSelectors") return "{}";
      return R"({"Account":"111122223333"})";
    }

   private:
    std::string trails_;
  } source(hostile);
  AuditReport report = run_audit(source, AuditRequest{{"us-east-1"}, false, "us-east-1", kNow});
  const RegionAudit& r = report.regions.front();
  ASSERT_FALSE(r.remediation.empty()) << dump(r);
  for (const std::string& line : r.remediation) {
    EXPECT_EQ(line.find(" us-east-1;touch"), std::string::npos) << line;
  }
  EXPECT_TRUE(fix_mentions(r, "--region 'us-east-1;touch pwned'")) << dump(r);
}

}  // namespace
}  // namespace trailwatch::audit
