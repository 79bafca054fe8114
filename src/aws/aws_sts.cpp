#include "aws/aws_sts.hpp"

#include <pugixml.hpp>

#include "trailwatch/aws.hpp"

namespace trailwatch::aws {

std::vector<std::pair<std::string, std::string>> assume_role_params(const AssumeRoleRequest& request) {
  std::vector<std::pair<std::string, std::string>> params = {{"RoleArn", request.role_arn},
                                                             {"RoleSessionName", request.role_session_name}};
  if (!request.external_id.empty()) params.emplace_back("ExternalId", request.external_id);
  if (request.duration_seconds)
    params.emplace_back("DurationSeconds", std::to_string(*request.duration_seconds));
  return params;
}

Credentials parse_assume_role_response(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size()))
    throw ApiError("InvalidResponse", 0, "AssumeRole: the response is not XML");
  pugi::xml_node credentials = doc.document_element().child("AssumeRoleResult").child("Credentials");
  Credentials out{credentials.child_value("AccessKeyId"), credentials.child_value("SecretAccessKey"),
                  credentials.child_value("SessionToken")};
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    throw ApiError("InvalidResponse", 0, "AssumeRole: the response holds no credentials");
  }
  return out;
}

Credentials assume_role(AwsClient& client, const AssumeRoleRequest& request) {
  const ServiceInfo* sts = find_service("sts");
  return parse_assume_role_response(
      client.call_query(request.region, *sts, "AssumeRole", assume_role_params(request)));
}

}  // namespace trailwatch::aws
