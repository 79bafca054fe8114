#include <gtest/gtest.h>

#include <string>

#include "audit/probe_judge.hpp"
#include "audit/probe_records.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::audit {
namespace {

// (Strings are moved in, not assigned from literals: GCC 12 warns falsely on the inlined assignment.)
FilterJudgement judge(const std::string& pattern, const std::string& value = "1",
                      std::string_view region = {}, std::string_view account = {}) {
  ConfiguredFilter f;
  f.name = std::string("f");
  f.log_group = std::string("g");
  f.pattern = pattern;
  f.metric.name = std::string(default_rule().metric_name);
  f.metric.value = value;
  return judge_filter(f, region, account);
}

TEST(AuditProbes, CoverUsersRolesRootSuccessAndFailure) {
  int positives = 0;
  int denied = 0;
  for (const Probe& p : probes()) {
    if (!p.positive) continue;
    ++positives;
    EXPECT_NE(p.record.find("\"eventSource\":\"kms.amazonaws.com\""), std::string::npos) << p.label;
    if (p.record.find("\"errorCode\":\"AccessDenied\"") != std::string::npos) ++denied;
  }
  EXPECT_EQ(positives, 12);
  EXPECT_EQ(denied, 6);
  EXPECT_EQ(probes().size(), 18u);
}

TEST(AuditFilterJudge, TheCisTextIsEquivalent) {
  EXPECT_EQ(judge(std::string(default_rule().pattern)).verdict, FilterVerdict::Equivalent);
}

// Whitespace, quoting and clause order never change the verdict.
TEST(AuditFilterJudge, SpellingDoesNotMatter) {
  const char* spellings[] = {
      "{($.eventSource=kms.amazonaws.com)&&(($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}",
      "{ (($.eventName = \"ScheduleKeyDeletion\") || ($.eventName = \"DisableKey\")) && "
      "($.eventSource = \"kms.amazonaws.com\") }",
      "{\n  ($.eventSource = \"kms.amazonaws.com\")\n  &&\n  (($.eventName=DisableKey) ||\n"
      "   ($.eventName=ScheduleKeyDeletion))\n}",
      "{ $.eventSource = \"kms.amazonaws.com\" && ($.eventName = \"DisableKey\" || $.eventName = "
      "\"ScheduleKeyDeletion\") }",
      "{ ($.eventName = ScheduleKeyDeletion && $.eventSource = kms.amazonaws.com) || ($.eventSource = "
      "kms.amazonaws.com && $.eventName = DisableKey) }",
  };
  for (const char* p : spellings) EXPECT_EQ(judge(p).verdict, FilterVerdict::Equivalent) << p;
}

TEST(AuditFilterJudge, NarrowerNamesWhatItMisses) {
  FilterJudgement j = judge("{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }");
  EXPECT_EQ(j.verdict, FilterVerdict::Narrower);
  EXPECT_EQ(j.missed(), "ScheduleKeyDeletion (all 6 probes)");

  j = judge(
      "{ $.eventSource = kms.amazonaws.com && ($.eventName = DisableKey || $.eventName = "
      "ScheduleKeyDeletion) && $.errorCode NOT EXISTS }");
  EXPECT_EQ(j.verdict, FilterVerdict::Narrower);
  EXPECT_NE(j.missed().find("DisableKey by root, AccessDenied"), std::string::npos) << j.missed();

  j = judge(
      "{ $.eventSource = kms.amazonaws.com && ($.eventName = DisableKey || $.eventName = "
      "ScheduleKeyDeletion) && $.userIdentity.type = IAMUser }");
  EXPECT_EQ(j.verdict, FilterVerdict::Narrower);
  EXPECT_NE(j.missed().find("an assumed role"), std::string::npos) << j.missed();
}

TEST(AuditFilterJudge, BroaderPassesWithWhatElseItCatches) {
  FilterJudgement j = judge("{ $.eventSource = kms.amazonaws.com }");
  EXPECT_EQ(j.verdict, FilterVerdict::Broader);
  EXPECT_EQ(j.extra(),
            "EnableKey by an assumed role; CancelKeyDeletion by an assumed role; Decrypt by an assumed role; "
            "CreateKey by an assumed role");

  j = judge("{ ($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion) }");
  EXPECT_EQ(j.verdict, FilterVerdict::Broader);
  EXPECT_NE(j.extra().find("payment-cryptography.amazonaws.com"), std::string::npos) << j.extra();

  EXPECT_EQ(judge("").verdict, FilterVerdict::Broader);  // the empty pattern matches every event
  EXPECT_EQ(judge("DisableKey ScheduleKeyDeletion").verdict, FilterVerdict::Unrelated);
  EXPECT_EQ(judge("?DisableKey ?ScheduleKeyDeletion").verdict, FilterVerdict::Broader);
}

TEST(AuditFilterJudge, UnrelatedAndUnparsable) {
  EXPECT_EQ(judge("{ $.eventName = ConsoleLogin }").verdict, FilterVerdict::Unrelated);
  FilterJudgement j = judge("{ ($.eventSource = kms.amazonaws.com }");
  EXPECT_EQ(j.verdict, FilterVerdict::Unparsable);
  EXPECT_NE(j.error.find("expected"), std::string::npos) << j.error;
}

// A multi-region trail's log group holds every region's events: the probes carry the audited region (and
// account), so a filter pinned to another region does not pass for this one.
TEST(AuditFilterJudge, ProbesCarryTheAuditedRegionAndAccount) {
  const std::string rule(default_rule().pattern.substr(0, default_rule().pattern.size() - 1));
  const std::string pinned = rule + "&& ($.awsRegion = us-east-1) }";
  EXPECT_EQ(judge(pinned).verdict, FilterVerdict::Equivalent);
  EXPECT_EQ(judge(pinned, "1", "us-east-1", "123456789012").verdict, FilterVerdict::Equivalent);
  EXPECT_EQ(judge(pinned, "1", "eu-west-1", "123456789012").verdict, FilterVerdict::Unrelated);

  const std::string own = rule + "&& ($.recipientAccountId = 123456789012) }";
  EXPECT_EQ(judge(own, "1", "eu-west-1", "123456789012").verdict, FilterVerdict::Equivalent);
  EXPECT_EQ(judge(own, "1", "eu-west-1", "999988887777").verdict, FilterVerdict::Unrelated);
  // Anything that is not a region or an account id is left alone (the records stay valid JSON).
  EXPECT_EQ(judge(own, "1", "eu-west-1\"", "1234\"").verdict, FilterVerdict::Unrelated);
}

TEST(AuditFilterJudge, ValuesComeFromTheTransformation) {
  FilterJudgement j = judge(std::string(default_rule().pattern), "$.requestParameters.pendingWindowInDays");
  for (const ProbeOutcome& o : j.outcomes) {
    if (!o.probe->positive) continue;
    if (o.probe->event_name == "ScheduleKeyDeletion")
      EXPECT_EQ(o.value, std::optional<double>(7)) << o.probe->label;
    else
      EXPECT_FALSE(o.value) << o.probe->label;
  }
}

FilterJudgement judge_rule(std::string_view rule_id, const std::string& pattern) {
  ConfiguredFilter f;
  f.name = std::string("f");
  f.log_group = std::string("g");
  f.pattern = pattern;
  f.metric.name = std::string("M");
  return judge_filter(f, {}, {}, *find_builtin_rule(rule_id));
}

// Every rule's own published pattern passes its own audit, in every audited region and account.
TEST(AuditFilterJudge, EveryBuiltinPatternIsEquivalentForItsRule) {
  for (const BuiltinRule& rule : builtin_rules()) {
    EXPECT_EQ(judge_rule(rule.id, std::string(rule.pattern)).verdict, FilterVerdict::Equivalent) << rule.id;
    ConfiguredFilter f;
    f.pattern = std::string(rule.pattern);
    f.metric.name = std::string("M");
    EXPECT_EQ(judge_filter(f, "eu-west-3", "123456789012", rule).verdict, FilterVerdict::Equivalent)
        << rule.id;
  }
}

// CIS texts before v6.0.0 leave out ModifySecurityGroupRules, which edits a group's rules in place.
TEST(AuditFilterJudge, APublishedTextThatMissesAnEventIsNarrowerAndNamesIt) {
  const std::string v12 =
      "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
      "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
      "($.eventName = "
      "CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";
  FilterJudgement j = judge_rule("security-group-changes", v12);
  EXPECT_EQ(j.verdict, FilterVerdict::Narrower);
  EXPECT_EQ(j.missed(), "ModifySecurityGroupRules by an assumed role");
}

// CIS v1.4.0's CLI step joins its exclusions with || and so matches nearly every event: broader.
TEST(AuditFilterJudge, APublishedTextThatMatchesTooMuchIsBroader) {
  FilterJudgement j =
      judge_rule("unauthorized-api-calls",
                 R"({ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || )"
                 R"(($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") })");
  EXPECT_EQ(j.verdict, FilterVerdict::Broader);
  EXPECT_NE(j.extra().find("RunInstances"), std::string::npos) << j.extra();
}

