// The accounts, regions and days that a scan's scope passed over (trailwatch/seen_scope.hpp).
#include "trailwatch/seen_scope.hpp"

#include <algorithm>

#include "ingest/civil_date.hpp"

namespace trailwatch {

namespace {

void add_bounded(std::set<std::string, std::less<>>& values, std::string_view value) {
  if (values.size() >= SeenScope::kMaxValues || value.empty() || values.contains(value)) return;
  values.emplace(value);
}

std::int64_t midnight(std::int64_t unix_seconds) {
  std::int64_t over = unix_seconds % 86400;
  if (over < 0) over += 86400;
  return unix_seconds - over;
}

}  // namespace

void SeenScope::add_account(std::string_view account) {
  add_bounded(accounts, account);
}

void SeenScope::add_region(std::string_view region) {
  add_bounded(regions, region);
}

void SeenScope::add_time(std::int64_t unix_seconds) {
  const std::int64_t day = midnight(unix_seconds);
  first_day = first_day ? std::min(*first_day, day) : day;
  last_day = last_day ? std::max(*last_day, day) : day;
}

void SeenScope::add(const LayoutPath& where) {
  using Level = LayoutPath::Level;
  if (where.reaches(Level::Account)) add_account(where.account);
  if (where.reaches(Level::Region)) add_region(where.region);
  if (where.level == Level::File)
    add_time(where.file->delivered);
  else if (where.level == Level::Day)
    add_time(ingest::days_from_civil(where.year, static_cast<unsigned>(where.month),
                                     static_cast<unsigned>(where.day)) *
             86400);
}

void SeenScope::merge(const SeenScope& other) {
  for (const std::string& account : other.accounts) add_account(account);
  for (const std::string& region : other.regions) add_region(region);
  if (other.first_day) add_time(*other.first_day);
  if (other.last_day) add_time(*other.last_day);
}

}  // namespace trailwatch
