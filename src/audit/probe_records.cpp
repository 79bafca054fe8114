// The records a candidate filter is run over. They are whole CloudTrail records, as CloudTrail delivers them
// to CloudWatch Logs, so that a pattern that tests any real field (userIdentity, errorCode, readOnly,
// resources) sees what it would see live.
#include <string>

#include "audit/probe_records.hpp"

namespace trailwatch::audit {

namespace {

constexpr const char* kAccount = "111122223333";
constexpr const char* kKeyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

struct Identity {
  const char* label;
  const char* json;
  const char* arn;
};

const Identity kUser{"an IAM user",
                     R"({"type":"IAMUser","principalId":"AIDAJ45Q7YFFAREXAMPLE",)"
                     R"("arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333",)"
                     R"("accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"alice"})",
                     "arn:aws:iam::111122223333:user/alice"};
const Identity kRole{
    "an assumed role",
    R"({"type":"AssumedRole","principalId":"AROAEXAMPLEROLEID1234:ops-session",)"
    R"("arn":"arn:aws:sts::111122223333:assumed-role/KeyAdmin/ops-session",)"
    R"("accountId":"111122223333","accessKeyId":"ASIAEXAMPLEKEYID1234",)"
    R"("sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLEROLEID1234",)"
    R"("arn":"arn:aws:iam::111122223333:role/KeyAdmin","accountId":"111122223333",)"
    R"("userName":"KeyAdmin"},"webIdFederationData":{},"attributes":)"
    R"({"creationDate":"2024-03-01T11:58:02Z","mfaAuthenticated":"false"}}})",
    "arn:aws:sts::111122223333:assumed-role/KeyAdmin/ops-session"};
const Identity kRoot{"root",
                     R"({"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root",)"
                     R"("accountId":"111122223333","accessKeyId":"ASIAEXAMPLEROOTKEY12",)"
                     R"("sessionContext":{"attributes":{"creationDate":"2024-03-01T11:40:13Z",)"
                     R"("mfaAuthenticated":"true"}}})",
                     "arn:aws:iam::111122223333:root"};

struct Call {
  std::string event_source;
  std::string event_name;
  bool read_only;
  std::string request;   // requestParameters
  std::string response;  // responseElements when it succeeds
};

std::string record(const Call& call, const Identity& who, bool denied, int serial) {
  std::string id = std::to_string(1000 + serial);
  std::string r = R"({"eventVersion":"1.08","userIdentity":)";
  r += who.json;
  r +=
      R"(,"eventTime":"2024-03-01T12:00:)" + std::string(serial < 10 ? "0" : "") +
      std::to_string(serial % 60) + R"(Z","eventSource":")" + call.event_source + R"(","eventName":")" +
      call.event_name +
      R"(","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23",)"
      R"("userAgent":"aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/kms.x",)";
  if (denied)
    r += R"("errorCode":"AccessDenied","errorMessage":"User: )" + std::string(who.arn) +
         R"( is not authorized to perform: kms:)" + call.event_name + R"( on resource: )" + kKeyArn +
         R"( because no identity-based policy allows the kms:)" + call.event_name + R"( action",)";
  r += R"("requestParameters":)" + call.request + R"(,"responseElements":)" +
       (denied ? std::string("null") : call.response) + R"(,"requestID":"4b2e6c1a-8f0d-4c39-9a57-0e2c7d5f)" +
       id + R"(","eventID":"9d3f1b7e-2a4c-4e8b-b6d0-5c1e3a7f)" + id + R"(","readOnly":)" +
       (call.read_only ? "true" : "false") + R"(,"resources":[{"accountId":")" + kAccount +
       R"(","type":"AWS::KMS::Key","ARN":")" + kKeyArn +
       R"("}],"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":")" + kAccount +
       R"(","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3",)"
       R"("cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"kms.us-east-1.amazonaws.com"}})";
  return r;
}

std::vector<Probe> build() {
  const std::string key = std::string(R"({"keyId":")") + kKeyArn + R"("})";
  const std::string source(kRuleEventSource);
  // The positives, one per kRuleEventNames entry in its order, each with its own request and response.
  const Call disable{source, std::string(kRuleEventNames[0]), false, key, "null"};
  const Call schedule{source, std::string(kRuleEventNames[1]), false,
                      std::string(R"({"keyId":")") + kKeyArn + R"(","pendingWindowInDays":7})",
                      std::string(R"({"keyId":")") + kKeyArn +
                          R"(","deletionDate":"Mar 8, 2024, 12:00:00 AM","keyState":"PendingDeletion",)"
                          R"("pendingWindowInDays":7})"};
  std::vector<Probe> out;
  int serial = 0;
  for (const Call* call : {&disable, &schedule})
    for (const Identity* who : {&kUser, &kRole, &kRoot})
      for (bool denied : {false, true})
        out.push_back(Probe{call->event_name + " by " + who->label + (denied ? ", AccessDenied" : ""),
                            call->event_name, true, record(*call, *who, denied, serial++)});

  std::vector<Call> negatives = {
      {source, "EnableKey", false, key, "null"},
      {source, "CancelKeyDeletion", false, key, key},
      {source, "Decrypt", true, R"({"encryptionAlgorithm":"SYMMETRIC_DEFAULT"})", "null"},
      {source, "CreateKey", false,
       R"({"description":"","keyUsage":"ENCRYPT_DECRYPT","keySpec":"SYMMETRIC_DEFAULT","origin":"AWS_KMS",)"
       R"("bypassPolicyLockoutSafetyCheck":false,"multiRegion":false})",
       std::string(R"({"keyMetadata":{"AWSAccountId":"111122223333","keyId":"1234abcd-12ab-34cd-56ef-)"
                   R"(1234567890ab","arn":")") +
           kKeyArn + R"(","keyState":"Enabled","keyUsage":"ENCRYPT_DECRYPT","origin":"AWS_KMS"}})"},
  };
  // The rule's event names, emitted by another service: a pattern on eventName alone catches them.
  for (std::string_view name : kRuleEventNames)
    negatives.push_back({"payment-cryptography.amazonaws.com", std::string(name), false, key, "null"});
  for (const Call& call : negatives) {
    std::string label = call.event_name + (call.event_source == source ? "" : " from " + call.event_source) +
                        " by an assumed role";
    out.push_back(Probe{label, call.event_name, false, record(call, kRole, false, serial++)});
  }
  return out;
}

}  // namespace

std::string rule_events_text() {
  std::string names;
  for (std::string_view name : kRuleEventNames) {
    if (!names.empty()) names += " or ";
    names += name;
  }
  return names + " from " + std::string(kRuleEventSource);
}

const std::vector<Probe>& probes() {
  static const std::vector<Probe> all = build();
  return all;
}

}  // namespace trailwatch::audit
