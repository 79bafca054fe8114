// What a scan's scope passed over (docs/design.md "Nothing in scope"): the accounts, regions and days of the
// logs that pruning did not enter or read, and of the records the scope dropped. A run that reads nothing in
// scope names them, so that `--region us-east1` (a typo) is never a silent "never in ALARM". Collected only
// where something is passed over, never for a record that is evaluated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "trailwatch/layout.hpp"

namespace trailwatch {

struct SeenScope {
  /// At most this many accounts and as many regions are kept (the first in order, by value): a message names
  /// a few, and a hostile input cannot grow the set.
  static constexpr std::size_t kMaxValues = 64;

  std::set<std::string, std::less<>> accounts;
  std::set<std::string, std::less<>> regions;
  /// The earliest and the latest day seen, as the Unix time of its midnight (UTC).
  std::optional<std::int64_t> first_day;
  std::optional<std::int64_t> last_day;

  void add_account(std::string_view account);
  void add_region(std::string_view region);
  /// Widens the days to hold the day of `unix_seconds`.
  void add_time(std::int64_t unix_seconds);
  /// What a place in the layout says: its account and region, and its day when it names one (a day's folder
  /// or a log file, by its delivery).
  void add(const LayoutPath& where);
  void merge(const SeenScope& other);
  bool empty() const { return accounts.empty() && regions.empty() && !first_day; }
  bool operator==(const SeenScope& other) const = default;
};

}  // namespace trailwatch
