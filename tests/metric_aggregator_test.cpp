#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>

#include "trailwatch/metric.hpp"
#include "trailwatch/records.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch {
namespace {

// Runs one filter over NDJSON text and returns the tally.
struct ScanRun {
  ScanTally tally;
  std::vector<std::string> issues;
  std::vector<MatchedRecord> matches;
};

ScanRun run(const std::string& pattern, MetricTransformation metric, const std::string& ndjson,
            RecordScope scope = {}, GroupBy group_by = {}) {
  std::vector<MetricFilter> filters;
  filters.push_back(MetricFilter{"f", Pattern::parse(pattern), std::move(metric)});
  MetricEngine engine(std::move(filters), scope, 300, group_by);
  RecordReader reader(engine.fields());
  MetricAggregator aggregator(engine, true);
  std::string padded = ndjson + std::string(kRecordPadding, '\0');
  aggregator.begin_file();
  ReadResult r = reader.read(std::string_view(padded.data(), ndjson.size()), aggregator);
  EXPECT_TRUE(r.error.empty()) << r.error;
  ScanRun out;
  out.issues = aggregator.file_issues();
  out.matches = aggregator.commit_file();
  out.tally = aggregator.tally();
  return out;
}

MetricTransformation metric(std::string value = "1") {
  MetricTransformation m;
  m.name = "M";
  m.value = std::move(value);
  return m;
}

std::string event(const std::string& time, const std::string& name, const std::string& extra = "") {
  return "{\"eventTime\":\"" + time + "\",\"eventName\":\"" + name + "\"" + extra + "}\n";
}

const PeriodSeries& only_series(const ScanRun& r) {
  EXPECT_EQ(r.tally.filters[0].series.size(), 1u);
  return r.tally.filters[0].series.begin()->second;
}

TEST(MetricAggregator, CountsMatchesPerPeriodOnEventTime) {
  ScanRun r = run("{ $.eventName = A }", metric(),
                  event("2024-03-01T00:04:59Z", "A") + event("2024-03-01T00:05:00Z", "A") +
                      event("2024-03-01T00:06:00Z", "B"));
  EXPECT_EQ(r.tally.records, 3u);
  EXPECT_EQ(r.tally.filters[0].matched, 2u);
  const PeriodSeries& s = only_series(r);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.begin()->first, *parse_utc_time("2024-03-01T00:00:00Z"));
  EXPECT_EQ(s.rbegin()->second.sum, 1);
}

TEST(MetricAggregator, ValueFromAFieldNumberOrNumericString) {
  ScanRun r = run(
      "{ $.eventName = A }", metric("$.n"),
      event("2024-03-01T00:00:00Z", "A", ",\"n\":2.5") + event("2024-03-01T00:00:01Z", "A", ",\"n\":\"4\"") +
          event("2024-03-01T00:00:02Z", "A", ",\"n\":\"x\"") + event("2024-03-01T00:00:03Z", "A"));
  EXPECT_EQ(r.tally.filters[0].matched, 4u);
  EXPECT_EQ(r.tally.filters[0].dropped, 2u);  // not numeric, missing: CloudWatch publishes nothing for them
  const PeriodStats& p = only_series(r).begin()->second;
  EXPECT_EQ(p.sum, 6.5);
  EXPECT_EQ(p.count, 2u);
  EXPECT_EQ(p.max, 4);
}

TEST(MetricAggregator, DefaultValueIsOneSamplePerNonMatchingEvent) {
  MetricTransformation m = metric();
  m.default_value = 0;
  ScanRun r = run("{ $.eventName = A }", m,
                  event("2024-03-01T00:00:00Z", "A") + event("2024-03-01T00:00:01Z", "B") +
                      event("2024-03-01T00:00:02Z", "C") + event("2024-03-01T00:10:00Z", "B"));
  const PeriodSeries& s = only_series(r);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.begin()->second.count, 3u);
  EXPECT_EQ(s.begin()->second.sum, 1);
  EXPECT_DOUBLE_EQ(s.begin()->second.value(Statistic::Average), 1.0 / 3);
  EXPECT_EQ(s.rbegin()->second.count, 1u);
  EXPECT_EQ(s.rbegin()->second.sum, 0);
  EXPECT_EQ(r.tally.filters[0].matched, 1u);
}

TEST(MetricAggregator, DimensionsSplitSeriesAndAMissingDimensionDropsTheSample) {
  MetricTransformation m = metric();
  m.dimensions = {{"who", "$.user"}};
  ScanRun r =
      run("{ $.eventName = A }", m,
          event("2024-03-01T00:00:00Z", "A", ",\"user\":\"x\"") +
              event("2024-03-01T00:00:00Z", "A", ",\"user\":\"y\"") +
              event("2024-03-01T00:00:00Z", "A", ",\"user\":\"x\"") + event("2024-03-01T00:00:00Z", "A"));
  const auto& series = r.tally.filters[0].series;
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series.at(SeriesKey{"x"}).begin()->second.sum, 2);
  EXPECT_EQ(series.at(SeriesKey{"y"}).begin()->second.sum, 1);
  EXPECT_EQ(r.tally.filters[0].dropped, 1u);
}

