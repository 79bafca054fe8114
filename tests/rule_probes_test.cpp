// Tests of the built-in rules' probe records (trailwatch/rule_probes.hpp): each rule's own pattern, run with
// the engine `scan` uses, catches every positive and no negative, and the probes cover the distinct ways the
// control's events happen (docs/audit.md "Probe records"). A wrong probe fails here.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/rule_probes.hpp"
#include "trailwatch/rules.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch {
namespace {

// Whether `pattern` matches `record`, evaluated as scan and audit evaluate it.
class Matcher {
 public:
  explicit Matcher(std::string_view pattern) {
    ScanSpec spec;
    MetricTransformation m;
    m.name = std::string("M");
    spec.filters.push_back(MetricFilter{std::string("f"), Pattern::parse(pattern), std::move(m)});
    plan_ = std::make_unique<ScanPlan>(std::move(spec));
    evaluator_ = std::make_unique<EventEvaluator>(*plan_);
  }
  bool operator()(const std::string& record) { return evaluator_->evaluate(record).front().matched; }

 private:
  std::unique_ptr<ScanPlan> plan_;
  std::unique_ptr<EventEvaluator> evaluator_;
};

std::vector<const RuleProbe*> with(std::string_view rule, bool positive, std::string_view text) {
  std::vector<const RuleProbe*> out;
  for (const RuleProbe& p : rule_probes(rule))
    if (p.positive == positive && p.record.find(text) != std::string::npos) out.push_back(&p);
  return out;
}

TEST(RuleProbes, EveryRuleHasPositivesAndLookalikes) {
  for (const BuiltinRule& rule : builtin_rules()) {
    int positives = 0;
    int negatives = 0;
    for (const RuleProbe& p : rule_probes(rule.id)) (p.positive ? positives : negatives)++;
    EXPECT_GE(positives, 2) << rule.id;
    EXPECT_GE(negatives, 1) << rule.id;
  }
  EXPECT_TRUE(rule_probes("no-such-rule").empty());
}

// The rule pack's own pattern is the reference: a probe it disagrees with states something the rule is not.
TEST(RuleProbes, EachRulesOwnPatternCatchesItsPositivesAndNoLookalike) {
  for (const BuiltinRule& rule : builtin_rules()) {
    Matcher matches(rule.pattern);
    for (const RuleProbe& p : rule_probes(rule.id))
      EXPECT_EQ(matches(p.record), p.positive) << rule.id << ": " << p.label << "\n" << p.record;
  }
}

// Every record is whole JSON whose eventSource, eventName and readOnly are what the probe says: a look-alike
// that no pattern could read would pass the test above for nothing.
TEST(RuleProbes, RecordsSayWhatTheProbeSays) {
  for (const BuiltinRule& rule : builtin_rules())
    for (const RuleProbe& p : rule_probes(rule.id)) {
      Matcher is_it(std::string("{ ($.eventSource = \"") + p.event_source + "\") && ($.eventName = \"" +
                    p.event_name + "\") && ($.readOnly IS " + (p.read_only ? "TRUE" : "FALSE") +
                    ") && ($.recipientAccountId = \"" + std::string(kProbeAccount) + "\") }");
      EXPECT_TRUE(is_it(p.record)) << rule.id << ": " << p.label << "\n" << p.record;
    }
}

TEST(RuleProbes, UnauthorizedCallsCoverBothErrorCodesAsCloudTrailSpellsThem) {
  EXPECT_FALSE(with("unauthorized-api-calls", true, R"("errorCode":"AccessDenied")").empty());
  EXPECT_FALSE(with("unauthorized-api-calls", true, R"("errorCode":"Client.UnauthorizedOperation")").empty());
  EXPECT_FALSE(with("unauthorized-api-calls", false, R"("errorCode":"Client.DryRunOperation")").empty());
}

TEST(RuleProbes, SignInWithoutMfaIsAboutIamUsersNotFederatedSignIns) {
  EXPECT_FALSE(with("console-signin-without-mfa", true, R"("type":"IAMUser")").empty());
  EXPECT_FALSE(with("console-signin-without-mfa", false, "SamlProviderArn").empty());
  EXPECT_FALSE(with("console-signin-without-mfa", false, "AWSReservedSSO_").empty());
}

TEST(RuleProbes, RootUsageLeavesOutAwsServiceEvents) {
  EXPECT_GE(with("root-account-usage", true, R"("type":"Root")").size(), 3u);
  EXPECT_FALSE(with("root-account-usage", false, R"("invokedBy":"support.amazonaws.com")").empty());
  EXPECT_FALSE(with("root-account-usage", false, R"("eventType":"AwsServiceEvent")").empty());
}

TEST(RuleProbes, ChangeRulesHaveAProbePerEventName) {
  // Each event name the published text lists is a positive of its own.
  Matcher names_modify(R"({ $.eventName = "ModifySecurityGroupRules" })");
  int modify = 0;
  for (const RuleProbe& p : rule_probes("security-group-changes"))
    modify += p.positive && names_modify(p.record);
  EXPECT_EQ(modify, 1);
  int iam = 0;
  for (const RuleProbe& p : rule_probes("iam-policy-changes")) iam += p.positive;
  EXPECT_EQ(iam, 16);
  int organizations = 0;
  for (const RuleProbe& p : rule_probes("organizations-changes")) organizations += p.positive;
  EXPECT_EQ(organizations, 18);
}

TEST(RuleProbes, SameAddressesOnEveryCall) {
  EXPECT_EQ(&rule_probes("vpc-changes"), &rule_probes("vpc-changes"));
  EXPECT_EQ(rule_probes("kms-cmk-disable-or-delete").size(), 18u);
}

}  // namespace
}  // namespace trailwatch
