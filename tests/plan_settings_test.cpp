// A plan's settings as canonical JSON (what a report carries so that partial reports can be merged): the
// text survives a round trip unchanged, its fingerprint tells any two questions apart and equal ones alike,
// and reading it back refuses what scan_settings_json never writes, naming the key.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "cli/scan_settings.hpp"
#include "trailwatch/json_string.hpp"
#include "trailwatch/rules.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch {
namespace {

// ---- specs

MetricFilter filter(std::string id, std::string_view pattern, std::string name,
                    std::vector<std::pair<std::string, std::string>> dimensions = {}) {
  MetricTransformation m;
  m.namespace_ = "NS";
  m.name = std::move(name);
  m.dimensions = std::move(dimensions);
  return MetricFilter{std::move(id), Pattern::parse(pattern), std::move(m)};
}

MetricFilter builtin_filter(const BuiltinRule& rule) {
  MetricTransformation m;
  m.namespace_ = std::string(rule.metric_namespace);
  m.name = std::string(rule.metric_name);
  m.value = std::string(rule.metric_value);
  return MetricFilter{std::string(rule.id), Pattern::parse(rule.pattern), std::move(m)};
}

AlarmSettings cis_alarm(const RuleAlarm& a) {
  AlarmSettings s;
  s.period = a.period;
  s.statistic = *parse_statistic(a.statistic);
  s.threshold = a.threshold;
  s.comparison = *parse_comparison_operator(a.comparison_operator);
  s.evaluation_periods = a.evaluation_periods;
  s.datapoints_to_alarm = a.datapoints_to_alarm;
  s.treat_missing = *parse_treat_missing_data(a.treat_missing_data);
  s.evaluation_range_periods = a.evaluation_periods + 2;
  return s;
}

ScanSpec default_rule_spec() {
  ScanSpec spec;
  spec.filters.push_back(builtin_filter(default_rule()));
  spec.alarms = cis_alarm(default_rule().alarm);
  return spec;
}

ScanSpec cis_spec() {
  ScanSpec spec;
  for (const BuiltinRule& rule : builtin_rules()) spec.filters.push_back(builtin_filter(rule));
  spec.alarms = cis_alarm(kCisAlarm);
  return spec;
}

// Every setting away from its default: a pattern with a two-dimension transformation, one with a default
// value, unit and creation time, an alarm with every field set, a scope and a grouping.
ScanSpec rich_spec() {
  ScanSpec spec;
  spec.filters.push_back(filter("by-user", "{ $.eventName = ConsoleLogin }", "Logins",
                                {{"b", "$.userIdentity.arn"}, {"a", "$.sourceIPAddress"}}));
  MetricFilter with_default = filter("with-default", "{ $.errorCode = \"AccessDenied\" }", "Denied");
  with_default.metric.namespace_ = "Custom/Namespace";
  with_default.metric.value = "$.requestParameters.count";
  with_default.metric.default_value = 0.25;
  with_default.metric.unit = "Count";
  with_default.created_at = 1709251200;
  spec.filters.push_back(std::move(with_default));
  AlarmSettings alarm;
  alarm.period = 60;
  alarm.statistic = Statistic::Maximum;
  alarm.threshold = 0.1;
  alarm.comparison = ComparisonOperator::LessThanOrEqualToThreshold;
  alarm.evaluation_periods = 5;
  alarm.datapoints_to_alarm = 3;
  alarm.treat_missing = TreatMissingData::Breaching;
  alarm.evaluation_range_periods = 9;
  spec.alarms = alarm;
  spec.series_statistic = Statistic::Average;
  spec.fallback_period = 120;
  spec.scope.start = 1709251200;
  spec.scope.end = 1709337600;
  spec.scope.accounts = {"111122223333", "444455556666"};
  spec.scope.regions = {"us-east-1", "eu-west-3"};
  spec.group_by.account = true;
  spec.group_by.region = true;
  spec.dedup_events = true;
  spec.delivery_slack = 6 * 3600;
  return spec;
}

ConfiguredAlarm configured(std::string name, std::string metric_name,
                           std::map<std::string, std::string> dimensions = {}) {
  ConfiguredAlarm a;
  a.name = std::move(name);
  a.metric_namespace = "NS";
  a.metric_name = std::move(metric_name);
  a.dimensions = std::move(dimensions);
  return a;
}

// An account's configuration: alarms with dimensions, at their own settings, and one that cannot be replayed.
ScanSpec configured_spec() {
  ScanSpec spec;
  spec.filters.push_back(filter("Logins", "{ $.eventName = ConsoleLogin }", "Logins",
                                {{"User", "$.userIdentity.arn"}, {"Ip", "$.sourceIPAddress"}}));
  spec.filters.push_back(filter("Keys", "{ $.eventName = DisableKey }", "Keys"));
  ConfiguredAlarm on_alice = configured("on-alice", "Logins", {{"User", "alice"}, {"Ip", "10.0.0.1"}});
  on_alice.settings.period = 600;
  on_alice.settings.statistic = Statistic::SampleCount;
  on_alice.settings.threshold = 12345.678;
  on_alice.settings.comparison = ComparisonOperator::GreaterThanThreshold;
  on_alice.settings.evaluation_periods = 3;
  on_alice.settings.datapoints_to_alarm = 2;
  on_alice.settings.treat_missing = TreatMissingData::NotBreaching;
  on_alice.settings.evaluation_range_periods = 6;
  ConfiguredAlarm on_keys = configured("on-keys", "Keys");
  on_keys.settings.threshold = 1e-7;
  on_keys.settings.treat_missing = TreatMissingData::Ignore;
  ConfiguredAlarm math = configured("math", "");
  math.unreplayable = "metric math";
  spec.alarms = std::vector<ConfiguredAlarm>{std::move(on_alice), std::move(on_keys), std::move(math)};
  spec.fallback_period = 900;
  return spec;
}

// ---- round trips

// The spec's text, after checking that reading it back and writing it again gives the same text.
std::string round_trip(const ScanSpec& spec) {
  const std::string json = scan_settings_json(spec);
  ScanSpec again = parse_scan_settings(json);
  EXPECT_EQ(scan_settings_json(again), json);
  return json;
}

void expect_same_alarm_settings(const AlarmSettings& a, const AlarmSettings& b) {
  EXPECT_EQ(a.period, b.period);
  EXPECT_EQ(a.statistic, b.statistic);
  // Bit for bit: the text holds the shortest form that reads back exactly.
  EXPECT_EQ(std::signbit(a.threshold), std::signbit(b.threshold));
  EXPECT_EQ(a.threshold, b.threshold);
  EXPECT_EQ(a.comparison, b.comparison);
  EXPECT_EQ(a.evaluation_periods, b.evaluation_periods);
  EXPECT_EQ(a.datapoints_to_alarm, b.datapoints_to_alarm);
  EXPECT_EQ(a.treat_missing, b.treat_missing);
  EXPECT_EQ(a.evaluation_range_periods, b.evaluation_range_periods);
}

// Field by field: the text round trip alone would not see a setting that is neither written nor read.
void expect_same_spec(const ScanSpec& a, const ScanSpec& b) {
  ASSERT_EQ(a.filters.size(), b.filters.size());
  for (std::size_t i = 0; i < a.filters.size(); ++i) {
    SCOPED_TRACE("filter " + std::to_string(i));
    const MetricFilter& x = a.filters[i];
    const MetricFilter& y = b.filters[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.pattern.text(), y.pattern.text());
    EXPECT_EQ(x.metric.namespace_, y.metric.namespace_);
    EXPECT_EQ(x.metric.name, y.metric.name);
    EXPECT_EQ(x.metric.value, y.metric.value);
    EXPECT_EQ(x.metric.default_value, y.metric.default_value);
    EXPECT_EQ(x.metric.dimensions, y.metric.dimensions);
    EXPECT_EQ(x.metric.unit, y.metric.unit);
    EXPECT_EQ(x.created_at, y.created_at);
  }
  ASSERT_EQ(a.alarms.index(), b.alarms.index());
  if (const auto* every = std::get_if<AlarmSettings>(&a.alarms)) {
    expect_same_alarm_settings(*every, std::get<AlarmSettings>(b.alarms));
  } else {
    const auto& xs = std::get<std::vector<ConfiguredAlarm>>(a.alarms);
    const auto& ys = std::get<std::vector<ConfiguredAlarm>>(b.alarms);
    ASSERT_EQ(xs.size(), ys.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
      SCOPED_TRACE("alarm " + xs[i].name);
      EXPECT_EQ(xs[i].name, ys[i].name);
      EXPECT_EQ(xs[i].metric_namespace, ys[i].metric_namespace);
      EXPECT_EQ(xs[i].metric_name, ys[i].metric_name);
      EXPECT_EQ(xs[i].dimensions, ys[i].dimensions);
      expect_same_alarm_settings(xs[i].settings, ys[i].settings);
      EXPECT_EQ(xs[i].unreplayable, ys[i].unreplayable);
    }
  }
  EXPECT_EQ(a.series_statistic, b.series_statistic);
  EXPECT_EQ(a.fallback_period, b.fallback_period);
  EXPECT_EQ(a.scope.start, b.scope.start);
  EXPECT_EQ(a.scope.end, b.scope.end);
  EXPECT_EQ(a.scope.accounts, b.scope.accounts);
  EXPECT_EQ(a.scope.regions, b.scope.regions);
  EXPECT_EQ(a.group_by.account, b.group_by.account);
  EXPECT_EQ(a.group_by.region, b.group_by.region);
  EXPECT_EQ(a.dedup_events, b.dedup_events);
  EXPECT_EQ(a.delivery_slack, b.delivery_slack);
  EXPECT_EQ(a.coverage_gap, b.coverage_gap);
}

void expect_round_trip(const std::function<ScanSpec()>& make) {
  const ScanSpec spec = make();
  round_trip(spec);
  expect_same_spec(spec, parse_scan_settings(scan_settings_json(spec)));
}

TEST(PlanSettings, TheDefaultRuleRoundTrips) {
  expect_round_trip(default_rule_spec);
  // Its text, once: the format is what reports carry and merges read, so it changes only on purpose.
  const std::string json = scan_settings_json(default_rule_spec());
  const std::string expected_prefix =
      "{\"rules\":[{\"id\":\"" + std::string(default_rule().id) + "\",\"pattern\":";
  EXPECT_EQ(json.substr(0, expected_prefix.size()), expected_prefix);
  const std::string expected_tail =
      "\"alarms\":{\"every_series\":{\"period\":300,\"statistic\":\"Sum\",\"threshold\":1,"
      "\"comparison_operator\":\"GreaterThanOrEqualToThreshold\",\"evaluation_periods\":1,"
      "\"datapoints_to_alarm\":1,\"treat_missing_data\":\"missing\",\"evaluation_range_periods\":3}},"
      "\"series_statistic\":\"Sum\",\"fallback_period\":300,"
      "\"scope\":{\"start\":null,\"end\":null,\"accounts\":[],\"regions\":[]},"
      "\"group_by\":{\"account\":false,\"region\":false},\"dedup_events\":false,"
      "\"pruning\":{\"delivery_slack\":86400},\"gap\":3600}";
  ASSERT_GE(json.size(), expected_tail.size());
  EXPECT_EQ(json.substr(json.size() - expected_tail.size()), expected_tail) << json;
}

TEST(PlanSettings, TheCommandLinesDefaultSpecIsTheDefaultRules) {
  // What `scan` builds without flags is the spec above: same question, same text.
  cli::ScanSettings settings = cli::build_scan_settings(cli::ScanOptions{});
  EXPECT_EQ(round_trip(settings.spec), scan_settings_json(default_rule_spec()));
  cli::ScanOptions cis;
  cis.rules = {"cis"};
  EXPECT_EQ(round_trip(cli::build_scan_settings(cis).spec), scan_settings_json(cis_spec()));
}

TEST(PlanSettings, TheWholeCisPackRoundTrips) {
  expect_round_trip(cis_spec);
  EXPECT_EQ(parse_scan_settings(scan_settings_json(cis_spec())).filters.size(), builtin_rules().size());
}

TEST(PlanSettings, EveryNonDefaultSettingRoundTrips) {
  expect_round_trip(rich_spec);
}

TEST(PlanSettings, ConfiguredAlarmsRoundTrip) {
  expect_round_trip(configured_spec);
  // No alarm at all is a configuration too.
  expect_round_trip([] {
    ScanSpec spec = configured_spec();
    spec.alarms = std::vector<ConfiguredAlarm>{};
    return spec;
  });
}

TEST(PlanSettings, DimensionsKeepTheirOrder) {
  const auto with = [](std::vector<std::pair<std::string, std::string>> dimensions) {
    return [dimensions] {
      ScanSpec spec;
      spec.filters.push_back(filter("p", "{ $.eventName = X }", "M", dimensions));
      return spec;
    };
  };
  const auto ba = with({{"b", "$.b"}, {"a", "$.a"}});
  const auto ab = with({{"a", "$.a"}, {"b", "$.b"}});
  expect_round_trip(ba);
  expect_round_trip(ab);
  // A series key lists its values in the dimensions' order: [b, a] and [a, b] are different questions.
  EXPECT_NE(scan_settings_json(ba()), scan_settings_json(ab()));
  EXPECT_EQ(parse_scan_settings(scan_settings_json(ba())).filters[0].metric.dimensions[0].first, "b");
}

TEST(PlanSettings, ThresholdsAndValuesReadBackExactly) {
  for (const double value :
       {0.1, 1e-7, 12345.678, -0.5, 0.0, 1.0, 3.0, 1e21, 1e-300, 5e-324, 1234567890123456.0, 1e16,
        std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(), 0.30000000000000004,
        2.2250738585072014e-308}) {
    SCOPED_TRACE(fmt::format("{}", value));
    expect_round_trip([value] {
      ScanSpec spec = rich_spec();
      std::get<AlarmSettings>(spec.alarms).threshold = value;
      spec.filters[1].metric.default_value = value;
      return spec;
    });
    expect_round_trip([value] {
      ScanSpec spec = configured_spec();
      std::get<std::vector<ConfiguredAlarm>>(spec.alarms)[0].settings.threshold = value;
      return spec;
    });
  }
}

// A threshold (or default value) of -0.0 (`scan --threshold -0`, or "Threshold": -0.0 in describe-alarms)
// once was written "-0", read back as +0 and written "0": a plan rebuilt from a report had another
// fingerprint. It is written "0", the same question as --threshold 0.
TEST(PlanSettings, NegativeZeroReadsBackAsWritten) {
  ScanSpec negative = rich_spec();
  std::get<AlarmSettings>(negative.alarms).threshold = -0.0;
  negative.filters[1].metric.default_value = -0.0;
  ScanSpec positive = rich_spec();
  std::get<AlarmSettings>(positive.alarms).threshold = 0.0;
  positive.filters[1].metric.default_value = 0.0;
  const std::string text = scan_settings_json(negative);
  EXPECT_EQ(scan_settings_json(parse_scan_settings(text)), text);
  EXPECT_EQ(text, scan_settings_json(positive));
}

// What a plan accepts reads back: the reader once refused int fields above 1'000'000 that validate() allows
// (scan --evaluation-range-periods 1000001).
TEST(PlanSettings, WhateverAPlanAcceptsReadsBack) {
  ScanSpec spec = rich_spec();
  std::get<AlarmSettings>(spec.alarms).evaluation_range_periods = 1'000'001;
  const std::string json = scan_settings_json(spec);
  ASSERT_NO_THROW(ScanPlan{std::move(spec)});
  EXPECT_NO_THROW(parse_scan_settings(json));
}

// Text that is not UTF-8 could only be written with U+FFFD in place of its bad bytes, so two patterns that
// differ only there would share settings and a fingerprint, and the pattern read back would not be the one
// that ran. Settings refuse it (CloudWatch holds only UTF-8 text), and so does a plan.
TEST(PlanSettings, TextThatIsNotUtf8IsRefused) {
  const auto with_pattern = [](std::string_view pattern) {
    ScanSpec spec;
    spec.filters.push_back(filter("p", pattern, "M"));
    return spec;
  };
  const std::string a = "{ $.userName = \"\xff\" }";
  ASSERT_NO_THROW(Pattern::parse(a));
  EXPECT_THROW(scan_settings_json(with_pattern(a)), PlanError);
  EXPECT_THROW(ScanPlan{with_pattern(a)}, PlanError);
  ScanSpec bad_account = with_pattern("{ $.userName = x }");
  bad_account.scope.accounts.push_back("12\xc3");
  EXPECT_THROW(scan_settings_json(bad_account), PlanError);
}

TEST(PlanSettings, EveryStatisticOperatorAndMissingDataModeRoundTrips) {
  for (const Statistic statistic :
       {Statistic::Sum, Statistic::SampleCount, Statistic::Average, Statistic::Minimum, Statistic::Maximum})
    for (const TreatMissingData missing : {TreatMissingData::Missing, TreatMissingData::NotBreaching,
                                           TreatMissingData::Breaching, TreatMissingData::Ignore}) {
      SCOPED_TRACE(std::string(to_string(statistic)) + " " + std::string(to_string(missing)));
      expect_round_trip([=] {
        ScanSpec spec = rich_spec();
        std::get<AlarmSettings>(spec.alarms).statistic = statistic;
        std::get<AlarmSettings>(spec.alarms).treat_missing = missing;
        spec.series_statistic = statistic;
        return spec;
      });
    }
  for (const ComparisonOperator op :
       {ComparisonOperator::GreaterThanOrEqualToThreshold, ComparisonOperator::GreaterThanThreshold,
        ComparisonOperator::LessThanThreshold, ComparisonOperator::LessThanOrEqualToThreshold}) {
    SCOPED_TRACE(std::string(to_string(op)));
    expect_round_trip([=] {
      ScanSpec spec = configured_spec();
      std::get<std::vector<ConfiguredAlarm>>(spec.alarms)[1].settings.comparison = op;
      return spec;
    });
  }
}

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

TEST(PlanSettings, ExtremeIntegersRoundTrip) {
  expect_round_trip([] {
    ScanSpec spec = rich_spec();
    spec.scope.start = kMin;
    spec.scope.end = kMax;
    spec.filters[1].created_at = -1;
    spec.fallback_period = kMax;
    std::get<AlarmSettings>(spec.alarms).period = kMax;
    std::get<AlarmSettings>(spec.alarms).evaluation_range_periods = 1'000'000;
    return spec;
  });
  expect_round_trip([] {
    ScanSpec spec = rich_spec();
    spec.scope.start = 0;
    spec.scope.end = std::nullopt;
    spec.filters[1].created_at = kMin;
    spec.delivery_slack = 0;
    return spec;
  });
  expect_round_trip([] {
    ScanSpec spec = rich_spec();
    spec.delivery_slack = kMaxDeliverySlack;
    return spec;
  });
}

TEST(PlanSettings, ASlackOutOfRangeIsAPlanError) {
  for (const std::int64_t slack : {std::int64_t{-1}, kMaxDeliverySlack + 1, kMin, kMax}) {
    SCOPED_TRACE(slack);
    ScanSpec spec = rich_spec();
    spec.delivery_slack = slack;
    EXPECT_THROW(scan_settings_json(spec), PlanError);
  }
}

TEST(PlanSettings, AGapOutOfRangeIsAPlanError) {
  for (const std::int64_t gap : {std::int64_t{0}, std::int64_t{-1}, kMaxCoverageGap + 1, kMin, kMax}) {
    SCOPED_TRACE(gap);
    ScanSpec spec = rich_spec();
    spec.coverage_gap = gap;
    EXPECT_THROW(scan_settings_json(spec), PlanError);
  }
  expect_round_trip([] {
    ScanSpec spec = rich_spec();
    spec.coverage_gap = kMaxCoverageGap;
    return spec;
  });
  // Read back, a gap out of range is refused too.
  std::string json = scan_settings_json(rich_spec());
  const std::size_t at = json.rfind("\"gap\":");
  ASSERT_NE(at, std::string::npos);
  EXPECT_THROW(parse_scan_settings(json.substr(0, at) + "\"gap\":0}"), PlanError);
  EXPECT_THROW(parse_scan_settings(json.substr(0, at - 1) + "}"), PlanError);  // no "gap" at all
}

TEST(PlanSettings, WithoutPruningTheSettingsSayNull) {
  ScanSpec spec = rich_spec();
  spec.delivery_slack.reset();
  const std::string json = round_trip(spec);
  EXPECT_NE(json.find(",\"pruning\":null,"), std::string::npos) << json;
  EXPECT_FALSE(parse_scan_settings(json).delivery_slack.has_value());
}

// Text a JSON string must escape (quote, backslash, control characters, DEL) or keep as UTF-8.
const std::string kHostile =
    std::string("q\"b\\s/\xC3\xA9\xE6\x97\xA5\xF0\x9F\x94\x91 \t\n\r\x01\x1f\x7f") + '\0' + "end";

TEST(PlanSettings, StringsThatNeedEscapesRoundTrip) {
  expect_round_trip([] {
    ScanSpec spec = rich_spec();
    spec.filters[0].id = kHostile;
    spec.filters[0].metric.namespace_ = kHostile;
    spec.filters[0].metric.name = kHostile;
    spec.filters[0].metric.dimensions[0] = {kHostile, "$.x"};
    spec.filters[1].metric.unit = kHostile;
    spec.scope.accounts = {kHostile, ""};
    spec.scope.regions = {kHostile};
    return spec;
  });
  expect_round_trip([] {
    ScanSpec spec = configured_spec();
    auto& alarms = std::get<std::vector<ConfiguredAlarm>>(spec.alarms);
    alarms[0].name = kHostile;
    alarms[0].metric_namespace = kHostile;
    alarms[0].metric_name = kHostile;
    alarms[0].dimensions = {{kHostile, kHostile}, {"", ""}};
    alarms[2].unreplayable = kHostile;
    return spec;
  });
}

TEST(PlanSettings, PatternsThatNeedEscapesRoundTrip) {
  for (const std::string& pattern :
       {std::string(R"({ $.userIdentity.arn = "arn:aws:iam::1:user/\"q\"" })"),
        std::string("{ $.requestParameters.name = \"caf\xC3\xA9 \xE6\x97\xA5\" }"),
        std::string(R"(%\d+\.\d+%)"), std::string("\"quoted phrase\" -DEBUG \"caf\xC3\xA9\""),
        std::string("[ip, user, ..., code=4*]"), std::string(""), std::string("{ $.a = \"tab\there\" }"),
        std::string("{ ($.a = \"x\") || ($.b = \"\\\\\") }")}) {
    SCOPED_TRACE(pattern);
    ASSERT_NO_THROW(Pattern::parse(pattern));
    expect_round_trip([&pattern] {
      ScanSpec spec;
      spec.filters.push_back(filter(pattern, pattern, "M"));
      return spec;
    });
  }
}

