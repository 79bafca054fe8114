// Colour on a terminal (README "Colour"): the decision of --color auto|always|never against the stream being
// a terminal, NO_COLOR and TERM=dumb; the escapes; and tables that, without colour, are byte for byte the
// text they were, and with colour are the same text once the escapes are taken out.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "report/summary_text.hpp"
#include "trailwatch/audit.hpp"
#include "trailwatch/report.hpp"
#include "trailwatch/terminal_style.hpp"
#include "trailwatch/verify.hpp"

namespace trailwatch {
namespace {

std::string without_escapes(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      i += 2;
      while (i < text.size() && text[i] != 'm') ++i;
      continue;
    }
    out += text[i];
  }
  return out;
}

TEST(ColorMode, ParsesTheThreeWordsInAnyCase) {
  EXPECT_EQ(parse_color_mode("auto"), ColorMode::Auto);
  EXPECT_EQ(parse_color_mode("ALWAYS"), ColorMode::Always);
  EXPECT_EQ(parse_color_mode("Never"), ColorMode::Never);
  EXPECT_EQ(parse_color_mode("yes"), std::nullopt);
  EXPECT_EQ(parse_color_mode(""), std::nullopt);
}

// Every combination: mode x terminal or not x NO_COLOR unset, empty or set x TERM unset, xterm or dumb.
TEST(ColorMode, DecisionFollowsNoColorOrgAndTermDumb) {
  const char* const no_colors[] = {nullptr, "", "1"};
  const char* const terms[] = {nullptr, "xterm-256color", "dumb"};
  for (bool tty : {false, true})
    for (const char* no_color : no_colors)
      for (const char* term : terms) {
        const std::string where = std::string("tty=") + (tty ? "yes" : "no") +
                                  " NO_COLOR=" + (no_color ? "'" + std::string(no_color) + "'" : "unset") +
                                  " TERM=" + (term ? term : "unset");
        // always wins over NO_COLOR, TERM and a pipe; never is never.
        EXPECT_TRUE(color_wanted(ColorMode::Always, tty, no_color, term)) << where;
        EXPECT_FALSE(color_wanted(ColorMode::Never, tty, no_color, term)) << where;
        // auto: a terminal, NO_COLOR unset or empty (no-color.org), TERM not dumb.
        const bool expected = tty && (no_color == nullptr || *no_color == '\0') &&
                              (term == nullptr || std::string(term) != "dumb");
        EXPECT_EQ(color_wanted(ColorMode::Auto, tty, no_color, term), expected) << where;
      }
  EXPECT_TRUE(color_wanted(ColorMode::Auto, true, nullptr, "xterm"));
  EXPECT_FALSE(color_wanted(ColorMode::Auto, true, "1", "xterm"));
  EXPECT_TRUE(color_wanted(ColorMode::Auto, true, "", "xterm"));
  EXPECT_FALSE(color_wanted(ColorMode::Auto, true, nullptr, "dumb"));
  EXPECT_FALSE(color_wanted(ColorMode::Auto, false, nullptr, "xterm"));
}

TEST(TerminalStyle, PaintsOnlyWithColour) {
  EXPECT_EQ(TerminalStyle().paint("ALARM", Tone::Alarm), "ALARM");
  EXPECT_EQ(TerminalStyle(false).paint("PASS", Tone::Good), "PASS");
  EXPECT_EQ(TerminalStyle(true).paint("ALARM", Tone::Alarm), "\x1b[1;31mALARM\x1b[0m");
  EXPECT_EQ(TerminalStyle(true).paint("PASS", Tone::Good), "\x1b[32mPASS\x1b[0m");
  EXPECT_EQ(TerminalStyle(true).paint("WARN", Tone::Warning), "\x1b[33mWARN\x1b[0m");
  EXPECT_EQ(TerminalStyle(true).paint("ERROR", Tone::Error), "\x1b[1;35mERROR\x1b[0m");
}

ScanReport report_with_one_alarm_and_one_quiet_rule() {
  ScanReport report;
  report.input.files = 1;
  report.input.threads = 1;
  report.input.partial = true;
  report.input.files_failed = 1;
  report.input.errors.push_back({"a.json.gz", "not gzip"});
  RuleResult fired;
  fired.id = "fired";
  fired.pattern = "{ $.eventName = DisableKey }";
  fired.matched_events = 2;
  AlarmResult alarm;
  alarm.name = "fired-alarm";
  AlarmWindow w;
  w.start = 600;
  w.end = 900;
  w.alarm_at = 900;
  w.peak = 2;
  alarm.windows.push_back(w);
  fired.alarms.push_back(alarm);
  RuleResult quiet;
  quiet.id = "quiet";
  quiet.pattern = "{ $.eventName = Nothing }";
  AlarmResult never;
  never.name = "quiet-alarm";
  quiet.alarms.push_back(never);
  report.rules = {fired, quiet};
  return report;
}

