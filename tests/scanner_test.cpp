// The scanner: inputs through workers into one report, counters merged in one place, errors named and sorted,
// matched records handed over per input, and a stop flag that ends the scan early.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>

#include "trailwatch/scan.hpp"

namespace trailwatch {
namespace {

class ScannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("tw_scanner_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::string write(const std::string& name, const std::string& text) {
    std::filesystem::path path = root_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  static std::string record(const std::string& time, const std::string& name) {
    return R"({"eventTime":")" + time + R"(","eventSource":"kms.amazonaws.com","eventName":")" + name +
           R"("})";
  }

  static ScanSpec kms_spec() {
    MetricTransformation m;
    m.name = "CMKEventCount";
    ScanSpec spec;
    spec.filters.push_back(MetricFilter{"kms", Pattern::parse("{ $.eventName = DisableKey }"), m});
    return spec;
  }

  std::filesystem::path root_;
};

class CollectingSink : public MatchSink {
 public:
  void write(const ScanPlan& plan, const std::string& path,
             const std::vector<MatchedRecord>& records) override {
    std::lock_guard lock(mutex);
    for (const MatchedRecord& m : records) lines.push_back(plan.filters()[m.filter].id + " " + path);
  }
  std::mutex mutex;
  std::vector<std::string> lines;
};

TEST_F(ScannerTest, WorkersCountsAreMergedIntoOneReport) {
  write("a.json", R"({"Records":[)" + record("2024-01-01T00:00:00Z", "DisableKey") + "," +
                      record("2024-01-01T00:01:00Z", "EnableKey") + "]}");
  write("b.ndjson", record("2024-01-01T00:02:00Z", "DisableKey") + "\n" +
                        record("2024-01-01T01:00:00Z", "DisableKey") + "\n");
  write("c.json", record("2024-01-01T02:00:00Z", "DisableKey") + "\nnot json\n");
  write("broken.json", R"({"Records":[)" + record("2024-01-01T03:00:00Z", "DisableKey"));
  write("empty.json", "");
  write("notes.txt", "not a log name");

  ScanPlan plan(kms_spec());
  ScanRunOptions options;
  options.threads = 2;
  Scanner scanner(plan, options);
  Discovery inputs = discover_inputs({root_.string()});
  ScanProgress progress;
  std::atomic<bool> stop{false};
  CollectingSink sink;
  ScanReport report = scanner.run(inputs, progress, stop, &sink);

  const InputSummary& in = report.input;
  EXPECT_EQ(in.files, 5u);
  EXPECT_EQ(in.files_failed, 2u);  // broken.json and empty.json; c.json is read except its bad line
  EXPECT_EQ(in.records, 5u);       // a: 2, b: 2, c: 1 (the broken envelope's record is not counted)
  EXPECT_EQ(in.records_failed, 1u);
  EXPECT_EQ(in.skipped.other_name, 1u);
  EXPECT_EQ(in.threads, 2u);
  EXPECT_TRUE(in.partial);
  EXPECT_FALSE(in.interrupted);
  ASSERT_EQ(in.errors.size(), 3u);
  EXPECT_TRUE(std::is_sorted(in.errors.begin(), in.errors.end()));
  EXPECT_NE(in.errors[0].path.find("broken.json"), std::string::npos);
  EXPECT_NE(in.errors[1].path.find("c.json"), std::string::npos);
  EXPECT_NE(in.errors[2].path.find("empty.json"), std::string::npos);
  EXPECT_EQ(progress.files_done.load(), 5u);

  ASSERT_EQ(report.rules.size(), 1u);
  EXPECT_EQ(report.rules[0].matched_events, 4u);
  EXPECT_TRUE(report.any_alarm());
  ASSERT_EQ(report.rules[0].alarms.size(), 1u);
  EXPECT_EQ(report.rules[0].alarms[0].windows.size(), 3u);  // 00:00-00:05, 01:00, 02:00
  EXPECT_EQ(sink.lines.size(), 4u);
}

TEST_F(ScannerTest, AStopBeforeTheFirstInputReadsNothingAndSaysSo) {
  write("a.json", R"({"Records":[)" + record("2024-01-01T00:00:00Z", "DisableKey") + "]}");
  ScanPlan plan(kms_spec());
  Scanner scanner(plan, {});
  ScanProgress progress;
  std::atomic<bool> stop{true};
  ScanReport report = scanner.run(discover_inputs({root_.string()}), progress, stop);
  EXPECT_EQ(report.input.files, 0u);
  EXPECT_TRUE(report.input.interrupted);
  EXPECT_TRUE(report.input.partial);
  EXPECT_FALSE(report.any_alarm());
}

TEST_F(ScannerTest, FastModeSkipsBuffersThatCannotMatchWithTheSameAnswer) {
  write("match.json", R"({"Records":[)" + record("2024-01-01T00:00:00Z", "DisableKey") + "]}");
  write("other.json", R"({"Records":[)" + record("2024-01-01T00:00:00Z", "EnableKey") + "]}");
  ScanPlan plan(kms_spec());
  ScanRunOptions fast;
  fast.fast = true;
  ScanProgress p1, p2;
  std::atomic<bool> stop{false};
  Discovery inputs = discover_inputs({root_.string()});
  ScanReport quick = Scanner(plan, fast).run(inputs, p1, stop);
  ScanReport full = Scanner(plan, {}).run(inputs, p2, stop);
  EXPECT_EQ(quick.input.mode, "fast");
  EXPECT_EQ(quick.input.buffers_skipped, 1u);
  EXPECT_EQ(full.input.mode, "full");
  EXPECT_EQ(full.input.records, 2u);
  EXPECT_EQ(quick.rules[0].matched_events, full.rules[0].matched_events);
  EXPECT_EQ(quick.rules[0].series[0].datapoints.size(), full.rules[0].series[0].datapoints.size());
}

TEST_F(ScannerTest, FastIsOffWithoutAPrefilter) {
  ScanSpec spec = kms_spec();
  spec.scope.accounts = {"111122223333"};
  ScanPlan plan(std::move(spec));
  ScanRunOptions fast;
  fast.fast = true;
  EXPECT_FALSE(Scanner(plan, fast).fast());
}

}  // namespace
}  // namespace trailwatch
