// Discovery with pruning by the layout (docs/design.md "Pruning by the layout"): the walk does not enter the
// folders the scope leaves out and does not list the log files delivered out of the window, counts both in
// `pruned` (by shard, so the shards' counts add up), still reads what does not follow the layout, and never
// calls a directory that held only pruned files empty. Each test builds its own tree in a temporary directory
// (discovery never reads the files).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "trailwatch/ingest.hpp"

namespace trailwatch {
namespace {

namespace fs = std::filesystem;

const std::string kKept = "111122223333";
const std::string kOther = "444455556666";
const std::vector<std::string> kRegions{"us-east-1", "eu-west-1"};
constexpr int kDays = 5;                        // January 1 to 5, 2024
constexpr int kHours[] = {0, 6, 12, 18};        // one file delivered at each of these hours, every day
constexpr std::int64_t kJanuary1 = 1704067200;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;

constexpr std::uint64_t kLayoutFiles = 2 * 2 * kDays * 4;
constexpr std::uint64_t kLooseFiles = 2;
constexpr std::uint64_t kDigestOfKept = 3;
constexpr std::uint64_t kDigestOfOther = 2;

std::string two(int n) {
  return fmt::format("{:02}", n);
}

std::string day_folder(const std::string& account, const std::string& region, int day) {
  return "AWSLogs/" + account + "/CloudTrail/" + region + "/2024/01/" + two(day);
}

std::string log_name(const std::string& account, const std::string& region, int day, int hour) {
  return account + "_CloudTrail_" + region + "_202401" + two(day) + "T" + two(hour) +
         "00Z_Mu0KsOhtH1ar15ZZ.json.gz";
}

class DiscoverPrune : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("tw_discover_prune_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "root";
    for (const std::string& account : {kKept, kOther})
      for (const std::string& region : kRegions)
        for (int day = 1; day <= kDays; ++day)
          for (const int hour : kHours)
            write(root_ / day_folder(account, region, day) / log_name(account, region, day, hour));
    for (std::uint64_t k = 0; k < kDigestOfKept; ++k)
      write(root_ / ("AWSLogs/" + kKept + "/CloudTrail-Digest/us-east-1/2024/01/01/d" + std::to_string(k) +
                     ".json.gz"));
    for (std::uint64_t k = 0; k < kDigestOfOther; ++k)
      write(root_ / ("AWSLogs/" + kOther + "/CloudTrail-Digest/us-east-1/2024/01/01/d" + std::to_string(k) +
                     ".json.gz"));
    write(root_ / "loose.json");                                         // not the layout: always read
    write(root_ / "AWSLogs/export.ndjson");                              // nor this
    write(root_ / (day_folder(kOther, "us-east-1", 2) + "/README.md"));  // in a pruned account
  }
  void TearDown() override { fs::remove_all(base_); }

  static void write(const fs::path& path) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "not a log: discovery does not read";
  }

  // --account kKept --region us-east-1, 06:00 to 07:00 on January 3, with a slack of an hour: files delivered
  // from 05:45 to 07:59 on the 3rd are read.
  static Pruning hour_window(bool enabled = true) {
    return Pruning({kKept}, {"us-east-1"}, kJanuary1 + 2 * kDay + 6 * kHour, kJanuary1 + 2 * kDay + 7 * kHour,
                   kHour, enabled);
  }

  fs::path base_;
  fs::path root_;
};

std::set<std::string> names_of(const Discovery& d) {
  std::set<std::string> names;
  for (const InputFile& f : d.files) names.insert(f.name);
  return names;
}

TEST_F(DiscoverPrune, OnlyTheScopesFoldersAndFilesAreListed) {
  const Discovery d = discover_inputs({root_.string()}, {}, std::nullopt, hour_window());
  EXPECT_EQ(names_of(d), (std::set<std::string>{
                             day_folder(kKept, "us-east-1", 3) + "/" + log_name(kKept, "us-east-1", 3, 6),
                             "loose.json", "AWSLogs/export.ndjson"}));
  // The other account, the other region, and days 1, 2, 4 and 5 of the kept region.
  EXPECT_EQ(d.pruned.prefixes, 6u);
  // The 3rd's files of 00:00, 12:00 and 18:00.
  EXPECT_EQ(d.pruned.files, 3u);
  // What is not entered is counted nowhere else: the other account's digests and README are not seen.
  EXPECT_EQ(d.skipped.digest, kDigestOfKept);
  EXPECT_EQ(d.skipped.other_name, 0u);
  EXPECT_TRUE(d.errors.empty());
}

