// Tests of the built-in rule pack: the table of rules (ids, metric names, CIS and Security Hub numbers, the
// alarm), rule selection for `scan --rule`, what each pattern matches, and the lint of the published CIS
// texts, which must be shown by behaviour. Texts: docs/filter-patterns.md §8.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"
#include "trailwatch/rule_lint.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch {
namespace {

using Field = std::pair<std::string_view, JsonValue>;
using Record = std::vector<Field>;

JsonValue S(std::string_view text) {
  return {JsonKind::String, text};
}

// What the records layer would hand over for `record`: the values of the selectors the pattern registered.
bool eval(std::string_view text, const Record& record) {
  Pattern pattern = Pattern::parse(text);
  FieldPlan plan;
  pattern.bind(plan);
  const std::size_t registered = plan.size();
  FieldValues values(registered);
  for (const auto& [selector, value] : record) {
    const SelectorId id = plan.add(parse_selector(selector));
    if (id < registered) values.add(id, value);
  }
  return pattern.matches(values);
}

const BuiltinRule& rule(std::string_view id) {
  const BuiltinRule* r = find_builtin_rule(id);
  if (r == nullptr) ADD_FAILURE() << "no rule " << id;
  return r != nullptr ? *r : builtin_rules().front();
}

const PublishedTextFinding& finding(const std::vector<PublishedTextFinding>& findings,
                                    std::string_view defect) {
  for (const PublishedTextFinding& f : findings)
    if (f.defect == defect) return f;
  ADD_FAILURE() << "no lint finding " << defect;
  return findings.front();
}

// ----- the table

TEST(RulePack, IdsAndMetricNamesInCisOrder) {
  const std::vector<std::pair<std::string_view, std::string_view>> expected = {
      {"unauthorized-api-calls", "UnauthorizedAPICalls"},
      {"console-signin-without-mfa", "ConsoleSignInWithoutMFA"},
      {"root-account-usage", "RootAccountUsage"},
      {"iam-policy-changes", "IAMPolicyChanges"},
      {"cloudtrail-config-changes", "CloudTrailConfigChanges"},
      {"console-auth-failures", "ConsoleSignInFailures"},
      {"kms-cmk-disable-or-delete", "CMKEventCount"},
      {"s3-bucket-policy-changes", "S3BucketPolicyChanges"},
      {"aws-config-changes", "AWSConfigChanges"},
      {"security-group-changes", "SecurityGroupChanges"},
      {"nacl-changes", "NACLChanges"},
      {"network-gateway-changes", "NetworkGatewayChanges"},
      {"route-table-changes", "RouteTableChanges"},
      {"vpc-changes", "VPCChanges"},
      {"organizations-changes", "OrganizationsChanges"},
  };
  std::vector<std::pair<std::string_view, std::string_view>> actual;
  for (const BuiltinRule& r : builtin_rules()) actual.emplace_back(r.id, r.metric_name);
  EXPECT_EQ(actual, expected);
}

TEST(RulePack, IdsAndMetricNamesAreUnique) {
  std::set<std::string_view> ids;
  std::set<std::string_view> metrics;
  for (const BuiltinRule& r : builtin_rules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    EXPECT_TRUE(metrics.insert(r.metric_name).second) << r.metric_name;
    EXPECT_NE(r.id, "cis") << "'cis' selects the whole pack";
  }
}

TEST(RulePack, EveryPatternParsesAsAJsonPattern) {
  for (const BuiltinRule& r : builtin_rules()) {
    SCOPED_TRACE(r.id);
    Pattern p = Pattern::parse(r.pattern);
    EXPECT_EQ(p.text(), r.pattern);
    EXPECT_FALSE(p.needs_message());
    EXPECT_LE(r.pattern.size(), 1024u);  // PutMetricFilter's limit
    FieldPlan plan;
    p.bind(plan);
    EXPECT_GT(plan.size(), 0u);
    EXPECT_FALSE(p.matches(FieldValues(plan.size()))) << "an empty record matches";
  }
}

TEST(RulePack, TheDefaultRuleKeepsItsSeedText) {
  EXPECT_EQ(rule("kms-cmk-disable-or-delete").pattern,
            "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = "
            "ScheduleKeyDeletion)) }");
}

TEST(RulePack, MetricAndAlarmFollowCis) {
  for (const BuiltinRule& r : builtin_rules()) {
    SCOPED_TRACE(r.id);
    EXPECT_EQ(r.metric_namespace, "CloudTrailMetrics");
    EXPECT_EQ(r.metric_value, "1");
    EXPECT_FALSE(r.title.empty());
    EXPECT_FALSE(r.source.empty());
    EXPECT_EQ(r.alarm.statistic, "Sum");
    EXPECT_EQ(r.alarm.comparison_operator, "GreaterThanOrEqualToThreshold");
    EXPECT_EQ(r.alarm.threshold, 1);
    EXPECT_EQ(r.alarm.period, 300);
    EXPECT_EQ(r.alarm.evaluation_periods, 1);
    EXPECT_EQ(r.alarm.datapoints_to_alarm, 1);
    EXPECT_EQ(r.alarm.treat_missing_data, "missing");
  }
}

TEST(RulePack, CisNumbersPerBenchmarkVersion) {
  // v1.2.0 = 3.N, v1.3.0-v5.0.0 = 4.N, v6.0.0 = 5.N, in pack order; Organizations arrived in v1.4.0.
  const std::vector<BuiltinRule>& rules = builtin_rules();
  for (std::size_t i = 0; i + 1 < rules.size(); ++i) {
    SCOPED_TRACE(rules[i].id);
    const std::string n = std::to_string(i + 1);
    ASSERT_EQ(rules[i].cis.size(), 3u);
    EXPECT_EQ(rules[i].cis[0].versions, "v1.2.0");
    EXPECT_EQ(rules[i].cis[0].number, "3." + n);
    EXPECT_EQ(rules[i].cis[1].versions, "v1.3.0-v5.0.0");
    EXPECT_EQ(rules[i].cis[1].number, "4." + n);
    EXPECT_EQ(rules[i].cis[2].versions, "v6.0.0");
    EXPECT_EQ(rules[i].cis[2].number, "5." + n);
  }
  const BuiltinRule& org = rule("organizations-changes");
  ASSERT_EQ(org.cis.size(), 2u);
  EXPECT_EQ(org.cis[0].versions, "v1.4.0-v5.0.0");
  EXPECT_EQ(org.cis[0].number, "4.15");
  EXPECT_EQ(org.cis[1].versions, "v6.0.0");
  EXPECT_EQ(org.cis[1].number, "5.15");
}

TEST(RulePack, SecurityHubControls) {
  // CloudWatch.1 is root (3.3), CloudWatch.2 unauthorized calls (3.1), CloudWatch.3 MFA (3.2), then
  // CloudWatch.N = 3.N; Organizations has no control.
  EXPECT_EQ(rule("root-account-usage").security_hub, "CloudWatch.1");
  EXPECT_EQ(rule("unauthorized-api-calls").security_hub, "CloudWatch.2");
  EXPECT_EQ(rule("console-signin-without-mfa").security_hub, "CloudWatch.3");
  EXPECT_EQ(rule("organizations-changes").security_hub, "");
  for (const BuiltinRule& r : builtin_rules()) {
    if (r.cis.empty() || r.cis[0].versions != "v1.2.0") continue;
    const std::string n(r.cis[0].number.substr(2));
    if (std::stoi(n) >= 4) {
      EXPECT_EQ(r.security_hub, "CloudWatch." + n) << r.id;
    }
  }
}

// ----- selection for scan --rule

TEST(Selection, FindsByIdOnly) {
  EXPECT_EQ(find_builtin_rule("vpc-changes"), &builtin_rules()[13]);
  EXPECT_EQ(find_builtin_rule("VPC-changes"), nullptr);
  EXPECT_EQ(find_builtin_rule("cis"), nullptr);
  EXPECT_EQ(find_builtin_rule(""), nullptr);
}

TEST(Selection, CisSelectsEveryRuleInPackOrder) {
  std::string unknown;
  const std::vector<const BuiltinRule*> all = select_builtin_rules({"cis"}, unknown);
  EXPECT_EQ(unknown, "");
  ASSERT_EQ(all.size(), builtin_rules().size());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], &builtin_rules()[i]);
  EXPECT_EQ(select_builtin_rules({"vpc-changes", "cis", "root-account-usage"}, unknown).size(),
            builtin_rules().size());
}