TEST(MetricAggregator, GroupByAccountAndRegion) {
  ScanRun r =
      run("{ $.eventName = A }", metric(),
          event("2024-03-01T00:00:00Z", "A", ",\"recipientAccountId\":\"1\",\"awsRegion\":\"r1\"") +
              event("2024-03-01T00:00:00Z", "A", ",\"recipientAccountId\":\"1\",\"awsRegion\":\"r2\"") +
              event("2024-03-01T00:00:00Z", "A", ",\"recipientAccountId\":\"2\",\"awsRegion\":\"r1\""),
          {}, GroupBy{true, true});
  const auto& series = r.tally.filters[0].series;
  EXPECT_EQ(series.size(), 3u);
  EXPECT_TRUE(series.contains(SeriesKey{"1", "r2"}));
}

TEST(MetricAggregator, ScopeAndTimeRange) {
  RecordScope scope;
  scope.start = parse_utc_time("2024-03-01T00:05:00Z");
  scope.end = parse_utc_time("2024-03-01T00:10:00Z");
  scope.regions = {"r1"};
  ScanRun r = run("{ $.eventName = A }", metric(),
                  event("2024-03-01T00:04:59Z", "A", ",\"awsRegion\":\"r1\"") +
                      event("2024-03-01T00:05:00Z", "A", ",\"awsRegion\":\"r1\"") +
                      event("2024-03-01T00:10:00Z", "A", ",\"awsRegion\":\"r1\"") +
                      event("2024-03-01T00:06:00Z", "A", ",\"awsRegion\":\"r2\""),
                  scope);
  EXPECT_EQ(r.tally.records, 4u);
  EXPECT_EQ(r.tally.records_out_of_range, 2u);
  EXPECT_EQ(r.tally.records_out_of_scope, 1u);
  EXPECT_EQ(r.tally.filters[0].matched, 1u);
}

// Only the records the scope drops are noted (docs/design.md "Nothing in scope"): their account, region and
// day; an evaluated record adds nothing.
TEST(MetricAggregator, RecordsDroppedByTheScopeAreNoted) {
  RecordScope scope;
  scope.start = parse_utc_time("2024-03-02T00:00:00Z");
  scope.regions = {"r1"};
  ScanRun r =
      run("{ $.eventName = A }", metric(),
          event("2024-03-01T23:59:59Z", "A", ",\"awsRegion\":\"r1\",\"recipientAccountId\":\"111\"") +
              event("2024-03-05T00:00:00Z", "A", ",\"awsRegion\":\"r2\",\"recipientAccountId\":\"222\"") +
              event("2024-03-03T00:00:00Z", "A", ",\"awsRegion\":\"r1\",\"recipientAccountId\":\"333\"") +
              event("2024-02-20T12:00:00Z", "A", ",\"awsRegion\":7"),
          scope);
  EXPECT_EQ(r.tally.records_out_of_range, 1u);
  EXPECT_EQ(r.tally.records_out_of_scope, 2u);
  EXPECT_EQ(r.tally.seen.accounts, (std::set<std::string, std::less<>>{"111", "222"}));
  EXPECT_EQ(r.tally.seen.regions, (std::set<std::string, std::less<>>{"r1", "r2"}));
  EXPECT_EQ(r.tally.seen.first_day, parse_utc_time("2024-02-20T00:00:00Z"));
  EXPECT_EQ(r.tally.seen.last_day, parse_utc_time("2024-03-05T00:00:00Z"));
  // Nothing dropped, nothing noted.
  EXPECT_TRUE(
      run("{ $.eventName = A }", metric(), event("2024-03-03T00:00:00Z", "A", ",\"awsRegion\":\"r1\""), scope)
          .tally.seen.empty());
}

TEST(MetricAggregator, AMatchWithoutUsableEventTimeFailsAndIsReported) {
  ScanRun r = run("{ $.eventName = A }", metric(),
                  "{\"eventName\":\"A\"}\n" + event("not a time", "A") + event("2024-03-01T00:00:00Z", "B"));
  EXPECT_EQ(r.tally.records_failed, 2u);
  EXPECT_EQ(r.tally.filters[0].matched, 0u);
  ASSERT_EQ(r.issues.size(), 2u);
  EXPECT_NE(r.issues[0].find("record 1 matched rule f"), std::string::npos) << r.issues[0];
  EXPECT_NE(r.issues[0].find("(there is none)"), std::string::npos) << r.issues[0];
  EXPECT_NE(r.issues[1].find("\"not a time\" is not an ISO 8601 time"), std::string::npos) << r.issues[1];
  // Still written to --matches, with the reason, since a responder wants to see them.
  ASSERT_EQ(r.matches.size(), 2u);
  EXPECT_EQ(r.matches[0].time_error, "no usable eventTime (there is none)");
  EXPECT_EQ(r.matches[0].raw, "{\"eventName\":\"A\"}");
  EXPECT_FALSE(r.matches[1].time_error.empty());
}

