#include <gtest/gtest.h>

#include <stdexcept>

#include "trailwatch/account_config.hpp"

namespace trailwatch {
namespace {

TEST(AccountConfig, ReadsFiltersAndAlarmsWithAwsDefaults) {
  AccountConfig config;
  load_account_config(R"({
    "metricFilters": [{"filterName": "f", "logGroupName": "g", "filterPattern": "{ $.a = 1 }",
                       "creationTime": 1717408800123,
                       "metricTransformations": [{"metricName": "M", "metricNamespace": "N", "metricValue": "$.v",
                                                  "defaultValue": 0, "unit": "Count"}]}],
    "MetricAlarms": [{"AlarmName": "a", "MetricName": "M", "Namespace": "N", "Statistic": "Average",
                      "Dimensions": [{"Name": "d", "Value": "x"}], "Period": 60, "EvaluationPeriods": 5,
                      "Threshold": 2.5, "ComparisonOperator": "LessThanThreshold"}]})",
                      config);
  ASSERT_EQ(config.filters.size(), 1u);
  const ConfiguredFilter& f = config.filters[0];
  EXPECT_EQ(f.created_at, 1717408800);  // milliseconds in the export
  EXPECT_EQ(f.metric.value, "$.v");
  EXPECT_EQ(f.metric.default_value, 0.0);
  EXPECT_EQ(f.metric.unit, "Count");
  ASSERT_EQ(config.alarms.size(), 1u);
  const ConfiguredAlarm& a = config.alarms[0];
  EXPECT_TRUE(a.unreplayable.empty()) << a.unreplayable;
  EXPECT_EQ(a.settings.statistic, Statistic::Average);
  EXPECT_EQ(a.settings.period, 60);
  EXPECT_EQ(a.settings.evaluation_periods, 5);
  EXPECT_EQ(a.settings.datapoints_to_alarm, 5);  // AWS: DatapointsToAlarm defaults to EvaluationPeriods
  EXPECT_EQ(a.settings.treat_missing, TreatMissingData::Missing);
  EXPECT_EQ(a.settings.evaluation_range_periods, 7);
  EXPECT_EQ(a.dimensions.at("d"), "x");
  MetricTransformation m;
  m.namespace_ = "N";
  m.name = "M";
  EXPECT_TRUE(alarm_watches(a, m, {{"d", "x"}}));
  EXPECT_FALSE(alarm_watches(a, m, {{"d", "y"}}));
  EXPECT_FALSE(alarm_watches(a, m, {}));
}

TEST(AccountConfig, AlarmsThatCannotBeReplayedSayWhy) {
  AccountConfig config;
  load_account_config(R"({"MetricAlarms": [
    {"AlarmName": "math", "Metrics": [], "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanThreshold"},
    {"AlarmName": "pct", "MetricName": "M", "Namespace": "N", "ExtendedStatistic": "p90", "Period": 60,
     "EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanThreshold"},
    {"AlarmName": "band", "MetricName": "M", "Namespace": "N", "Statistic": "Sum", "Period": 60,
     "EvaluationPeriods": 1, "ThresholdMetricId": "ad1", "ComparisonOperator": "LessThanLowerOrGreaterThanUpperThreshold"}
  ]})",
                      config);
  ASSERT_EQ(config.alarms.size(), 3u);
  EXPECT_NE(config.alarms[0].unreplayable.find("metric math"), std::string::npos);
  EXPECT_NE(config.alarms[1].unreplayable.find("p90"), std::string::npos);
  EXPECT_NE(config.alarms[2].unreplayable.find("anomaly"), std::string::npos);
}

TEST(AccountConfig, MalformedExportsAreRejectedWithTheEntryNamed) {
  AccountConfig config;
  EXPECT_THROW(load_account_config("not json", config), std::runtime_error);
  EXPECT_THROW(load_account_config(R"({"other": []})", config), std::runtime_error);
  try {
    load_account_config(R"({"metricFilters": [{"filterName": "f", "metricTransformations": []}]})", config);
    FAIL() << "accepted a filter without a transformation";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("metricFilters[0] (f)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace trailwatch
