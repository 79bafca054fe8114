// A datapoint carries its period's whole statistic set (sum, sample count, minimum, maximum) beside the
// statistic's value, so partial results can be merged and any statistic computed again.
#include <gtest/gtest.h>

#include "trailwatch/metric.hpp"

namespace trailwatch {
namespace {

PeriodSeries series_with(std::int64_t start, std::initializer_list<double> samples) {
  PeriodSeries series;
  for (double sample : samples) series[start].add(sample);
  return series;
}

TEST(DatapointStatistics, EveryDatapointCarriesItsStatisticSet) {
  const PeriodSeries series = series_with(600, {3, -1, 2.5});
  const std::pair<Statistic, double> expected[] = {{Statistic::Sum, 4.5},
                                                   {Statistic::SampleCount, 3},
                                                   {Statistic::Average, 1.5},
                                                   {Statistic::Minimum, -1},
                                                   {Statistic::Maximum, 3}};
  for (const auto& [statistic, value] : expected) {
    SCOPED_TRACE(std::string(to_string(statistic)));
    const std::vector<Datapoint> points = to_datapoints(series, statistic);
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(points[0].timestamp, 600);
    EXPECT_DOUBLE_EQ(points[0].value, value);
    // The set is the same whatever statistic the value shows.
    EXPECT_DOUBLE_EQ(points[0].sum, 4.5);
    EXPECT_EQ(points[0].sample_count, 3u);
    EXPECT_DOUBLE_EQ(points[0].minimum, -1);
    EXPECT_DOUBLE_EQ(points[0].maximum, 3);
  }
}

TEST(DatapointStatistics, EachPeriodHasItsOwnSetInTimeOrder) {
  PeriodSeries series = series_with(300, {-2, -7});
  series[0].add(10);
  series[600];  // a period without samples gives no datapoint
  const std::vector<Datapoint> points = to_datapoints(series, Statistic::Minimum);
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].timestamp, 0);
  EXPECT_EQ(points[0].value, 10);
  EXPECT_EQ(points[0].sum, 10);
  EXPECT_EQ(points[0].sample_count, 1u);
  EXPECT_EQ(points[0].minimum, 10);
  EXPECT_EQ(points[0].maximum, 10);
  EXPECT_EQ(points[1].timestamp, 300);
  EXPECT_EQ(points[1].value, -7);
  EXPECT_EQ(points[1].sum, -9);
  EXPECT_EQ(points[1].sample_count, 2u);
  EXPECT_EQ(points[1].minimum, -7);
  EXPECT_EQ(points[1].maximum, -2);
}

TEST(DatapointStatistics, MergedPartsGiveTheWholesSet) {
  // Two machines' parts of one period, merged, carry what one machine reading everything would have.
  PeriodSeries part1 = series_with(0, {3});
  const PeriodSeries part2 = series_with(0, {-1, 2.5});
  part1[0].merge(part2.at(0));
  const std::vector<Datapoint> merged = to_datapoints(part1, Statistic::Average);
  const std::vector<Datapoint> whole = to_datapoints(series_with(0, {3, -1, 2.5}), Statistic::Average);
  ASSERT_EQ(merged.size(), 1u);
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(merged[0].value, whole[0].value);
  EXPECT_EQ(merged[0].sum, whole[0].sum);
  EXPECT_EQ(merged[0].sample_count, whole[0].sample_count);
  EXPECT_EQ(merged[0].minimum, whole[0].minimum);
  EXPECT_EQ(merged[0].maximum, whole[0].maximum);
}

}  // namespace
}  // namespace trailwatch
