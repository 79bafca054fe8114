// A matched record described for a person. Matched records are few next to the records read, so they are
// parsed a second time here, with simdjson's DOM, instead of making every record of the scan extract fields
// that only matches need.
#include <simdjson.h>

#include <array>

#include "trailwatch/matched_events.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch {

namespace {

namespace dom = simdjson::dom;

// Tried in order when a record has no resources[].ARN: the request parameter naming what the call changed,
// for each built-in rule's calls (docs/design.md "who" lists which rule uses which).
constexpr std::array<std::string_view, 20> kResourceParameters = {"keyId",
                                                                  "bucketName",
                                                                  "groupId",
                                                                  "networkAclId",
                                                                  "internetGatewayId",
                                                                  "customerGatewayId",
                                                                  "natGatewayId",
                                                                  "transitGatewayId",
                                                                  "routeTableId",
                                                                  "vpcId",
                                                                  "policyArn",
                                                                  "policyName",
                                                                  "roleName",
                                                                  "userName",
                                                                  "groupName",
                                                                  "name",
                                                                  "trailName",
                                                                  "configurationRecorderName",
                                                                  "deliveryChannelName",
                                                                  "accountId"};

std::string text_at(const dom::element& e, std::string_view pointer) {
  std::string_view s;
  if (e.at_pointer(pointer).get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  return {};
}

std::string actor_of(const dom::element& record) {
  if (std::string arn = text_at(record, "/userIdentity/arn"); !arn.empty()) return arn;
  if (std::string by = text_at(record, "/userIdentity/invokedBy"); !by.empty()) return "AWSService " + by;
  return text_at(record, "/userIdentity/type");
}

std::string resource_of(const dom::element& record, std::string_view rule_id) {
  if (rule_id == "kms-cmk-disable-or-delete") return text_at(record, "/requestParameters/keyId");
  dom::array resources;
  if (record["resources"].get_array().get(resources) == simdjson::SUCCESS)
    for (dom::element r : resources)
      if (std::string arn = text_at(r, "/ARN"); !arn.empty()) return arn;
  dom::object parameters;
  if (record["requestParameters"].get_object().get(parameters) != simdjson::SUCCESS) return {};
  for (std::string_view name : kResourceParameters) {
    std::string_view value;
    if (parameters[name].get_string().get(value) == simdjson::SUCCESS && !value.empty())
      return std::string(value);
  }
  return {};
}

}  // namespace

MatchedEvent describe_matched_event(std::string_view record_json, std::string_view rule_id,
                                    std::string file) {
  MatchedEvent event;
  event.file = std::move(file);
  thread_local dom::parser parser;
  dom::element record;
  if (parser.parse(record_json.data(), record_json.size()).get(record) != simdjson::SUCCESS ||
      !record.is_object())
    return event;
  event.time = text_at(record, "/eventTime");
  event.epoch = parse_utc_time(event.time);
  event.event_name = text_at(record, "/eventName");
  event.event_source = text_at(record, "/eventSource");
  event.actor = actor_of(record);
  event.source_ip = text_at(record, "/sourceIPAddress");
  event.user_agent = text_at(record, "/userAgent");
  event.account = text_at(record, "/recipientAccountId");
  if (event.account.empty()) event.account = text_at(record, "/userIdentity/accountId");
  event.region = text_at(record, "/awsRegion");
  event.resource = resource_of(record, rule_id);
  event.error_code = text_at(record, "/errorCode");
  return event;
}

}  // namespace trailwatch
