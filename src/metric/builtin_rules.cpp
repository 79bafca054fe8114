#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trailwatch/pattern.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch {

namespace {

// CIS renumbered the monitoring section twice but kept its order: v1.2.0 has 3.N, v1.3.0 to v5.0.0 have 4.N,
// v6.0.0 has 5.N (docs/filter-patterns.md §8).
std::vector<CisNumber> cis_numbers(std::string_view v12, std::string_view v13_to_v5, std::string_view v6) {
  std::vector<CisNumber> numbers;
  if (!v12.empty()) numbers.push_back({"v1.2.0", v12});
  numbers.push_back({v12.empty() ? "v1.4.0-v5.0.0" : "v1.3.0-v5.0.0", v13_to_v5});
  numbers.push_back({"v6.0.0", v6});
  return numbers;
}

// The pack's patterns: the published texts, byte for byte, so that a user can compare them with what is
// deployed (docs/filter-patterns.md §8).
constexpr std::string_view kUnauthorizedApiCalls =
    R"({ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") })";
constexpr std::string_view kConsoleSignInWithoutMfa =
    R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") })";
constexpr std::string_view kRootAccountUsage =
    R"({ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" })";
constexpr std::string_view kIamPolicyChanges =
    R"({($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)})";
constexpr std::string_view kCloudTrailConfigChanges =
    R"({ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) })";
constexpr std::string_view kConsoleAuthFailures =
    R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") })";
constexpr std::string_view kCmkDisableOrDelete =
    "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = "
    "ScheduleKeyDeletion)) }";
constexpr std::string_view kS3BucketPolicyChanges =
    R"({ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) })";
constexpr std::string_view kAwsConfigChanges =
    R"({ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel) ||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) })";
constexpr std::string_view kSecurityGroupChanges =
    R"({ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) })";
constexpr std::string_view kNaclChanges =
    R"({ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) })";
constexpr std::string_view kNetworkGatewayChanges =
    R"({ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) })";
constexpr std::string_view kRouteTableChanges =
    R"({ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) })";
constexpr std::string_view kVpcChanges =
    R"({ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) })";
constexpr std::string_view kOrganizationsChanges =
    R"({ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) })";

BuiltinRule rule(std::string_view id, std::string_view title, std::string_view metric_name,
                 std::vector<CisNumber> cis, std::string_view security_hub, std::string_view source,
                 std::string_view pattern) {
  return BuiltinRule{id,  title,          pattern,      metric_name, "CloudTrailMetrics",
                     "1", std::move(cis), security_hub, source,      kCisAlarm};
}

}  // namespace

