// The probes of the built-in rules other than the KMS one (rule_probes_kms.cpp). For each rule: every way
// the control's events happen (each event name of a change rule, each error code and identity of the
// others), and look-alikes the control is not about. A look-alike is never something the control should
// arguably catch: the probes judge a filter narrower or broader, so they state only what the control means.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "probe_record.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::probe {

namespace {

constexpr const char* kSignIn = "signin.amazonaws.com";
constexpr const char* kSignInHost = "signin.aws.amazon.com";
constexpr const char* kIam = "iam.amazonaws.com";
constexpr const char* kEc2 = "ec2.amazonaws.com";

Call console_login(std::string mfa_used, bool failed = false) {
  Call c;
  c.source = kSignIn;
  c.name = "ConsoleLogin";
  c.event_type = "AwsConsoleSignIn";
  c.host = kSignInHost;
  c.response = failed ? R"({"ConsoleLogin":"Failure"})" : R"({"ConsoleLogin":"Success"})";
  if (failed) c.error_message = "Failed authentication";
  c.additional = R"({"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No")";
  if (!mfa_used.empty()) c.additional += R"(,"MFAUsed":")" + mfa_used + '"';
  c.additional += "}";
  return c;
}

// A federated console sign-in: no MFAUsed (MFA, if any, happened at the identity provider).
Call federated_login(const char* provider_field) {
  Call c = console_login("");
  c.additional =
      std::string(R"({"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No",)") +
      provider_field + "}";
  return c;
}

Call api(std::string source, std::string name, bool read_only = false) {
  Call c;
  c.source = std::move(source);
  c.name = std::move(name);
  c.read_only = read_only;
  c.request = "{}";
  return c;
}

Call failed(Call c, std::string code, std::string message) {
  c.error_code = std::move(code);
  c.error_message = std::move(message);
  return c;
}

// A change rule: each of `names` from `source`, by an assumed role, an IAM user and root in turn (a filter
// must not depend on who made the change); `lookalikes` by an assumed role.
std::vector<RuleProbe> changes(const std::string& source, const std::vector<std::string>& names,
                               const std::vector<Call>& lookalikes) {
  const Identity* who[] = {&kAssumedRole, &kIamUser, &kRoot};
  std::vector<RuleProbe> out;
  int serial = 0;
  for (std::size_t i = 0; i < names.size(); ++i)
    out.push_back(make(api(source, names[i]), *who[i % 3], true, serial++));
  for (const Call& c : lookalikes) {
    std::string label = c.name + (c.source == source ? "" : " from " + c.source) + " by an assumed role";
    out.push_back(make(c, kAssumedRole, false, serial++, label));
  }
  return out;
}

std::vector<RuleProbe> unauthorized_api_calls() {
  int serial = 0;
  const std::string ec2_denied =
      "You are not authorized to perform this operation. Encoded authorization failure message: "
      "4Pn0EXAMPLEm9cPyz2tqUuVtE0pEXAMPLE";
  return {
      make(failed(api(kEc2, "RunInstances"), "Client.UnauthorizedOperation", ec2_denied), kIamUser, true,
           serial++),
      make(failed(api(kEc2, "DescribeInstances", true), "Client.UnauthorizedOperation", ec2_denied),
           kAssumedRole, true, serial++),
      make(failed(api(kIam, "ListUsers", true), "AccessDenied",
                  "User: arn:aws:sts::111122223333:assumed-role/KeyAdmin/ops-session is not authorized to "
                  "perform: iam:ListUsers on resource: arn:aws:iam::111122223333:user/ because no "
                  "identity-based policy allows the iam:ListUsers action"),
           kAssumedRole, true, serial++),
      make(failed(api("s3.amazonaws.com", "PutBucketPolicy"), "AccessDenied", "Access Denied"), kIamUser,
           true, serial++),
      make(failed(api("lambda.amazonaws.com", "ListFunctions20150331", true), "AccessDeniedException",
                  "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: "
                  "lambda:ListFunctions on resource: * because no identity-based policy allows the "
                  "lambda:ListFunctions action"),
           kIamUser, true, serial++),
      make(api(kEc2, "RunInstances"), kIamUser, false, serial++, "RunInstances by an IAM user, succeeded"),
      make(failed(api(kEc2, "RunInstances"), "Client.DryRunOperation",
                  "Request would have succeeded, but DryRun flag is set."),
           kIamUser, false, serial++),
      make(failed(api(kIam, "GetUser", true), "NoSuchEntityException",
                  "The user with name bob cannot be found."),
           kAssumedRole, false, serial++),
      make(failed(api("cloudtrail.amazonaws.com", "UpdateTrail"), "TrailNotFoundException",
                  "Unknown trail: arn:aws:cloudtrail:us-east-1:111122223333:trail/main for the user: "
                  "111122223333"),
           kAssumedRole, false, serial++),
  };
}

