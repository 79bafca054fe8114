// The CloudTrail layout as docs/design.md "Pruning by the layout" states it: what a log file's name says, and
// where a path stands in `[prefix/]AWSLogs/[o-orgid/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>`.
// Anything that does not certainly follow the layout is not the layout (and so is never pruned).
#include <gtest/gtest.h>

#include <string>

#include "trailwatch/layout.hpp"

namespace trailwatch {
namespace {

using Level = LayoutPath::Level;

// 2024-03-01T00:00:00Z
constexpr std::int64_t kMarch1 = 1709251200;

const std::string kName = "111122223333_CloudTrail_us-east-1_20240301T1205Z_Mu0KsOhtH1ar15ZZ.json.gz";
const std::string kDay = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01";

TEST(LogFileName, TheNameGivesAccountRegionAndDeliveryMinute) {
  const auto name = parse_log_file_name(kName);
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->account, "111122223333");
  EXPECT_EQ(name->region, "us-east-1");
  EXPECT_EQ(name->delivered, kMarch1 + 12 * 3600 + 5 * 60);
  // The example of the CloudTrail documentation.
  const auto documented =
      parse_log_file_name("111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz");
  ASSERT_TRUE(documented.has_value());
  EXPECT_EQ(documented->delivered, 1438387200 + 2 * 3600 + 10 * 60);
  EXPECT_EQ(
      parse_log_file_name("123456789012_CloudTrail_us-gov-west-1_20240229T2359Z_abcdefghABCDEFGH.json.gz")
          ->delivered,
      kMarch1 - 60);
}

TEST(LogFileName, OtherNamesSayNothing) {
  for (const std::string name : {
           "",
           "111122223333_CloudTrail_us-east-1_20240301T1205Z_Mu0KsOhtH1ar15ZZ.json",      // not .json.gz
           "111122223333_CloudTrail_us-east-1_20240301T1205Z_Mu0KsOhtH1ar15ZZ.jsonl.gz",  // NDJSON copy
           "111122223333_CloudTrail-Insight_us-east-1_20240301T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",
           "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20240301T120500Z.json.gz",
           "11112222333_CloudTrail_us-east-1_20240301T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",     // 11 digits
           "11112222333x_CloudTrail_us-east-1_20240301T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",    // not digits
           "111122223333_cloudtrail_us-east-1_20240301T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",    // case
           "111122223333_CloudTrail__20240301T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",             // no region
           "111122223333_CloudTrail_US-EAST-1_20240301T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",    // region case
           "111122223333_CloudTrail_us-east-1_20240301T1205_Mu0KsOhtH1ar15ZZ.json.gz",     // no Z
           "111122223333_CloudTrail_us-east-1_20240301T120500Z_Mu0KsOhtH1ar15ZZ.json.gz",  // seconds
           "111122223333_CloudTrail_us-east-1_2024-03-01T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",
           "111122223333_CloudTrail_us-east-1_20241301T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",   // month 13
           "111122223333_CloudTrail_us-east-1_20240001T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",   // month 0
           "111122223333_CloudTrail_us-east-1_20230229T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",   // not a leap year
           "111122223333_CloudTrail_us-east-1_20240431T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",   // April 31
           "111122223333_CloudTrail_us-east-1_20240301T2405Z_Mu0KsOhtH1ar15ZZ.json.gz",   // hour 24
           "111122223333_CloudTrail_us-east-1_20240301T1260Z_Mu0KsOhtH1ar15ZZ.json.gz",   // minute 60
           "111122223333_CloudTrail_us-east-1_20240301T1205Z_Mu0KsOhtH1ar15Z.json.gz",    // 15 characters
           "111122223333_CloudTrail_us-east-1_20240301T1205Z_Mu0KsOhtH1ar15ZZZ.json.gz",  // 17
           "111122223333_CloudTrail_us-east-1_20240301T1205Z_Mu0KsOhtH1ar15Z-.json.gz",   // not alphanumeric
           "111122223333_CloudTrail_us-east-1_20240301T1205Z_Mu0KsOh_tH1ar15Z.json.gz",   // one more field
           "x_111122223333_CloudTrail_us-east-1_20240301T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",
       }) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(parse_log_file_name(name).has_value());
  }
}

TEST(LayoutPath, ALogFileOfAnAccountTrail) {
  const auto where = parse_layout_path(kDay + "/" + kName, true);
  ASSERT_TRUE(where.has_value());
  EXPECT_EQ(where->level, Level::File);
  EXPECT_EQ(where->prefix, "");
  EXPECT_EQ(where->organization, "");
  EXPECT_EQ(where->account, "111122223333");
  EXPECT_EQ(where->region, "us-east-1");
  EXPECT_EQ(where->year, 2024);
  EXPECT_EQ(where->month, 3);
  EXPECT_EQ(where->day, 1);
  ASSERT_TRUE(where->file.has_value());
  EXPECT_EQ(where->file->delivered, kMarch1 + 12 * 3600 + 5 * 60);
}

TEST(LayoutPath, ALogFileOfAnOrganizationTrailUnderAPrefix) {
  const std::string path =
      "s3://my-bucket/trails/prod/AWSLogs/o-7k2m9x4q1z/111122223333/CloudTrail/us-east-1/"
      "2024/03/01/" +
      kName;
  const auto where = parse_layout_path(path, true);
  ASSERT_TRUE(where.has_value());
  EXPECT_EQ(where->level, Level::File);
  EXPECT_EQ(where->prefix, "s3:/my-bucket/trails/prod");
  EXPECT_EQ(where->organization, "o-7k2m9x4q1z");
  EXPECT_EQ(where->account, "111122223333");
  // An absolute local path: its folders are the prefix.
  const auto local = parse_layout_path("/home/me/archive/" + kDay + "/" + kName, true);
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->prefix, "home/me/archive");
  EXPECT_EQ(local->level, Level::File);
}

