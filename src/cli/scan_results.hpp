// The report's rules: every filter's series and the alarm replays over them.
#pragma once

#include <vector>

#include "cli/scan_settings.hpp"
#include "trailwatch/metric.hpp"
#include "trailwatch/report.hpp"

namespace trailwatch::cli {

struct ScanResults {
  std::vector<RuleResult> rules;
  std::vector<UnreplayableAlarm> unreplayable;
  bool any_window = false;
};

/// Builds each rule's series from the merged tally and replays the alarms on them: the scan's alarm on every
/// series, or with --config each configured alarm on the series with exactly its dimensions.
ScanResults build_scan_results(const ScanSettings& settings, const MetricEngine& engine,
                               const ScanTally& tally);

}  // namespace trailwatch::cli
