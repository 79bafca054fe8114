#include "cli/duration_option.hpp"

#include <charconv>

#include <fmt/format.h>

#include "cli/usage_error.hpp"

namespace trailwatch::cli {

namespace {

// Seconds per unit; 0 for a character that is no unit.
std::int64_t unit_seconds(char unit) {
  switch (unit) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    default:
      return 0;
  }
}

}  // namespace

std::int64_t parse_duration(std::string_view flag, std::string_view text, std::int64_t max_seconds) {
  const auto refuse = [&](std::string_view why) -> UsageError {
    return UsageError{
        fmt::format("{} takes a duration such as 0, 30m, 6h or 1d (s, m, h, d); {}: {}", flag, why, text)};
  };
  if (text == "0") return 0;
  // A bare number would leave the unit to guess: 30 could be seconds or minutes.
  if (text.size() < 2) throw refuse("got");
  const std::int64_t unit = unit_seconds(text.back());
  if (unit == 0) throw refuse("no unit in");
  const std::string_view digits = text.substr(0, text.size() - 1);
  std::uint64_t count = 0;
  const auto [end, status] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (status != std::errc{} || end != digits.data() + digits.size()) throw refuse("got");
  if (count > static_cast<std::uint64_t>(max_seconds / unit))
    throw refuse(fmt::format("longer than {} days", max_seconds / 86400));
  return static_cast<std::int64_t>(count) * unit;
}

}  // namespace trailwatch::cli