TEST(LayoutPath, EachFolderOfTheLayoutHasItsLevel) {
  const std::vector<std::pair<std::string, Level>> folders{
      {"AWSLogs", Level::Logs},
      {"AWSLogs/o-abcdefghij", Level::Organization},
      {"AWSLogs/o-abcdefghij/111122223333", Level::Account},
      {"AWSLogs/111122223333", Level::Account},
      {"AWSLogs/111122223333/CloudTrail", Level::Trail},
      {"AWSLogs/111122223333/CloudTrail/eu-west-1", Level::Region},
      {"AWSLogs/111122223333/CloudTrail/eu-west-1/2024", Level::Year},
      {"AWSLogs/111122223333/CloudTrail/eu-west-1/2024/02", Level::Month},
      {"AWSLogs/111122223333/CloudTrail/eu-west-1/2024/02/29", Level::Day},
      // S3 common prefixes end with '/', and doubled slashes mean nothing.
      {"prefix//AWSLogs/111122223333/CloudTrail/eu-west-1/2024/02/", Level::Month},
  };
  for (const auto& [path, level] : folders) {
    SCOPED_TRACE(path);
    const auto where = parse_layout_path(path, false);
    ASSERT_TRUE(where.has_value());
    EXPECT_EQ(where->level, level);
  }
  const auto day = parse_layout_path("AWSLogs/111122223333/CloudTrail/eu-west-1/2024/02/29", false);
  EXPECT_EQ(day->region, "eu-west-1");
  EXPECT_EQ(day->day, 29);
  EXPECT_FALSE(day->file.has_value());
}

TEST(LayoutPath, TheLastAWSLogsFolderStartsTheLayout) {
  const auto where = parse_layout_path("AWSLogs/copy/AWSLogs/111122223333/CloudTrail", false);
  ASSERT_TRUE(where.has_value());
  EXPECT_EQ(where->prefix, "AWSLogs/copy");
  EXPECT_EQ(where->level, Level::Trail);
  // A file named AWSLogs is not a folder of the layout.
  EXPECT_FALSE(parse_layout_path("logs/AWSLogs", true).has_value());
}

TEST(LayoutPath, PathsThatLeaveTheLayoutAreNotIt) {
  for (const std::string path : {
           "",
           "logs/111122223333/CloudTrail",                    // no AWSLogs
           "AWSLogs/12345",                                   // not an account
           "AWSLogs/o-abc/111122223333",                      // an organization id of 3 characters
           "AWSLogs/O-ABCDEFGHIJ/111122223333",               // nor in capitals
           "AWSLogs/o-abcdefghij/o-abcdefghij/111122223333",  // two organizations
           "AWSLogs/111122223333/CloudTrail-Digest",
           "AWSLogs/111122223333/CloudTrail-Insight/us-east-1",
           "AWSLogs/111122223333/Config/us-east-1",
           "AWSLogs/111122223333/CloudTrail/US_EAST_1",
           "AWSLogs/111122223333/CloudTrail/us-east-1/24",          // a year of two digits
           "AWSLogs/111122223333/CloudTrail/us-east-1/0000",        // no year 0
           "AWSLogs/111122223333/CloudTrail/us-east-1/2024/3",      // one digit
           "AWSLogs/111122223333/CloudTrail/us-east-1/2024/13",     // month 13
           "AWSLogs/111122223333/CloudTrail/us-east-1/2024/00",     // month 0
           "AWSLogs/111122223333/CloudTrail/us-east-1/2023/02/29",  // not a leap year
           "AWSLogs/111122223333/CloudTrail/us-east-1/2024/04/31",  // April 31
           "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/00",
           "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/extra",  // below a day
       }) {
    SCOPED_TRACE(path);
    EXPECT_FALSE(parse_layout_path(path, false).has_value());
  }
}

TEST(LayoutPath, FilesThatDoNotFollowTheLayoutAreNotIt) {
  const std::string other = "222233334444_CloudTrail_us-east-1_20240301T1205Z_Mu0KsOhtH1ar15ZZ.json.gz";
  for (const std::string& path : {
           kDay + "/notes.json",  // a name CloudTrail does not write
           kDay + "/" + other,    // another account's name
           kDay + "/111122223333_CloudTrail_eu-west-1_20240301T1205Z_Mu0KsOhtH1ar15ZZ.json.gz",  // region
           kDay + "/111122223333_CloudTrail_us-east-1_20240302T0001Z_Mu0KsOhtH1ar15ZZ.json.gz",  // day
           kDay + "/extra/" + kName,                              // below a day
           "AWSLogs/111122223333/CloudTrail/us-east-1/" + kName,  // above a day
           "AWSLogs/" + kName,
           kName,  // alone: nothing says where it stands
           "AWSLogs/111122223333/CloudTrail/us-east-1/2024/02/30/" + kName,
       }) {
    SCOPED_TRACE(path);
    EXPECT_FALSE(parse_layout_path(path, true).has_value());
  }
}

}  // namespace
}  // namespace trailwatch
