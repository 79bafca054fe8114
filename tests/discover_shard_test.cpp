// Discovery with shards and duplicates: the shards of a tree partition its unsharded listing and its
// counters, a file's shard depends on its name only (not where the tree is mounted or what else is on the
// command line), and a file reached twice is read once, from the earliest argument. Each test builds its own
// tree in a temporary directory (discovery never reads the files: their bytes need not be logs).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "trailwatch/ingest.hpp"

namespace trailwatch {
namespace {

namespace fs = std::filesystem;

constexpr int kAccounts = 2;
constexpr int kDays = 5;
constexpr int kFilesPerDay = 6;

// What build_tree puts where, beside the kAccounts * kDays * kFilesPerDay log files.
constexpr std::uint64_t kLogFiles = kAccounts * kDays * kFilesPerDay + 4;  // + .json, .jsonl, .ndjson, .gz
constexpr std::uint64_t kDigest = 5;
constexpr std::uint64_t kInsight = 2;
constexpr std::uint64_t kOtherName = 4;  // 3 files + a symbolic link to an other-named file
constexpr std::uint64_t kSymlinkToDirectory = 1;
constexpr std::uint64_t kNotRegular = 2;  // a FIFO and a symbolic link to it

class DiscoverShard : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("tw_discover_shard_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_);
  }
  void TearDown() override { fs::remove_all(base_); }

  static void write(const fs::path& path) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "not a log: discovery does not read";
  }

  // A trail's bucket layout and what a walk passes over; every link is relative, so a copy or a rename of the
  // tree keeps them.
  static void build_tree(const fs::path& root) {
    for (int account = 1; account <= kAccounts; ++account)
      for (int day = 1; day <= kDays; ++day)
        for (int k = 0; k < kFilesPerDay; ++k)
          write(root / (std::to_string(account * 111) + "/CloudTrail/us-east-1/2024/01/0" +
                        std::to_string(day) + "/file-" + std::to_string(k) + ".json.gz"));
    write(root / "111/CloudTrail/eu-west-1/2024/02/01/plain.json");
    write(root / "111/CloudTrail/eu-west-1/2024/02/01/lines.jsonl");
    write(root / "222/CloudTrail/eu-west-1/2024/02/01/lines.ndjson");
    write(root / "222/export.gz");
    for (std::uint64_t k = 0; k < kDigest; ++k)
      write(root / ("111/CloudTrail-Digest/us-east-1/2024/01/0" + std::to_string(k + 1) + "/digest.json.gz"));
    write(root / "111/CloudTrail-Insight/us-east-1/i-0.json.gz");
    write(root / "222/CloudTrail-Insight/us-east-1/deep/i-1.json.gz");
    write(root / "111/notes.txt");
    write(root / "222/CloudTrail/us-east-1/2024/01/01/README.md");
    write(root / "manifest.csv");
    fs::create_directories(root / "links");
    fs::create_directory_symlink("../111/CloudTrail", root / "links/trail");
    fs::create_symlink("../manifest.csv", root / "links/manifest-link.csv");
    fs::create_symlink("nowhere.json.gz", root / "links/dangling.json.gz");
    fs::create_directories(root / "pipes");
    if (::mkfifo((root / "pipes/live.json.gz").c_str(), 0600) != 0) FAIL() << "mkfifo failed";
    fs::create_symlink("live.json.gz", root / "pipes/to-fifo.json.gz");
  }

  fs::path base_;
};

std::vector<std::string> paths_of(const Discovery& d) {
  std::vector<std::string> paths;
  for (const InputFile& f : d.files) paths.push_back(f.path);
  return paths;
}

// name -> path of every file listed.
std::map<std::string, std::string> names_of(const Discovery& d) {
  std::map<std::string, std::string> names;
  for (const InputFile& f : d.files) EXPECT_TRUE(names.emplace(f.name, f.path).second) << f.name;
  return names;
}

std::vector<std::uint64_t> counts_of(const SkipCounts& s) {
  return {s.digest, s.insight, s.lake, s.symlink, s.not_regular, s.other_name, s.duplicate};
}

