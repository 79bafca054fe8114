#include <algorithm>
#include <cstddef>
#include <vector>

#include "trailwatch/alarm.hpp"

namespace trailwatch {

namespace {

// Period index of `t`; floors so that times before the epoch land in the period that holds them.
std::int64_t period_index(std::int64_t t, std::int64_t period) {
  std::int64_t q = t / period;
  if (t % period != 0 && t < 0) --q;
  return q;
}

}  // namespace

// Evaluated periods: without `end`, from the first datapoint's period through R - 1 periods after the last
// one, i.e. up to the last evaluation whose range still holds a datapoint. With `end`, through the last
// period that ends at or before `end`: this may cut the replay short, or extend it over empty ranges so the
// caller sees the states up to `end`. Datapoints at or after `end` are then not evaluated.
//
// Invalid settings give an empty replay rather than an error: callers validate() first and report the reason.
// Datapoints need not be sorted or aligned: each one counts for the period that holds its timestamp, and a
// later datapoint for the same period replaces an earlier one.
AlarmReplay replay_alarm(const AlarmSettings& settings, std::span<const Datapoint> datapoints,
                         std::optional<std::int64_t> end) {
  AlarmReplay replay;
  if (datapoints.empty() || !settings.validate().empty()) return replay;

  const std::int64_t period = settings.period;
  const std::int64_t range_len = settings.evaluation_range_periods;

  auto [lowest, highest] =
      std::minmax_element(datapoints.begin(), datapoints.end(),
                          [](const Datapoint& a, const Datapoint& b) { return a.timestamp < b.timestamp; });
  const std::int64_t first = period_index(lowest->timestamp, period);
  const std::int64_t natural_last = period_index(highest->timestamp, period) + range_len - 1;
  const std::int64_t last = end ? period_index(*end, period) - 1 : natural_last;
  if (last < first) return replay;

  const auto count = static_cast<std::size_t>(last - first + 1);
  const auto pad = static_cast<std::size_t>(range_len - 1);
  // R - 1 missing periods ahead of the first so that every evaluation's range is a plain slice of `values`.
  std::vector<RangePoint> values(pad + count);
  for (const Datapoint& dp : datapoints) {
    const std::int64_t offset = period_index(dp.timestamp, period) - first;
    if (offset < static_cast<std::int64_t>(count)) values[pad + static_cast<std::size_t>(offset)] = dp.value;
  }

  replay.states.reserve(count);
  AlarmState state = AlarmState::InsufficientData;
  bool window_has_datapoint = false;
  for (std::size_t i = 0; i < count; ++i) {
    const bool was_alarm = state == AlarmState::Alarm;
    state = evaluate_range(settings, std::span<const RangePoint>(values).subspan(i, pad + 1), state);
    const std::int64_t start = (first + static_cast<std::int64_t>(i)) * period;
    replay.states.push_back({start, state});
    if (state != AlarmState::Alarm) continue;

    if (!was_alarm) {
      // The first evaluation in ALARM is the transition CloudWatch would notify on, at the end of its period.
      replay.windows.push_back({start, start + period, start + period, 0, false});
      window_has_datapoint = false;
    }
    AlarmWindow& window = replay.windows.back();
    window.end = start + period;
    // A window can hold no datapoint at all (its ALARM comes from filled or remembered points): peak stays 0.
    if (const RangePoint& own = values[pad + i]) {
      window.peak = window_has_datapoint ? std::max(window.peak, *own) : *own;
      window_has_datapoint = true;
    }
  }

  if (state == AlarmState::Alarm) {
    // An `end` before the natural last period skips evaluations that still see data, so nothing says the
    // alarm would leave ALARM.
    const bool cut = end && last < natural_last;
    const std::vector<RangePoint> empty_range(pad + 1);
    replay.windows.back().open = cut || evaluate_range(settings, empty_range, state) == AlarmState::Alarm;
  }
  return replay;
}

}  // namespace trailwatch
