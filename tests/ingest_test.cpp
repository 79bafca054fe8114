#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>

#include "gzip_fixture.hpp"
#include "trailwatch/ingest.hpp"

namespace trailwatch {
namespace {

using testing_support::gzip;

const std::string kJson = R"({"Records":[{"eventName":"DisableKey"}]})";

TEST(BufferLoader, InflatesGzip) {
  BufferLoader loader(64);
  LoadedBuffer b = loader.load_bytes("a.json.gz", gzip(kJson));
  EXPECT_TRUE(b.error.empty()) << b.error;
  EXPECT_EQ(b.data, kJson);
  EXPECT_TRUE(b.gzip);
  EXPECT_EQ(b.bytes_inflated, kJson.size());
  EXPECT_TRUE(b.warnings.empty());
}

TEST(BufferLoader, LargeOutputGrowsTheBuffer) {
  std::string big(5 << 20, 'x');
  BufferLoader loader(64);
  std::string gz = gzip(big);
  // Lie in ISIZE so the first guess is too small.
  gz[gz.size() - 4] = 1;
  gz[gz.size() - 3] = gz[gz.size() - 2] = gz[gz.size() - 1] = 0;
  LoadedBuffer b = loader.load_bytes("a.gz", gz);
  EXPECT_NE(b.error, "");  // the length trailer no longer matches
  LoadedBuffer ok = loader.load_bytes("a.gz", gzip(big));
  EXPECT_TRUE(ok.error.empty()) << ok.error;
  EXPECT_EQ(ok.data.size(), big.size());
}

TEST(BufferLoader, SeveralMembersAreReadWithAWarning) {
  BufferLoader loader(64);
  LoadedBuffer b = loader.load_bytes("a.json.gz", gzip("{\"a\":1}\n") + gzip("{\"b\":2}\n"));
  EXPECT_TRUE(b.error.empty()) << b.error;
  EXPECT_EQ(b.data, "{\"a\":1}\n{\"b\":2}\n");
  ASSERT_EQ(b.warnings.size(), 1u);
  EXPECT_NE(b.warnings[0].find("2 gzip members"), std::string::npos);
}

TEST(BufferLoader, DamageIsNamed) {
  BufferLoader loader(64);
  std::string gz = gzip(kJson + std::string(1000, ' '));
  EXPECT_NE(loader.load_bytes("t.gz", gz.substr(0, gz.size() / 2)).error.find("truncated"),
            std::string::npos);
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 0x55;
  EXPECT_NE(loader.load_bytes("c.gz", bad_crc).error.find("CRC"), std::string::npos);
  EXPECT_NE(loader.load_bytes("g.gz", gz + "garbage").error.find("trailing bytes"), std::string::npos);
  EXPECT_NE(loader.load_bytes("e.gz", "").error.find("empty"), std::string::npos);
}

// libdeflate does not check the optional header CRC; the loader must, as zlib does when the file is streamed.
TEST(BufferLoader, AWrongHeaderCrcIsAnErrorAndARightOneIsRead) {
  BufferLoader loader(64);
  LoadedBuffer right = loader.load_bytes("r.gz", testing_support::gzip_with_header_crc(kJson, true));
  EXPECT_TRUE(right.error.empty()) << right.error;
  EXPECT_EQ(right.data, kJson);
  LoadedBuffer wrong = loader.load_bytes("w.gz", testing_support::gzip_with_header_crc(kJson, false));
  EXPECT_EQ(wrong.error, "bad gzip header CRC");
  EXPECT_TRUE(wrong.data.empty());
  LoadedBuffer second =
      loader.load_bytes("2.gz", gzip(kJson) + testing_support::gzip_with_header_crc(kJson, false));
  EXPECT_EQ(second.error, "gzip member 2: bad gzip header CRC");
}

TEST(BufferLoader, PlainTextWithAGzipNameIsReadWithAWarning) {
  BufferLoader loader(64);
  LoadedBuffer b = loader.load_bytes("x.json.gz", kJson);
  EXPECT_TRUE(b.error.empty());
  EXPECT_EQ(b.data, kJson);
  EXPECT_EQ(b.warnings.size(), 1u);
  EXPECT_TRUE(loader.load_bytes("x.json", kJson).warnings.empty());
}

TEST(BufferLoader, InflatingPastTheLimitFails) {
  const LoaderOptions options{.max_inflated_bytes = 1 << 20};
  BufferLoader loader(64, options);
  const std::string exact(1 << 20, ' ');
  LoadedBuffer fits = loader.load_bytes("a.json.gz", gzip(exact));
  EXPECT_TRUE(fits.error.empty()) << fits.error;
  EXPECT_EQ(fits.data.size(), exact.size());
  // A bomb (a thousandfold), one byte too many, and members that pass the limit only together.
  for (const std::string& gz : {gzip(std::string(16 << 20, '\0')), gzip(exact + " "),
                                gzip(exact.substr(1000)) + gzip(exact.substr(1))}) {
    LoadedBuffer b = loader.load_bytes("a.json.gz", gz);
    EXPECT_EQ(b.error, "inflates past the 1 MiB limit (--max-inflated-size)");
    EXPECT_TRUE(b.data.empty());
  }
  EXPECT_EQ(loader.load_bytes("a.json", exact + " ").error,
            "larger than the 1 MiB limit (--max-inflated-size)");
  EXPECT_TRUE(loader.load_bytes("a.json", exact).error.empty());
}

TEST(BufferLoader, TheDefaultLimitIsFourGiB) {
  EXPECT_EQ(LoaderOptions{}.max_inflated_bytes, std::uint64_t{4} << 30);
  BufferLoader loader(64, {.max_inflated_bytes = 100});
  EXPECT_NE(loader.load_bytes("a.json.gz", gzip(std::string(101, ' '))).error.find("100 bytes limit"),
            std::string::npos);
}

TEST(ByteSizeText, NamesWholeUnits) {
  EXPECT_EQ(byte_size_text(std::uint64_t{4} << 30), "4 GiB");
  EXPECT_EQ(byte_size_text(10 << 20), "10 MiB");
  EXPECT_EQ(byte_size_text(1536), "1536 bytes");
  EXPECT_EQ(byte_size_text(0), "0 bytes");
}

class TempTree : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("tw_ingest_" + std::to_string(::getpid()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void touch(const std::string& rel) {
    std::filesystem::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << "{}";
  }
  std::filesystem::path root_;
};

TEST_F(TempTree, WalkReadsLogNamesAndCountsWhatItSkips) {
  touch("AWSLogs/1/CloudTrail/us-east-1/2024/03/01/a.json.gz");
  touch("AWSLogs/1/CloudTrail/us-east-1/2024/03/01/b.json");
  touch("AWSLogs/1/CloudTrail/us-east-1/2024/03/01/c.ndjson");
  touch("AWSLogs/1/CloudTrail-Digest/us-east-1/d.json.gz");
  touch("AWSLogs/1/CloudTrail-Insight/us-east-1/i.json.gz");
  touch("AWSLogs/1/notes.txt");
  std::filesystem::create_directory_symlink(root_ / "AWSLogs/1/CloudTrail", root_ / "loop");
  ASSERT_EQ(::mkfifo((root_ / "pipe.json").c_str(), 0600), 0);
  Discovery d = discover_inputs({root_.string()});
  ASSERT_EQ(d.files.size(), 3u);
  EXPECT_TRUE(d.files[0].path < d.files[1].path && d.files[1].path < d.files[2].path);
  EXPECT_EQ(d.skipped.digest, 1u);
  EXPECT_EQ(d.skipped.insight, 1u);
  EXPECT_EQ(d.skipped.other_name, 1u);
  EXPECT_EQ(d.skipped.symlink, 1u);
  EXPECT_EQ(d.skipped.not_regular, 1u);
  EXPECT_TRUE(d.errors.empty());
}

TEST_F(TempTree, MissingArgumentIsAnError) {
  Discovery d = discover_inputs({(root_ / "nope").string()});
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].message, "no such file or directory");
}

TEST_F(TempTree, AFileLargerThanTheLimitIsNotReadWhole) {
  const std::string path = (root_ / "big.json").string();
  std::ofstream(path) << std::string(5000, ' ');
  BufferLoader loader(64, {.max_inflated_bytes = 4096});
  EXPECT_EQ(loader.load({path, 5000}).error, "larger than the 4 KiB limit (--max-inflated-size)");
  // Its size unknown, as for a FIFO: the read stops at the limit.
  EXPECT_EQ(loader.load({path, 0}).error, "larger than the 4 KiB limit (--max-inflated-size)");
  EXPECT_TRUE(BufferLoader(64, {.max_inflated_bytes = 5000}).load({path, 0}).error.empty());
}

// A buffer this large is whole 2 MiB pages, more than the limit: the read must still stop at the limit. A
// gzip file whose compressed bytes alone pass it (random bytes do not compress), its size unknown as a
// FIFO's: read past the limit, it would fail only later, as inflating past it.
TEST_F(TempTree, ALargeFileLargerThanTheLimitIsNotReadPastIt) {
  std::string noise((1 << 20) + (200 << 10), '\0');
  std::uint64_t state = 88172645463325252ull;
  for (char& c : noise) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    c = static_cast<char>(state);
  }
  const std::string path = (root_ / "noise.json.gz").string();
  const std::string compressed = gzip(noise);
  ASSERT_GT(compressed.size(), std::size_t{1} << 20);
  std::ofstream(path, std::ios::binary) << compressed;
  BufferLoader loader(64, {.max_inflated_bytes = 1 << 20});
  EXPECT_EQ(loader.load({path, 0}).error, "larger than the 1 MiB limit (--max-inflated-size)");
}