std::vector<std::uint64_t> sum_of_counts(const std::vector<Discovery>& shards) {
  std::vector<std::uint64_t> sum(counts_of(SkipCounts{}).size(), 0);
  for (const Discovery& d : shards) {
    const std::vector<std::uint64_t> c = counts_of(d.skipped);
    for (std::size_t i = 0; i < c.size(); ++i) sum[i] += c[i];
  }
  return sum;
}

std::vector<Discovery> discover_shards(const std::vector<std::string>& arguments, std::uint64_t count) {
  std::vector<Discovery> shards;
  for (std::uint64_t index = 0; index < count; ++index)
    shards.push_back(discover_inputs(arguments, {}, Shard{index, count}));
  return shards;
}

// The shards partition the unsharded listing: union equal, pairwise disjoint, counters adding up, each file
// in the shard its name hashes to.
void expect_partition(const Discovery& whole, const std::vector<Discovery>& shards) {
  const std::uint64_t count = shards.size();
  std::multiset<std::pair<std::string, std::string>> listed;  // (path, name), each once if disjoint
  for (std::uint64_t index = 0; index < count; ++index) {
    for (const InputFile& f : shards[index].files) {
      listed.emplace(f.path, f.name);
      EXPECT_EQ(fnv1a64(f.name) % count, index) << f.name;
    }
    EXPECT_TRUE(std::is_sorted(shards[index].files.begin(), shards[index].files.end(),
                               [](const InputFile& a, const InputFile& b) { return a.path < b.path; }));
  }
  std::multiset<std::pair<std::string, std::string>> expected;
  for (const InputFile& f : whole.files) expected.emplace(f.path, f.name);
  EXPECT_EQ(listed, expected);
  EXPECT_EQ(sum_of_counts(shards), counts_of(whole.skipped));
}

TEST_F(DiscoverShard, TheUnshardedWalkFindsTheTree) {
  const fs::path root = base_ / "root";
  build_tree(root);
  const Discovery d = discover_inputs({root.string()});
  EXPECT_EQ(d.files.size(), kLogFiles);
  EXPECT_EQ(d.skipped.digest, kDigest);
  EXPECT_EQ(d.skipped.insight, kInsight);
  EXPECT_EQ(d.skipped.lake, 0u);
  EXPECT_EQ(d.skipped.symlink, kSymlinkToDirectory);
  EXPECT_EQ(d.skipped.not_regular, kNotRegular);
  EXPECT_EQ(d.skipped.other_name, kOtherName);
  EXPECT_EQ(d.skipped.duplicate, 0u);
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].path, (root / "links/dangling.json.gz").string());
  EXPECT_EQ(d.errors[0].message, "dangling symbolic link");
  // A file's name is its path relative to the directory argument.
  for (const InputFile& f : d.files) EXPECT_EQ(root / f.name, fs::path(f.path)) << f.path;
  EXPECT_EQ(names_of(d).count("111/CloudTrail/us-east-1/2024/01/01/file-0.json.gz"), 1u);
  EXPECT_EQ(names_of(d).count("222/export.gz"), 1u);
}

TEST_F(DiscoverShard, ShardsPartitionTheFilesAndTheCounters) {
  const fs::path root = base_ / "root";
  build_tree(root);
  const std::string missing = (base_ / "missing").string();
  const std::vector<std::string> arguments{root.string(), missing};
  const Discovery whole = discover_inputs(arguments);
  ASSERT_EQ(whole.files.size(), kLogFiles);
  ASSERT_EQ(whole.errors.size(), 2u);
  for (const std::uint64_t count : {1u, 2u, 3u, 7u}) {
    SCOPED_TRACE("count " + std::to_string(count));
    const std::vector<Discovery> shards = discover_shards(arguments, count);
    expect_partition(whole, shards);
    std::size_t dangling = 0;
    std::size_t non_empty = 0;
    for (const Discovery& d : shards) {
      // An error about an argument itself is in every shard; one about an entry of the walk in one.
      EXPECT_EQ(std::count_if(d.errors.begin(), d.errors.end(),
                              [&](const PathMessage& e) {
                                return e.path == missing && e.message == "no such file or directory";
                              }),
                1);
      const auto in_this_shard = std::count_if(d.errors.begin(), d.errors.end(), [](const PathMessage& e) {
        return e.message == "dangling symbolic link";
      });
      dangling += in_this_shard;
      EXPECT_EQ(d.errors.size(), 1u + in_this_shard);  // and nothing else
      non_empty += d.files.empty() ? 0 : 1;
    }
    EXPECT_EQ(dangling, 1u);
    // The split is a split: with 64 names every shard of 2 or 3 gets some.
    if (count <= 3) {
      EXPECT_EQ(non_empty, count);
    } else {
      EXPECT_GE(non_empty, 5u);
    }
  }
}

