#include <cmath>
#include <string>

#include "trailwatch/alarm.hpp"

namespace trailwatch {

std::string_view to_string(ComparisonOperator op) {
  switch (op) {
    case ComparisonOperator::GreaterThanOrEqualToThreshold:
      return "GreaterThanOrEqualToThreshold";
    case ComparisonOperator::GreaterThanThreshold:
      return "GreaterThanThreshold";
    case ComparisonOperator::LessThanThreshold:
      return "LessThanThreshold";
    case ComparisonOperator::LessThanOrEqualToThreshold:
      return "LessThanOrEqualToThreshold";
  }
  return "?";
}

std::string_view to_string(TreatMissingData t) {
  switch (t) {
    case TreatMissingData::Missing:
      return "missing";
    case TreatMissingData::NotBreaching:
      return "notBreaching";
    case TreatMissingData::Breaching:
      return "breaching";
    case TreatMissingData::Ignore:
      return "ignore";
  }
  return "?";
}

std::string_view to_string(AlarmState s) {
  switch (s) {
    case AlarmState::InsufficientData:
      return "INSUFFICIENT_DATA";
    case AlarmState::Ok:
      return "OK";
    case AlarmState::Alarm:
      return "ALARM";
  }
  return "?";
}

// Parsing is exact (case-sensitive), like the CloudWatch API: a value copied from a real alarm definition
// always matches, and a near miss is reported rather than guessed at.
std::optional<ComparisonOperator> parse_comparison_operator(std::string_view text) {
  for (auto op : {ComparisonOperator::GreaterThanOrEqualToThreshold, ComparisonOperator::GreaterThanThreshold,
                  ComparisonOperator::LessThanThreshold, ComparisonOperator::LessThanOrEqualToThreshold}) {
    if (text == to_string(op)) return op;
  }
  return std::nullopt;
}

std::optional<TreatMissingData> parse_treat_missing_data(std::string_view text) {
  for (auto t : {TreatMissingData::Missing, TreatMissingData::NotBreaching, TreatMissingData::Breaching,
                 TreatMissingData::Ignore}) {
    if (text == to_string(t)) return t;
  }
  return std::nullopt;
}

std::string AlarmSettings::validate() const {
  // CloudWatch only accepts 10, 30 or multiples of 60 seconds, but a replay has no reason to refuse other
  // periods.
  if (period < 1) return "--period must be at least 1 second (got " + std::to_string(period) + ")";
  if (evaluation_periods < 1) {
    return "--evaluation-periods must be at least 1 (got " + std::to_string(evaluation_periods) + ")";
  }
  if (datapoints_to_alarm < 1 || datapoints_to_alarm > evaluation_periods) {
    return "--datapoints-to-alarm must be between 1 and --evaluation-periods (" +
           std::to_string(evaluation_periods) + "), got " + std::to_string(datapoints_to_alarm);
  }
  if (evaluation_range_periods <= evaluation_periods) {
    return "--evaluation-range-periods must be greater than --evaluation-periods (" +
           std::to_string(evaluation_periods) + "), got " + std::to_string(evaluation_range_periods);
  }
  if (!std::isfinite(threshold)) return "--threshold must be a finite number";
  return {};
}

bool breaches(const AlarmSettings& settings, double value) {
  switch (settings.comparison) {
    case ComparisonOperator::GreaterThanOrEqualToThreshold:
      return value >= settings.threshold;
    case ComparisonOperator::GreaterThanThreshold:
      return value > settings.threshold;
    case ComparisonOperator::LessThanThreshold:
      return value < settings.threshold;
    case ComparisonOperator::LessThanOrEqualToThreshold:
      return value <= settings.threshold;
  }
  return false;
}

}  // namespace trailwatch