// ---- the fingerprint

// One change to one setting that changes the answer.
struct Change {
  std::string what;
  std::function<void(ScanSpec&)> apply;
};

std::vector<Change> every_series_changes() {
  const auto alarm = [](ScanSpec& s) -> AlarmSettings& { return std::get<AlarmSettings>(s.alarms); };
  return {
      {"filter id", [](ScanSpec& s) { s.filters[0].id = "by-user2"; }},
      {"pattern",
       [](ScanSpec& s) { s.filters[0].pattern = Pattern::parse("{ $.eventName = ConsoleLogout }"); }},
      {"pattern spacing",
       [](ScanSpec& s) { s.filters[0].pattern = Pattern::parse("{$.eventName = ConsoleLogin}"); }},
      {"namespace", [](ScanSpec& s) { s.filters[0].metric.namespace_ = "NS2"; }},
      {"metric name", [](ScanSpec& s) { s.filters[0].metric.name = "Logins2"; }},
      {"metric value", [](ScanSpec& s) { s.filters[0].metric.value = "2"; }},
      {"default value set", [](ScanSpec& s) { s.filters[0].metric.default_value = 0; }},
      {"default value changed", [](ScanSpec& s) { s.filters[1].metric.default_value = 0.5; }},
      {"default value removed", [](ScanSpec& s) { s.filters[1].metric.default_value.reset(); }},
      {"dimension order",
       [](ScanSpec& s) { std::swap(s.filters[0].metric.dimensions[0], s.filters[0].metric.dimensions[1]); }},
      {"dimension name", [](ScanSpec& s) { s.filters[0].metric.dimensions[0].first = "c"; }},
      {"dimension selector",
       [](ScanSpec& s) { s.filters[0].metric.dimensions[0].second = "$.userIdentity.type"; }},
      {"dimension removed", [](ScanSpec& s) { s.filters[0].metric.dimensions.pop_back(); }},
      {"unit", [](ScanSpec& s) { s.filters[1].metric.unit = "Seconds"; }},
      {"unit set", [](ScanSpec& s) { s.filters[0].metric.unit = "Count"; }},
      {"created_at", [](ScanSpec& s) { s.filters[1].created_at = 1709251201; }},
      {"created_at set", [](ScanSpec& s) { s.filters[0].created_at = 0; }},
      {"created_at removed", [](ScanSpec& s) { s.filters[1].created_at.reset(); }},
      {"filter added", [](ScanSpec& s) { s.filters.push_back(filter("more", "{ $.x = 1 }", "More")); }},
      {"filter removed", [](ScanSpec& s) { s.filters.pop_back(); }},
      {"filters reordered", [](ScanSpec& s) { std::swap(s.filters[0], s.filters[1]); }},
      {"period", [=](ScanSpec& s) { alarm(s).period = 120; }},
      {"statistic", [=](ScanSpec& s) { alarm(s).statistic = Statistic::Minimum; }},
      {"threshold", [=](ScanSpec& s) { alarm(s).threshold = 0.2; }},
      {"threshold by one ulp", [=](ScanSpec& s) { alarm(s).threshold = std::nextafter(0.1, 1.0); }},
      {"threshold zero", [=](ScanSpec& s) { alarm(s).threshold = 0.0; }},
      {"operator", [=](ScanSpec& s) { alarm(s).comparison = ComparisonOperator::LessThanThreshold; }},
      {"evaluation periods (N)", [=](ScanSpec& s) { alarm(s).evaluation_periods = 4; }},
      {"datapoints to alarm (M)", [=](ScanSpec& s) { alarm(s).datapoints_to_alarm = 2; }},
      {"treat missing data", [=](ScanSpec& s) { alarm(s).treat_missing = TreatMissingData::Ignore; }},
      {"evaluation range (R)", [=](ScanSpec& s) { alarm(s).evaluation_range_periods = 8; }},
      {"alarms configured instead", [](ScanSpec& s) { s.alarms = std::vector<ConfiguredAlarm>{}; }},
      {"series statistic", [](ScanSpec& s) { s.series_statistic = Statistic::Sum; }},
      {"fallback period", [](ScanSpec& s) { s.fallback_period = 300; }},
      {"scope start", [](ScanSpec& s) { s.scope.start = 1709251260; }},
      {"scope start removed", [](ScanSpec& s) { s.scope.start.reset(); }},
      {"scope end", [](ScanSpec& s) { s.scope.end = 1709337660; }},
      {"scope end removed", [](ScanSpec& s) { s.scope.end.reset(); }},
      {"scope account changed", [](ScanSpec& s) { s.scope.accounts[1] = "444455556667"; }},
      {"scope account added", [](ScanSpec& s) { s.scope.accounts.push_back("777788889999"); }},
      {"scope accounts cleared", [](ScanSpec& s) { s.scope.accounts.clear(); }},
      {"scope region changed", [](ScanSpec& s) { s.scope.regions[0] = "us-east-2"; }},
      {"scope regions cleared", [](ScanSpec& s) { s.scope.regions.clear(); }},
      {"group by account", [](ScanSpec& s) { s.group_by.account = false; }},
      {"group by region", [](ScanSpec& s) { s.group_by.region = false; }},
      {"dedup events", [](ScanSpec& s) { s.dedup_events = false; }},
      // docs/design.md "Pruning by the layout": how late a delivery is read changes what is counted.
      {"delivery slack", [](ScanSpec& s) { s.delivery_slack = 6 * 3600 + 60; }},
      {"delivery slack 0", [](ScanSpec& s) { s.delivery_slack = 0; }},
      {"no pruning", [](ScanSpec& s) { s.delivery_slack.reset(); }},
      // docs/design.md "Coverage": --gap decides which silences are gaps.
      {"coverage gap", [](ScanSpec& s) { s.coverage_gap = 4 * 3600; }},
      {"coverage gap 1 s", [](ScanSpec& s) { s.coverage_gap = 1; }},
  };
}

