#include "trailwatch/account_config.hpp"

#include <simdjson.h>

#include <cmath>
#include <stdexcept>

namespace trailwatch {

namespace {

namespace dom = simdjson::dom;

std::string text_of(dom::element e, std::string_view key, std::string_view context, bool required = true) {
  std::string_view value;
  auto error = e[key].get_string().get(value);
  if (error) {
    if (!required && error == simdjson::NO_SUCH_FIELD) return {};
    throw std::runtime_error(std::string(context) + ": \"" + std::string(key) +
                             "\" is missing or not a string");
  }
  return std::string(value);
}

std::optional<double> number_of(dom::element e, std::string_view key) {
  double value = 0;
  if (e[key].get_double().get(value)) return std::nullopt;
  return value;
}

ConfiguredFilter read_filter(dom::element e, std::size_t index) {
  std::string context = "metricFilters[" + std::to_string(index) + "]";
  ConfiguredFilter f;
  f.name = text_of(e, "filterName", context);
  context += " (" + f.name + ")";
  f.log_group = text_of(e, "logGroupName", context, false);
  f.pattern = text_of(e, "filterPattern", context, false);  // absent means "" (every event)
  if (auto created = number_of(e, "creationTime")) f.created_at = static_cast<std::int64_t>(*created / 1000);
  dom::array transformations;
  if (e["metricTransformations"].get_array().get(transformations) || transformations.size() != 1)
    throw std::runtime_error(context + ": needs exactly one metricTransformations entry");
  dom::element t = transformations.at(0);
  f.metric.name = text_of(t, "metricName", context);
  f.metric.namespace_ = text_of(t, "metricNamespace", context);
  f.metric.value = text_of(t, "metricValue", context);
  f.metric.unit = text_of(t, "unit", context, false);
  f.metric.default_value = number_of(t, "defaultValue");
  dom::object dimensions;
  if (!t["dimensions"].get_object().get(dimensions))
    for (auto [name, value] : dimensions) {
      std::string_view selector;
      if (value.get_string().get(selector))
        throw std::runtime_error(context + ": a dimension is not a string");
      f.metric.dimensions.emplace_back(std::string(name), std::string(selector));
    }
  return f;
}

ConfiguredAlarm read_alarm(dom::element e, std::size_t index) {
  std::string context = "MetricAlarms[" + std::to_string(index) + "]";
  ConfiguredAlarm a;
  a.name = text_of(e, "AlarmName", context);
  context += " (" + a.name + ")";
  a.metric_name = text_of(e, "MetricName", context, false);
  a.metric_namespace = text_of(e, "Namespace", context, false);
  if (a.metric_name.empty()) {
    a.unreplayable = "it is a metric math alarm (Metrics), which trailwatch does not evaluate";
    return a;
  }
  dom::array dimensions;
  if (!e["Dimensions"].get_array().get(dimensions))
    for (dom::element d : dimensions)
      a.dimensions[text_of(d, "Name", context)] = text_of(d, "Value", context);
  std::string statistic = text_of(e, "Statistic", context, false);
  if (statistic.empty()) {
    a.unreplayable = "it uses an extended statistic (" + text_of(e, "ExtendedStatistic", context, false) +
                     "), which a replay of metric filter samples cannot compute";
    return a;
  }
  AlarmSettings& s = a.settings;
  if (auto st = parse_statistic(statistic)) s.statistic = *st;
  std::string op = text_of(e, "ComparisonOperator", context);
  if (auto parsed = parse_comparison_operator(op)) {
    s.comparison = *parsed;
  } else {
    a.unreplayable = "its comparison operator " + op + " needs an anomaly detection model";
    return a;
  }
  s.period = static_cast<std::int64_t>(number_of(e, "Period").value_or(0));
  auto threshold = number_of(e, "Threshold");
  if (!threshold) {
    a.unreplayable = "it has no static threshold (anomaly detection)";
    return a;
  }
  s.threshold = *threshold;
  s.evaluation_periods = static_cast<int>(number_of(e, "EvaluationPeriods").value_or(1));
  s.datapoints_to_alarm = static_cast<int>(number_of(e, "DatapointsToAlarm").value_or(s.evaluation_periods));
  std::string missing = text_of(e, "TreatMissingData", context, false);
  if (!missing.empty()) {
    auto parsed = parse_treat_missing_data(missing);
    if (!parsed) throw std::runtime_error(context + ": unknown TreatMissingData " + missing);
    s.treat_missing = *parsed;
  }
  s.evaluation_range_periods = s.evaluation_periods + 2;
  if (std::string problem = s.validate(); !problem.empty()) a.unreplayable = problem;
  return a;
}

}  // namespace

void load_account_config(std::string_view json, AccountConfig& config) {
  dom::parser parser;
  dom::element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error)
    throw std::runtime_error(std::string("not valid JSON: ") + simdjson::error_message(error));
  if (!root.is_object())
    throw std::runtime_error("expected a JSON object with metricFilters and/or MetricAlarms");
  bool found = false;
  dom::array filters;
  if (!root["metricFilters"].get_array().get(filters)) {
    found = true;
    std::size_t i = 0;
    for (dom::element f : filters) config.filters.push_back(read_filter(f, i++));
  }
  dom::array alarms;
  if (!root["MetricAlarms"].get_array().get(alarms)) {
    found = true;
    std::size_t i = 0;
    for (dom::element a : alarms) config.alarms.push_back(read_alarm(a, i++));
  }
  if (!found)
    throw std::runtime_error(
        "no \"metricFilters\" (aws logs describe-metric-filters) or \"MetricAlarms\" (aws cloudwatch "
        "describe-alarms) array");
}

bool alarm_watches(const ConfiguredAlarm& alarm, const MetricTransformation& metric,
                   const std::map<std::string, std::string>& series_dimensions) {
  return alarm.metric_namespace == metric.namespace_ && alarm.metric_name == metric.name &&
         alarm.dimensions == series_dimensions;
}

}  // namespace trailwatch
