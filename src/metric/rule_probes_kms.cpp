// The probes of "CMK disabled or scheduled for deletion": DisableKey and ScheduleKeyDeletion from kms by an
// IAM user, an assumed role and root, each successful and denied; look-alikes EnableKey, CancelKeyDeletion,
// Decrypt, CreateKey from kms, and the rule's event names from another service. Its records carry the key in
// `resources` and the AccessDenied message KMS writes, as the KMS developer guide's examples do.
#include <array>
#include <string>

#include "probe_record.hpp"

namespace trailwatch::probe {

namespace {

constexpr const char* kKeyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
constexpr const char* kAccount = "111122223333";
constexpr const char* kSource = "kms.amazonaws.com";
constexpr std::array<const char*, 2> kEventNames = {"DisableKey", "ScheduleKeyDeletion"};

struct KmsCall {
  std::string event_source;
  std::string event_name;
  bool read_only;
  std::string request;   // requestParameters
  std::string response;  // responseElements when it succeeds
};

std::string kms_record(const KmsCall& call, const Identity& who, bool denied, int serial) {
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

}  // namespace

std::vector<RuleProbe> kms_cmk_probes() {
  const std::string key = std::string(R"({"keyId":")") + kKeyArn + R"("})";
  const std::string source(kSource);
  // The positives, one per kEventNames entry in its order, each with its own request and response.
  const KmsCall disable{source, std::string(kEventNames[0]), false, key, "null"};
  const KmsCall schedule{source, std::string(kEventNames[1]), false,
                         std::string(R"({"keyId":")") + kKeyArn + R"(","pendingWindowInDays":7})",
                         std::string(R"({"keyId":")") + kKeyArn +
                             R"(","deletionDate":"Mar 8, 2024, 12:00:00 AM","keyState":"PendingDeletion",)"
                             R"("pendingWindowInDays":7})"};
  std::vector<RuleProbe> out;
  int serial = 0;
  for (const KmsCall* call : {&disable, &schedule})
    for (const Identity* who : {&kIamUser, &kAssumedRole, &kRoot})
      for (bool denied : {false, true})
        out.push_back(RuleProbe{call->event_name + " by " + who->label + (denied ? ", AccessDenied" : ""),
                                call->event_source, call->event_name, false, true,
                                kms_record(*call, *who, denied, serial++)});

  std::vector<KmsCall> negatives = {
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
  for (const char* name : kEventNames)
    negatives.push_back({"payment-cryptography.amazonaws.com", std::string(name), false, key, "null"});
  for (const KmsCall& call : negatives) {
    std::string label = call.event_name + (call.event_source == source ? "" : " from " + call.event_source) +
                        " by an assumed role";
    out.push_back(RuleProbe{label, call.event_source, call.event_name, call.read_only, false,
                            kms_record(call, kAssumedRole, false, serial++)});
  }
  return out;
}

}  // namespace trailwatch::probe
