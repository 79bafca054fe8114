// The fields of a matched record that reports use, read in one pass: what the match digest counts for every
// matched record (who did it, from where, to what), without building a MatchedEvent for the many it does
// not keep.
#pragma once

#include <string>
#include <string_view>

#include "trailwatch/matched_events.hpp"

namespace trailwatch {

/// Views into the parser's storage, valid until the next read_event_fields() on the same thread. Empty when
/// the record lacks the field or holds it as anything but a string; of duplicated keys, the first counts.
struct EventFields {
  bool valid = false;  // the record is a JSON object
  std::string_view time;
  std::string_view event_name;
  std::string_view event_source;
  std::string_view arn;  // userIdentity's
  std::string_view invoked_by;
  std::string_view identity_type;
  std::string_view identity_account;
  std::string_view source_ip;
  std::string_view user_agent;
  std::string_view recipient_account;
  std::string_view region;
  std::string_view error_code;
  std::string_view resource;  // as describe_matched_event documents it, for the rule read for

  /// userIdentity.arn, else "AWSService " + invokedBy, else userIdentity.type.
  std::string actor() const;
  /// recipientAccountId, else userIdentity.accountId.
  std::string_view account() const;
};

EventFields read_event_fields(std::string_view record_json, std::string_view rule_id);
MatchedEvent describe_matched_event(const EventFields& fields, std::string file);

}  // namespace trailwatch
