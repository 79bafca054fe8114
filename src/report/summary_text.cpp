#include "report/summary_text.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "trailwatch/plural.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch::report {

namespace {

// Wide enough for every built-in rule id; a longer id widens its row rather than being cut.
constexpr std::size_t kIdWidth = 26;
constexpr std::size_t kColumns = 80;

struct Fired {
  const RuleResult* rule;
  std::size_t windows = 0;
  std::optional<std::int64_t> first;  // first ALARM notification
  std::optional<std::int64_t> last;   // start of the last window
};

// Alarm times fall on period boundaries, whole minutes for every standard period: the seconds are dropped
// when zero so that a row fits 80 columns.
std::string short_time(std::int64_t t) {
  std::string s = format_utc_time(t);
  if (s.size() == 20 && s.compare(16, 3, ":00") == 0) s.erase(16, 3);
  return s;
}

Fired fired(const RuleResult& rule) {
  Fired f{&rule, 0, std::nullopt, std::nullopt};
  for (const AlarmResult& alarm : rule.alarms)
    for (const AlarmWindow& w : alarm.windows) {
      ++f.windows;
      if (!f.first || w.alarm_at < *f.first) f.first = w.alarm_at;
      if (!f.last || w.start > *f.last) f.last = w.start;
    }
  return f;
}

}  // namespace

std::string summary_text(const ScanReport& report, const TerminalStyle& style) {
  std::vector<Fired> rows;
  std::vector<std::string> quiet;
  for (const RuleResult& rule : report.rules) {
    Fired f = fired(rule);
    if (rule.matched_events == 0 && f.windows == 0)
      quiet.push_back(rule.id);
    else
      rows.push_back(f);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Fired& a, const Fired& b) {
    if (a.first.has_value() != b.first.has_value()) return a.first.has_value();
    return a.first && *a.first < *b.first;
  });
  const std::size_t in_alarm = static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [](const Fired& f) { return f.windows > 0; }));
  std::string s = fmt::format("\nsummary   {}, ", count_of(report.rules.size(), "rule"));
  // Zero in ALARM because nothing was evaluated is not an all clear (docs/design.md "Nothing in scope").
  s += report.input.nothing_in_scope()
           ? style.paint("nothing in scope", Tone::Warning)
           : style.paint(fmt::format("{} in ALARM", in_alarm), in_alarm > 0 ? Tone::Alarm : Tone::Good);
  if (in_alarm > 0)
    s += fmt::format("; first: {} at {}", style.paint(rows.front().rule->id, Tone::Alarm),
                     short_time(*rows.front().first));
  s += '\n';
  if (!rows.empty()) {
    s += fmt::format("  {:<{}} {:>7} {:>6}  {:<17} {}\n", "rule", kIdWidth, "matched", "alarms",
                     "first ALARM", "last ALARM");
    for (const Fired& f : rows) {
      const std::string row =
          fmt::format("{:<{}} {:>7} {:>6}  {:<17} {}", f.rule->id, kIdWidth, f.rule->matched_events,
                      f.windows, f.first ? short_time(*f.first) : "-", f.last ? short_time(*f.last) : "-");
      s += "  " + (f.windows > 0 ? style.paint(row, Tone::Alarm) : row) + '\n';
    }
  }
  if (!quiet.empty()) {
    std::string line = fmt::format("  nothing matched ({}):", quiet.size());
    for (const std::string& id : quiet) {
      if (line.size() + 1 + id.size() > kColumns) {
        s += line + '\n';
        line = "   ";
      }
      line += ' ' + id;
    }
    s += line + '\n';
  }
  return s;
}

}  // namespace trailwatch::report