TEST(Selection, DuplicatesCollapseAndPackOrderWins) {
  std::string unknown;
  const std::vector<const BuiltinRule*> picked = select_builtin_rules(
      {"vpc-changes", "root-account-usage", "vpc-changes", "unauthorized-api-calls", "root-account-usage"},
      unknown);
  EXPECT_EQ(unknown, "");
  ASSERT_EQ(picked.size(), 3u);
  EXPECT_EQ(picked[0]->id, "unauthorized-api-calls");
  EXPECT_EQ(picked[1]->id, "root-account-usage");
  EXPECT_EQ(picked[2]->id, "vpc-changes");
}

TEST(Selection, UnknownIdsEmptyTheSelection) {
  std::string unknown;
  EXPECT_TRUE(select_builtin_rules({"vpc-changes", "no-such-rule", "other"}, unknown).empty());
  EXPECT_EQ(unknown, "no-such-rule");
  unknown.clear();
  EXPECT_TRUE(select_builtin_rules({"cis", "CIS"}, unknown).empty());
  EXPECT_EQ(unknown, "CIS");
  unknown.clear();
  EXPECT_TRUE(select_builtin_rules({}, unknown).empty());
  EXPECT_EQ(unknown, "");
}

// ----- what each rule matches

struct Case {
  std::string_view rule;
  Record record;
  bool match;
};