std::vector<Change> configured_changes() {
  const auto alarm = [](ScanSpec& s, std::size_t i) -> ConfiguredAlarm& {
    return std::get<std::vector<ConfiguredAlarm>>(s.alarms)[i];
  };
  return {
      {"alarm name", [=](ScanSpec& s) { alarm(s, 0).name = "on-bob"; }},
      {"alarm namespace", [=](ScanSpec& s) { alarm(s, 0).metric_namespace = "NS2"; }},
      {"alarm metric name", [=](ScanSpec& s) { alarm(s, 0).metric_name = "Keys"; }},
      {"alarm dimension value", [=](ScanSpec& s) { alarm(s, 0).dimensions["User"] = "bob"; }},
      {"alarm dimension name",
       [=](ScanSpec& s) {
         alarm(s, 0).dimensions.erase("Ip");
         alarm(s, 0).dimensions["IP"] = "10.0.0.1";
       }},
      {"alarm dimension removed", [=](ScanSpec& s) { alarm(s, 0).dimensions.erase("Ip"); }},
      {"alarm dimension added", [=](ScanSpec& s) { alarm(s, 1).dimensions["User"] = "alice"; }},
      {"alarm period", [=](ScanSpec& s) { alarm(s, 0).settings.period = 300; }},
      {"alarm statistic", [=](ScanSpec& s) { alarm(s, 0).settings.statistic = Statistic::Sum; }},
      {"alarm threshold", [=](ScanSpec& s) { alarm(s, 1).settings.threshold = 1e-8; }},
      {"alarm operator",
       [=](ScanSpec& s) { alarm(s, 0).settings.comparison = ComparisonOperator::LessThanThreshold; }},
      {"alarm N", [=](ScanSpec& s) { alarm(s, 0).settings.evaluation_periods = 4; }},
      {"alarm M", [=](ScanSpec& s) { alarm(s, 0).settings.datapoints_to_alarm = 3; }},
      {"alarm treat missing",
       [=](ScanSpec& s) { alarm(s, 0).settings.treat_missing = TreatMissingData::Missing; }},
      {"alarm R", [=](ScanSpec& s) { alarm(s, 0).settings.evaluation_range_periods = 7; }},
      {"alarm made unreplayable", [=](ScanSpec& s) { alarm(s, 1).unreplayable = "percentile"; }},
      {"unreplayable reason", [=](ScanSpec& s) { alarm(s, 2).unreplayable = "metric math!"; }},
      {"alarm removed", [](ScanSpec& s) { std::get<std::vector<ConfiguredAlarm>>(s.alarms).pop_back(); }},
      {"alarms reordered",
       [](ScanSpec& s) {
         auto& alarms = std::get<std::vector<ConfiguredAlarm>>(s.alarms);
         std::swap(alarms[0], alarms[1]);
       }},
      {"one alarm for every series instead", [](ScanSpec& s) { s.alarms = AlarmSettings{}; }},
      {"fallback period", [](ScanSpec& s) { s.fallback_period = 300; }},
  };
}

