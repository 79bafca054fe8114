// What a scan's scope lets it pass over in the layout (docs/design.md "Pruning by the layout"): the folders
// of other accounts and regions, the year, month and day folders and the log files delivered outside [start -
// 15 min, end + delivery slack). A log file's records precede its delivery by minutes, or by hours when late:
// the slack is how late a delivery may be and still be read.
#include <algorithm>
#include <limits>

#include "ingest/civil_date.hpp"
#include "trailwatch/layout.hpp"

namespace trailwatch {

namespace {

std::int64_t ceil_to_minute(std::int64_t t) {
  std::int64_t over = t % 60;
  if (over < 0) over += 60;
  return over == 0 ? t : t + (60 - over);
}

std::int64_t day_start(int year, int month, int day) {
  return ingest::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400;
}

bool listed(const std::vector<std::string>& values, const std::string& value) {
  return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

Pruning::Pruning(std::vector<std::string> accounts, std::vector<std::string> regions,
                 std::optional<std::int64_t> start, std::optional<std::int64_t> end,
                 std::int64_t delivery_slack, bool enabled)
    : enabled_(enabled), accounts_(std::move(accounts)), regions_(std::move(regions)) {
  limits_ = enabled_ && (!accounts_.empty() || !regions_.empty() || start || end);
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  // Saturating: a bound past the representable times does not limit at all.
  if (start) first_ = *start >= kMin + kDeliveryLead ? *start - kDeliveryLead : kMin;
  delivery_slack = std::max<std::int64_t>(0, delivery_slack);  // a delivery never precedes its records
  if (end) last_ = delivery_slack > 0 && *end > kMax - delivery_slack ? kMax : *end + delivery_slack;
}

bool Pruning::kept_account(const LayoutPath& where) const {
  return !where.reaches(LayoutPath::Level::Account) || listed(accounts_, where.account);
}

bool Pruning::kept_region(const LayoutPath& where) const {
  return !where.reaches(LayoutPath::Level::Region) || listed(regions_, where.region);
}

bool Pruning::can_hold(std::int64_t from, std::int64_t to) const {
  // Delivery times are whole minutes, and `from` is one.
  const std::int64_t first = first_ ? std::max(from, ceil_to_minute(*first_)) : from;
  return first < to && (!last_ || first < *last_);
}

bool Pruning::keeps(const LayoutPath& where) const {
  if (!limits_) return true;
  if (!kept_account(where) || !kept_region(where)) return false;
  using Level = LayoutPath::Level;
  switch (where.level) {
    case Level::File: {
      const std::int64_t t = where.file->delivered;
      return (!first_ || t >= *first_) && (!last_ || t < *last_);
    }
    case Level::Day: {
      const std::int64_t from = day_start(where.year, where.month, where.day);
      return can_hold(from, from + 86400);
    }
    case Level::Month: {
      const bool december = where.month == 12;
      return can_hold(day_start(where.year, where.month, 1),
                      day_start(where.year + december, december ? 1 : where.month + 1, 1));
    }
    case Level::Year:
      return can_hold(day_start(where.year, 1, 1), day_start(where.year + 1, 1, 1));
    default:
      return true;
  }
}

bool Pruning::enter_directory(std::string_view path) const {
  if (!limits_) return true;
  const std::optional<LayoutPath> where = parse_layout_path(path, false);
  return !where || keeps(*where);
}

bool Pruning::read_file(std::string_view path) const {
  if (!limits_) return true;
  const std::optional<LayoutPath> where = parse_layout_path(path, true);
  return !where || keeps(*where);
}

}  // namespace trailwatch
