// Flags -> a scan: the metric filters (built-in rules, --pattern or --config), the alarms, the record scope,
// the grouping, and the reading limits. Everything they mean is the scan unit's (trailwatch/scan.hpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cli/scan_command.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch::cli {

/// A scan as the flags ask for it: the question (what it answers) and how it runs (what does not change the
/// answer).
struct ScanSettings {
  ScanSpec spec;
  ScanRunOptions run;
};

/// Throws UsageError (or PatternError for an invalid pattern) when the options do not make a scan.
ScanSettings build_scan_settings(const ScanOptions& options);

/// Parses repeated NAME=SELECTOR flags (--dimension). Throws UsageError.
std::vector<std::pair<std::string, std::string>> parse_dimension_flags(const std::vector<std::string>& flags);

}  // namespace trailwatch::cli
