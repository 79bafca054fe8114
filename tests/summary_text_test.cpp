// The summary that ends the table: rules in ALARM first, by first notification, then rules that matched
// without an alarm, then the names of those that matched nothing, wrapped to 80 columns.
#include <gtest/gtest.h>

#include "report/summary_text.hpp"

namespace trailwatch::report {
namespace {

RuleResult rule(std::string id, std::uint64_t matched, std::vector<AlarmWindow> windows = {}) {
  RuleResult r;
  r.id = std::move(id);
  r.matched_events = matched;
  AlarmResult a;
  a.name = r.id;
  a.windows = std::move(windows);
  r.alarms.push_back(a);
  return r;
}

AlarmWindow window(std::int64_t start, std::int64_t end, std::int64_t alarm_at) {
  AlarmWindow w;
  w.start = start;
  w.end = end;
  w.alarm_at = alarm_at;
  w.peak = 1;
  return w;
}

TEST(SummaryText, WhatFiredFirstLeadsAndEveryLineFits80Columns) {
  ScanReport report;
  report.rules.push_back(rule("late", 3, {window(7200, 7500, 7500)}));
  report.rules.push_back(rule("matched-no-alarm", 2));
  report.rules.push_back(rule("early", 9, {window(600, 900, 900), window(3000, 3300, 3300)}));
  for (int i = 0; i < 12; ++i) report.rules.push_back(rule("quiet-rule-number-" + std::to_string(i), 0));
  const std::string s = summary_text(report);
  EXPECT_NE(s.find("summary   15 rules, 2 in ALARM; first: early at 1970-01-01T00:15Z\n"), std::string::npos)
      << s;
  const auto early = s.find("  early ");
  const auto late = s.find("  late ");
  const auto no_alarm = s.find("  matched-no-alarm ");
  ASSERT_NE(early, std::string::npos);
  EXPECT_LT(early, late);
  EXPECT_LT(late, no_alarm);
  EXPECT_NE(s.find("1970-01-01T00:15Z 1970-01-01T00:50Z\n"), std::string::npos) << s;
  EXPECT_NE(s.find("nothing matched (12):"), std::string::npos);
  std::size_t begin = 0;
  for (std::size_t end; (end = s.find('\n', begin)) != std::string::npos; begin = end + 1) {
    EXPECT_LE(end - begin, 80u) << s.substr(begin, end - begin);
    EXPECT_NE(s[end - 1 == std::string::npos ? 0 : end - 1], ' ')
        << "trailing space: " << s.substr(begin, end - begin);
  }
}

TEST(SummaryText, NothingInAlarmSaysSo) {
  ScanReport report;
  report.rules.push_back(rule("a", 0));
  EXPECT_EQ(summary_text(report), "\nsummary   1 rule, 0 in ALARM\n  nothing matched (1): a\n");
}

}  // namespace
}  // namespace trailwatch::report