TEST_F(DiscoverPrune, WithoutPruningEverythingIsListed) {
  for (const Pruning& none : {Pruning(), hour_window(false)}) {
    const Discovery d = discover_inputs({root_.string()}, {}, std::nullopt, none);
    EXPECT_EQ(d.files.size(), kLayoutFiles + kLooseFiles);
    EXPECT_EQ(d.pruned.prefixes, 0u);
    EXPECT_EQ(d.pruned.files, 0u);
    EXPECT_EQ(d.skipped.digest, kDigestOfKept + kDigestOfOther);
    EXPECT_EQ(d.skipped.other_name, 1u);
  }
}

TEST_F(DiscoverPrune, ShardsPartitionWhatIsReadAndAddUpWhatIsPruned) {
  const Discovery whole = discover_inputs({root_.string()}, {}, std::nullopt, hour_window());
  // A window of two days prunes files in several shards.
  const Pruning days({}, {}, kJanuary1 + kDay + 12 * kHour, kJanuary1 + 2 * kDay + 12 * kHour, 0, true);
  const Discovery whole_days = discover_inputs({root_.string()}, {}, std::nullopt, days);
  ASSERT_GT(whole_days.pruned.files, 4u);
  for (const std::uint64_t count : {1u, 2u, 3u, 7u}) {
    SCOPED_TRACE("count " + std::to_string(count));
    for (const auto& [pruning, expected] : {std::pair{hour_window(), &whole}, std::pair{days, &whole_days}}) {
      std::set<std::string> listed;
      PruneCounts sum;
      for (std::uint64_t index = 0; index < count; ++index) {
        const Discovery shard = discover_inputs({root_.string()}, {}, Shard{index, count}, pruning);
        for (const InputFile& f : shard.files) {
          EXPECT_TRUE(listed.insert(f.name).second) << f.name;
          EXPECT_EQ(fnv1a64(f.name) % count, index);
        }
        sum.prefixes += shard.pruned.prefixes;
        sum.files += shard.pruned.files;
        EXPECT_TRUE(shard.errors.empty());
      }
      EXPECT_EQ(listed, names_of(*expected));
      EXPECT_EQ(sum.prefixes, expected->pruned.prefixes);
      EXPECT_EQ(sum.files, expected->pruned.files);
    }
  }
}

TEST_F(DiscoverPrune, NestedArgumentsCountWhatIsPrunedOnce) {
  const Discovery alone = discover_inputs({root_.string()}, {}, std::nullopt, hour_window());
  const std::string inner = (root_ / "AWSLogs" / kKept).string();
  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{root_.string(), inner}, std::vector<std::string>{inner, root_.string()}}) {
    const Discovery both = discover_inputs(arguments, {}, std::nullopt, hour_window());
    EXPECT_EQ(both.files.size(), alone.files.size());
    EXPECT_EQ(both.pruned.prefixes, alone.pruned.prefixes);
    EXPECT_EQ(both.pruned.files, alone.pruned.files);
  }
}

TEST_F(DiscoverPrune, AnArgumentInsideTheLayoutKnowsWhereItStands) {
  // The day's folder itself: its files are judged by their names.
  const fs::path day = root_ / day_folder(kKept, "us-east-1", 3);
  const Discovery d = discover_inputs({day.string()}, {}, std::nullopt, hour_window());
  ASSERT_EQ(d.files.size(), 1u);
  EXPECT_EQ(d.files[0].name, log_name(kKept, "us-east-1", 3, 6));
  EXPECT_EQ(d.pruned.files, 3u);
  EXPECT_EQ(d.pruned.prefixes, 0u);
  // Reached through "..": the layout is found in the normalised path.
  const fs::path roundabout = root_ / "AWSLogs" / ".." / day_folder(kKept, "us-east-1", 3);
  EXPECT_EQ(discover_inputs({roundabout.string()}, {}, std::nullopt, hour_window()).files.size(), 1u);
}