TEST(MetricAggregator, AMatchWithoutEventTimeIsNamedForEveryRuleItMatchedButFailsOnce) {
  std::vector<MetricFilter> filters;
  filters.push_back(MetricFilter{"first", Pattern::parse("{ $.eventName = A }"), metric()});
  filters.push_back(MetricFilter{"second", Pattern::parse("{ $.eventName = A* }"), metric()});
  MetricEngine engine(std::move(filters), {}, 300);
  RecordReader reader(engine.fields());
  MetricAggregator aggregator(engine, true);
  const std::string ndjson = "{\"eventName\":\"A\"}\n";
  std::string padded = ndjson + std::string(kRecordPadding, '\0');
  aggregator.begin_file();
  reader.read(std::string_view(padded.data(), ndjson.size()), aggregator);
  ASSERT_EQ(aggregator.file_issues().size(), 2u);
  EXPECT_NE(aggregator.file_issues()[0].find("rule first"), std::string::npos);
  EXPECT_NE(aggregator.file_issues()[1].find("rule second"), std::string::npos);
  const std::vector<MatchedRecord> matches = aggregator.commit_file();
  EXPECT_EQ(matches.size(), 2u);
  EXPECT_EQ(aggregator.tally().records_failed, 1u);
}

TEST(MetricAggregator, OversizeMatchesAreCountedAndFlagged) {
  std::string big(300 * 1024, 'x');
  ScanRun r =
      run("{ $.eventName = A }", metric(), event("2024-03-01T00:00:00Z", "A", ",\"pad\":\"" + big + "\""));
  EXPECT_EQ(r.tally.filters[0].oversize, 1u);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_TRUE(r.matches[0].oversize);
}

TEST(MetricAggregator, SizeAndMatchesUseTheCompactText) {
  // 200 KB of JSON spread over 300 KB by indentation: CloudWatch would receive (and accept) the compact form.
  std::string pretty =
      "{\"Records\": [\n  {\n    \"eventTime\": \"2024-03-01T00:00:00Z\",\n    \"eventName\": \"A\",\n";
  for (int i = 0; i < 2000; ++i)
    pretty +=
        "    \"k" + std::to_string(i) + "\": \"" + std::string(90, 'v') + "\"," + std::string(50, ' ') + "\n";
  pretty += "    \"end\": 1\n  }\n]}";
  ScanRun r = run("{ $.eventName = A }", metric(), pretty);
  ASSERT_GT(pretty.size(), kCloudWatchLogsMaxEvent);
  EXPECT_EQ(r.tally.filters[0].matched, 1u);
  EXPECT_EQ(r.tally.filters[0].oversize, 0u);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].raw.find('\n'), std::string::npos);
  EXPECT_LT(r.matches[0].raw.size(), kCloudWatchLogsMaxEvent);
}

TEST(MetricTransformationRules, CloudWatchConstraintsAreEnforced) {
  Pattern json = Pattern::parse("{ $.a = 1 }");
  MetricTransformation m = metric();
  EXPECT_EQ(validate_transformation(m, json), "");
  m.dimensions = {{"a", "$.a"}};
  m.default_value = 0;
  EXPECT_NE(validate_transformation(m, json).find("default value"), std::string::npos);
  m.default_value.reset();
  m.dimensions = {{"a", "$.a"}, {"b", "$.b"}, {"c", "$.c"}, {"d", "$.d"}};
  EXPECT_NE(validate_transformation(m, json).find("at most 3"), std::string::npos);
  m.dimensions = {{"a", "literal"}};
  EXPECT_NE(validate_transformation(m, json).find("reference"), std::string::npos);
  m.dimensions.clear();
  m.value = "$size";
  EXPECT_NE(validate_transformation(m, json).find("space-delimited"), std::string::npos);
  m.value = "abc";
  EXPECT_NE(validate_transformation(m, json).find("number"), std::string::npos);
  m.value = "1";
  m.unit = "Furlongs";
  EXPECT_NE(validate_transformation(m, json).find("unit"), std::string::npos);
  m.unit = "Count";
  m.name = "a:b";
  EXPECT_NE(validate_transformation(m, json).find("metric name"), std::string::npos);
}

TEST(MetricTransformationRules, EngineRejectsAnUnusableTransformation) {
  std::vector<MetricFilter> filters;
  MetricTransformation m = metric("$.");
  filters.push_back(MetricFilter{"f", Pattern::parse("{ $.a = 1 }"), m});
  EXPECT_THROW(MetricEngine(std::move(filters), {}, 300), std::invalid_argument);
}

}  // namespace
}  // namespace trailwatch