TEST_F(DiscoverShard, OneShardOfOneIsTheUnshardedListing) {
  const fs::path root = base_ / "root";
  build_tree(root);
  const Discovery whole = discover_inputs({root.string()});
  const Discovery one = discover_inputs({root.string()}, {}, Shard{0, 1});
  EXPECT_EQ(paths_of(one), paths_of(whole));
  EXPECT_EQ(counts_of(one.skipped), counts_of(whole.skipped));
  EXPECT_EQ(one.errors.size(), whole.errors.size());
}

// name -> shard index, over `count` shards of one directory argument given as `argument`.
std::map<std::string, std::uint64_t> membership(const std::vector<std::string>& arguments,
                                                const std::string& of_root, std::uint64_t count) {
  std::map<std::string, std::uint64_t> shard_of;
  for (std::uint64_t index = 0; index < count; ++index) {
    for (const InputFile& f : discover_inputs(arguments, {}, Shard{index, count}).files) {
      if (fs::path(f.path).lexically_normal().string().starts_with(of_root)) {
        EXPECT_TRUE(shard_of.emplace(f.name, index).second) << f.name;
      }
    }
  }
  return shard_of;
}

TEST_F(DiscoverShard, AFilesShardDoesNotDependOnWhereTheTreeIsMounted) {
  const fs::path one = base_ / "one";
  const fs::path two = base_ / "elsewhere" / "two";
  build_tree(one);
  build_tree(two);  // a copy of the tree under another name, deeper
  constexpr std::uint64_t kCount = 3;
  const auto of = [&](const std::string& argument, const fs::path& root) {
    return membership({argument}, root.lexically_normal().string(), kCount);
  };
  const std::map<std::string, std::uint64_t> reference = of(one.string(), one);
  ASSERT_EQ(reference.size(), kLogFiles);
  EXPECT_EQ(of(two.string(), two), reference);
  EXPECT_EQ(of(one.string() + "/", one), reference);
  EXPECT_EQ(of(one.string() + "//", one), reference);
  EXPECT_EQ(of((one / ".").string(), one), reference);
  EXPECT_EQ(of((base_ / "elsewhere" / ".." / "one").string(), one), reference);
  // Relative to the working directory (not changed: the tests share it).
  const fs::path relative = fs::relative(one, fs::current_path());
  ASSERT_FALSE(relative.empty());
  ASSERT_TRUE(relative.is_relative());
  EXPECT_EQ(membership({relative.string()}, relative.lexically_normal().string(), kCount), reference);
  // Through a symbolic link to the tree.
  fs::create_directory_symlink(one, base_ / "mounted");
  EXPECT_EQ(membership({(base_ / "mounted").string()}, (base_ / "mounted").string(), kCount), reference);
  // Renamed.
  const fs::path renamed = base_ / "renamed";
  fs::rename(one, renamed);
  EXPECT_EQ(of(renamed.string(), renamed), reference);
}

TEST_F(DiscoverShard, AFilesShardDoesNotDependOnTheOtherArguments) {
  const fs::path root = base_ / "root";
  const fs::path other = base_ / "other";
  build_tree(root);
  build_tree(other);
  write(base_ / "single.json.gz");
  const std::string r = root.string();
  const std::string o = other.string();
  const std::string single = (base_ / "single.json.gz").string();
  const std::string missing = (base_ / "missing").string();
  constexpr std::uint64_t kCount = 7;
  const std::map<std::string, std::uint64_t> reference = membership({r}, r, kCount);
  ASSERT_EQ(reference.size(), kLogFiles);
  for (const std::vector<std::string>& arguments : std::vector<std::vector<std::string>>{
           {r, o}, {o, r}, {single, r}, {r, missing, single}, {missing, o, single, r}}) {
    SCOPED_TRACE(::testing::PrintToString(arguments));
    EXPECT_EQ(membership(arguments, r, kCount), reference);
    const Discovery whole = discover_inputs(arguments);
    expect_partition(whole, discover_shards(arguments, kCount));
  }
}

