// A real account's monitoring setup, as the AWS CLI exports it, for `scan --config`: metric filters from
// `aws logs describe-metric-filters` (key "metricFilters") and alarms from `aws cloudwatch describe-alarms`
// (key "MetricAlarms"). Alarm layer: it pairs alarms with the metrics the filters publish.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/alarm.hpp"
#include "trailwatch/metric.hpp"

namespace trailwatch {

struct ConfiguredFilter {
  std::string name;       // filterName
  std::string log_group;  // logGroupName
  std::string pattern;    // filterPattern
  MetricTransformation metric;
  std::optional<std::int64_t> created_at;  // creationTime, Unix seconds
};

struct ConfiguredAlarm {
  std::string name;  // AlarmName
  std::string metric_namespace;
  std::string metric_name;
  std::map<std::string, std::string> dimensions;
  AlarmSettings settings;
  std::string
      unreplayable;  // non-empty: why this alarm cannot be replayed (math expression, percentile, ...)
};

struct AccountConfig {
  std::vector<ConfiguredFilter> filters;
  std::vector<ConfiguredAlarm> alarms;
};

/// Reads one export (either key, or both in one object) and appends what it holds to `config`. Throws
/// std::runtime_error with a one-line reason naming the offending entry when the JSON is not such an export.
void load_account_config(std::string_view json, AccountConfig& config);

/// True when `alarm` watches the metric `metric` publishes with exactly these dimension values.
bool alarm_watches(const ConfiguredAlarm& alarm, const MetricTransformation& metric,
                   const std::map<std::string, std::string>& series_dimensions);

}  // namespace trailwatch
