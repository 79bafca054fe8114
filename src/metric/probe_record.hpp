// Building the probe records of the built-in rules (trailwatch/rule_probes.hpp): the identities CloudTrail
// names in userIdentity and a whole record around one call, in the field order CloudTrail writes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/rule_probes.hpp"

namespace trailwatch::probe {

/// Who made a call, as userIdentity: `label` says it in a probe's label ("an IAM user").
struct Identity {
  const char* label;
  const char* json;
  const char* arn;
};
extern const Identity kIamUser;
extern const Identity kAssumedRole;
extern const Identity kRoot;
/// Root's credentials used by an AWS service on root's behalf (userIdentity.invokedBy).
extern const Identity kRootViaService;
/// A console user federated through a SAML identity provider (an assumed role, no IAM user).
extern const Identity kSamlUser;
/// A user of IAM Identity Center (AWS SSO), signed in through the AWS access portal.
extern const Identity kSsoUser;
/// An AWS service acting for the account (AwsServiceEvent records).
extern const Identity kAwsService;

/// One call, and what CloudTrail recorded of it beyond the identity.
struct Call {
  std::string source;
  std::string name;
  bool read_only = false;
  std::string request = "null";   // requestParameters, JSON
  std::string response = "null";  // responseElements, JSON
  std::string error_code;         // empty: it succeeded
  std::string error_message;
  std::string event_type = "AwsApiCall";
  std::string additional;  // additionalEventData, JSON; empty: none
  std::string host;        // tlsDetails.clientProvidedHostHeader; empty: <service>.us-east-1.amazonaws.com
};

/// The record CloudTrail writes for `call` by `who`; `serial` makes its ids and time unique.
std::string record(const Call& call, const Identity& who, int serial);

/// A probe for `call` by `who`, labelled "<name> by <who>[, <errorCode>]" unless `label` is given.
RuleProbe make(const Call& call, const Identity& who, bool positive, int serial, std::string label = {});

}  // namespace trailwatch::probe

namespace trailwatch::probe {
/// The probes of each rule (rule_probes_*.cpp).
std::vector<RuleProbe> kms_cmk_probes();
/// The probes of the rule `id` (rule_probes.cpp); empty for an id that is not a built-in rule.
std::vector<RuleProbe> build_rule_probes(std::string_view rule_id);
}  // namespace trailwatch::probe