TEST_F(DiscoverPrune, ADirectoryWhoseFilesWereAllPrunedIsNotEmpty) {
  // Another account's folder, named on the command line: entered (it was asked for), but its CloudTrail
  // folder is out of scope. Nothing to read, and no "holds no log file" error: its files are out of scope, as
  // records outside --start/--end would be.
  const Discovery other =
      discover_inputs({(root_ / "AWSLogs" / kOther).string()}, {}, std::nullopt, hour_window());
  EXPECT_TRUE(other.files.empty());
  EXPECT_EQ(other.pruned.prefixes, 1u);
  EXPECT_TRUE(other.errors.empty());
  EXPECT_EQ(other.skipped.digest, kDigestOfOther);  // the argument itself was entered
  // Every shard says the same: none reports an error, whichever shard the pruned folder counts in.
  std::uint64_t prefixes = 0;
  for (std::uint64_t index = 0; index < 3; ++index) {
    const Discovery shard =
        discover_inputs({(root_ / "AWSLogs" / kOther).string()}, {}, Shard{index, 3}, hour_window());
    EXPECT_TRUE(shard.errors.empty());
    prefixes += shard.pruned.prefixes;
  }
  EXPECT_EQ(prefixes, 1u);
  // A window years later: every year folder is pruned, nothing is read, nothing is an error.
  const Pruning later({}, {}, kJanuary1 + 3650 * kDay, std::nullopt, kDay, true);
  const Discovery none = discover_inputs({(root_ / "AWSLogs" / kKept).string()}, {}, std::nullopt, later);
  EXPECT_TRUE(none.files.empty());
  EXPECT_EQ(none.pruned.prefixes, 2u);  // 2024 of each region
  EXPECT_TRUE(none.errors.empty());
  // An empty folder is still an error.
  fs::create_directories(base_ / "empty");
  const Discovery empty = discover_inputs({(base_ / "empty").string()}, {}, std::nullopt, hour_window());
  ASSERT_EQ(empty.errors.size(), 1u);
  EXPECT_NE(empty.errors[0].message.find("holds no log file"), std::string::npos);
}

TEST_F(DiscoverPrune, AFileArgumentIsReadWhateverItsName) {
  const fs::path file = root_ / day_folder(kOther, "eu-west-1", 5) / log_name(kOther, "eu-west-1", 5, 18);
  const Discovery d = discover_inputs({file.string()}, {}, std::nullopt, hour_window());
  ASSERT_EQ(d.files.size(), 1u);
  EXPECT_EQ(d.files[0].path, file.string());
  EXPECT_EQ(d.pruned.files, 0u);
}

// A source's objects are pruned by their paths as local files are, and counted by the shard of their names.
class ListedSource : public InputSource {
 public:
  std::vector<std::string> keys;
  bool handles(std::string_view argument) const override { return argument.starts_with("mem://"); }
  void list(std::string_view, Discovery& out) const override {
    for (const std::string& key : keys) out.files.push_back({"mem://bucket/" + key, 1, this, key});
  }
  std::string read(const InputFile&, std::uint64_t, std::string&) const override { return "not read here"; }
};

TEST_F(DiscoverPrune, ASourcesListingIsPrunedByItsPaths) {
  ListedSource source;
  for (const std::string& account : {kKept, kOther})
    for (int day = 1; day <= kDays; ++day)
      for (const int hour : kHours)
        source.keys.push_back("trail/" + day_folder(account, "us-east-1", day) + "/" +
                              log_name(account, "us-east-1", day, hour));
  source.keys.push_back("trail/notes.json");
  const Discovery d = discover_inputs({"mem://bucket/trail/"}, {&source}, std::nullopt, hour_window());
  ASSERT_EQ(d.files.size(), 2u);
  EXPECT_EQ(d.files[0].name,
            "trail/" + day_folder(kKept, "us-east-1", 3) + "/" + log_name(kKept, "us-east-1", 3, 6));
  EXPECT_EQ(d.files[1].name, "trail/notes.json");
  EXPECT_EQ(d.pruned.files, source.keys.size() - 2);
  std::uint64_t files = 0;
  for (std::uint64_t index = 0; index < 3; ++index)
    files += discover_inputs({"mem://bucket/trail/"}, {&source}, Shard{index, 3}, hour_window()).pruned.files;
  EXPECT_EQ(files, d.pruned.files);
}

// What pruning passed over is noted for the message of a run that reads nothing in scope (docs/design.md
// "Nothing in scope"): the accounts and regions of the folders not entered, the regions below another
// account's folder, and the first and last day below a year or month out of the window.
std::int64_t day_of_january(int day) {
  return kJanuary1 + (day - 1) * kDay;
}