TEST(RuleBehaviour, MatchesAndNearMisses) {
  const std::vector<Case> cases = {
      {"unauthorized-api-calls", {{"$.errorCode", S("AccessDenied")}}, true},
      {"unauthorized-api-calls", {{"$.errorCode", S("AccessDeniedException")}}, true},
      {"unauthorized-api-calls", {{"$.errorCode", S("Client.UnauthorizedOperation")}}, true},
      {"unauthorized-api-calls", {{"$.errorCode", S("accessdenied")}}, false},
      {"unauthorized-api-calls", {{"$.errorCode", S("NoSuchKey")}}, false},
      {"unauthorized-api-calls", {{"$.eventName", S("GetObject")}}, false},
      {"console-signin-without-mfa",
       {{"$.eventName", S("ConsoleLogin")}, {"$.additionalEventData.MFAUsed", S("No")}},
       true},
      {"console-signin-without-mfa",
       {{"$.eventName", S("ConsoleLogin")}, {"$.additionalEventData.MFAUsed", S("Yes")}},
       false},
      // SSO and federated sign-ins carry no MFAUsed: a missing field fails != too.
      {"console-signin-without-mfa", {{"$.eventName", S("ConsoleLogin")}}, false},
      {"root-account-usage", {{"$.userIdentity.type", S("Root")}, {"$.eventType", S("AwsApiCall")}}, true},
      {"root-account-usage",
       {{"$.userIdentity.type", S("Root")},
        {"$.userIdentity.invokedBy", S("support.amazonaws.com")},
        {"$.eventType", S("AwsApiCall")}},
       false},
      {"root-account-usage",
       {{"$.userIdentity.type", S("Root")}, {"$.eventType", S("AwsServiceEvent")}},
       false},
      {"root-account-usage", {{"$.userIdentity.type", S("Root")}}, false},
      {"iam-policy-changes", {{"$.eventName", S("AttachRolePolicy")}}, true},
      {"iam-policy-changes", {{"$.eventName", S("GetRolePolicy")}}, false},
      {"cloudtrail-config-changes", {{"$.eventName", S("StopLogging")}}, true},
      {"cloudtrail-config-changes", {{"$.eventName", S("LookupEvents")}}, false},
      {"console-auth-failures",
       {{"$.eventName", S("ConsoleLogin")}, {"$.errorMessage", S("Failed authentication")}},
       true},
      {"console-auth-failures", {{"$.eventName", S("ConsoleLogin")}}, false},
      {"kms-cmk-disable-or-delete",
       {{"$.eventSource", S("kms.amazonaws.com")}, {"$.eventName", S("ScheduleKeyDeletion")}},
       true},
      {"kms-cmk-disable-or-delete",
       {{"$.eventSource", S("kms.amazonaws.com")}, {"$.eventName", S("DisableKeyRotation")}},
       false},
      {"s3-bucket-policy-changes",
       {{"$.eventSource", S("s3.amazonaws.com")}, {"$.eventName", S("PutBucketPolicy")}},
       true},
      {"s3-bucket-policy-changes", {{"$.eventName", S("PutBucketPolicy")}}, false},
      {"aws-config-changes",
       {{"$.eventSource", S("config.amazonaws.com")}, {"$.eventName", S("StopConfigurationRecorder")}},
       true},
      {"aws-config-changes",
       {{"$.eventSource", S("config.amazonaws.com")}, {"$.eventName", S("PutConfigRule")}},
       false},
      {"security-group-changes", {{"$.eventName", S("ModifySecurityGroupRules")}}, true},
      {"security-group-changes", {{"$.eventName", S("DescribeSecurityGroups")}}, false},
      {"nacl-changes", {{"$.eventName", S("ReplaceNetworkAclAssociation")}}, true},
      {"nacl-changes", {{"$.eventName", S("DescribeNetworkAcls")}}, false},
      {"network-gateway-changes", {{"$.eventName", S("DetachInternetGateway")}}, true},
      {"network-gateway-changes", {{"$.eventName", S("CreateNatGateway")}}, false},
      {"route-table-changes", {{"$.eventName", S("DisassociateRouteTable")}}, true},
      {"route-table-changes", {{"$.eventName", S("AssociateRouteTable")}}, false},
      {"vpc-changes", {{"$.eventName", S("EnableVpcClassicLink")}}, true},
      {"vpc-changes", {{"$.eventName", S("CreateVpcEndpoint")}}, false},
      {"organizations-changes",
       {{"$.eventSource", S("organizations.amazonaws.com")}, {"$.eventName", S("AcceptHandshake")}},
       true},
      {"organizations-changes",
       {{"$.eventSource", S("iam.amazonaws.com")}, {"$.eventName", S("CreatePolicy")}},
       false},
  };
  std::set<std::string_view> covered;
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.rule) + (c.match ? " should match" : " should not match"));
    EXPECT_EQ(eval(rule(c.rule).pattern, c.record), c.match);
    covered.insert(c.rule);
  }
  EXPECT_EQ(covered.size(), builtin_rules().size());
}