void expect_each_change_changes_the_fingerprint(const std::function<ScanSpec()>& make,
                                                const std::vector<Change>& changes) {
  const std::string base = settings_fingerprint(scan_settings_json(make()));
  // Equal specs, made twice: equal text, equal fingerprint.
  EXPECT_EQ(settings_fingerprint(scan_settings_json(make())), base);
  std::map<std::string, std::string> seen{{base, "the unchanged spec"}};
  for (const Change& change : changes) {
    SCOPED_TRACE(change.what);
    ScanSpec spec = make();
    change.apply(spec);
    const std::string json = round_trip(spec);
    const std::string fingerprint = settings_fingerprint(json);
    EXPECT_NE(fingerprint, base);
    // Every change is a different question from every other.
    const auto [it, inserted] = seen.emplace(fingerprint, change.what);
    EXPECT_TRUE(inserted) << "same fingerprint as: " << it->second;
    // Made again, the changed spec gives the same fingerprint.
    ScanSpec again = make();
    change.apply(again);
    EXPECT_EQ(settings_fingerprint(scan_settings_json(again)), fingerprint);
  }
}

TEST(PlanSettings, EveryAnswerChangingSettingChangesTheFingerprint) {
  expect_each_change_changes_the_fingerprint(rich_spec, every_series_changes());
}

