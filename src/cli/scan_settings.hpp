// What a scan evaluates, built from the command line: the metric filters (built-in rules, --pattern or
// --config), the alarm, the record scope and the grouping.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cli/scan_command.hpp"
#include "trailwatch/account_config.hpp"
#include "trailwatch/alarm.hpp"
#include "trailwatch/ingest.hpp"
#include "trailwatch/metric.hpp"

namespace trailwatch::cli {

struct ScanSettings {
  std::vector<MetricFilter> filters;
  AlarmSettings alarm;  // the alarm replayed on every series (not with --config)
  RecordScope scope;
  GroupBy group_by;
  AccountConfig config;  // --config: its alarms are replayed instead of `alarm`
  bool from_config = false;
  std::int64_t period = 300;  // the aggregation period: every replayed alarm's period is a multiple of it
  LoaderOptions loader;       // --max-inflated-size
  RecordLimits limits;        // --max-record-size, --max-depth
};

/// Throws UsageError (or PatternError for an invalid pattern) when the options do not make a scan.
ScanSettings build_scan_settings(const ScanOptions& options);

/// Parses repeated NAME=SELECTOR flags (--dimension). Throws UsageError.
std::vector<std::pair<std::string, std::string>> parse_dimension_flags(const std::vector<std::string>& flags);

}  // namespace trailwatch::cli