const std::vector<BuiltinRule>& builtin_rules() {
  // Where CIS published several texts for one control, the pack takes the one that counts what the control
  // means; lint_published_texts() shows what is wrong with the others.
  static const std::vector<BuiltinRule> rules = {
      rule("unauthorized-api-calls", "Unauthorized API calls", "UnauthorizedAPICalls",
           cis_numbers("3.1", "4.1", "5.1"), "CloudWatch.2",
           "CIS v1.2.0 3.1 (Security Hub CloudWatch.2 has the same clauses)", kUnauthorizedApiCalls),
      // The two-clause form: an SSO or federated console sign-in has no MFAUsed field, and a missing
      // field fails != as well, so those sign-ins are left out without the v3.0 alternative's extra
      // clauses.
      rule("console-signin-without-mfa", "Management console sign-in without MFA", "ConsoleSignInWithoutMFA",
           cis_numbers("3.2", "4.2", "5.2"), "CloudWatch.3",
           "CIS v1.2.0 3.2 (later versions publish the same clauses)", kConsoleSignInWithoutMfa),
      rule("root-account-usage", "Usage of the root account", "RootAccountUsage",
           cis_numbers("3.3", "4.3", "5.3"), "CloudWatch.1",
           "CIS v1.2.0 3.3 (later versions publish the same clauses)", kRootAccountUsage),
      // v1.4.0's copy: the v1.2.0 and v3.0.0 copies carry PDF line-break artefacts ("eventNa me").
      rule("iam-policy-changes", "IAM policy changes", "IAMPolicyChanges", cis_numbers("3.4", "4.4", "5.4"),
           "CloudWatch.4", "CIS v1.4.0 4.4", kIamPolicyChanges),
      rule("cloudtrail-config-changes", "CloudTrail configuration changes", "CloudTrailConfigChanges",
           cis_numbers("3.5", "4.5", "5.5"), "CloudWatch.5",
           "CIS v1.2.0 3.5 (later versions publish the same clauses)", kCloudTrailConfigChanges),
      rule("console-auth-failures", "Management console authentication failures", "ConsoleSignInFailures",
           cis_numbers("3.6", "4.6", "5.6"), "CloudWatch.6",
           "CIS v1.2.0 3.6 (later versions publish the same clauses)", kConsoleAuthFailures),
      // Respaced from the CIS text for reading; spacing does not change its meaning. Kept exactly as it
      // was before the pack grew: tests, the generator and the bundled sample quote it.
      rule("kms-cmk-disable-or-delete", "CMK disabled or scheduled for deletion", "CMKEventCount",
           cis_numbers("3.7", "4.7", "5.7"), "CloudWatch.7", "CIS v1.2.0 3.7, respaced (same meaning)",
           kCmkDisableOrDelete),
      rule("s3-bucket-policy-changes", "S3 bucket policy changes", "S3BucketPolicyChanges",
           cis_numbers("3.8", "4.8", "5.8"), "CloudWatch.8",
           "CIS v1.2.0 3.8 (later versions publish the same clauses)", kS3BucketPolicyChanges),
      rule("aws-config-changes", "AWS Config configuration changes", "AWSConfigChanges",
           cis_numbers("3.9", "4.9", "5.9"), "CloudWatch.9",
           "CIS v1.2.0 3.9 (later versions publish the same clauses)", kAwsConfigChanges),
      // v6.0.0 adds ModifySecurityGroupRules, the API that edits existing rules in place; the older
      // texts miss those edits.
      rule("security-group-changes", "Security group changes", "SecurityGroupChanges",
           cis_numbers("3.10", "4.10", "5.10"), "CloudWatch.10",
           "CIS v6.0.0 5.10 (adds ModifySecurityGroupRules to v1.2.0 3.10)", kSecurityGroupChanges),
      rule("nacl-changes", "Network ACL changes", "NACLChanges", cis_numbers("3.11", "4.11", "5.11"),
           "CloudWatch.11", "CIS v1.2.0 3.11 (later versions publish the same clauses)", kNaclChanges),
      rule("network-gateway-changes", "Network gateway changes", "NetworkGatewayChanges",
           cis_numbers("3.12", "4.12", "5.12"), "CloudWatch.12",
           "CIS v1.2.0 3.12 (later versions publish the same clauses)", kNetworkGatewayChanges),
      rule("route-table-changes", "Route table changes", "RouteTableChanges",
           cis_numbers("3.13", "4.13", "5.13"), "CloudWatch.13",
           "CIS v1.2.0 3.13 (later versions publish the same clauses)", kRouteTableChanges),
      rule("vpc-changes", "VPC changes", "VPCChanges", cis_numbers("3.14", "4.14", "5.14"), "CloudWatch.14",
           "CIS v1.2.0 3.14 (later versions publish the same clauses)", kVpcChanges),
      // CIS added this control in v1.4.0; Security Hub's CloudWatch controls stop at the v1.2.0 set.
      rule("organizations-changes", "AWS Organizations changes", "OrganizationsChanges",
           cis_numbers("", "4.15", "5.15"), "", "CIS v1.4.0 4.15 (v6.0.0 5.15 as published does not parse)",
           kOrganizationsChanges),
  };
  return rules;
}

const BuiltinRule& default_rule() {
  static const BuiltinRule& rule = *find_builtin_rule("kms-cmk-disable-or-delete");
  return rule;
}

const BuiltinRule* find_builtin_rule(std::string_view id) {
  for (const BuiltinRule& rule : builtin_rules())
    if (rule.id == id) return &rule;
  return nullptr;
}

std::vector<const BuiltinRule*> select_builtin_rules(const std::vector<std::string>& ids,
                                                     std::string& unknown) {
  std::vector<bool> wanted(builtin_rules().size(), false);
  for (const std::string& id : ids) {
    if (id == "cis") {
      wanted.assign(wanted.size(), true);
      continue;
    }
    const BuiltinRule* rule = find_builtin_rule(id);
    if (rule == nullptr) {
      unknown = id;
      return {};
    }
    wanted[static_cast<std::size_t>(rule - builtin_rules().data())] = true;
  }
  std::vector<const BuiltinRule*> selected;
  for (std::size_t i = 0; i < wanted.size(); ++i)
    if (wanted[i]) selected.push_back(&builtin_rules()[i]);
  return selected;
}

}  // namespace trailwatch
