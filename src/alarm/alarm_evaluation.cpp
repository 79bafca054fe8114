#include <cstddef>

#include "trailwatch/alarm.hpp"

namespace trailwatch {

namespace {

AlarmState decide(int breaching, int datapoints_to_alarm) {
  return breaching >= datapoints_to_alarm ? AlarmState::Alarm : AlarmState::Ok;
}

}  // namespace

// Cases refer to docs/alarm-semantics.md, "One evaluation". Runs once per period of a replay, so it walks the
// range in place instead of collecting the real points.
AlarmState evaluate_range(const AlarmSettings& settings, std::span<const RangePoint> range,
                          AlarmState previous) {
  const int n = settings.evaluation_periods;
  const int m = settings.datapoints_to_alarm;

  int real = 0;
  int breaching = 0;
  // Distance of the newest real point from the newest period of the range (0 = the newest period itself).
  std::size_t newest_real_age = range.size();
  for (std::size_t age = 0; age < range.size() && real < n; ++age) {
    const RangePoint& point = range[range.size() - 1 - age];
    if (!point) continue;
    if (real == 0) newest_real_age = age;
    ++real;
    if (breaches(settings, *point)) ++breaching;
  }

  // Cases 1 and 2 (no missing period implies real >= n because R > N): missing data plays no part.
  if (real >= n) return decide(breaching, m);

  // Case 3: the loop above saw every real point of the range.
  const int non_breaching = real - breaching;
  switch (settings.treat_missing) {
    case TreatMissingData::Breaching:
      return decide(breaching + (n - real), m);
    case TreatMissingData::NotBreaching:
      return decide(breaching, m);
    case TreatMissingData::Ignore:
      if (real == 0 || (non_breaching == 0 && breaching < m)) return previous;
      return decide(breaching, m);
    case TreatMissingData::Missing:
      if (real == 0) return AlarmState::InsufficientData;
      if (breaching >= m) return AlarmState::Alarm;
      if (non_breaching > 0) return AlarmState::Ok;
      // Every real point breaches but too few of them: the guide's tables read as "the metric stopped after
      // breaching" (ALARM) once the newest real point has left the newest N periods.
      return newest_real_age >= static_cast<std::size_t>(n) ? AlarmState::Alarm
                                                            : AlarmState::InsufficientData;
  }
  return previous;
}

}  // namespace trailwatch
