#include <gtest/gtest.h>

#include "trailwatch/metric.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch {
namespace {

TEST(PeriodStart, AlignsToTheEpochIncludingNegativeTimes) {
  EXPECT_EQ(period_start(0, 300), 0);
  EXPECT_EQ(period_start(299, 300), 0);
  EXPECT_EQ(period_start(300, 300), 300);
  EXPECT_EQ(period_start(-1, 300), -300);
  EXPECT_EQ(period_start(-300, 300), -300);
}

TEST(PeriodStats, AllFiveStatisticsAndExactMerge) {
  PeriodStats a, b;
  a.add(1);
  a.add(5);
  b.add(-2);
  a.merge(b);
  EXPECT_EQ(a.value(Statistic::Sum), 4);
  EXPECT_EQ(a.value(Statistic::SampleCount), 3);
  EXPECT_DOUBLE_EQ(a.value(Statistic::Average), 4.0 / 3);
  EXPECT_EQ(a.value(Statistic::Minimum), -2);
  EXPECT_EQ(a.value(Statistic::Maximum), 5);
  PeriodStats empty;
  a.merge(empty);
  EXPECT_EQ(a.count, 3u);
}

TEST(Datapoints, SortedByTime) {
  PeriodSeries s;
  s[600].add(1);
  s[0].add(2);
  s[0].add(3);
  auto d = to_datapoints(s, Statistic::Sum);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].timestamp, 0);
  EXPECT_EQ(d[0].value, 5);
  EXPECT_EQ(d[0].sample_count, 2u);
  EXPECT_EQ(d[1].timestamp, 600);
}

TEST(Statistic, ParsesAwsSpellingsOnly) {
  EXPECT_EQ(parse_statistic("SampleCount"), Statistic::SampleCount);
  EXPECT_EQ(parse_statistic("sum"), std::nullopt);
  EXPECT_EQ(to_string(Statistic::Maximum), "Maximum");
}

TEST(MetricLiteral, Numbers) {
  EXPECT_EQ(parse_metric_literal("1"), 1.0);
  EXPECT_EQ(parse_metric_literal("+1e3"), 1000.0);
  EXPECT_EQ(parse_metric_literal("0.5"), 0.5);
  EXPECT_EQ(parse_metric_literal("$.x"), std::nullopt);
  EXPECT_EQ(parse_metric_literal(""), std::nullopt);
  EXPECT_EQ(parse_metric_literal("1e999"), std::nullopt);
}

TEST(UtcTime, ParsesCloudTrailTimes) {
  EXPECT_EQ(parse_utc_time("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_utc_time("2024-03-01T00:05:00Z"), 1709251500);
  EXPECT_EQ(parse_utc_time("2024-02-29T23:59:59Z"), 1709251199);
  EXPECT_EQ(parse_utc_time("2024-03-01T01:05:00+01:00"), 1709251500);
  EXPECT_EQ(parse_utc_time("2024-03-01T00:05:00.123Z"), 1709251500);
  EXPECT_EQ(parse_utc_time("2023-02-29T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_utc_time("2024-03-01"), std::nullopt);
  EXPECT_EQ(parse_utc_time("2024-03-01", true), 1709251200);
  EXPECT_EQ(parse_utc_time("2024-03-01T00:05", true), 1709251500);
  EXPECT_EQ(parse_utc_time("2024-03-01T00:05:00Zjunk"), std::nullopt);
  EXPECT_EQ(parse_utc_time("garbage"), std::nullopt);
}

TEST(UtcTime, FormatsRoundTrip) {
  for (std::int64_t t : {0LL, 1709251500LL, 951782400LL, -86400LL, 4102444799LL})
    EXPECT_EQ(parse_utc_time(format_utc_time(t)), t) << format_utc_time(t);
  EXPECT_EQ(format_utc_time(1709251500), "2024-03-01T00:05:00Z");
}

}  // namespace
}  // namespace trailwatch
