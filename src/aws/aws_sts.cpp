#include "aws/aws_sts.hpp"

#include <pugixml.hpp>

#include "aws/aws_errors.hpp"
#include "aws/retry_policy.hpp"
#include "aws/sigv4.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

// The <Credentials> of `<operation>Result` in an STS response.
Credentials parse_sts_credentials(std::string_view xml, const std::string& operation) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size()))
    throw ApiError("InvalidResponse", 0, operation + ": the response is not XML");
  pugi::xml_node credentials =
      doc.document_element().child((operation + "Result").c_str()).child("Credentials");
  Credentials out{credentials.child_value("AccessKeyId"), credentials.child_value("SecretAccessKey"),
                  credentials.child_value("SessionToken")};
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    throw ApiError("InvalidResponse", 0, operation + ": the response holds no credentials");
  }
  out.expiration = parse_expiration(credentials.child_value("Expiration"));
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> assume_role_params(const AssumeRoleRequest& request) {
  std::vector<std::pair<std::string, std::string>> params = {{"RoleArn", request.role_arn},
                                                             {"RoleSessionName", request.role_session_name}};
  if (!request.external_id.empty()) params.emplace_back("ExternalId", request.external_id);
  if (request.duration_seconds)
    params.emplace_back("DurationSeconds", std::to_string(*request.duration_seconds));
  return params;
}

Credentials parse_assume_role_response(std::string_view xml) {
  return parse_sts_credentials(xml, "AssumeRole");
}

Credentials assume_role(AwsClient& client, const AssumeRoleRequest& request) {
  const ServiceInfo* sts = find_service("sts");
  return parse_assume_role_response(
      client.call_query(request.region, *sts, "AssumeRole", assume_role_params(request)));
}

std::vector<std::pair<std::string, std::string>> web_identity_params(const WebIdentityRequest& request) {
  return {{"Action", "AssumeRoleWithWebIdentity"},
          {"Version", "2011-06-15"},
          {"RoleArn", request.role_arn},
          {"RoleSessionName", request.role_session_name},
          {"WebIdentityToken", request.token}};
}

Credentials parse_web_identity_response(std::string_view xml) {
  return parse_sts_credentials(xml, "AssumeRoleWithWebIdentity");
}

Credentials assume_role_with_web_identity(const Transport& transport, const WebIdentityRequest& request,
                                          const std::optional<std::string>& endpoint_url) {
  const std::string region = request.region.empty() ? "us-east-1" : request.region;
  const Endpoint endpoint = endpoint_for(*find_service("sts"), region, endpoint_url);
  const std::string action = "sts:AssumeRoleWithWebIdentity (role " + request.role_arn + ")";
  // Throttling, 5xx and dropped connections are tried again, as for every other call.
  RetryPolicy retry(3);
  return retry.run([&](int) {
    HttpRequest http;
    http.method = "POST";
    http.url = endpoint.url;
    http.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                    {"User-Agent", "trailwatch/0.1"}};
    http.body = form_encode(web_identity_params(request));
    HttpResponse response = transport(http);
    if (response.status >= 200 && response.status < 300) return parse_web_identity_response(response.body);
    ApiError error = parse_xml_error(response.status, response.body, action);
    // An identity provider's token is a secret like a key: never in a message, even if STS echoes it.
    throw ApiError(error.code(), error.http_status(),
                   redact(error.what(), Credentials{"", "", request.token}));
  });
}

}  // namespace trailwatch::aws
