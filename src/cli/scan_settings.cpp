#include "cli/scan_settings.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>

#include "cli/duration_option.hpp"
#include "cli/usage_error.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/rules.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch::cli {

namespace {

MetricTransformation pattern_metric(const ScanOptions& o) {
  MetricTransformation m;
  m.namespace_ = o.metric_namespace;
  m.name = o.metric_name;
  m.value = o.metric_value;
  m.default_value = o.default_value;
  m.unit = o.unit;
  m.dimensions = parse_dimension_flags(o.dimensions);
  return m;
}

std::vector<MetricFilter> build_filters(const ScanOptions& o) {
  std::vector<MetricFilter> filters;
  if (o.pattern_given) {
    filters.push_back(MetricFilter{"pattern", Pattern::parse(o.pattern), pattern_metric(o)});
    return filters;
  }
  if (o.metric_value != "1" || o.default_value || !o.dimensions.empty())
    throw UsageError{
        "--metric-value, --default-value and --dimension go with --pattern; built-in rules count 1 per "
        "match"};
  std::vector<std::string> ids =
      o.rules.empty() ? std::vector<std::string>{std::string(default_rule().id)} : o.rules;
  std::string unknown;
  std::vector<const BuiltinRule*> rules = select_builtin_rules(ids, unknown);
  if (!unknown.empty()) {
    std::string known;
    for (const BuiltinRule& r : builtin_rules())
      known += std::string(known.empty() ? "" : ", ") + std::string(r.id);
    throw UsageError{"unknown rule '" + unknown + "' (built-in rules: " + known +
                     "; 'cis' selects them all)"};
  }
  for (const BuiltinRule* rule : rules) {
    MetricTransformation m;
    m.namespace_ = o.metric_namespace;
    m.name = std::string(rule->metric_name);
    filters.push_back(MetricFilter{std::string(rule->id), Pattern::parse(rule->pattern), std::move(m)});
  }
  return filters;
}

AccountConfig load_configs(const std::vector<std::string>& paths) {
  AccountConfig config;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError{"--config: cannot open " + path};
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      load_account_config(text, config);
    } catch (const std::runtime_error& e) {
      throw UsageError{"--config " + path + ": " + e.what()};
    }
  }
  return config;
}

// Every metric filter of the configuration becomes a rule, named after the filter (and its log group when two
// log groups have a filter of the same name).
std::vector<MetricFilter> config_filters(const AccountConfig& config) {
  std::vector<MetricFilter> filters;
  for (const ConfiguredFilter& f : config.filters) {
    std::size_t same_name = 0;
    for (const ConfiguredFilter& other : config.filters) same_name += other.name == f.name;
    std::string id = same_name > 1 ? f.log_group + ":" + f.name : f.name;
    try {
      filters.push_back(MetricFilter{id, Pattern::parse(f.pattern), f.metric, f.created_at});
    } catch (const PatternError& e) {
      throw UsageError{"--config: metric filter " + id + ": " + e.caret_message()};
    }
  }
  return filters;
}

GroupBy build_group_by(const std::string& text) {
  GroupBy g;
  if (text.empty()) return g;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (part == "account")
      g.account = true;
    else if (part == "region")
      g.region = true;
    else
      throw UsageError{"--group-by takes account, region or account,region; got: " + text};
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return g;
}

AlarmSettings build_alarm(const ScanOptions& o) {
  AlarmSettings s;
  s.period = o.period;
  auto statistic = parse_statistic(o.statistic);
  if (!statistic) throw UsageError{"--statistic must be Sum, SampleCount, Average, Minimum or Maximum"};
  s.statistic = *statistic;
  s.threshold = o.threshold;
  auto op = parse_comparison_operator(o.comparison_operator);
  if (!op)
    throw UsageError{
        "--comparison-operator must be GreaterThanOrEqualToThreshold, GreaterThanThreshold, "
        "LessThanThreshold or LessThanOrEqualToThreshold"};
  s.comparison = *op;
  s.evaluation_periods = o.evaluation_periods;
  s.datapoints_to_alarm = o.datapoints_to_alarm.value_or(o.evaluation_periods);
  auto missing = parse_treat_missing_data(o.treat_missing_data);
  if (!missing) throw UsageError{"--treat-missing-data must be missing, notBreaching, breaching or ignore"};
  s.treat_missing = *missing;
  s.evaluation_range_periods = o.evaluation_range_periods.value_or(o.evaluation_periods + 2);
  if (std::string problem = s.validate(); !problem.empty()) throw UsageError{problem};
  return s;
}