TEST_F(DiscoverPrune, ARegionMatchingNothingNotesTheAccountsAndRegionsSeen) {
  const Discovery d =
      discover_inputs({root_.string()}, {}, std::nullopt, Pruning({}, {"us-east1"}, {}, {}, kHour, true));
  EXPECT_EQ(d.files.size(), kLooseFiles);
  EXPECT_EQ(d.seen.accounts, (std::set<std::string, std::less<>>{kKept, kOther}));
  EXPECT_EQ(d.seen.regions, (std::set<std::string, std::less<>>{"eu-west-1", "us-east-1"}));
  EXPECT_FALSE(d.seen.first_day);  // region folders not entered: their days are not looked for
}

TEST_F(DiscoverPrune, AnotherAccountsFolderIsListedForItsRegions) {
  const Discovery d =
      discover_inputs({root_.string()}, {}, std::nullopt, Pruning({"999999999999"}, {}, {}, {}, kHour, true));
  EXPECT_EQ(d.seen.accounts, (std::set<std::string, std::less<>>{kKept, kOther}));
  EXPECT_EQ(d.seen.regions, (std::set<std::string, std::less<>>{"eu-west-1", "us-east-1"}));
  // From inside one account's folder, its CloudTrail folder is what is not entered.
  const Discovery inside = discover_inputs({(root_ / "AWSLogs" / kOther).string()}, {}, std::nullopt,
                                           Pruning({kKept}, {}, {}, {}, kHour, true));
  EXPECT_TRUE(inside.files.empty());
  EXPECT_EQ(inside.seen.accounts, (std::set<std::string, std::less<>>{kOther}));
  EXPECT_EQ(inside.seen.regions, (std::set<std::string, std::less<>>{"eu-west-1", "us-east-1"}));
}

TEST_F(DiscoverPrune, AWindowAfterTheLogsNotesTheirFirstAndLastDay) {
  // A later year: the 2024 folders are not entered, and their first and last day are looked up.
  const Discovery later = discover_inputs({root_.string()}, {}, std::nullopt,
                                          Pruning({}, {}, kJanuary1 + 400 * kDay, {}, kHour, true));
  EXPECT_EQ(later.files.size(), kLooseFiles);
  EXPECT_EQ(later.seen.first_day, day_of_january(1));
  EXPECT_EQ(later.seen.last_day, day_of_january(kDays));
  EXPECT_EQ(later.seen.accounts.size(), 2u);
  EXPECT_EQ(later.seen.regions.size(), 2u);
  // A window before the logs: the day folders are not entered.
  const Discovery earlier = discover_inputs({root_.string()}, {}, std::nullopt,
                                            Pruning({}, {}, {}, kJanuary1 - 10 * kDay, 0, true));
  EXPECT_EQ(earlier.seen.first_day, day_of_january(1));
  EXPECT_EQ(earlier.seen.last_day, day_of_january(kDays));
  // Files pruned inside a day that is entered give their delivery's day.
  const Discovery hour = discover_inputs({root_.string()}, {}, std::nullopt, hour_window());
  EXPECT_EQ(hour.seen.first_day, day_of_january(1));
  EXPECT_EQ(hour.seen.last_day, day_of_january(kDays));
}

TEST_F(DiscoverPrune, NothingIsNotedWithoutPruning) {
  EXPECT_TRUE(discover_inputs({root_.string()}, {}, std::nullopt, Pruning()).seen.empty());
  EXPECT_TRUE(discover_inputs({root_.string()}, {}, std::nullopt, hour_window(false)).seen.empty());
}

TEST_F(DiscoverPrune, ASourcesPrunedKeysAreNoted) {
  ListedSource source;
  for (int day = 1; day <= kDays; ++day)
    source.keys.push_back("trail/" + day_folder(kOther, "eu-west-1", day) + "/" +
                          log_name(kOther, "eu-west-1", day, 0));
  const Discovery d = discover_inputs({"mem://bucket/trail/"}, {&source}, std::nullopt, hour_window());
  EXPECT_TRUE(d.files.empty());
  EXPECT_EQ(d.seen.accounts, (std::set<std::string, std::less<>>{kOther}));
  EXPECT_EQ(d.seen.regions, (std::set<std::string, std::less<>>{"eu-west-1"}));
  EXPECT_EQ(d.seen.first_day, day_of_january(1));
  EXPECT_EQ(d.seen.last_day, day_of_january(kDays));
}

}  // namespace
}  // namespace trailwatch