TEST_F(DiscoverShard, AFileArgumentsNameIsItsBaseName) {
  const fs::path root = base_ / "root";
  build_tree(root);
  const fs::path file = root / "111/CloudTrail/us-east-1/2024/01/03/file-4.json.gz";
  const fs::path fifo = root / "pipes/live.json.gz";
  // Named on the command line, any name is read, and a FIFO too.
  const fs::path other_name = root / "111/notes.txt";
  const Discovery d = discover_inputs({file.string(), fifo.string(), other_name.string()});
  ASSERT_EQ(d.files.size(), 3u);
  const std::map<std::string, std::string> names = names_of(d);
  EXPECT_EQ(names.at("file-4.json.gz"), file.string());
  EXPECT_EQ(names.at("live.json.gz"), fifo.string());
  EXPECT_EQ(names.at("notes.txt"), other_name.string());
  EXPECT_TRUE(d.errors.empty());
  // So a file argument's shard is its base name's, wherever the file is: another file of that name goes with
  // it.
  const fs::path same_name = base_ / "elsewhere" / "file-4.json.gz";
  write(same_name);
  for (const std::uint64_t count : {2u, 3u, 7u}) {
    for (std::uint64_t index = 0; index < count; ++index) {
      const Discovery shard = discover_inputs({file.string(), same_name.string()}, {}, Shard{index, count});
      EXPECT_EQ(shard.files.size(), fnv1a64("file-4.json.gz") % count == index ? 2u : 0u)
          << index << "/" << count;
    }
  }
}

// std::filesystem's recursive iterator ends the whole walk at the first directory it cannot open (and the
// walk then read the error's path from freed memory): a directory that cannot be read must be named once, in
// one shard, and its siblings still listed. Root reads any directory, so as root the check runs in a child
// process that has given up root (uid 65534); it reports each failed expectation as a bit of its exit code.
int unreadable_directory_failures(const fs::path& root) {
  int failures = 0;
  const Discovery d = discover_inputs({root.string()});
  if (d.files.size() != 9u) failures |= 1;
  if (d.errors.size() != 1u || d.errors[0].path != (root / "c").string()) failures |= 2;
  for (const std::uint64_t count : {2u, 3u}) {
    std::size_t files = 0;
    std::size_t errors = 0;
    for (const Discovery& shard : discover_shards({root.string()}, count)) {
      files += shard.files.size();
      errors += shard.errors.size();
    }
    if (files != 9u) failures |= 4;
    if (errors != 1u) failures |= 8;
  }
  return failures;
}

