#include <algorithm>
#include <charconv>
#include <cmath>

#include "trailwatch/metric.hpp"

namespace trailwatch {

std::string_view to_string(Statistic s) {
  switch (s) {
    case Statistic::Sum:
      return "Sum";
    case Statistic::SampleCount:
      return "SampleCount";
    case Statistic::Average:
      return "Average";
    case Statistic::Minimum:
      return "Minimum";
    case Statistic::Maximum:
      return "Maximum";
  }
  return "Sum";
}

std::optional<Statistic> parse_statistic(std::string_view text) {
  for (Statistic s :
       {Statistic::Sum, Statistic::SampleCount, Statistic::Average, Statistic::Minimum, Statistic::Maximum})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

void PeriodStats::add(double sample) {
  if (count == 0) {
    min = max = sample;
  } else {
    min = std::min(min, sample);
    max = std::max(max, sample);
  }
  sum += sample;
  ++count;
}

void PeriodStats::merge(const PeriodStats& other) {
  if (other.count == 0) return;
  if (count == 0) {
    *this = other;
    return;
  }
  sum += other.sum;
  count += other.count;
  min = std::min(min, other.min);
  max = std::max(max, other.max);
}

double PeriodStats::value(Statistic s) const {
  switch (s) {
    case Statistic::Sum:
      return sum;
    case Statistic::SampleCount:
      return static_cast<double>(count);
    case Statistic::Average:
      return count == 0 ? 0 : sum / static_cast<double>(count);
    case Statistic::Minimum:
      return min;
    case Statistic::Maximum:
      return max;
  }
  return sum;
}

PeriodSeries rebucket(const PeriodSeries& series, std::int64_t period) {
  PeriodSeries out;
  for (const auto& [start, stats] : series) out[period_start(start, period)].merge(stats);
  return out;
}

std::vector<Datapoint> to_datapoints(const PeriodSeries& series, Statistic s) {
  std::vector<Datapoint> out;
  out.reserve(series.size());
  for (const auto& [start, stats] : series)
    if (stats.count > 0) out.push_back({start, stats.value(s), stats.count, stats.sum, stats.min, stats.max});
  return out;
}

std::int64_t period_start(std::int64_t t, std::int64_t period) {
  std::int64_t q = t / period;
  if (t % period != 0 && t < 0) --q;
  return q * period;
}

std::optional<double> parse_metric_literal(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

}  // namespace trailwatch
