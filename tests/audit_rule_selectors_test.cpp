// The event-selector check per rule (docs/audit.md "Audit of several rules"): a trail must record the events
// of the audited rule's positive probes: their sources, names and read-only flags.
#include <gtest/gtest.h>

#include <string>

#include "audit/audit_bodies.hpp"
#include "audit/probe_records.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::audit {
namespace {

SelectorCoverage coverage(const std::string& body, const char* rule) {
  return parse_event_selectors(body, rule_events(*find_builtin_rule(rule)));
}

std::string basic(const char* read_write, const char* excluded = "") {
  return std::string(R"({"EventSelectors":[{"ReadWriteType":")") + read_write +
         R"(","IncludeManagementEvents":true,"DataResources":[],"ExcludeManagementEventSources":[)" +
         excluded + "]}]}";
}

TEST(AuditRuleSelectors, WriteOnlySelectorsMissTheReadCallsSomeRulesAreAbout) {
  EXPECT_TRUE(coverage(basic("WriteOnly"), "kms-cmk-disable-or-delete").covered);
  EXPECT_TRUE(coverage(basic("WriteOnly"), "vpc-changes").covered);
  SelectorCoverage c = coverage(basic("WriteOnly"), "unauthorized-api-calls");
  EXPECT_FALSE(c.covered);
  EXPECT_NE(c.description.find("read-only"), std::string::npos) << c.description;
  EXPECT_TRUE(coverage(basic("All"), "unauthorized-api-calls").covered);
  EXPECT_FALSE(coverage(basic("ReadOnly"), "vpc-changes").covered);
}

TEST(AuditRuleSelectors, AnExcludedSourceFailsOnlyTheRulesAboutIt) {
  const std::string no_kms = basic("All", R"("kms.amazonaws.com")");
  EXPECT_FALSE(coverage(no_kms, "kms-cmk-disable-or-delete").covered);
  EXPECT_TRUE(coverage(no_kms, "console-signin-without-mfa").covered);
  SelectorCoverage c = coverage(basic("All", R"("signin.amazonaws.com")"), "console-auth-failures");
  EXPECT_FALSE(c.covered);
  EXPECT_NE(c.description.find("signin.amazonaws.com"), std::string::npos) << c.description;
}

TEST(AuditRuleSelectors, AdvancedSelectorsAreCheckedAgainstEveryEventOfTheRule) {
  const std::string ec2_only =
      R"({"AdvancedEventSelectors":[{"Name":"ec2","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},)"
      R"({"Field":"eventSource","Equals":["ec2.amazonaws.com"]}]}]})";
  EXPECT_TRUE(coverage(ec2_only, "security-group-changes").covered);
  EXPECT_FALSE(coverage(ec2_only, "iam-policy-changes").covered);
  SelectorCoverage c = coverage(ec2_only, "root-account-usage");
  EXPECT_FALSE(c.covered);
  EXPECT_NE(c.description.find("leaves out iam.amazonaws.com"), std::string::npos) << c.description;
}

}  // namespace
}  // namespace trailwatch::audit
