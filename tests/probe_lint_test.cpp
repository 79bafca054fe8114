// Tests of the probe lint (trailwatch/probe_lint.hpp): `rules --lint` judges a filter with audit's judge over
// the probes of the rule it is tied to (docs/audit.md "Linting filters with the probes"), so its verdict and
// the probes it names are audit's; a filter is tied by metric name, else by behaviour.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "audit/probe_judge.hpp"
#include "trailwatch/probe_lint.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch {
namespace {

// CIS v1.2.0 3.10 as published: no ModifySecurityGroupRules (docs/filter-patterns.md §8).
constexpr std::string_view kV12SecurityGroups =
    "{($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
    "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName "
    "= "
    "CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";

ConfiguredFilter filter(std::string_view metric, std::string_view pattern) {
  ConfiguredFilter f;
  // Assigned from std::string: g++ 12 warns (-Wrestrict, a false positive) on a literal assigned here.
  f.name = std::string("F");
  f.log_group = std::string("CloudTrail/management");
  f.pattern = std::string(pattern);
  f.metric.name = std::string(metric);
  f.metric.namespace_ = std::string("CloudTrailMetrics");
  return f;
}

TEST(ProbeLint, EveryBuiltinPatternPassesItsOwnProbes) {
  for (const BuiltinRule& rule : builtin_rules()) {
    ProbeLint l = lint_builtin_rule(rule);
    EXPECT_EQ(l.status, ProbeLintStatus::Pass) << rule.id;
    EXPECT_EQ(l.tie, RuleTie::Builtin) << rule.id;
    EXPECT_EQ(l.rule_id, rule.id);
    EXPECT_EQ(l.verdict, "equivalent") << rule.id;
    EXPECT_TRUE(l.missed.empty() && l.caught.empty()) << rule.id;
    EXPECT_TRUE(l.filter.empty());
  }
}

TEST(ProbeLint, ANarrowerFilterFailsNamingEachProbeItMisses) {
  ProbeLint l = lint_configured_filter(filter("SecurityGroupChanges", kV12SecurityGroups));
  EXPECT_EQ(l.rule_id, "security-group-changes");
  EXPECT_EQ(l.tie, RuleTie::MetricName);
  EXPECT_EQ(l.status, ProbeLintStatus::Fail);
  EXPECT_EQ(l.verdict, "narrower");
  EXPECT_EQ(l.missed, std::vector<std::string>{"ModifySecurityGroupRules by an assumed role"});
  EXPECT_TRUE(l.caught.empty());
  EXPECT_EQ(l.filter, "F");
  EXPECT_EQ(l.log_group, "CloudTrail/management");
}

// The same filter without a rule's metric name is tied by what it catches.
TEST(ProbeLint, WithoutARulesMetricNameTheFilterIsTiedByBehaviour) {
  ProbeLint l = lint_configured_filter(filter("SgChanges", kV12SecurityGroups));
  EXPECT_EQ(l.rule_id, "security-group-changes");
  EXPECT_EQ(l.tie, RuleTie::Behaviour);
  EXPECT_EQ(l.status, ProbeLintStatus::Fail);
  // Equivalent wins over narrower: root's security-group changes do not make the root-usage text an SG
  // filter.
  ProbeLint root = lint_configured_filter(filter(
      "x",
      R"({ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" })"));
  EXPECT_EQ(root.rule_id, "root-account-usage");
  EXPECT_EQ(root.status, ProbeLintStatus::Pass);
}

// The metric name is the explicit tie: it wins over behaviour, even for a filter that is another rule's
// exactly.
TEST(ProbeLint, TheMetricNameWinsOverBehaviour) {
  ProbeLint l = lint_configured_filter(filter("UnauthorizedAPICalls", kV12SecurityGroups));
  EXPECT_EQ(l.rule_id, "unauthorized-api-calls");
  EXPECT_EQ(l.tie, RuleTie::MetricName);
  EXPECT_EQ(l.status, ProbeLintStatus::Fail);
  EXPECT_EQ(l.verdict, "unrelated");
  EXPECT_FALSE(l.missed.empty());
}

// The CIS sign-in text without its MFA condition catches federated and SSO sign-ins too: a WARN naming them.
TEST(ProbeLint, ABroaderFilterWarnsNamingTheLookAlikesItCatches) {
  ProbeLint l =
      lint_configured_filter(filter("ConsoleSignInWithoutMFA", R"({ $.eventName = "ConsoleLogin" })"));
  EXPECT_EQ(l.status, ProbeLintStatus::Warn);
  EXPECT_EQ(l.verdict, "broader");
  EXPECT_TRUE(l.missed.empty());
  ASSERT_FALSE(l.caught.empty());
  EXPECT_NE(l.caught_summary.find("ConsoleLogin"), std::string::npos) << l.caught_summary;
}

TEST(ProbeLint, AnUnparsablePatternFailsWhenItsMetricNamesARuleAndWarnsOtherwise) {
  const std::string_view broken =
      R"({ ($.eventSource = organizations.amazonaws.com) && ($.eventName = A") })";
  ProbeLint named = lint_configured_filter(filter("OrganizationsChanges", broken));
  EXPECT_EQ(named.rule_id, "organizations-changes");
  EXPECT_EQ(named.status, ProbeLintStatus::Fail);
  EXPECT_EQ(named.verdict, "unparsable");
  EXPECT_NE(named.error.find("invalid filter pattern"), std::string::npos) << named.error;
  ProbeLint unnamed = lint_configured_filter(filter("Org", broken));
  EXPECT_EQ(unnamed.tie, RuleTie::None);
  EXPECT_TRUE(unnamed.rule_id.empty());
  EXPECT_EQ(unnamed.status, ProbeLintStatus::Warn);
  EXPECT_FALSE(unnamed.error.empty());
}

TEST(ProbeLint, AFilterOfNoRuleIsSkipped) {
  ProbeLint l = lint_configured_filter(filter("Downloads", R"({ $.eventName = "GetObject" })"));
  EXPECT_EQ(l.tie, RuleTie::None);
  EXPECT_EQ(l.status, ProbeLintStatus::Skipped);
  EXPECT_TRUE(l.rule_id.empty());
  EXPECT_TRUE(l.verdict.empty());
}

// Lint and audit say the same thing: the lint's verdict and summaries are the audit judge's, for every rule.
TEST(ProbeLint, VerdictsAreTheAuditJudges) {
  const std::string_view patterns[] = {kV12SecurityGroups, R"({ $.eventName = "ConsoleLogin" })",
                                       R"({ $.errorCode = "AccessDenied*" })",
                                       R"({ $.eventName = "GetObject" })"};
  for (const BuiltinRule& rule : builtin_rules())
    for (std::string_view pattern : patterns) {
      ConfiguredFilter f = filter(rule.metric_name, pattern);
      ProbeLint l = lint_configured_filter(f);
      audit::FilterJudgement j = audit::judge_filter(f, {}, {}, rule);
      EXPECT_EQ(l.rule_id, rule.id);
      EXPECT_EQ(l.verdict, audit::to_string(j.verdict)) << rule.id << ": " << pattern;
      EXPECT_EQ(l.missed_summary, j.missed()) << rule.id << ": " << pattern;
      EXPECT_EQ(l.caught_summary, j.extra()) << rule.id << ": " << pattern;
    }
}

}  // namespace
}  // namespace trailwatch
