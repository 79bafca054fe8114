// A matched record described for a person. Matched records are few next to the records read, so they are
// parsed a second time here, with simdjson's DOM (which picks its SIMD kernel at run time, where On-Demand
// compiled in the portable core would not), instead of making every record of the scan extract fields that
// only matches need.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <optional>

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
  // The string members read, each from the first member of its name (as a pointer lookup answers).
  struct StringMember {
    std::string_view key;
    std::string_view EventFields::*field;
  };
  static constexpr std::array<StringMember, 8> kStrings = {
      {{"eventTime", &EventFields::time},
       {"eventName", &EventFields::event_name},
       {"eventSource", &EventFields::event_source},
       {"sourceIPAddress", &EventFields::source_ip},
       {"userAgent", &EventFields::user_agent},
       {"recipientAccountId", &EventFields::recipient_account},
       {"awsRegion", &EventFields::region},
       {"errorCode", &EventFields::error_code}}};
  static constexpr std::array<StringMember, 4> kIdentityStrings = {
      {{"arn", &EventFields::arn},
       {"invokedBy", &EventFields::invoked_by},
       {"type", &EventFields::identity_type},
       {"accountId", &EventFields::identity_account}}};
  // The object members read further, the first of each name.
  std::optional<dom::element> identity;
  std::optional<dom::element> resources;
  std::optional<dom::element> parameters;
  auto read_strings = [&f](const auto& wanted, bool* seen, const dom::key_value_pair& member) {
    for (std::size_t i = 0; i < wanted.size(); ++i)
      if (member.key == wanted[i].key) {
        take_first(f.*wanted[i].field, seen[i], member.value);
        return true;
      }
    return false;
  };
  bool seen[kStrings.size()] = {};
  for (const dom::key_value_pair member : members) {
    if (read_strings(kStrings, seen, member)) continue;
    if (member.key == "userIdentity" && !identity) identity = member.value;
    if (member.key == "resources" && !resources) resources = member.value;
    if (member.key == "requestParameters" && !parameters) parameters = member.value;
  }
  dom::object identity_members;
  if (identity && identity->get_object().get(identity_members) == simdjson::SUCCESS) {
    bool identity_seen[kIdentityStrings.size()] = {};
    for (const dom::key_value_pair member : identity_members)
      read_strings(kIdentityStrings, identity_seen, member);
  }
  dom::object parameter_members;
  const bool have_parameters =
      parameters && parameters->get_object().get(parameter_members) == simdjson::SUCCESS;
  if (rule_id == "kms-cmk-disable-or-delete") {
    if (have_parameters) {
      dom::element key;
      if (parameter_members["keyId"].get(key) == simdjson::SUCCESS) f.resource = string_of(key);
    }
    return f;
  }
  dom::array resource_list;
  if (resources && resources->get_array().get(resource_list) == simdjson::SUCCESS)
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