TEST_F(TempTree, AFileThatVanishesAfterTheWalkIsAnErrorNamingTheCause) {
  touch("AWSLogs/1/CloudTrail/us-east-1/2024/03/01/gone.json.gz");
  Discovery d = discover_inputs({root_.string()});
  ASSERT_EQ(d.files.size(), 1u);
  std::filesystem::remove(d.files[0].path);
  BufferLoader loader(64);
  LoadedBuffer b = loader.load(d.files[0]);
  EXPECT_EQ(b.error, "cannot open: No such file or directory");
  EXPECT_TRUE(b.data.empty());
  // The scan reports it under the path it was discovered as.
  EXPECT_TRUE(d.files[0].path.ends_with("gone.json.gz"));
}

TEST(RunWorkers, EveryItemExactlyOnce) {
  for (unsigned threads : {1u, 2u, 7u}) {
    std::vector<std::atomic<int>> hits(1000);
    run_workers(threads, hits.size(), [&](unsigned, std::size_t i) { hits[i]++; });
    for (auto& h : hits) ASSERT_EQ(h.load(), 1);
  }
}

TEST(RunWorkers, StopFlagStopsHandingOutWork) {
  std::atomic<bool> stop{true};
  std::atomic<int> done{0};
  run_workers(
      2, 100, [&](unsigned, std::size_t) { done++; }, &stop);
  EXPECT_EQ(done.load(), 0);
}

}  // namespace
}  // namespace trailwatch
