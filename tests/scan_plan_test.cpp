// The scan unit's plan: which alarm watches which series, the aggregation period, what cannot be replayed,
// and the results built from a tally (pairing used to live in the command line, untested).
#include <gtest/gtest.h>

#include <string>

#include "trailwatch/scan.hpp"

namespace trailwatch {
namespace {

MetricFilter filter(const std::string& id, const std::string& pattern, const std::string& metric_name,
                    std::vector<std::pair<std::string, std::string>> dimensions = {}) {
  MetricTransformation m;
  m.namespace_ = "NS";
  m.name = metric_name;
  m.dimensions = std::move(dimensions);
  return MetricFilter{id, Pattern::parse(pattern), m};
}

ConfiguredAlarm alarm(const std::string& name, const std::string& metric_name, std::int64_t period,
                      std::map<std::string, std::string> dimensions = {}) {
  ConfiguredAlarm a;
  a.name = name;
  a.metric_namespace = "NS";
  a.metric_name = metric_name;
  a.dimensions = std::move(dimensions);
  a.settings.period = period;
  return a;
}

// A tally with `count` samples of 1 at each of `times` for series `key` of filter `f`.
void add_samples(ScanTally& tally, std::size_t f, const SeriesKey& key, std::int64_t period,
                 const std::vector<std::int64_t>& times) {
  if (tally.filters.size() <= f) tally.filters.resize(f + 1);
  for (std::int64_t t : times) {
    tally.filters[f].series[key][period_start(t, period)].add(1);
    ++tally.filters[f].matched;
  }
}

TEST(ScanPlan, TheScansAlarmWatchesEverySeriesOfEveryRule) {
  ScanSpec spec;
  spec.filters.push_back(filter("a", "{ $.x = 1 }", "A", {{"name", "$.eventName"}}));
  spec.filters.push_back(filter("b", "{ $.x = 2 }", "B"));
  AlarmSettings settings;
  settings.period = 60;
  spec.alarms = settings;
  ScanPlan plan(std::move(spec));
  EXPECT_EQ(plan.period(), 60);
  ASSERT_EQ(plan.alarms().size(), 2u);
  EXPECT_EQ(plan.alarms()[0].name, "a");
  EXPECT_FALSE(plan.alarms()[0].dimensions.has_value());
  EXPECT_TRUE(plan.unreplayable().empty());

  ScanTally tally;
  add_samples(tally, 0, {"DisableKey"}, 60, {0, 61});
  add_samples(tally, 0, {"ScheduleKeyDeletion"}, 60, {600});
  tally.filters.resize(2);
  std::vector<RuleResult> rules = plan.results(tally);
  ASSERT_EQ(rules.size(), 2u);
  // One replay per series, named after the rule and carrying the series' dimensions.
  ASSERT_EQ(rules[0].series.size(), 2u);
  ASSERT_EQ(rules[0].alarms.size(), 2u);
  EXPECT_EQ(rules[0].alarms[0].dimensions.at("name"), "DisableKey");
  EXPECT_EQ(rules[0].alarms[0].windows.size(), 1u);
  EXPECT_EQ(rules[0].alarms[1].dimensions.at("name"), "ScheduleKeyDeletion");
  // A rule without dimensions keeps its one series (empty) and its alarm, which never fires.
  ASSERT_EQ(rules[1].series.size(), 1u);
  EXPECT_TRUE(rules[1].series[0].datapoints.empty());
  ASSERT_EQ(rules[1].alarms.size(), 1u);
  EXPECT_TRUE(rules[1].alarms[0].windows.empty());
}

TEST(ScanPlan, ConfiguredAlarmsWatchExactlyTheirSeriesAtTheirOwnPeriod) {
  ScanSpec spec;
  spec.filters.push_back(filter("f", "{ $.x = 1 }", "M", {{"name", "$.eventName"}}));
  spec.alarms = std::vector<ConfiguredAlarm>{alarm("on-disable", "M", 300, {{"name", "DisableKey"}}),
                                             alarm("on-nothing", "M", 120, {{"name", "Other"}}),
                                             alarm("no-dims", "M", 600)};
  ScanPlan plan(std::move(spec));
  EXPECT_EQ(plan.period(), 60);  // gcd(300, 120, 600)
  ASSERT_EQ(plan.alarms().size(), 3u);

  ScanTally tally;
  // Three samples in one 300 s period but in three 60 s periods: only the alarm's own period sums them.
  add_samples(tally, 0, {"DisableKey"}, 60, {0, 60, 120});
  std::vector<RuleResult> rules = plan.results(tally);
  ASSERT_EQ(rules[0].alarms.size(), 3u);
  const AlarmResult& disable = rules[0].alarms[0];
  EXPECT_EQ(disable.name, "on-disable");
  ASSERT_EQ(disable.windows.size(), 1u);
  EXPECT_EQ(disable.windows[0].peak, 3);
  EXPECT_EQ(disable.windows[0].start, 0);
  // A series nobody published to, and a dimensionless alarm on a metric that has dimensions: no data.
  EXPECT_TRUE(rules[0].alarms[1].windows.empty());
  EXPECT_TRUE(rules[0].alarms[2].windows.empty());
  EXPECT_EQ(rules[0].alarms[2].dimensions.size(), 0u);
}

TEST(ScanPlan, AlarmsThatCannotBeReplayedAreListedWithTheirReason) {
  ScanSpec spec;
  spec.filters.push_back(filter("f", "{ $.x = 1 }", "M"));
  ConfiguredAlarm math = alarm("math", "", 60);
  math.unreplayable = "metric math";
  spec.alarms = std::vector<ConfiguredAlarm>{alarm("orphan", "Unpublished", 60), math, alarm("ok", "M", 300)};
  ScanPlan plan(std::move(spec));
  ASSERT_EQ(plan.unreplayable().size(), 2u);
  EXPECT_EQ(plan.unreplayable()[0].name, "orphan");
  EXPECT_NE(plan.unreplayable()[0].reason.find("NS/Unpublished"), std::string::npos);
  EXPECT_EQ(plan.unreplayable()[1].reason, "metric math");
  // The math alarm's period does not count: the orphan's 60 and ok's 300 do.
  EXPECT_EQ(plan.period(), 60);
  ASSERT_EQ(plan.alarms().size(), 1u);
  EXPECT_EQ(plan.alarms()[0].name, "ok");
}

TEST(ScanPlan, WithoutAReplayableAlarmTheFallbackPeriodAggregates) {
  ScanSpec spec;
  spec.filters.push_back(filter("f", "{ $.x = 1 }", "M"));
  spec.alarms = std::vector<ConfiguredAlarm>{};
  spec.fallback_period = 900;
  ScanPlan plan(std::move(spec));
  EXPECT_EQ(plan.period(), 900);
  EXPECT_TRUE(plan.alarms().empty());
}

TEST(ScanPlan, AnUnusableTransformationOrAlarmIsAPlanError) {
  ScanSpec bad_metric;
  bad_metric.filters.push_back(filter("f", "{ $.x = 1 }", "a:b"));
  EXPECT_THROW(ScanPlan{std::move(bad_metric)}, PlanError);
  ScanSpec bad_alarm;
  bad_alarm.filters.push_back(filter("f", "{ $.x = 1 }", "M"));
  AlarmSettings settings;
  settings.datapoints_to_alarm = 2;  // M > N
  bad_alarm.alarms = settings;
  EXPECT_THROW(ScanPlan{std::move(bad_alarm)}, PlanError);
}

TEST(ScanPlan, MatchesBeforeAFiltersCreationAreReported) {
  ScanSpec spec;
  MetricFilter f = filter("f", "{ $.x = 1 }", "M");
  f.created_at = 1000;
  spec.filters.push_back(std::move(f));
  spec.alarms = std::vector<ConfiguredAlarm>{};
  ScanPlan plan(std::move(spec));
  ScanTally tally;
  tally.filters.resize(1);
  tally.filters[0].before_creation = 4;
  std::vector<RuleResult> rules = plan.results(tally);
  EXPECT_EQ(rules[0].created_at, 1000);
  EXPECT_EQ(rules[0].matched_before_creation, 4u);
}

TEST(ScanPlan, ThePrefilterIsOffWhenEveryRecordMustBeSeen) {
  ScanSpec plain;
  plain.filters.push_back(filter("f", "{ $.eventName = DisableKey }", "M"));
  EXPECT_NE(ScanPlan(std::move(plain)).prefilter(), nullptr);
  ScanSpec scoped;
  scoped.filters.push_back(filter("f", "{ $.eventName = DisableKey }", "M"));
  scoped.scope.regions = {"us-east-1"};
  EXPECT_EQ(ScanPlan(std::move(scoped)).prefilter(), nullptr);
}

}  // namespace
}  // namespace trailwatch
