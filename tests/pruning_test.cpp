// Pruning by the layout (docs/design.md "Pruning by the layout"): with --account/--region only those folders
// are entered; with --start S/--end E a log file is read iff S - 15 min <= its delivery minute < E + slack,
// and a year, month or day folder is entered iff it can hold such a file. Paths outside the layout are always
// kept.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <string>

#include "trailwatch/layout.hpp"
#include "trailwatch/seen_scope.hpp"

namespace trailwatch {
namespace {

constexpr std::int64_t kMinute = 60;
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;
// 2024-03-10T00:00:00Z
constexpr std::int64_t kMarch10 = 1710028800;

const std::string kAccount = "111122223333";
const std::string kOther = "444455556666";

std::string two(int n) {
  return fmt::format("{:02}", n);
}

// The folder of a day of March 2024 (or of another month with `month`).
std::string day_folder(int day, int month = 3, int year = 2024, const std::string& account = kAccount,
                       const std::string& region = "us-east-1") {
  return "AWSLogs/" + account + "/CloudTrail/" + region + "/" + std::to_string(year) + "/" + two(month) +
         "/" + two(day);
}

// The path of a log file delivered at `t` (seconds since March 10, 2024, UTC, within March), in its day's
// folder.
std::string log_file(std::int64_t t, const std::string& account = kAccount,
                     const std::string& region = "us-east-1") {
  const std::int64_t whole_days = t >= 0 ? t / kDay : -((-t + kDay - 1) / kDay);
  const int day = 10 + static_cast<int>(whole_days);
  const std::int64_t of_day = t - whole_days * kDay;
  const std::string stamp = "202403" + two(day) + "T" + two(static_cast<int>(of_day / kHour)) +
                            two(static_cast<int>(of_day % kHour / kMinute)) + "Z";
  return day_folder(day, 3, 2024, account, region) + "/" + account + "_CloudTrail_" + region + "_" + stamp +
         "_Mu0KsOhtH1ar15ZZ.json.gz";
}

// A window from 12:00 to 13:00 on March 10.
Pruning window(std::int64_t slack, bool enabled = true) {
  return Pruning({}, {}, kMarch10 + 12 * kHour, kMarch10 + 13 * kHour, slack, enabled);
}

TEST(Pruning, TheTestPathsFollowTheLayout) {
  for (const std::int64_t t : {std::int64_t{0}, -kMinute, 12 * kHour + 5 * kMinute, kDay + 13 * kHour})
    EXPECT_TRUE(parse_layout_path(log_file(t), true).has_value()) << log_file(t);
  EXPECT_EQ(log_file(-kMinute),
            day_folder(9) + "/" + kAccount + "_CloudTrail_us-east-1_20240309T2359Z_Mu0KsOhtH1ar15ZZ.json.gz");
  EXPECT_EQ(parse_layout_path(log_file(kDay + 13 * kHour), true)->file->delivered,
            kMarch10 + kDay + 13 * kHour);
}

TEST(Pruning, ADefaultOrDisabledPruningKeepsEverything) {
  const Pruning none;
  EXPECT_FALSE(none.enabled());
  EXPECT_TRUE(none.enter_directory(day_folder(1, 1, 1999)));
  EXPECT_TRUE(none.read_file(log_file(-5 * kDay)));
  const Pruning off({kOther}, {"eu-west-1"}, kMarch10, kMarch10 + kHour, 0, false);
  EXPECT_FALSE(off.enabled());
  EXPECT_TRUE(off.enter_directory("AWSLogs/" + kAccount));
  EXPECT_TRUE(off.enter_directory(day_folder(1, 1, 1999)));
  EXPECT_TRUE(off.read_file(log_file(5 * kDay)));
  // Enabled, but with nothing to limit.
  const Pruning open({}, {}, std::nullopt, std::nullopt, 0, true);
  EXPECT_TRUE(open.enabled());
  EXPECT_TRUE(open.enter_directory(day_folder(1, 1, 1999)));
}

TEST(Pruning, OnlyTheGivenAccountsAndRegionsAreEntered) {
  const Pruning p({kAccount}, {"us-east-1", "eu-west-1"}, std::nullopt, std::nullopt, kDay, true);
  EXPECT_TRUE(p.enter_directory("AWSLogs"));
  EXPECT_TRUE(p.enter_directory("AWSLogs/o-abcdefghij"));
  EXPECT_TRUE(p.enter_directory("AWSLogs/" + kAccount));
  EXPECT_TRUE(p.enter_directory("AWSLogs/o-abcdefghij/" + kAccount));
  EXPECT_FALSE(p.enter_directory("AWSLogs/" + kOther));
  EXPECT_FALSE(p.enter_directory("AWSLogs/o-abcdefghij/" + kOther + "/"));
  EXPECT_TRUE(p.enter_directory("AWSLogs/" + kAccount + "/CloudTrail"));
  EXPECT_TRUE(p.enter_directory("AWSLogs/" + kAccount + "/CloudTrail/eu-west-1"));
  EXPECT_FALSE(p.enter_directory("AWSLogs/" + kAccount + "/CloudTrail/ap-southeast-2"));
  // Deeper paths say the same (an S3 listing may ask about a day's prefix directly).
  EXPECT_FALSE(p.enter_directory(day_folder(10, 3, 2024, kOther)));
  EXPECT_FALSE(p.enter_directory(day_folder(10, 3, 2024, kAccount, "ap-southeast-2")));
  EXPECT_TRUE(p.enter_directory(day_folder(10, 3, 2024, kAccount, "eu-west-1")));
  EXPECT_FALSE(p.read_file(log_file(0, kOther)));
  EXPECT_FALSE(p.read_file(log_file(0, kAccount, "ap-southeast-2")));
  EXPECT_TRUE(p.read_file(log_file(0)));
  // No time limit: any day of a kept region.
  EXPECT_TRUE(p.enter_directory(day_folder(1, 1, 1999)));
}

TEST(Pruning, AFileIsReadFromFifteenMinutesBeforeTheStartToTheSlackAfterTheEnd) {
  const Pruning p = window(kDay);
  EXPECT_FALSE(p.read_file(log_file(11 * kHour + 44 * kMinute)));
  EXPECT_TRUE(p.read_file(log_file(11 * kHour + 45 * kMinute)));  // exactly S - 15 min
  EXPECT_TRUE(p.read_file(log_file(12 * kHour + 30 * kMinute)));
  EXPECT_TRUE(p.read_file(log_file(kDay + 12 * kHour + 59 * kMinute)));
  EXPECT_FALSE(p.read_file(log_file(kDay + 13 * kHour)));  // E + slack is out
}

TEST(Pruning, WithSlackZeroTheWindowEndsAtTheEnd) {
  const Pruning p = window(0);
  EXPECT_TRUE(p.read_file(log_file(12 * kHour + 59 * kMinute)));
  EXPECT_FALSE(p.read_file(log_file(13 * kHour)));
  EXPECT_TRUE(p.read_file(log_file(11 * kHour + 45 * kMinute)));
  EXPECT_TRUE(p.enter_directory(day_folder(10)));
  EXPECT_FALSE(p.enter_directory(day_folder(11)));
  EXPECT_FALSE(p.enter_directory(day_folder(9)));
}

TEST(Pruning, ADayFolderIsEnteredIffItCanHoldAFileOfTheWindow) {
  const Pruning p = window(kDay);
  EXPECT_FALSE(p.enter_directory(day_folder(9)));
  EXPECT_TRUE(p.enter_directory(day_folder(10)));
  EXPECT_TRUE(p.enter_directory(day_folder(11)));  // up to 13:00 on the 11th
  EXPECT_FALSE(p.enter_directory(day_folder(12)));
  EXPECT_TRUE(p.enter_directory(day_folder(10) + "/"));
}

TEST(Pruning, TheDayBeforeIsEnteredWhenTheLeadReachesIntoIt) {
  const auto starting = [](std::int64_t start) {
    return Pruning({}, {}, kMarch10 + start, std::nullopt, kDay, true);
  };
  // S - 15 min = 23:55 on the 9th: the 9th can hold 23:55 to 23:59.
  EXPECT_TRUE(starting(10 * kMinute).enter_directory(day_folder(9)));
  EXPECT_TRUE(starting(10 * kMinute).read_file(log_file(-5 * kMinute)));
  EXPECT_FALSE(starting(10 * kMinute).read_file(log_file(-6 * kMinute)));
  // S - 15 min = 00:00 on the 10th exactly.
  EXPECT_FALSE(starting(15 * kMinute).enter_directory(day_folder(9)));
  EXPECT_TRUE(starting(15 * kMinute).enter_directory(day_folder(10)));
  // S - 15 min = 23:59:30: no whole minute of the 9th is that late, 23:59 is before it.
  EXPECT_FALSE(starting(14 * kMinute + 30).enter_directory(day_folder(9)));
  EXPECT_FALSE(starting(14 * kMinute + 30).read_file(log_file(-kMinute)));
  EXPECT_TRUE(starting(14 * kMinute + 30).read_file(log_file(0)));
  // Without an end, every later day is entered.
  EXPECT_TRUE(starting(0).enter_directory(day_folder(31, 12, 2099)));
}

TEST(Pruning, TheDayAfterIsEnteredOnlyWhenTheWindowReachesIntoIt) {
  const auto ending = [](std::int64_t end, std::int64_t slack) {
    return Pruning({}, {}, std::nullopt, kMarch10 + end, slack, true);
  };
  // E + slack = 00:00 on the 11th: nothing of the 11th.
  EXPECT_FALSE(ending(kDay, 0).enter_directory(day_folder(11)));
  EXPECT_FALSE(ending(kDay, 0).read_file(log_file(kDay)));
  EXPECT_TRUE(ending(kDay, 0).read_file(log_file(kDay - kMinute)));
  // One second later: the file of 00:00 on the 11th may hold a record of the window.
  EXPECT_TRUE(ending(kDay + 1, 0).enter_directory(day_folder(11)));
  EXPECT_TRUE(ending(kDay + 1, 0).read_file(log_file(kDay)));
  EXPECT_FALSE(ending(kDay + 1, 0).read_file(log_file(kDay + kMinute)));
  EXPECT_TRUE(ending(kDay - 30 * kMinute, 30 * kMinute).enter_directory(day_folder(10)));
  EXPECT_FALSE(ending(kDay - 30 * kMinute, 30 * kMinute).enter_directory(day_folder(11)));
  // Without a start, every earlier day is entered.
  EXPECT_TRUE(ending(0, 0).enter_directory(day_folder(1, 1, 1970)));
}

TEST(Pruning, YearAndMonthFoldersAreJudgedLikeDays) {
  const Pruning p = window(kDay);
  EXPECT_TRUE(p.enter_directory("AWSLogs/" + kAccount + "/CloudTrail/us-east-1/2024"));
  EXPECT_FALSE(p.enter_directory("AWSLogs/" + kAccount + "/CloudTrail/us-east-1/2023"));
  EXPECT_FALSE(p.enter_directory("AWSLogs/" + kAccount + "/CloudTrail/us-east-1/2025"));
  EXPECT_TRUE(p.enter_directory("AWSLogs/" + kAccount + "/CloudTrail/us-east-1/2024/03"));
  EXPECT_FALSE(p.enter_directory("AWSLogs/" + kAccount + "/CloudTrail/us-east-1/2024/02"));
  EXPECT_FALSE(p.enter_directory("AWSLogs/" + kAccount + "/CloudTrail/us-east-1/2024/04"));
  // A window at the end of a year reaches into the next one by its slack.
  const std::int64_t new_year_2025 = 1735689600;
  const Pruning late({}, {}, new_year_2025 - kHour, new_year_2025 - kMinute, kDay, true);
  EXPECT_TRUE(late.enter_directory("AWSLogs/" + kAccount + "/CloudTrail/us-east-1/2025"));
  EXPECT_TRUE(late.enter_directory("AWSLogs/" + kAccount + "/CloudTrail/us-east-1/2025/01"));
  EXPECT_FALSE(late.enter_directory("AWSLogs/" + kAccount + "/CloudTrail/us-east-1/2025/02"));
  EXPECT_TRUE(late.enter_directory(day_folder(1, 1, 2025)));
  EXPECT_FALSE(late.enter_directory(day_folder(2, 1, 2025)));
  EXPECT_TRUE(late.enter_directory(day_folder(31, 12, 2024)));
  EXPECT_FALSE(late.enter_directory(day_folder(30, 12, 2024)));
}

TEST(Pruning, WhatIsNotTheLayoutIsAlwaysKept) {
  const Pruning p({kOther}, {"eu-west-1"}, kMarch10 + 12 * kHour, kMarch10 + 13 * kHour, 0, true);
  for (const std::string& folder : {
           std::string("exports"),
           std::string("exports/2024/01/01"),
           "AWSLogs/" + kOther + "/Config",
           "AWSLogs/" + kOther + "/CloudTrail/eu-west-1/2024/13",  // no such month
           "AWSLogs/" + kOther + "/CloudTrail/eu-west-1/2024/03/10/more",
       }) {
    SCOPED_TRACE(folder);
    EXPECT_TRUE(p.enter_directory(folder));
  }
  for (const std::string& file : {
           std::string("AWSLogs/loose.json"),
           std::string("notes.json"),
           day_folder(1, 1, 2020, kOther, "eu-west-1") + "/export.json.gz",
           // A CloudTrail name out of the window, but not where CloudTrail puts it.
           "exports/" + kAccount + "_CloudTrail_us-east-1_20200101T0000Z_Mu0KsOhtH1ar15ZZ.json.gz",
           day_folder(1, 1, 2020, kOther, "eu-west-1") + "/" + kAccount +
               "_CloudTrail_us-east-1_20200101T0000Z_Mu0KsOhtH1ar15ZZ.json.gz",
       }) {
    SCOPED_TRACE(file);
    EXPECT_TRUE(p.read_file(file));
  }
}

TEST(Pruning, AnS3KeyOrAPrefixedPathIsJudgedAlike) {
  const Pruning p({kAccount}, {}, kMarch10 + 12 * kHour, kMarch10 + 13 * kHour, kDay, true);
  for (const std::string prefix : {"", "/mnt/archive/", "s3://bucket/trail/", "trail/AWSLogs/copy/"}) {
    SCOPED_TRACE(prefix);
    EXPECT_TRUE(p.read_file(prefix + log_file(12 * kHour)));
    EXPECT_FALSE(p.read_file(prefix + log_file(3 * kDay)));
    EXPECT_FALSE(p.enter_directory(prefix + "AWSLogs/" + kOther + "/"));
    EXPECT_FALSE(p.enter_directory(prefix + day_folder(12)));
  }
}

TEST(Pruning, ExtremeTimesDoNotOverflow) {
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const Pruning wide({}, {}, kMin, kMax, kMaxDeliverySlack, true);
  EXPECT_TRUE(wide.enter_directory(day_folder(1, 1, 1)));
  EXPECT_TRUE(wide.enter_directory(day_folder(31, 12, 9999)));
  EXPECT_TRUE(wide.read_file(log_file(0)));
  // A negative slack is taken as 0.
  const Pruning negative({}, {}, std::nullopt, kMarch10 + 13 * kHour, -kDay, true);
  EXPECT_TRUE(negative.read_file(log_file(12 * kHour + 59 * kMinute)));
  EXPECT_FALSE(negative.read_file(log_file(13 * kHour)));
}

// What a scope passed over (docs/design.md "Nothing in scope"): bounded, and joined across workers and parts.
TEST(SeenScope, NotesAccountsRegionsAndDaysOfPlacesInTheLayout) {
  SeenScope seen;
  seen.add(*parse_layout_path("/x/AWSLogs/111122223333/CloudTrail/eu-west-1", false));
  EXPECT_EQ(seen.accounts, (std::set<std::string, std::less<>>{"111122223333"}));
  EXPECT_EQ(seen.regions, (std::set<std::string, std::less<>>{"eu-west-1"}));
  EXPECT_FALSE(seen.first_day);
  seen.add(*parse_layout_path("AWSLogs/444455556666/CloudTrail/us-east-1/2024/03/05", false));
  seen.add(
      *parse_layout_path("AWSLogs/444455556666/CloudTrail/us-east-1/2024/03/01/"
                         "444455556666_CloudTrail_us-east-1_20240301T2355Z_Mu0KsOhtH1ar15ZZ.json.gz",
                         true));
  EXPECT_EQ(seen.accounts.size(), 2u);
  EXPECT_EQ(seen.first_day, 1709251200);  // 2024-03-01
  EXPECT_EQ(seen.last_day, 1709596800);   // 2024-03-05
  // A year's folder says no day.
  SeenScope year;
  year.add(*parse_layout_path("AWSLogs/111122223333/CloudTrail/eu-west-1/2024", false));
  EXPECT_FALSE(year.first_day);
}

TEST(SeenScope, IsBoundedAndMerges) {
  SeenScope a;
  for (int i = 0; i < 200; ++i) a.add_region(fmt::format("r{:03}", i));
  EXPECT_EQ(a.regions.size(), SeenScope::kMaxValues);
  EXPECT_TRUE(a.regions.contains("r000"));
  a.add_account("");  // a record without the field names nothing
  EXPECT_TRUE(a.accounts.empty());
  a.add_time(-1);  // 1969-12-31T23:59:59Z: its midnight, not the next one
  EXPECT_EQ(a.first_day, -86400);
  SeenScope b;
  b.add_account("111122223333");
  b.add_time(86400 * 3 + 5);
  a.merge(b);
  EXPECT_EQ(a.accounts, b.accounts);
  EXPECT_EQ(a.first_day, -86400);
  EXPECT_EQ(a.last_day, 86400 * 3);
  SeenScope empty;
  a.merge(empty);
  EXPECT_EQ(a.last_day, 86400 * 3);
  EXPECT_TRUE(empty.empty());
}

}  // namespace
}  // namespace trailwatch
