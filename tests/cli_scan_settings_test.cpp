// The command line's one job for `scan`: flags -> a ScanSpec and ScanRunOptions (meaning lives in the scan
// unit). Checked without running the binary.
#include <gtest/gtest.h>

#include <string>

#include "cli/scan_command.hpp"
#include "cli/scan_settings.hpp"
#include "cli/usage_error.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::cli {
namespace {

std::string usage_error(const ScanOptions& o) {
  try {
    build_scan_settings(o);
  } catch (const UsageError& e) {
    return e.message;
  }
  return {};
}

TEST(ScanSettings, NoRuleMeansTheDefaultRuleWithItsAlarm) {
  ScanOptions o;
  ScanSettings s = build_scan_settings(o);
  ASSERT_EQ(s.spec.filters.size(), 1u);
  EXPECT_EQ(s.spec.filters[0].id, default_rule().id);
  EXPECT_EQ(s.spec.filters[0].pattern.text(), default_rule().pattern);
  EXPECT_EQ(s.spec.filters[0].metric.name, default_rule().metric_name);
  const AlarmSettings& alarm = std::get<AlarmSettings>(s.spec.alarms);
  EXPECT_EQ(alarm.period, default_rule().alarm.period);
  EXPECT_EQ(alarm.threshold, default_rule().alarm.threshold);
  EXPECT_EQ(to_string(alarm.statistic), default_rule().alarm.statistic);
  EXPECT_EQ(alarm.evaluation_range_periods, alarm.evaluation_periods + 2);
  EXPECT_EQ(s.run.loader.max_inflated_bytes, std::uint64_t{4} << 30);
}

TEST(ScanSettings, CisSelectsEveryRuleOnce) {
  ScanOptions o;
  o.rules = {"cis", std::string(default_rule().id)};
  EXPECT_EQ(build_scan_settings(o).spec.filters.size(), builtin_rules().size());
  o.rules = {"no-such-rule"};
  EXPECT_NE(usage_error(o).find("unknown rule 'no-such-rule'"), std::string::npos);
}

TEST(ScanSettings, APatternWithItsTransformation) {
  ScanOptions o;
  o.pattern = "{ $.eventName = ConsoleLogin }";
  o.pattern_given = true;
  o.metric_value = "$.n";
  o.dimensions = {"user=$.userIdentity.arn"};
  ScanSettings s = build_scan_settings(o);
  ASSERT_EQ(s.spec.filters.size(), 1u);
  EXPECT_EQ(s.spec.filters[0].id, "pattern");
  EXPECT_EQ(s.spec.filters[0].metric.value, "$.n");
  ASSERT_EQ(s.spec.filters[0].metric.dimensions.size(), 1u);
  EXPECT_EQ(s.spec.filters[0].metric.dimensions[0].first, "user");
  o.dimensions = {"no-equals-sign"};
  EXPECT_NE(usage_error(o).find("NAME=SELECTOR"), std::string::npos);
}

TEST(ScanSettings, FlagsThatDoNotGoTogetherAreRefused) {
  ScanOptions o;
  o.metric_value = "2";
  EXPECT_NE(usage_error(o).find("go with --pattern"), std::string::npos);
  ScanOptions config;
  config.configs = {"x.json"};
  config.rules = {"cis"};
  EXPECT_EQ(usage_error(config), "--config replaces --rule and --pattern");
  ScanOptions group;
  group.group_by = "account,zone";
  EXPECT_NE(usage_error(group).find("--group-by takes"), std::string::npos);
  ScanOptions alarm;
  alarm.datapoints_to_alarm = 3;  // M > N
  EXPECT_FALSE(usage_error(alarm).empty());
}

TEST(ScanSettings, ScopeAndLimitsAreParsed) {
  ScanOptions o;
  o.start = "2024-03-01";
  o.end = "2024-03-01T12:00:00Z";
  o.accounts = {"111122223333"};
  o.group_by = "region,account";
  o.max_inflated_size = "10MiB";
  o.max_record_size = "512k";
  o.fast = true;
  o.threads = 3;
  ScanSettings s = build_scan_settings(o);
  EXPECT_EQ(s.spec.scope.start, 1709251200);
  EXPECT_EQ(s.spec.scope.end, 1709251200 + 12 * 3600);
  EXPECT_EQ(s.spec.scope.accounts, std::vector<std::string>{"111122223333"});
  EXPECT_TRUE(s.spec.group_by.account && s.spec.group_by.region);
  EXPECT_EQ(s.run.loader.max_inflated_bytes, 10u << 20);
  EXPECT_EQ(s.run.limits.max_record_size, 512u << 10);
  EXPECT_TRUE(s.run.fast);
  EXPECT_EQ(s.run.threads, 3u);
  o.end = "2024-02-01";
  EXPECT_EQ(usage_error(o), "--end must be after --start");
  o.end.clear();
  o.max_inflated_size = "4X";
  EXPECT_NE(usage_error(o).find("--max-inflated-size takes a size"), std::string::npos);
}

// docs/design.md "Pruning by the layout": --delivery-slack DURATION and --no-prune.
TEST(ScanSettings, TheDeliverySlackIsADuration) {
  ScanOptions o;
  EXPECT_EQ(build_scan_settings(o).spec.delivery_slack, 86400);  // 1d by default
  for (const auto& [text, seconds] :
       std::vector<std::pair<std::string, std::int64_t>>{{"0", 0},
                                                         {"0m", 0},
                                                         {"90s", 90},
                                                         {"30m", 1800},
                                                         {"6h", 21600},
                                                         {"1d", 86400},
                                                         {"3650d", 315360000}}) {
    SCOPED_TRACE(text);
    o.delivery_slack = text;
    EXPECT_EQ(build_scan_settings(o).spec.delivery_slack, seconds);
  }
  for (const std::string bad :
       {"", "5", "1w", "-1h", "+1h", "1.5h", "h", "1 h", "1H", "3651d", "99999999999999999999d"}) {
    SCOPED_TRACE(bad);
    o.delivery_slack = bad;
    const std::string message = usage_error(o);
    EXPECT_NE(message.find("--delivery-slack takes a duration such as 0, 30m, 6h or 1d"), std::string::npos)
        << message;
    EXPECT_NE(message.find(bad), std::string::npos) << message;
  }
}

// docs/design.md "Coverage": --gap DURATION, 1h by default, longer than 0.
TEST(ScanSettings, TheGapIsADuration) {
  ScanOptions o;
  EXPECT_EQ(build_scan_settings(o).spec.coverage_gap, 3600);
  for (const auto& [text, seconds] : std::vector<std::pair<std::string, std::int64_t>>{
           {"1s", 1}, {"30m", 1800}, {"4h", 14400}, {"1d", 86400}, {"3650d", 315360000}}) {
    SCOPED_TRACE(text);
    o.gap = text;
    EXPECT_EQ(build_scan_settings(o).spec.coverage_gap, seconds);
  }
  for (const std::string bad : {"", "5", "1w", "-1h", "3651d", "0", "0m"}) {
    SCOPED_TRACE(bad);
    o.gap = bad;
    EXPECT_NE(usage_error(o).find("--gap"), std::string::npos);
  }
}

TEST(ScanSettings, NoPruneReadsEveryFileWhateverTheSlack) {
  ScanOptions o;
  o.no_prune = true;
  EXPECT_FALSE(build_scan_settings(o).spec.delivery_slack.has_value());
  o.delivery_slack = "6h";
  EXPECT_FALSE(build_scan_settings(o).spec.delivery_slack.has_value());
  // A slack that is not a duration is still refused: a typo never passes unnoticed.
  o.delivery_slack = "6 hours";
  EXPECT_NE(usage_error(o).find("--delivery-slack"), std::string::npos);
}

TEST(ScanSettings, AConfigurationsAlarmsReplaceTheFlags) {
  ScanOptions o;
  o.configs = {std::string(TW_TESTDATA) + "/config/describe-metric-filters.json",
               std::string(TW_TESTDATA) + "/config/describe-alarms.json"};
  ScanSettings s = build_scan_settings(o);
  EXPECT_FALSE(s.spec.filters.empty());
  ASSERT_TRUE(std::holds_alternative<std::vector<ConfiguredAlarm>>(s.spec.alarms));
  EXPECT_FALSE(std::get<std::vector<ConfiguredAlarm>>(s.spec.alarms).empty());
  // The plan built from it pairs the alarms (the command line does not).
  ScanPlan plan(std::move(s.spec));
  EXPECT_FALSE(plan.alarms().empty());
}

}  // namespace
}  // namespace trailwatch::cli