std::vector<RuleProbe> console_signin_without_mfa() {
  int serial = 0;
  return {
      make(console_login("No"), kIamUser, true, serial++, "ConsoleLogin by an IAM user without MFA"),
      make(console_login("No"), kRoot, true, serial++, "ConsoleLogin by root without MFA"),
      make(console_login("Yes"), kIamUser, false, serial++, "ConsoleLogin by an IAM user with MFA"),
      make(console_login("Yes"), kRoot, false, serial++, "ConsoleLogin by root with MFA"),
      make(federated_login(R"("SamlProviderArn":"arn:aws:iam::111122223333:saml-provider/ADFS")"), kSamlUser,
           false, serial++, "ConsoleLogin by a SAML-federated user"),
      make(federated_login(R"("CredentialType":"SSO")"), kSsoUser, false, serial++,
           "ConsoleLogin by an IAM Identity Center user"),
  };
}

std::vector<RuleProbe> root_account_usage() {
  int serial = 0;
  Call challenge = api(kSignIn, "CredentialChallenge");
  challenge.event_type = "AwsServiceEvent";
  challenge.request = "null";
  challenge.additional = R"({"CredentialType":"PASSWORD"})";
  Call login = console_login("Yes");
  return {
      make(api(kIam, "CreateAccessKey"), kRoot, true, serial++),
      make(login, kRoot, true, serial++, "ConsoleLogin by root"),
      make(failed(api(kEc2, "DescribeInstances", true), "Client.UnauthorizedOperation",
                  "You are not authorized to perform this operation."),
           kRoot, true, serial++),
      make(api(kEc2, "DescribeInstances", true), kRootViaService, false, serial++),
      make(challenge, kRoot, false, serial++, "CredentialChallenge (AwsServiceEvent) for root"),
      make(api(kIam, "CreateAccessKey"), kIamUser, false, serial++),
      make(login, kIamUser, false, serial++, "ConsoleLogin by an IAM user"),
  };
}

std::vector<RuleProbe> console_auth_failures() {
  int serial = 0;
  return {
      make(console_login("No", true), kIamUser, true, serial++, "failed ConsoleLogin by an IAM user"),
      make(console_login("No", true), kRoot, true, serial++, "failed ConsoleLogin by root"),
      make(console_login("No"), kIamUser, false, serial++, "successful ConsoleLogin by an IAM user"),
      make(console_login("Yes"), kRoot, false, serial++, "successful ConsoleLogin by root"),
  };
}

std::vector<Call> reads(const std::string& source, std::vector<std::string> names) {
  std::vector<Call> out;
  for (std::string& n : names) out.push_back(api(source, std::move(n), true));
  return out;
}

}  // namespace