// "4G", "512M", "10MiB", "1048576": a positive whole number of bytes; K, M, G and T (alone or followed by B
// or iB) are powers of 1024, as memory is counted.
std::uint64_t parse_byte_size(std::string_view flag, const std::string& text) {
  std::uint64_t value = 0;
  const char* const last = text.data() + text.size();
  auto [end, status] = std::from_chars(text.data(), last, value);
  std::string unit;
  for (const char* c = end; c != last; ++c)
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(*c)));
  int shift = -1;
  if (unit.empty() || unit == "b") {
    shift = 0;
  } else if (std::size_t prefix = std::string_view("kmgt").find(unit[0]); prefix != std::string_view::npos) {
    std::string_view rest = std::string_view(unit).substr(1);
    if (rest.empty() || rest == "b" || rest == "ib") shift = 10 * static_cast<int>(prefix + 1);
  }
  if (status != std::errc{} || end == text.data() || shift < 0 || value == 0 || value > (UINT64_MAX >> shift))
    throw UsageError{std::string(flag) +
                     " takes a size in bytes such as 512M or 4G (K, M, G, T: powers of 1024); got: " + text};
  return value << shift;
}

RecordScope build_scope(const ScanOptions& o) {
  RecordScope scope;
  if (!o.start.empty()) {
    scope.start = parse_utc_time(o.start, true);
    if (!scope.start)
      throw UsageError{"--start: not an ISO 8601 time (e.g. 2024-03-01 or 2024-03-01T12:00:00Z): " + o.start};
  }
  if (!o.end.empty()) {
    scope.end = parse_utc_time(o.end, true);
    if (!scope.end)
      throw UsageError{"--end: not an ISO 8601 time (e.g. 2024-03-02 or 2024-03-01T18:00:00Z): " + o.end};
  }
  if (scope.start && scope.end && *scope.end <= *scope.start) throw UsageError{"--end must be after --start"};
  scope.accounts = o.accounts;
  scope.regions = o.regions;
  return scope;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_dimension_flags(
    const std::vector<std::string>& flags) {
  std::vector<std::pair<std::string, std::string>> dimensions;
  for (const std::string& flag : flags) {
    std::size_t eq = flag.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError{"--dimension takes NAME=SELECTOR (e.g. eventName=$.eventName), got: " + flag};
    dimensions.emplace_back(flag.substr(0, eq), flag.substr(eq + 1));
  }
  return dimensions;
}

ScanSettings build_scan_settings(const ScanOptions& o) {
  ScanSettings s;
  std::optional<AccountConfig> config;
  if (!o.configs.empty()) {
    if (o.pattern_given || !o.rules.empty()) throw UsageError{"--config replaces --rule and --pattern"};
    if (!o.group_by.empty())
      throw UsageError{"--config replays alarms on the dimensions they name; drop --group-by"};
    config = load_configs(o.configs);
    s.spec.filters = config_filters(*config);
  } else {
    s.spec.filters = build_filters(o);
  }
  // The alarm flags are checked also with --config, where the configuration's alarms are replayed instead.
  const AlarmSettings alarm = build_alarm(o);
  if (config)
    s.spec.alarms = std::move(config->alarms);
  else
    s.spec.alarms = alarm;
  s.spec.series_statistic = alarm.statistic;
  s.spec.fallback_period = alarm.period;
  s.spec.scope = build_scope(o);
  s.spec.group_by = build_group_by(o.group_by);
  s.spec.dedup_events = o.dedup_events;
  // Checked with --no-prune too, so that a typo never passes unnoticed; the slack then means nothing.
  const std::int64_t slack = parse_duration("--delivery-slack", o.delivery_slack, kMaxDeliverySlack);
  s.spec.delivery_slack = o.no_prune ? std::nullopt : std::optional<std::int64_t>(slack);
  s.spec.coverage_gap = parse_duration("--gap", o.gap, kMaxCoverageGap);
  if (s.spec.coverage_gap == 0) throw UsageError{"--gap must be longer than 0 (e.g. 30m or 1h)"};
  s.run.threads = o.threads;
  s.run.fast = o.fast;
  s.run.loader.max_inflated_bytes = parse_byte_size("--max-inflated-size", o.max_inflated_size);
  s.run.limits.max_record_size = parse_byte_size("--max-record-size", o.max_record_size);
  s.run.limits.max_depth = o.max_depth;
  return s;
}

}  // namespace trailwatch::cli