// Narrowings a deployed filter often carries, each caught by a probe for the way of the event it drops.
TEST(AuditFilterJudge, DroppingAWayOfTheEventIsNarrower) {
  struct Case {
    const char* rule;
    const char* pattern;
    const char* missed;
  } cases[] = {
      {"unauthorized-api-calls", R"({ $.errorCode = "AccessDenied*" })", "Client.UnauthorizedOperation"},
      {"unauthorized-api-calls", R"({ $.errorCode = "*UnauthorizedOperation" })", "AccessDenied"},
      {"console-signin-without-mfa",
       R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && )"
       R"(($.userIdentity.type = "IAMUser") })",
       "ConsoleLogin by root without MFA"},
      {"root-account-usage", R"({ $.userIdentity.type = "Root" && $.eventType = "AwsApiCall" })",
       "ConsoleLogin by root"},
      {"console-auth-failures",
       R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") && )"
       R"(($.userIdentity.type = "IAMUser") })",
       "failed ConsoleLogin by root"},
      {"s3-bucket-policy-changes",
       R"({ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy)) })",
       "PutBucketCors"},
  };
  for (const Case& c : cases) {
    FilterJudgement j = judge_rule(c.rule, c.pattern);
    EXPECT_EQ(j.verdict, FilterVerdict::Narrower) << c.rule << ": " << c.pattern;
    EXPECT_NE(j.missed().find(c.missed), std::string::npos) << c.rule << ": " << j.missed();
  }
}

// Widenings: each caught by a look-alike.
TEST(AuditFilterJudge, LeavingOutAnExclusionIsBroader) {
  EXPECT_EQ(judge_rule("root-account-usage", R"({ $.userIdentity.type = "Root" })").verdict,
            FilterVerdict::Broader);
  EXPECT_EQ(judge_rule("console-signin-without-mfa", R"({ $.eventName = "ConsoleLogin" })").verdict,
            FilterVerdict::Broader);
  EXPECT_EQ(
      judge_rule("organizations-changes",
                 R"({ ($.eventName = "CreatePolicy") || ($.eventSource = organizations.amazonaws.com) })")
          .verdict,
      FilterVerdict::Broader);
}

}  // namespace
}  // namespace trailwatch::audit
