// Alarm layer: replays CloudWatch alarm evaluation over a datapoint series and reports the windows in which
// the alarm would have been in ALARM. Semantics: docs/alarm-semantics.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/metric.hpp"

namespace trailwatch {

enum class ComparisonOperator : std::uint8_t {
  GreaterThanOrEqualToThreshold,
  GreaterThanThreshold,
  LessThanThreshold,
  LessThanOrEqualToThreshold,
};
enum class TreatMissingData : std::uint8_t { Missing, NotBreaching, Breaching, Ignore };
enum class AlarmState : std::uint8_t { InsufficientData, Ok, Alarm };

std::string_view to_string(ComparisonOperator op);
std::string_view to_string(TreatMissingData t);  // "missing", "notBreaching", "breaching", "ignore"
std::string_view to_string(AlarmState s);        // "INSUFFICIENT_DATA", "OK", "ALARM"
std::optional<ComparisonOperator> parse_comparison_operator(std::string_view text);
std::optional<TreatMissingData> parse_treat_missing_data(std::string_view text);

struct AlarmSettings {
  std::int64_t period = 300;
  Statistic statistic = Statistic::Sum;
  double threshold = 1;
  ComparisonOperator comparison = ComparisonOperator::GreaterThanOrEqualToThreshold;
  int evaluation_periods = 1;   // N
  int datapoints_to_alarm = 1;  // M, 1 <= M <= N
  TreatMissingData treat_missing = TreatMissingData::Missing;
  int evaluation_range_periods = 3;  // R > N; default N + 2

  /// Returns an empty string when the settings are usable, else a one-line reason.
  std::string validate() const;
};

/// True when `value` breaches the threshold under the settings' operator.
bool breaches(const AlarmSettings& settings, double value);

/// One period of the evaluation range, oldest first: nullopt when missing.
using RangePoint = std::optional<double>;

/// The state one evaluation gives, from the R points of its range (oldest first) and the state before it.
AlarmState evaluate_range(const AlarmSettings& settings, std::span<const RangePoint> range,
                          AlarmState previous);

/// A maximal run of periods in ALARM.
struct AlarmWindow {
  std::int64_t start = 0;     // start of the first period in ALARM
  std::int64_t end = 0;       // end of the last period in ALARM (exclusive)
  std::int64_t alarm_at = 0;  // end of the first period whose evaluation put the alarm in ALARM
  double peak = 0;            // the largest datapoint value inside the window
  bool open = false;          // the alarm would stay in ALARM past the replay
};

/// The state after the evaluation at the end of one period.
struct PeriodState {
  std::int64_t period_start = 0;
  AlarmState state = AlarmState::InsufficientData;
};

struct AlarmReplay {
  std::vector<PeriodState> states;  // one per evaluated period, in time order
  std::vector<AlarmWindow> windows;
};

/// Replays the alarm over `datapoints` (sorted by timestamp, timestamps aligned to settings.period; values
/// are already the alarm's statistic). Evaluates from the first datapoint's period to R - 1 periods after the
/// last one, or up to (excluding) `end` when given. An empty series gives no states and no windows.
AlarmReplay replay_alarm(const AlarmSettings& settings, std::span<const Datapoint> datapoints,
                         std::optional<std::int64_t> end = std::nullopt);

}  // namespace trailwatch
