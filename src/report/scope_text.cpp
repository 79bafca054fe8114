// The line that replaces a silent "never in ALARM" when the scope left nothing to evaluate (docs/design.md
// "Nothing in scope"): which of --account/--region/--start/--end match no logs, and what the logs hold
// instead.
#include <fmt/format.h>
#include <algorithm>

#include "trailwatch/report.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch {

namespace {

std::string day_text(std::int64_t midnight) {
  return format_utc_time(midnight).substr(0, 10);
}

// A bound as typed: a date alone when it is a midnight.
std::string bound_text(std::int64_t t) {
  const std::string text = format_utc_time(t);
  return text.ends_with("T00:00:00Z") ? text.substr(0, 10) : text;
}

// Adds `part` to `out`, after `separator` unless `out` is empty.
void append(std::string& out, std::string_view separator, std::string_view part) {
  if (!out.empty()) out += separator;
  out += part;
}

std::string joined(const std::set<std::string, std::less<>>& values) {
  std::string out;
  for (const std::string& v : values) append(out, ", ", v);
  if (values.size() >= SeenScope::kMaxValues) out += ", ...";
  return out;
}

std::string flag_text(std::string_view flag, const std::vector<std::string>& values) {
  std::string out = fmt::format("{} {}", flag, values.front());
  for (std::size_t i = 1; i < values.size(); ++i) out += ", " + values[i];
  return out;
}

bool none_seen(const std::vector<std::string>& wanted, const std::set<std::string, std::less<>>& seen) {
  return !wanted.empty() && !seen.empty() &&
         std::none_of(wanted.begin(), wanted.end(), [&](const std::string& w) { return seen.contains(w); });
}

std::string window_text(const RecordScope& scope) {
  std::string out;
  if (scope.start) append(out, " ", "--start " + bound_text(*scope.start));
  if (scope.end) append(out, " ", "--end " + bound_text(*scope.end));
  return out;
}

// The flags to blame: those that, alone, match nothing seen; else all of them together.
std::vector<std::string> blamed_flags(const RecordScope& scope, const SeenScope& seen) {
  std::vector<std::string> blamed;
  if (none_seen(scope.accounts, seen.accounts)) blamed.push_back(flag_text("--account", scope.accounts));
  if (none_seen(scope.regions, seen.regions)) blamed.push_back(flag_text("--region", scope.regions));
  const bool window = scope.start || scope.end;
  if (window && seen.first_day && seen.last_day &&
      ((scope.start && *scope.start >= *seen.last_day + 86400) ||
       (scope.end && *scope.end <= *seen.first_day)))
    blamed.push_back(window_text(scope));
  if (!blamed.empty()) return blamed;
  std::string all;
  if (!scope.accounts.empty()) append(all, " ", flag_text("--account", scope.accounts));
  if (!scope.regions.empty()) append(all, " ", flag_text("--region", scope.regions));
  if (window) append(all, " ", window_text(scope));
  if (!all.empty()) blamed.push_back(all);
  return blamed;
}

}  // namespace

std::string nothing_in_scope_text(const ScanReport& report) {
  const InputSummary& in = report.input;
  if (!in.nothing_in_scope()) return {};
  const std::vector<std::string> blamed = blamed_flags(report.scope, in.seen);
  std::string s = "nothing in scope: ";
  if (blamed.empty()) {
    s += "the scope matches no logs";
  } else {
    std::string flags;
    for (const std::string& b : blamed) append(flags, " and ", b);
    s += flags + (blamed.size() == 1 ? " matches no logs" : " match no logs");
  }
  const SeenScope& seen = in.seen;
  std::vector<std::string> parts;
  if (!seen.accounts.empty()) parts.push_back("accounts " + joined(seen.accounts));
  if (!seen.regions.empty()) parts.push_back("regions " + joined(seen.regions));
  if (seen.first_day && seen.last_day)
    parts.push_back(*seen.first_day == *seen.last_day
                        ? "logs of " + day_text(*seen.first_day)
                        : fmt::format("logs {}..{}", day_text(*seen.first_day), day_text(*seen.last_day)));
  std::string seen_text;
  for (const std::string& part : parts) append(seen_text, "; ", part);
  if (!seen_text.empty()) s += "; seen " + seen_text;
  return s;
}

}  // namespace trailwatch