TEST(PlanSettings, EveryConfiguredAlarmSettingChangesTheFingerprint) {
  expect_each_change_changes_the_fingerprint(configured_spec, configured_changes());
}

TEST(PlanSettings, TheFingerprintIsTheSettingsFnv1a64InHex) {
  EXPECT_EQ(settings_fingerprint(""), "cbf29ce484222325");
  EXPECT_EQ(settings_fingerprint("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(settings_fingerprint("foobar"), "85944171f73967e8");
  const std::string json = scan_settings_json(rich_spec());
  EXPECT_EQ(settings_fingerprint(json), fmt::format("{:016x}", fnv1a64(json)));
  // Always 16 digits: a hash below 2^60 keeps its leading zero.
  for (int i = 0;; ++i) {
    const std::string text = std::to_string(i);
    if (fnv1a64(text) >> 60 != 0) continue;
    const std::string fingerprint = settings_fingerprint(text);
    EXPECT_EQ(fingerprint.size(), 16u) << text;
    EXPECT_EQ(fingerprint[0], '0') << text;
    break;
  }
}

TEST(Fnv1a64, KnownVectors) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
  // Bytes, not chars: a byte above 0x7F is not sign-extended.
  EXPECT_EQ(fnv1a64("\xff"), (0xcbf29ce484222325ULL ^ 0xffULL) * 0x100000001b3ULL);
  EXPECT_EQ(fnv1a64(std::string_view("\0", 1)), 0xcbf29ce484222325ULL * 0x100000001b3ULL);
}

TEST(PlanSettings, TheVersionIsTheProjects) {
  const std::string_view version = trailwatch_version();
  EXPECT_FALSE(version.empty());
  EXPECT_EQ(std::count(version.begin(), version.end(), '.'), 2) << version;
  EXPECT_EQ(version.find_first_not_of("0123456789."), std::string_view::npos) << version;
}

// ---- the plan carries them

TEST(PlanSettings, APlanCarriesItsSpecsSettingsAndFingerprint) {
  for (const auto& make :
       std::vector<std::function<ScanSpec()>>{default_rule_spec, cis_spec, configured_spec, rich_spec}) {
    const std::string json = scan_settings_json(make());
    const ScanPlan plan(make());
    EXPECT_EQ(plan.settings(), json);
    EXPECT_EQ(plan.fingerprint(), settings_fingerprint(json));
  }
  // A plan rebuilt from its settings asks the same question.
  const ScanPlan plan(cis_spec());
  const ScanPlan again(parse_scan_settings(plan.settings()));
  EXPECT_EQ(again.settings(), plan.settings());
  EXPECT_EQ(again.fingerprint(), plan.fingerprint());
  EXPECT_NE(ScanPlan(default_rule_spec()).fingerprint(), plan.fingerprint());
}

// ---- what parse_scan_settings refuses

// The PlanError's message for `json`, or "" when it parsed.
std::string plan_error(std::string_view json) {
  try {
    parse_scan_settings(json);
  } catch (const PlanError& e) {
    return e.what();
  }
  return {};
}

std::string replace_first(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from << " not in " << text;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ParseScanSettings, NotJsonIsRefused) {
  for (const std::string_view text : {"", "{", "nope", "{\"rules\":[}", "{\"rules\":[]", "\xff"}) {
    SCOPED_TRACE(text);
    EXPECT_NE(plan_error(text).find("not JSON"), std::string::npos) << plan_error(text);
  }
  // JSON, but not an object.
  for (const std::string_view text : {"[]", "null", "1", "\"settings\""})
    EXPECT_NE(plan_error(text).find("not an object"), std::string::npos) << text << ": " << plan_error(text);
}

// Every key, at each place it occurs, renamed away: the error names it.
void expect_each_missing_key_named(const std::string& json) {
  ASSERT_TRUE(plan_error(json).empty()) << plan_error(json);
  std::size_t checked = 0;
  for (const char* key_text : {"rules",
                               "id",
                               "pattern",
                               "metric",
                               "namespace",
                               "name",
                               "value",
                               "default_value",
                               "dimensions",
                               "unit",
                               "created_at",
                               "alarms",
                               "every_series",
                               "configured",
                               "period",
                               "statistic",
                               "threshold",
                               "comparison_operator",
                               "evaluation_periods",
                               "datapoints_to_alarm",
                               "treat_missing_data",
                               "evaluation_range_periods",
                               "metric_name",
                               "settings",
                               "unreplayable",
                               "series_statistic",
                               "fallback_period",
                               "scope",
                               "start",
                               "end",
                               "accounts",
                               "regions",
                               "group_by",
                               "account",
                               "region",
                               "pruning",
                               "delivery_slack"}) {
    const std::string key = key_text;
    const std::string quoted = "\"" + key + "\":";
    for (std::size_t at = json.find(quoted); at != std::string::npos; at = json.find(quoted, at + 1)) {
      SCOPED_TRACE("\"" + key + "\" at offset " + std::to_string(at));
      const std::size_t cut = at + quoted.size() - 2;  // after the key, before its closing quote
      const std::string broken = json.substr(0, cut) + "_" + json.substr(cut);
      const std::string message = plan_error(broken);
      // An alarms object without every_series is read as a configuration's: it lacks "configured".
      const std::string named = key == "every_series" ? "\"configured\"" : "\"" + key + "\"";
      EXPECT_NE(message.find(named), std::string::npos) << message;
      ++checked;
    }
  }
  EXPECT_GT(checked, 20u);
}

TEST(ParseScanSettings, AMissingKeyIsNamed) {
  expect_each_missing_key_named(scan_settings_json(rich_spec()));
  expect_each_missing_key_named(scan_settings_json(configured_spec()));
}

TEST(ParseScanSettings, AWrongTypeIsNamed) {
  const std::string every = scan_settings_json(rich_spec());
  const std::string config = scan_settings_json(configured_spec());
  struct Case {
    const std::string* json;
    std::string from;
    std::string to;
    std::string key;
  };
  const std::vector<Case> cases{
      {&every, "\"rules\":[", "\"rules\":{},\"x\":[", "rules"},
      {&every, "\"rules\":[{", "\"rules\":[1,{", "rules"},
      {&every, "\"id\":\"by-user\"", "\"id\":7", "id"},
      {&every, "\"pattern\":\"", "\"pattern\":null,\"x\":\"", "pattern"},
      {&every, "\"metric\":{", "\"metric\":[],\"x\":{", "metric"},
      {&every, "\"namespace\":\"NS\"", "\"namespace\":[\"NS\"]", "namespace"},
      {&every, "\"name\":\"Logins\"", "\"name\":true", "name"},
      {&every, "\"value\":\"1\"", "\"value\":1", "value"},
      {&every, "\"default_value\":0.25", "\"default_value\":\"0.25\"", "default_value"},
      {&every, "\"dimensions\":[[", "\"dimensions\":{},\"x\":[[", "dimensions"},
      {&every, "[\"b\",\"$.userIdentity.arn\"]", "[\"b\"]", "dimension"},
      {&every, "[\"b\",\"$.userIdentity.arn\"]", "[\"b\",\"$.userIdentity.arn\",\"c\"]", "dimension"},
      {&every, "[\"b\",\"$.userIdentity.arn\"]", "[\"b\",2]", "dimensions"},
      {&every, "[\"b\",\"$.userIdentity.arn\"]", "\"b\"", "dimensions"},
      {&every, "\"unit\":\"Count\"", "\"unit\":null", "unit"},
      {&every, "\"created_at\":1709251200", "\"created_at\":1709251200.5", "created_at"},
      {&every, "\"created_at\":1709251200", "\"created_at\":\"1709251200\"", "created_at"},
      {&every, "\"alarms\":{", "\"alarms\":[],\"x\":{", "alarms"},
      {&every, "\"every_series\":{", "\"every_series\":[],\"x\":{", "every_series"},
      {&every, "\"period\":60", "\"period\":\"60\"", "period"},
      {&every, "\"period\":60", "\"period\":60.5", "period"},
      {&every, "\"statistic\":\"Maximum\"", "\"statistic\":\"p99\"", "statistic"},
      {&every, "\"statistic\":\"Maximum\"", "\"statistic\":\"maximum\"", "statistic"},
      {&every, "\"statistic\":\"Maximum\"", "\"statistic\":3", "statistic"},
      {&every, "\"threshold\":0.1", "\"threshold\":\"0.1\"", "threshold"},
      {&every, "\"threshold\":0.1", "\"threshold\":null", "threshold"},
      {&every, "\"comparison_operator\":\"", "\"comparison_operator\":\"Bigger\",\"x\":\"",
       "comparison_operator"},
      {&every, "\"evaluation_periods\":5", "\"evaluation_periods\":\"5\"", "evaluation_periods"},
      {&every, "\"evaluation_periods\":5", "\"evaluation_periods\":-1", "evaluation_periods"},
      {&every, "\"evaluation_periods\":5", "\"evaluation_periods\":4294967301", "evaluation_periods"},
      {&every, "\"datapoints_to_alarm\":3", "\"datapoints_to_alarm\":true", "datapoints_to_alarm"},
      {&every, "\"treat_missing_data\":\"breaching\"", "\"treat_missing_data\":\"sometimes\"",
       "treat_missing_data"},
      {&every, "\"evaluation_range_periods\":9", "\"evaluation_range_periods\":9.0",
       "evaluation_range_periods"},
      {&every, "\"series_statistic\":\"Average\"", "\"series_statistic\":\"Median\"", "series_statistic"},
      {&every, "\"fallback_period\":120", "\"fallback_period\":null", "fallback_period"},
      {&every, "\"scope\":{", "\"scope\":null,\"x\":{", "scope"},
      {&every, "\"start\":1709251200", "\"start\":\"2024-03-01\"", "start"},
      {&every, "\"end\":1709337600", "\"end\":false", "end"},
      {&every, "\"accounts\":[\"111122223333\",", "\"accounts\":[111122223333,", "accounts"},
      {&every, "\"accounts\":[", "\"accounts\":\"111122223333\",\"x\":[", "accounts"},
      {&every, "\"regions\":[\"us-east-1\"", "\"regions\":[null", "regions"},
      {&every, "\"group_by\":{", "\"group_by\":[],\"x\":{", "group_by"},
      {&every, "\"account\":true", "\"account\":1", "account"},
      {&every, "\"region\":true", "\"region\":\"true\"", "region"},
      {&every, "\"pruning\":{", "\"pruning\":true,\"x\":{", "pruning"},
      {&every, "\"delivery_slack\":21600", "\"delivery_slack\":\"6h\"", "delivery_slack"},
      {&every, "\"delivery_slack\":21600", "\"delivery_slack\":-1", "delivery_slack"},
      {&every, "\"delivery_slack\":21600", "\"delivery_slack\":315360001", "delivery_slack"},
      {&every, "\"delivery_slack\":21600", "\"delivery_slack\":21600.5", "delivery_slack"},
      {&config, "\"configured\":[", "\"configured\":{},\"x\":[", "configured"},
      {&config, "\"configured\":[{", "\"configured\":[[],{", "configured"},
      {&config, "\"metric_name\":\"Logins\"", "\"metric_name\":0", "metric_name"},
      {&config, "\"dimensions\":{", "\"dimensions\":[],\"x\":{", "dimensions"},
      {&config, "\"User\":\"alice\"", "\"User\":1", "dimensions"},
      {&config, "\"settings\":{", "\"settings\":\"\",\"x\":{", "settings"},
      {&config, "\"threshold\":12345.678", "\"threshold\":[]", "threshold"},
      {&config, "\"unreplayable\":\"\"", "\"unreplayable\":false", "unreplayable"},
  };
  for (const Case& c : cases) {
    const std::string broken = replace_first(*c.json, c.from, c.to);
    SCOPED_TRACE(c.to);
    EXPECT_THROW(parse_scan_settings(broken), PlanError);
    const std::string message = plan_error(broken);
    EXPECT_NE(message.find(c.key), std::string::npos) << message;
    EXPECT_EQ(message.rfind("plan settings: ", 0), 0u) << message;
  }
}

TEST(ParseScanSettings, APatternThatDoesNotParseIsAPatternError) {
  const std::string json = scan_settings_json(rich_spec());
  for (const std::string_view bad : {"{ $.eventName = ", "{ $.a = 1 ", "%(group)%", "[a, b"}) {
    SCOPED_TRACE(bad);
    std::string quoted;
    append_json_string(quoted, bad);
    const std::string broken =
        replace_first(json, "\"pattern\":\"{ $.eventName = ConsoleLogin }\"", "\"pattern\":" + quoted);
    try {
      parse_scan_settings(broken);
      ADD_FAILURE() << "no PatternError";
    } catch (const PatternError& e) {
      EXPECT_EQ(e.pattern(), bad);
      EXPECT_NE(std::string(e.what()).find("invalid filter pattern"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace trailwatch