TEST(TerminalStyle, ScanTableColoursAlarmAndIsTheSameTextWithout) {
  const ScanReport report = report_with_one_alarm_and_one_quiet_rule();
  std::ostringstream plain;
  write_table(plain, report);
  std::ostringstream never;
  write_table(never, report, TerminalStyle(false));
  std::ostringstream coloured;
  write_table(coloured, report, TerminalStyle(true));
  EXPECT_EQ(plain.str().find('\x1b'), std::string::npos) << plain.str();
  EXPECT_EQ(never.str(), plain.str());
  EXPECT_EQ(without_escapes(coloured.str()), plain.str());
  const std::string& c = coloured.str();
  EXPECT_NE(c.find("\x1b[1;31m1970-01-01T00:10:00Z"), std::string::npos) << c;  // the ALARM window row
  EXPECT_NE(c.find("\x1b[32mnever in ALARM\x1b[0m"), std::string::npos) << c;
  EXPECT_NE(c.find("\x1b[1;31m1 in ALARM\x1b[0m"), std::string::npos) << c;
  EXPECT_NE(c.find("\x1b[33mPARTIAL\x1b[0m"), std::string::npos) << c;
}

TEST(TerminalStyle, SummarySaysZeroInAlarmInGreen) {
  ScanReport report;
  RuleResult r;
  r.id = "a";
  report.rules.push_back(r);
  EXPECT_EQ(report::summary_text(report, TerminalStyle(true)),
            "\nsummary   1 rule, \x1b[32m0 in ALARM\x1b[0m\n  nothing matched (1): a\n");
}

TEST(TerminalStyle, AuditTableColoursStatusesWithoutMovingColumns) {
  audit::AuditReport report;
  report.account = "111122223333";
  report.status = audit::RegionStatus::Fail;
  audit::RegionAudit region;
  region.region = "us-east-1";
  region.status = audit::RegionStatus::Fail;
  region.findings.push_back({"trail", audit::CheckStatus::Pass, "multi-region trail t", {}});
  region.findings.push_back({"filter", audit::CheckStatus::Warn, "broader", {}});
  region.findings.push_back({"alarm", audit::CheckStatus::Fail, "no alarm", {}});
  region.findings.push_back({"topic", audit::CheckStatus::Error, "AccessDenied", {}});
  report.regions.push_back(region);
  std::ostringstream plain;
  audit::write_audit_table(plain, report);
  std::ostringstream coloured;
  audit::write_audit_table(coloured, report, TerminalStyle(true));
  EXPECT_EQ(plain.str().find('\x1b'), std::string::npos);
  EXPECT_EQ(without_escapes(coloured.str()), plain.str());
  const std::string& c = coloured.str();
  EXPECT_NE(c.find("\x1b[32mPASS \x1b[0m trail"), std::string::npos) << c;
  EXPECT_NE(c.find("\x1b[33mWARN \x1b[0m filter"), std::string::npos) << c;
  EXPECT_NE(c.find("\x1b[1;31mFAIL \x1b[0m alarm"), std::string::npos) << c;
  EXPECT_NE(c.find("\x1b[1;35mERROR\x1b[0m topic"), std::string::npos) << c;
}

TEST(TerminalStyle, VerifyTableColoursFindingsByWhatTheyMean) {
  verify::VerifyReport report;
  report.findings.push_back({"a.json.gz", "modified", "hash differs"});
  report.findings.push_back({"b.json.gz", "not_in_any_digest", "no digest lists it"});
  const std::string plain_text = verify::verify_table(report);
  const std::string coloured = verify::verify_table(report, TerminalStyle(true));
  EXPECT_EQ(plain_text.find('\x1b'), std::string::npos);
  EXPECT_EQ(without_escapes(coloured), plain_text);
  EXPECT_NE(coloured.find("\x1b[1;31mmodified "), std::string::npos) << coloured;
  EXPECT_NE(coloured.find("\x1b[33mnot_in_any_digest "), std::string::npos) << coloured;
  EXPECT_NE(coloured.find("\x1b[1;31mNOT intact\x1b[0m"), std::string::npos) << coloured;
}

}  // namespace
}  // namespace trailwatch