// ----- the lint of the published texts

TEST(Lint, FindsTheThreeKnownDefectsAndConfirmsEach) {
  const std::vector<PublishedTextFinding> findings = lint_published_texts();
  ASSERT_EQ(findings.size(), 3u);
  for (const PublishedTextFinding& f : findings) {
    SCOPED_TRACE(f.defect);
    EXPECT_TRUE(f.confirmed);
    EXPECT_NE(find_builtin_rule(f.rule_id), nullptr);
    EXPECT_NE(f.pattern, find_builtin_rule(f.rule_id)->pattern) << "the pack carries a defective text";
    EXPECT_FALSE(f.summary.empty());
    EXPECT_FALSE(f.evidence.empty());
    EXPECT_FALSE(f.source.empty());
  }
}

TEST(Lint, V14CliTextMatchesOrdinaryRecords) {
  const std::vector<PublishedTextFinding> findings = lint_published_texts();
  const PublishedTextFinding& f = finding(findings, "matches-almost-everything");
  EXPECT_EQ(f.rule_id, "unauthorized-api-calls");
  EXPECT_TRUE(f.error.empty());
  // Records the lint did not use: successful calls without an errorCode.
  const std::vector<Record> ordinary = {
      {{"$.eventName", S("ListBuckets")}, {"$.sourceIPAddress", S("192.0.2.44")}},
      {{"$.eventName", S("PutObject")}, {"$.sourceIPAddress", S("athena.amazonaws.com")}},
      {{"$.eventName", S("HeadBucket")}, {"$.sourceIPAddress", S("192.0.2.44")}},
  };
  for (const Record& r : ordinary) {
    EXPECT_TRUE(eval(f.pattern, r));
    EXPECT_FALSE(eval(rule("unauthorized-api-calls").pattern, r));
  }
  EXPECT_FALSE(eval(f.pattern, {{"$.eventName", S("HeadBucket")},
                                {"$.sourceIPAddress", S("delivery.logs.amazonaws.com")}}));
  std::size_t matches = 0;
  for (const std::string& e : f.evidence) matches += e.rfind("matches: ", 0) == 0;
  EXPECT_GE(matches, 3u) << "the evidence should list the ordinary records that matched";
}

TEST(Lint, V30PrecedenceLetsHeadBucketFromLogDeliveryThrough) {
  const std::vector<PublishedTextFinding> findings = lint_published_texts();
  const PublishedTextFinding& f = finding(findings, "or-and-precedence");
  EXPECT_EQ(f.rule_id, "unauthorized-api-calls");
  const Record head_bucket = {{"$.errorCode", S("Client.UnauthorizedOperation")},
                              {"$.eventName", S("HeadBucket")},
                              {"$.sourceIPAddress", S("delivery.logs.amazonaws.com")}};
  EXPECT_TRUE(eval(f.pattern, head_bucket));
  EXPECT_FALSE(eval(f.pattern, {{"$.errorCode", S("AccessDenied")},
                                {"$.eventName", S("HeadBucket")},
                                {"$.sourceIPAddress", S("delivery.logs.amazonaws.com")}}));
  bool shown = false;
  for (const std::string& e : f.evidence)
    shown |= e.find(" matches errorCode=Client.UnauthorizedOperation") != std::string::npos &&
             e.find("HeadBucket") != std::string::npos;
  EXPECT_TRUE(shown) << "the evidence should show the HeadBucket record that matches";
}

TEST(Lint, V60OrganizationsTextIsRejectedAtTheStrayQuote) {
  const std::vector<PublishedTextFinding> findings = lint_published_texts();
  const PublishedTextFinding& f = finding(findings, "rejected-by-parser");
  EXPECT_EQ(f.rule_id, "organizations-changes");
  try {
    Pattern::parse(f.pattern);
    ADD_FAILURE() << "the v6.0.0 5.15 text parsed";
  } catch (const PatternError& e) {
    EXPECT_EQ(f.error, e.caret_message());
    EXPECT_EQ(f.pattern.substr(e.column() - 15, 16), "AcceptHandshake\"");
  }
  // The published text is the pack's with one quote missing, which is the whole defect.
  const std::size_t at = f.pattern.find("AcceptHandshake\"");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(f.pattern.substr(0, at) + '"' + f.pattern.substr(at), rule("organizations-changes").pattern);
}

}  // namespace
}  // namespace trailwatch