TEST_F(DiscoverShard, AnUnreadableDirectoryDoesNotHideItsSiblings) {
  const fs::path root = base_ / "root";
  for (const char* dir : {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}) write(root / dir / "x.json");
  fs::permissions(root / "c", fs::perms::none);
  int failures = 0;
  if (::geteuid() != 0) {
    failures = unreadable_directory_failures(root);
  } else {
    // The unprivileged child must be able to reach the tree.
    for (fs::path p = root; p != base_.parent_path(); p = p.parent_path())
      fs::permissions(p, fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(64);
      ::_exit(unreadable_directory_failures(root));
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    failures = WEXITSTATUS(status);
  }
  fs::permissions(root / "c", fs::perms::owner_all);  // so TearDown can remove it
  EXPECT_EQ(failures, 0)
      << "1: files of readable siblings missing; 2: the error not named once with its path; "
         "4: sharded files missing; 8: the sharded error not in exactly one shard; 64: "
         "could not give up root";
}

// ---- duplicates

TEST_F(DiscoverShard, TheSameFileGivenTwiceIsReadOnce) {
  const fs::path file = base_ / "a" / "x.json.gz";
  write(file);
  const Discovery d =
      discover_inputs({file.string(), file.string(), (base_ / "a" / "." / "x.json.gz").string()});
  ASSERT_EQ(d.files.size(), 1u);
  EXPECT_EQ(d.files[0].path, file.string());  // the earliest argument's spelling
  EXPECT_EQ(d.files[0].name, "x.json.gz");
  EXPECT_EQ(d.skipped.duplicate, 2u);
}

TEST_F(DiscoverShard, NestedRootsReadEachFileOnceFromTheEarliestArgument) {
  const fs::path root = base_ / "root";
  build_tree(root);
  const std::string outer = root.string();
  const std::string inner = (root / "222").string();
  const Discovery alone = discover_inputs({outer});
  const std::uint64_t under_inner = std::count_if(
      alone.files.begin(), alone.files.end(), [](const InputFile& f) { return f.name.starts_with("222/"); });
  ASSERT_GT(under_inner, 10u);

  const Discovery outer_first = discover_inputs({outer, inner});
  EXPECT_EQ(paths_of(outer_first), paths_of(alone));
  EXPECT_EQ(outer_first.skipped.duplicate, under_inner);
  // What the walk passed over or could not read under the inner root counts once, not once per walk.
  EXPECT_EQ(outer_first.skipped.other_name, alone.skipped.other_name);
  EXPECT_EQ(outer_first.skipped.insight, alone.skipped.insight);
  EXPECT_EQ(discover_inputs({inner, outer}).skipped.insight, alone.skipped.insight);
  write(root / "222" / "broken" / "x.json");
  fs::create_symlink("nowhere.json", root / "222" / "broken" / "dangling.json");
  const std::size_t errors_alone = discover_inputs({outer}).errors.size();
  EXPECT_EQ(discover_inputs({outer, inner}).errors.size(), errors_alone);
  EXPECT_EQ(discover_inputs({inner, outer}).errors.size(), errors_alone);
  fs::remove_all(root / "222" / "broken");
  // The outer argument came first: its names (relative to it) are kept.
  for (const InputFile& f : outer_first.files) EXPECT_EQ(root / f.name, fs::path(f.path)) << f.name;

  const Discovery inner_first = discover_inputs({inner, outer});
  EXPECT_EQ(paths_of(inner_first), paths_of(alone));
  EXPECT_EQ(inner_first.skipped.duplicate, under_inner);
  std::uint64_t named_from_inner = 0;
  for (const InputFile& f : inner_first.files) {
    const bool under = f.path.starts_with(inner + "/");
    EXPECT_EQ(fs::path(under ? inner : outer) / f.name, fs::path(f.path)) << f.name;
    named_from_inner += under ? 1 : 0;
  }
  EXPECT_EQ(named_from_inner, under_inner);

  for (const std::vector<std::string>& arguments :
       std::vector<std::vector<std::string>>{{outer, inner}, {inner, outer}})
    for (const std::uint64_t count : {2u, 3u, 7u}) {
      SCOPED_TRACE(::testing::PrintToString(arguments) + " count " + std::to_string(count));
      const Discovery whole = discover_inputs(arguments);
      const std::vector<Discovery> shards = discover_shards(arguments, count);
      expect_partition(whole, shards);
      EXPECT_EQ(sum_of_counts(shards)[6], under_inner);
    }
}

TEST_F(DiscoverShard, ASymbolicLinkAndItsTargetAreOneFile) {
  const fs::path root = base_ / "root";
  build_tree(root);
  const fs::path target = root / "111/CloudTrail/us-east-1/2024/01/02/file-3.json.gz";
  const fs::path alias = root / "links/alias.json.gz";
  fs::create_symlink("../111/CloudTrail/us-east-1/2024/01/02/file-3.json.gz", alias);

  // Both inside one walk: the smaller path is kept.
  const Discovery walk = discover_inputs({root.string()});
  EXPECT_EQ(walk.files.size(), kLogFiles);
  EXPECT_EQ(walk.skipped.duplicate, 1u);
  const std::map<std::string, std::string> names = names_of(walk);
  EXPECT_EQ(names.count("links/alias.json.gz"), 0u);
  EXPECT_EQ(names.at("111/CloudTrail/us-east-1/2024/01/02/file-3.json.gz"), target.string());

  // The link given first: its copy is kept, under its own path and base name.
  const Discovery link_first = discover_inputs({alias.string(), root.string()});
  EXPECT_EQ(link_first.files.size(), kLogFiles);
  EXPECT_EQ(link_first.skipped.duplicate, 2u);  // the target and the link as the walk reaches them
  const std::map<std::string, std::string> link_names = names_of(link_first);
  EXPECT_EQ(link_names.at("alias.json.gz"), alias.string());
  EXPECT_EQ(link_names.count("111/CloudTrail/us-east-1/2024/01/02/file-3.json.gz"), 0u);

  // The target given first, then the link.
  const Discovery target_first = discover_inputs({target.string(), alias.string()});
  ASSERT_EQ(target_first.files.size(), 1u);
  EXPECT_EQ(target_first.files[0].path, target.string());
  EXPECT_EQ(target_first.files[0].name, "file-3.json.gz");
  EXPECT_EQ(target_first.skipped.duplicate, 1u);

  for (const std::vector<std::string>& arguments :
       std::vector<std::vector<std::string>>{{root.string()},
                                             {alias.string(), root.string()},
                                             {target.string(), alias.string(), root.string()}})
    for (const std::uint64_t count : {2u, 3u, 7u}) {
      SCOPED_TRACE(::testing::PrintToString(arguments) + " count " + std::to_string(count));
      const Discovery whole = discover_inputs(arguments);
      const std::vector<Discovery> shards = discover_shards(arguments, count);
      expect_partition(whole, shards);
      EXPECT_EQ(sum_of_counts(shards)[6], whole.skipped.duplicate);
    }
}

TEST_F(DiscoverShard, AFileArgumentInsideAGivenDirectoryIsReadOnce) {
  const fs::path root = base_ / "root";
  build_tree(root);
  const fs::path file = root / "222/CloudTrail/us-east-1/2024/01/05/file-5.json.gz";
  const Discovery file_first = discover_inputs({file.string(), root.string()});
  EXPECT_EQ(file_first.files.size(), kLogFiles);
  EXPECT_EQ(file_first.skipped.duplicate, 1u);
  const std::map<std::string, std::string> names = names_of(file_first);
  EXPECT_EQ(names.at("file-5.json.gz"), file.string());
  EXPECT_EQ(names.count("222/CloudTrail/us-east-1/2024/01/05/file-5.json.gz"), 0u);

  const Discovery root_first = discover_inputs({root.string(), file.string()});
  EXPECT_EQ(root_first.skipped.duplicate, 1u);
  EXPECT_EQ(names_of(root_first).count("file-5.json.gz"), 0u);
  EXPECT_EQ(names_of(root_first).at("222/CloudTrail/us-east-1/2024/01/05/file-5.json.gz"), file.string());
}

}  // namespace
}  // namespace trailwatch

namespace trailwatch {
namespace {

TEST_F(DiscoverShard, ADirectoryWithoutLogFilesIsAnErrorInEveryShard) {
  const fs::path empty = base_ / "empty";
  const fs::path notes = base_ / "notes";
  fs::create_directories(empty);
  write(notes / "readme.txt");
  const Discovery d = discover_inputs({empty.string(), notes.string()});
  ASSERT_EQ(d.errors.size(), 2u);
  EXPECT_EQ(d.errors[0].path, empty.string());
  EXPECT_NE(d.errors[0].message.find("holds no log file"), std::string::npos) << d.errors[0].message;
  EXPECT_EQ(d.skipped.other_name, 1u);
  for (const Discovery& shard : discover_shards({empty.string()}, 3)) EXPECT_EQ(shard.errors.size(), 1u);
  // A directory whose only log file is a duplicate of an earlier argument's still holds one.
  write(base_ / "logs" / "x.json");
  EXPECT_TRUE(discover_inputs({(base_ / "logs").string(), (base_ / "logs").string()}).errors.empty());
}

}  // namespace
}  // namespace trailwatch
