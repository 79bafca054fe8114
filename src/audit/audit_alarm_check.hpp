// Whether an alarm notifies on one event its filter catches, by replaying it with the alarm layer `scan`
// uses. Keeps no reference to its arguments.
#pragma once

#include <string>

#include "audit/audit_bodies.hpp"
#include "audit/probe_judge.hpp"
#include "trailwatch/account_config.hpp"

namespace trailwatch::audit {

/// Whether `alarm` goes to ALARM on one matching event in a period, for every positive probe `filter`
/// catches: the sample is the filter's value for that event (with its defaultValue, one more sample from an
/// event that does not match), the alarm must watch the series the event publishes to, and it must not
/// already be in ALARM without any event.
struct FireCheck {
  bool fires = false;
  std::string reason;  // one line: why not, or a note when it fires
};
FireCheck can_fire_on_one_event(const AlarmDefinition& alarm, const ConfiguredFilter& filter,
                                const FilterJudgement& judgement);

}  // namespace trailwatch::audit
