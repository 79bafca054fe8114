// Calendar arithmetic for the dates of the CloudTrail layout (folder names and file names are UTC dates). The
// records unit has its own for eventTime; ingest sits below it and cannot borrow that one.
#pragma once

#include <cstdint>
#include <string_view>

namespace trailwatch::ingest {

// Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar, no time-zone database needed.
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

inline unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// The value of `text` when it is exactly `n` ASCII digits, else -1.
inline int fixed_digits(std::string_view text, std::size_t n) {
  if (text.size() != n) return -1;
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

// True for a real calendar date (years 0001 to 9999, as four digits give).
inline bool valid_date(int year, int month, int day) {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 &&
         static_cast<unsigned>(day) <= days_in_month(year, static_cast<unsigned>(month));
}

}  // namespace trailwatch::ingest