std::vector<RuleProbe> build_rule_probes(std::string_view id) {
  if (id == "unauthorized-api-calls") return unauthorized_api_calls();
  if (id == "console-signin-without-mfa") return console_signin_without_mfa();
  if (id == "root-account-usage") return root_account_usage();
  if (id == "console-auth-failures") return console_auth_failures();
  if (id == "kms-cmk-disable-or-delete") return kms_cmk_probes();
  if (id == "iam-policy-changes") {
    std::vector<Call> like = reads(kIam, {"GetPolicy", "ListPolicies"});
    like.push_back(api(kIam, "CreateUser"));
    return changes(kIam,
                   {"DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy",
                    "PutRolePolicy", "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion",
                    "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy",
                    "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy"},
                   like);
  }
  if (id == "cloudtrail-config-changes")
    return changes("cloudtrail.amazonaws.com",
                   {"CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"},
                   reads("cloudtrail.amazonaws.com", {"DescribeTrails", "GetTrailStatus", "LookupEvents"}));
  if (id == "s3-bucket-policy-changes") {
    const std::string s3 = "s3.amazonaws.com";
    std::vector<Call> like = reads(s3, {"GetBucketPolicy", "GetBucketAcl", "ListBuckets"});
    like.push_back(api(s3, "CreateBucket"));
    // The same name from another service: the pattern must pin eventSource.
    like.push_back(api("s3-outposts.amazonaws.com", "PutBucketPolicy"));
    return changes(
        s3,
        {"PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
         "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication"},
        like);
  }
  if (id == "aws-config-changes") {
    const std::string config = "config.amazonaws.com";
    std::vector<Call> like = reads(config, {"DescribeConfigurationRecorders", "DescribeDeliveryChannels"});
    like.push_back(api(config, "StartConfigurationRecorder"));
    return changes(config,
                   {"StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel",
                    "PutConfigurationRecorder"},
                   like);
  }
  if (id == "security-group-changes")
    return changes(kEc2,
                   {"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
                    "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup",
                    "DeleteSecurityGroup", "ModifySecurityGroupRules"},
                   reads(kEc2, {"DescribeSecurityGroups", "DescribeSecurityGroupRules"}));
  if (id == "nacl-changes")
    return changes(kEc2,
                   {"CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
                    "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"},
                   reads(kEc2, {"DescribeNetworkAcls"}));
  if (id == "network-gateway-changes")
    return changes(kEc2,
                   {"CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
                    "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway"},
                   reads(kEc2, {"DescribeInternetGateways", "DescribeCustomerGateways"}));
  if (id == "route-table-changes")
    return changes(kEc2,
                   {"CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation",
                    "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable"},
                   reads(kEc2, {"DescribeRouteTables"}));
  if (id == "vpc-changes")
    return changes(
        kEc2,
        {"CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
         "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection",
         "AttachClassicLinkVpc", "DetachClassicLinkVpc", "DisableVpcClassicLink", "EnableVpcClassicLink"},
        reads(kEc2, {"DescribeVpcs", "DescribeVpcPeeringConnections"}));
  if (id == "organizations-changes") {
    const std::string org = "organizations.amazonaws.com";
    std::vector<Call> like = reads(org, {"DescribeOrganization", "ListAccounts"});
    // IAM has a CreatePolicy too: the pattern must pin eventSource.
    like.push_back(api(kIam, "CreatePolicy"));
    return changes(
        org,
        {"AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy",
         "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy",
         "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization",
         "MoveAccount", "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit"},
        like);
  }
  return {};
}

}  // namespace trailwatch::probe

namespace trailwatch {

const std::vector<RuleProbe>& rule_probes(std::string_view rule_id) {
  // Built once per rule, in the pack's order, so a probe's address is stable for the life of the program.
  static const std::map<std::string_view, std::vector<RuleProbe>> all = [] {
    std::map<std::string_view, std::vector<RuleProbe>> m;
    for (const BuiltinRule& r : builtin_rules()) m.emplace(r.id, probe::build_rule_probes(r.id));
    return m;
  }();
  static const std::vector<RuleProbe> none;
  auto it = all.find(rule_id);
  return it == all.end() ? none : it->second;
}

}  // namespace trailwatch
