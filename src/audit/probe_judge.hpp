// Judging a metric filter by behaviour: its pattern and transformation run over the probes, so any
// equivalent spelling passes. A judgement points into the rule's probes, which lives as long as the program.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/probe_records.hpp"
#include "trailwatch/account_config.hpp"

namespace trailwatch::audit {

enum class FilterVerdict : std::uint8_t {
  Equivalent,  // every positive, no negative
  Broader,     // every positive and some negatives: passes, with a note
  Narrower,    // some positives missed: fails
  Unrelated,   // no positive
  Unparsable,  // trailwatch's parser rejects the pattern
};
std::string_view to_string(FilterVerdict v);

/// What the filter did with one probe.
struct ProbeOutcome {
  const Probe* probe = nullptr;
  bool matched = false;
  std::optional<double> value;          // the sample a match publishes (none: the value could not be read)
  std::vector<std::string> dimensions;  // its dimension values, in FilterJudgement::dimension_names order
};

struct FilterJudgement {
  FilterVerdict verdict = FilterVerdict::Unrelated;
  std::vector<ProbeOutcome> outcomes;  // one per probe, in probes(rule) order
  std::vector<std::string> dimension_names;
  std::string error;  // Unparsable: the parser's message; else a problem with the transformation, if any
  /// "ScheduleKeyDeletion (all 6 probes)" style summaries of the positives missed / negatives caught.
  std::string missed() const;
  std::string extra() const;
};
/// Runs `filter`'s pattern and transformation over every probe. Never throws. With `region` and `account`
/// (the audited ones), the probes carry them instead of kProbeRegion and kProbeAccount: a multi-region
/// trail's log group receives every region's events, and a filter that pins $.awsRegion to another region
/// does not catch this region's.
/// `rule` is the built-in rule whose probes are run.
FilterJudgement judge_filter(const ConfiguredFilter& filter, std::string_view region = {},
                             std::string_view account = {}, const BuiltinRule& rule = default_rule());

}  // namespace trailwatch::audit
