// A matched record described for a person. Matched records are few next to the records read, so they are
// parsed a second time here, with simdjson's DOM (which picks its SIMD kernel at run time, where On-Demand
// compiled in the portable core would not), instead of making every record of the scan extract fields that
// only matches need.
#include <simdjson.h>

#include <algorithm>
#include <array>

#include "scan/event_fields.hpp"
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

// A string member's value, or empty (absent, or not a string).
std::string_view string_of(const dom::element& value) {
  std::string_view s;
  return value.get_string().get(s) == simdjson::SUCCESS ? s : std::string_view{};
}

// The first member of `object` named `key`, as a string (at_key's answer: the first of duplicates).
void take_first(std::string_view& into, bool& seen, const dom::element& value) {
  if (seen) return;
  seen = true;
  into = string_of(value);
}

// The resource of a record without a usable resources[].ARN: the first of kResourceParameters, in that
// order, that requestParameters holds as a non-empty string.
std::string_view named_parameter(const dom::object& parameters) {
  std::size_t best = kResourceParameters.size();
  std::string_view found;
  std::uint32_t named = 0;  // the names met so far: only the first member of a name counts, as at_key's
  for (const dom::key_value_pair member : parameters) {
    const auto at = std::find(kResourceParameters.begin(), kResourceParameters.end(), member.key);
    const auto index = static_cast<std::size_t>(at - kResourceParameters.begin());
    if (index == kResourceParameters.size() || (named >> index & 1) != 0) continue;
    named |= std::uint32_t{1} << index;
    const std::string_view value = string_of(member.value);
    if (index < best && !value.empty()) {
      best = index;
      found = value;
    }
  }
  return found;
}

}  // namespace

// One pass over the record's members (and userIdentity's), instead of a pointer lookup per field: each
// lookup walked the members from the start, twelve times per matched record.
EventFields read_event_fields(std::string_view record_json, std::string_view rule_id) {
  thread_local dom::parser parser;
  EventFields f;
  dom::element record;
  if (parser.parse(record_json.data(), record_json.size()).get(record) != simdjson::SUCCESS) return f;
  dom::object members;
  if (record.get_object().get(members) != simdjson::SUCCESS) return f;
  f.valid = true;
  bool seen[12] = {};
  dom::element identity;
  dom::element resources;
  dom::element parameters;
  for (const dom::key_value_pair member : members) {
    const std::string_view key = member.key;
    if (key == "eventTime") {
      take_first(f.time, seen[0], member.value);
    } else if (key == "eventName") {
      take_first(f.event_name, seen[1], member.value);
    } else if (key == "eventSource") {
      take_first(f.event_source, seen[2], member.value);
    } else if (key == "sourceIPAddress") {
      take_first(f.source_ip, seen[3], member.value);
    } else if (key == "userAgent") {
      take_first(f.user_agent, seen[4], member.value);
    } else if (key == "recipientAccountId") {
      take_first(f.recipient_account, seen[5], member.value);
    } else if (key == "awsRegion") {
      take_first(f.region, seen[6], member.value);
    } else if (key == "errorCode") {
      take_first(f.error_code, seen[7], member.value);
    } else if (key == "userIdentity" && !seen[8]) {
      seen[8] = true;
      identity = member.value;
    } else if (key == "resources" && !seen[9]) {
      seen[9] = true;
      resources = member.value;
    } else if (key == "requestParameters" && !seen[10]) {
      seen[10] = true;
      parameters = member.value;
    }
  }
  dom::object identity_members;
  if (seen[8] && identity.get_object().get(identity_members) == simdjson::SUCCESS) {
    bool identity_seen[4] = {};
    for (const dom::key_value_pair member : identity_members) {
      if (member.key == "arn") take_first(f.arn, identity_seen[0], member.value);
      if (member.key == "invokedBy") take_first(f.invoked_by, identity_seen[1], member.value);
      if (member.key == "type") take_first(f.identity_type, identity_seen[2], member.value);
      if (member.key == "accountId") take_first(f.identity_account, identity_seen[3], member.value);
    }
  }
  dom::object parameter_members;
  const bool have_parameters =
      seen[10] && parameters.get_object().get(parameter_members) == simdjson::SUCCESS;
  if (rule_id == "kms-cmk-disable-or-delete") {
    if (have_parameters) {
      dom::element key;
      if (parameter_members["keyId"].get(key) == simdjson::SUCCESS) f.resource = string_of(key);
    }
    return f;
  }
  dom::array resource_list;
  if (seen[9] && resources.get_array().get(resource_list) == simdjson::SUCCESS)
    for (const dom::element r : resource_list) {
      dom::object resource;
      dom::element arn;
      if (r.get_object().get(resource) != simdjson::SUCCESS || resource["ARN"].get(arn) != simdjson::SUCCESS)
        continue;
      if (const std::string_view value = string_of(arn); !value.empty()) {
        f.resource = value;
        return f;
      }
    }
  if (have_parameters) f.resource = named_parameter(parameter_members);
  return f;
}

std::string EventFields::actor() const {
  if (!arn.empty()) return std::string(arn);
  if (!invoked_by.empty()) return "AWSService " + std::string(invoked_by);
  return std::string(identity_type);
}

std::string_view EventFields::account() const {
  return recipient_account.empty() ? identity_account : recipient_account;
}

MatchedEvent describe_matched_event(std::string_view record_json, std::string_view rule_id,
                                    std::string file) {
  return describe_matched_event(read_event_fields(record_json, rule_id), std::move(file));
}

MatchedEvent describe_matched_event(const EventFields& f, std::string file) {
  MatchedEvent event;
  event.file = std::move(file);
  if (!f.valid) return event;
  event.time = std::string(f.time);
  event.epoch = parse_utc_time(event.time);
  event.event_name = std::string(f.event_name);
  event.event_source = std::string(f.event_source);
  event.actor = f.actor();
  event.source_ip = std::string(f.source_ip);
  event.user_agent = std::string(f.user_agent);
  event.account = std::string(f.account());
  event.region = std::string(f.region);
  event.resource = std::string(f.resource);
  event.error_code = std::string(f.error_code);
  return event;
}

}  // namespace trailwatch
