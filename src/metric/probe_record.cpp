// The records are whole, as CloudTrail delivers them to CloudWatch Logs, so that a pattern testing any real
// field (userIdentity, errorCode, readOnly, additionalEventData) sees what it would see live. Shapes follow
// public CloudTrail records (the AWS CloudTrail and KMS user guides' examples, and records captured from real
// accounts); identifiers are AWS's documentation placeholders.
#include "probe_record.hpp"

#include <fmt/format.h>

namespace trailwatch::probe {

const Identity kIamUser{"an IAM user",
                        R"({"type":"IAMUser","principalId":"AIDAJ45Q7YFFAREXAMPLE",)"
                        R"("arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333",)"
                        R"("accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"alice"})",
                        "arn:aws:iam::111122223333:user/alice"};
const Identity kAssumedRole{
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
const Identity kRootViaService{
    "root through an AWS service (invokedBy)",
    R"({"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root",)"
    R"("accountId":"111122223333","invokedBy":"support.amazonaws.com"})",
    "arn:aws:iam::111122223333:root"};
const Identity kSamlUser{
    "a SAML-federated user",
    R"({"type":"AssumedRole","principalId":"AROAEXAMPLESAMLROLE12:jdoe@example.com",)"
    R"("arn":"arn:aws:sts::111122223333:assumed-role/ADFS-Admins/jdoe@example.com",)"
    R"("accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role",)"
    R"("principalId":"AROAEXAMPLESAMLROLE12","arn":"arn:aws:iam::111122223333:role/ADFS-Admins",)"
    R"("accountId":"111122223333","userName":"ADFS-Admins"},"webIdFederationData":{},)"
    R"("attributes":{"creationDate":"2024-03-01T11:59:40Z","mfaAuthenticated":"false"}}})",
    "arn:aws:sts::111122223333:assumed-role/ADFS-Admins/jdoe@example.com"};
const Identity kSsoUser{
    "an IAM Identity Center user",
    R"({"type":"AssumedRole","principalId":"AROAEXAMPLESSOROLE123:jdoe",)"
    R"("arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jdoe",)"
    R"("accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role",)"
    R"("principalId":"AROAEXAMPLESSOROLE123","arn":"arn:aws:iam::111122223333:role/aws-reserved/)"
    R"(sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef","accountId":"111122223333",)"
    R"("userName":"AWSReservedSSO_AdministratorAccess_0123456789abcdef"},"webIdFederationData":{},)"
    R"("attributes":{"creationDate":"2024-03-01T11:59:50Z","mfaAuthenticated":"false"}}})",
    "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jdoe"};
const Identity kAwsService{"an AWS service", R"({"accountId":"111122223333","invokedBy":"AWS Internal"})",
                           ""};

std::string record(const Call& call, const Identity& who, int serial) {
  const std::string id = std::to_string(1000 + serial);
  const std::string second = fmt::format("{:02d}", serial % 60);
  const bool sign_in = call.event_type == "AwsConsoleSignIn";
  std::string r = R"({"eventVersion":"1.08","userIdentity":)";
  r += who.json;
  r += R"(,"eventTime":"2024-03-01T12:01:)" + second + R"(Z","eventSource":")" + call.source +
       R"(","eventName":")" + call.name + R"(","awsRegion":"us-east-1","sourceIPAddress":)";
  r += who.json == kAwsService.json ? R"("AWS Internal")" : R"("198.51.100.23")";
  r += R"(,"userAgent":)";
  r += sign_in ? R"("Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0")"
               : R"("aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off")";
  // A failed console sign-in has an errorMessage and no errorCode.
  if (!call.error_code.empty()) r += R"(,"errorCode":")" + call.error_code + '"';
  if (!call.error_message.empty()) r += R"(,"errorMessage":")" + call.error_message + '"';
  r += R"(,"requestParameters":)" + call.request + R"(,"responseElements":)" + call.response;
  if (!call.additional.empty()) r += R"(,"additionalEventData":)" + call.additional;
  if (!sign_in) r += R"(,"requestID":"4b2e6c1a-8f0d-4c39-9a57-0e2c7d5f)" + id + '"';
  r += R"(,"eventID":"9d3f1b7e-2a4c-4e8b-b6d0-5c1e3a7f)" + id + R"(","readOnly":)" +
       (call.read_only ? "true" : "false") + R"(,"eventType":")" + call.event_type +
       R"(","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management")";
  if (call.event_type != "AwsServiceEvent") {
    const std::string host = call.host.empty()
                                 ? call.source.substr(0, call.source.find('.')) + ".us-east-1.amazonaws.com"
                                 : call.host;
    r += R"(,"tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256",)"
         R"("clientProvidedHostHeader":")" +
         host + R"("})";
  }
  return r + "}";
}

RuleProbe make(const Call& call, const Identity& who, bool positive, int serial, std::string label) {
  if (label.empty())
    label = call.name + " by " + who.label + (call.error_code.empty() ? "" : ", " + call.error_code);
  return RuleProbe{std::move(label), call.source, call.name,
                   call.read_only,   positive,    record(call, who, serial)};
}

}  // namespace trailwatch::probe
