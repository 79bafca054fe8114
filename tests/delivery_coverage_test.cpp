// Delivery coverage (docs/design.md "Coverage"): gaps are the silences longer than --gap in an account and
// region's deliveries, clipped to --start/--end; the gaps of shards merge into exactly the unsharded gaps
// (checked on random deliveries split at random); a scan takes the deliveries from the names of the files it
// reads, and its JSON report carries what a merge needs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "trailwatch/coverage.hpp"
#include "trailwatch/merge.hpp"
#include "trailwatch/report.hpp"
#include "trailwatch/scan.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch {
namespace {

constexpr std::int64_t kMinute = 60;
constexpr std::int64_t kHour = 3600;
const std::string kAccount = "111122223333";

std::int64_t at(std::string_view text) {
  const std::optional<std::int64_t> t = parse_utc_time(text, true);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(0);
}

LogFileName delivery(const std::string& account, const std::string& region, std::int64_t t) {
  return LogFileName{account, region, t};
}

// Every five minutes in [from, to), but not in [hole_from, hole_to).
void deliver_every_5_minutes(DeliveryLog& log, const std::string& region, std::int64_t from, std::int64_t to,
                             std::int64_t hole_from = 0, std::int64_t hole_to = 0) {
  for (std::int64_t t = from; t < to; t += 5 * kMinute)
    if (t < hole_from || t >= hole_to) log.add(delivery(kAccount, region, t));
}

GapRule rule(std::int64_t gap, std::optional<std::int64_t> start = std::nullopt,
             std::optional<std::int64_t> end = std::nullopt) {
  return GapRule{gap, start, end};
}

DeliveryGap gap(const std::string& region, std::string_view from, std::string_view to) {
  return DeliveryGap{kAccount, region, at(from), at(to)};
}

// ---- one scan

TEST(DeliveryCoverage, NoFileNoCoverage) {
  EXPECT_FALSE(DeliveryLog{}.coverage(rule(kHour)).has_value());
  EXPECT_FALSE(merge_delivery_coverage({}, rule(kHour)).has_value());
  EXPECT_FALSE(merge_delivery_coverage({std::nullopt, std::nullopt}, rule(kHour)).has_value());
}

TEST(DeliveryCoverage, ThreeHoursMissingInOneRegionIsAGap) {
  DeliveryLog log;
  deliver_every_5_minutes(log, "us-east-1", at("2024-06-03T00:00"), at("2024-06-03T08:00"));
  deliver_every_5_minutes(log, "eu-west-1", at("2024-06-03T00:00"), at("2024-06-03T08:00"),
                          at("2024-06-03T02:00"), at("2024-06-03T05:00"));
  const std::optional<DeliveryCoverage> c = log.coverage(rule(kHour));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->first, at("2024-06-03T00:00"));
  EXPECT_EQ(c->last, at("2024-06-03T07:55"));
  EXPECT_EQ(c->gap, kHour);
  // The silence runs from the last delivery before the hole to the first after it.
  EXPECT_EQ(c->gaps, std::vector<DeliveryGap>{gap("eu-west-1", "2024-06-03T01:55", "2024-06-03T05:00")});
  ASSERT_EQ(c->streams.size(), 2u);  // by account, then region
  EXPECT_EQ(c->streams[0],
            (DeliveryStream{kAccount, "eu-west-1", at("2024-06-03T00:00"), at("2024-06-03T07:55"), 96 - 36}));
  EXPECT_EQ(c->streams[1],
            (DeliveryStream{kAccount, "us-east-1", at("2024-06-03T00:00"), at("2024-06-03T07:55"), 96}));
  // A --gap longer than the silence leaves no gap.
  EXPECT_TRUE(log.coverage(rule(4 * kHour))->gaps.empty());
  EXPECT_EQ(log.coverage(rule(3 * kHour + 4 * kMinute))->gaps.size(), 1u);
  EXPECT_TRUE(log.coverage(rule(3 * kHour + 5 * kMinute))->gaps.empty());
}

TEST(DeliveryCoverage, AGapIsLongerThanTheGapNotEqual) {
  DeliveryLog log;
  for (const char* t : {"2024-06-03T00:00", "2024-06-03T01:00", "2024-06-03T02:01"})
    log.add(delivery(kAccount, "us-east-1", at(t)));
  EXPECT_EQ(log.coverage(rule(kHour))->gaps,
            std::vector<DeliveryGap>{gap("us-east-1", "2024-06-03T01:00", "2024-06-03T02:01")});
}

TEST(DeliveryCoverage, FilesOfOneMinuteAreFilesButOneDelivery) {
  DeliveryLog log;
  for (int i = 0; i < 3; ++i) log.add(delivery(kAccount, "us-east-1", at("2024-06-03T00:00")));
  log.add(delivery(kAccount, "us-east-1", at("2024-06-03T03:00")));
  const std::optional<DeliveryCoverage> c = log.coverage(rule(kHour));
  ASSERT_EQ(c->streams.size(), 1u);
  EXPECT_EQ(c->streams[0].files, 4u);
  EXPECT_EQ(c->gaps, std::vector<DeliveryGap>{gap("us-east-1", "2024-06-03T00:00", "2024-06-03T03:00")});
}

TEST(DeliveryCoverage, StartAndEndMeasureTheEdgesAndClipTheRest) {
  DeliveryLog log;
  deliver_every_5_minutes(log, "us-east-1", at("2024-06-03T04:00"), at("2024-06-03T06:00"));
  // Without a window, no edge: a stream is measured from its first delivery to its last.
  EXPECT_TRUE(log.coverage(rule(kHour))->gaps.empty());
  // From --start to the first delivery, and from the last to --end.
  EXPECT_EQ(log.coverage(rule(kHour, at("2024-06-03T01:30"), at("2024-06-03T08:00:30")))->gaps,
            (std::vector<DeliveryGap>{gap("us-east-1", "2024-06-03T01:30", "2024-06-03T04:00"),
                                      gap("us-east-1", "2024-06-03T05:55", "2024-06-03T08:00:30")}));
  // Edges no longer than --gap are not gaps.
  EXPECT_TRUE(log.coverage(rule(kHour, at("2024-06-03T03:00"), at("2024-06-03T06:55")))->gaps.empty());
  // A window inside a silence: the gap is the window's part of it.
  DeliveryLog sparse;
  for (const char* t : {"2024-06-03T00:00", "2024-06-03T10:00"})
    sparse.add(delivery(kAccount, "us-east-1", at(t)));
  EXPECT_EQ(sparse.coverage(rule(kHour, at("2024-06-03T02:00"), at("2024-06-03T05:00")))->gaps,
            std::vector<DeliveryGap>{gap("us-east-1", "2024-06-03T02:00", "2024-06-03T05:00")});
  EXPECT_TRUE(sparse.coverage(rule(4 * kHour, at("2024-06-03T02:00"), at("2024-06-03T05:00")))->gaps.empty());
  // Deliveries only before --start (read for the 15 minutes of lead) or only after --end (the slack).
  EXPECT_EQ(sparse.coverage(rule(kHour, at("2024-06-03T00:10")))->gaps,
            std::vector<DeliveryGap>{gap("us-east-1", "2024-06-03T00:10", "2024-06-03T10:00")});
  EXPECT_EQ(sparse.coverage(rule(kHour, std::nullopt, at("2024-06-03T09:00")))->gaps,
            std::vector<DeliveryGap>{gap("us-east-1", "2024-06-03T00:00", "2024-06-03T09:00")});
  DeliveryLog before;
  before.add(delivery(kAccount, "us-east-1", at("2024-06-03T01:50")));
  EXPECT_EQ(before.coverage(rule(kHour, at("2024-06-03T02:00"), at("2024-06-03T05:00")))->gaps,
            std::vector<DeliveryGap>{gap("us-east-1", "2024-06-03T02:00", "2024-06-03T05:00")});
  // With --start alone, after the last delivery nothing is measured.
  EXPECT_TRUE(before.coverage(rule(kHour, at("2024-06-03T02:00")))->gaps.empty());
}

TEST(DeliveryCoverage, StreamsAreAccountsAndRegionsApart) {
  DeliveryLog log;
  log.add(delivery("999988887777", "us-east-1", at("2024-06-03T00:00")));
  log.add(delivery(kAccount, "us-east-1", at("2024-06-03T00:00")));
  log.add(delivery(kAccount, "us-east-1", at("2024-06-03T03:00")));
  log.add(delivery("999988887777", "us-east-1", at("2024-06-03T01:00")));
  log.add(delivery(kAccount, "ap-south-1", at("2024-06-03T02:00")));
  const std::optional<DeliveryCoverage> c = log.coverage(rule(kHour));
  ASSERT_EQ(c->streams.size(), 3u);
  EXPECT_EQ(c->streams[0].account + " " + c->streams[0].region, kAccount + " ap-south-1");
  EXPECT_EQ(c->streams[1].account + " " + c->streams[1].region, kAccount + " us-east-1");
  EXPECT_EQ(c->streams[2].account + " " + c->streams[2].region, "999988887777 us-east-1");
  EXPECT_EQ(c->gaps, std::vector<DeliveryGap>{gap("us-east-1", "2024-06-03T00:00", "2024-06-03T03:00")});
  // Another worker's log joins in.
  DeliveryLog other;
  other.add(delivery(kAccount, "us-east-1", at("2024-06-03T01:00")));
  other.add(delivery(kAccount, "us-east-1", at("2024-06-03T02:00")));
  log.merge(other);
  EXPECT_TRUE(log.coverage(rule(kHour))->gaps.empty());
}

TEST(DeliveryCoverage, DurationsForPeople) {
  EXPECT_EQ(duration_text(3 * kHour), "3h");
  EXPECT_EQ(duration_text(3 * kHour + 5 * kMinute), "3h5m");
  EXPECT_EQ(duration_text(2 * 86400 + 4 * kHour), "2d4h");
  EXPECT_EQ(duration_text(90), "1m30s");
  EXPECT_EQ(duration_text(0), "0s");
}

// ---- shards

// Parts' gaps cannot be concatenated: each shard alone sees a silence the other shard's files fill.
TEST(DeliveryCoverageMerge, AShardsSilenceIsNotAGapWhenAnotherShardDelivered) {
  DeliveryLog a;
  DeliveryLog b;
  a.add(delivery(kAccount, "us-east-1", at("2024-06-03T00:00")));
  b.add(delivery(kAccount, "us-east-1", at("2024-06-03T00:50")));
  a.add(delivery(kAccount, "us-east-1", at("2024-06-03T01:40")));
  b.add(delivery(kAccount, "us-east-1", at("2024-06-03T04:00")));
  const GapRule r = rule(kHour);
  EXPECT_EQ(a.coverage(r)->gaps.size(), 1u);
  EXPECT_EQ(b.coverage(r)->gaps.size(), 1u);
  const std::optional<DeliveryCoverage> merged = merge_delivery_coverage({a.coverage(r), b.coverage(r)}, r);
  EXPECT_EQ(merged->gaps, std::vector<DeliveryGap>{gap("us-east-1", "2024-06-03T01:40", "2024-06-03T04:00")});
  DeliveryLog all = a;
  all.merge(b);
  EXPECT_EQ(merged, all.coverage(r));
}

TEST(DeliveryCoverageMerge, APartWithoutTheStreamIsAllFree) {
  DeliveryLog a;
  DeliveryLog b;
  a.add(delivery(kAccount, "us-east-1", at("2024-06-03T00:00")));
  a.add(delivery(kAccount, "us-east-1", at("2024-06-03T03:00")));
  b.add(delivery(kAccount, "eu-west-1", at("2024-06-03T01:00")));
  const GapRule r = rule(kHour, at("2024-06-02T22:00"), at("2024-06-03T06:00"));
  DeliveryLog all = a;
  all.merge(b);
  const std::optional<DeliveryCoverage> merged =
      merge_delivery_coverage({a.coverage(r), std::nullopt, b.coverage(r)}, r);
  EXPECT_EQ(merged, all.coverage(r));
  EXPECT_EQ(merged->gaps.size(), 5u);
}

// Random deliveries per stream (every few minutes, with silences of every length), split at random over N
// parts: merging the parts' coverage gives the coverage of all the files, for any --gap and window.
TEST(DeliveryCoverageMerge, MergedShardsAreTheUnshardedCoverage) {
  std::mt19937_64 random(20241203);
  const auto uniform = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(random);
  };
  const std::int64_t base = at("2024-06-03T00:00");
  const std::vector<std::pair<std::string, std::string>> names = {{kAccount, "us-east-1"},
                                                                  {kAccount, "eu-west-1"},
                                                                  {"999988887777", "us-east-1"},
                                                                  {"999988887777", "sa-east-1"}};
  int with_gaps = 0;
  for (int round = 0; round < 3000; ++round) {
    SCOPED_TRACE(round);
    const std::size_t n = static_cast<std::size_t>(uniform(1, 7));
    std::vector<DeliveryLog> parts(n);
    DeliveryLog all;
    const std::size_t streams = static_cast<std::size_t>(uniform(1, static_cast<std::int64_t>(names.size())));
    for (std::size_t s = 0; s < streams; ++s) {
      std::int64_t t = base + uniform(0, 120) * kMinute;
      const int files = static_cast<int>(uniform(1, 60));
      for (int f = 0; f < files; ++f) {
        const LogFileName name = delivery(names[s].first, names[s].second, t);
        all.add(name);
        parts[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(n) - 1))].add(name);
        // Mostly every 5 minutes, sometimes the same minute, sometimes a silence of minutes to hours.
        const std::int64_t roll = uniform(0, 9);
        t += roll == 0 ? 0 : roll < 7 ? 5 * kMinute : uniform(1, 6 * 60) * kMinute;
      }
    }
    GapRule r;
    r.gap = std::vector<std::int64_t>{5 * kMinute, 30 * kMinute, kHour, 3 * kHour, 1}[uniform(0, 4)];
    if (uniform(0, 2) > 0) r.start = base + uniform(-6 * 60, 6 * 60) * kMinute + uniform(0, 59);
    if (uniform(0, 2) > 0) r.end = base + uniform(0, 20 * 60) * kMinute + uniform(0, 59);
    if (r.start && r.end && *r.end <= *r.start) r.end = *r.start + uniform(1, 10 * 60) * kMinute;
    std::vector<std::optional<DeliveryCoverage>> covered;
    for (const DeliveryLog& part : parts) covered.push_back(part.coverage(r));
    const std::optional<DeliveryCoverage> expected = all.coverage(r);
    const std::optional<DeliveryCoverage> merged = merge_delivery_coverage(covered, r);
    ASSERT_EQ(merged, expected);
    // In any order of the parts.
    std::shuffle(covered.begin(), covered.end(), random);
    ASSERT_EQ(merge_delivery_coverage(covered, r), expected);
    with_gaps += !expected->gaps.empty();
  }
  EXPECT_GT(with_gaps, 1000);  // the comparison is about gaps, not only about empty lists
}

TEST(EventCoverage, MergesByMinAndMax) {
  const EventCoverage a{100, 200};
  const EventCoverage b{50, 150};
  EXPECT_EQ(merge_event_coverage(a, b), (EventCoverage{50, 200}));
  EXPECT_EQ(merge_event_coverage(std::nullopt, b), b);
  EXPECT_EQ(merge_event_coverage(a, std::nullopt), a);
  EXPECT_FALSE(merge_event_coverage(std::nullopt, std::nullopt).has_value());
}

// ---- a scan, its report, and a merge of its shards

class CoverageScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("tw_coverage_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // A log file where CloudTrail puts it, delivered at `t`, holding one record of `name` at t - 3 min.
  std::string log_file(const std::string& region, std::int64_t t, const std::string& name = "Encrypt") {
    const std::string stamp = format_utc_time(t);  // YYYY-MM-DDTHH:MM:SSZ
    const std::string date = stamp.substr(0, 4) + stamp.substr(5, 2) + stamp.substr(8, 2);
    const std::filesystem::path dir = root_ / "AWSLogs" / kAccount / "CloudTrail" / region /
                                      stamp.substr(0, 4) / stamp.substr(5, 2) / stamp.substr(8, 2);
    std::filesystem::create_directories(dir);
    const std::string file = kAccount + "_CloudTrail_" + region + "_" + date + "T" + stamp.substr(11, 2) +
                             stamp.substr(14, 2) + "Z_" + "ABCDEFGHIJKLMNOP" + ".json";
    // Named .json.gz as CloudTrail names them; plain JSON inside is read with a warning, which is no matter
    // here.
    const std::filesystem::path path = dir / (file + ".gz");
    std::ofstream(path, std::ios::binary)
        << R"({"Records":[{"eventVersion":"1.08","eventTime":")" << format_utc_time(t - 3 * kMinute)
        << R"(","eventSource":"kms.amazonaws.com","eventName":")" << name << R"("}]})";
    return path.string();
  }

  void three_hours_missing() {
    for (std::int64_t t = at("2024-06-03T00:00"); t < at("2024-06-03T08:00"); t += 5 * kMinute) {
      log_file("us-east-1", t, t == at("2024-06-03T01:10") ? "DisableKey" : "Encrypt");
      if (t < at("2024-06-03T02:00") || t >= at("2024-06-03T05:00"))
        log_file("eu-west-1", t, t == at("2024-06-03T06:30") ? "ScheduleKeyDeletion" : "Encrypt");
    }
  }

  static ScanSpec spec() {
    MetricTransformation m;
    m.name = "CMKEventCount";
    ScanSpec spec;
    spec.filters.push_back(MetricFilter{
        "kms", Pattern::parse("{ ($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion) }"), m});
    return spec;
  }

  static ScanReport scan(const ScanPlan& plan, const std::vector<std::string>& paths,
                         std::optional<Shard> shard = std::nullopt) {
    ScanRunOptions options;
    options.threads = 2;
    ScanProgress progress;
    std::atomic<bool> stop{false};
    ScanReport report =
        Scanner(plan, options).run(discover_inputs(paths, {}, shard, plan.pruning()), progress, stop);
    report.shard = shard;
    return report;
  }

  static std::string json(const ScanReport& report) {
    std::ostringstream out;
    write_json(out, report);
    return out.str();
  }

  std::filesystem::path root_;
};

TEST_F(CoverageScanTest, TheReportSaysWhenLogsAreMissing) {
  three_hours_missing();
  ScanPlan plan(spec());
  const ScanReport report = scan(plan, {root_.string()});
  ASSERT_TRUE(report.input.delivery.has_value());
  EXPECT_EQ(report.input.delivery->gaps,
            std::vector<DeliveryGap>{gap("eu-west-1", "2024-06-03T01:55", "2024-06-03T05:00")});
  EXPECT_EQ(report.input.delivery->streams.size(), 2u);
  ASSERT_TRUE(report.input.coverage.has_value());
  EXPECT_EQ(report.input.coverage->first_event, at("2024-06-03T01:07"));
  EXPECT_EQ(report.input.coverage->last_event, at("2024-06-03T06:27"));

  const std::string text = json(report);
  EXPECT_NE(text.find(R"("gaps":[{"account":"111122223333","region":"eu-west-1",)"
                      R"("from":"2024-06-03T01:55:00Z","to":"2024-06-03T05:00:00Z"}])"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find(R"("coverage":{"first_event":"2024-06-03T01:07:00Z","last_event":"2024-06-03T06:27:00Z"})"),
      std::string::npos);
  std::ostringstream table;
  write_table(table, report);
  EXPECT_NE(table.str().find("no logs for 111122223333 eu-west-1 from 2024-06-03T01:55:00Z to "
                             "2024-06-03T05:00:00Z (3h5m)"),
            std::string::npos)
      << table.str();
  EXPECT_NE(coverage_warning(report).find("1 gap of more than 1h"), std::string::npos);
  std::ostringstream csv;
  write_csv(csv, report);
  EXPECT_NE(csv.str().find("gap,,,account=111122223333 region=eu-west-1,2024-06-03T01:55:00Z,"
                           "2024-06-03T05:00:00Z,,,,,\n"),
            std::string::npos)
      << csv.str();

  // --gap 4h: the silence is no gap, and the question is another one.
  ScanSpec longer = spec();
  longer.coverage_gap = 4 * kHour;
  ScanPlan longer_plan(std::move(longer));
  EXPECT_NE(longer_plan.fingerprint(), plan.fingerprint());
  const ScanReport relaxed = scan(longer_plan, {root_.string()});
  EXPECT_TRUE(relaxed.input.delivery->gaps.empty());
  EXPECT_EQ(coverage_warning(relaxed), "");
}

TEST_F(CoverageScanTest, OnlyPathsInTheLayoutGiveDeliveries) {
  std::ofstream(root_ / "loose.json") << R"({"Records":[]})";
  ScanPlan plan(spec());
  const ScanReport loose = scan(plan, {root_.string()});
  EXPECT_FALSE(loose.input.delivery.has_value());
  EXPECT_FALSE(loose.input.coverage.has_value());
  EXPECT_NE(json(loose).find(R"("delivery":null,"coverage":null)"), std::string::npos);

  // A file named on the command line gives its delivery, its path made absolute: also when relative.
  const std::string path = log_file("us-east-1", at("2024-06-03T00:05"));
  const std::filesystem::path cwd = std::filesystem::current_path();
  std::filesystem::current_path(std::filesystem::path(path).parent_path());
  const ScanReport one = scan(plan, {std::filesystem::path(path).filename().string()});
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(one.input.delivery.has_value());
  EXPECT_EQ(one.input.delivery->first, at("2024-06-03T00:05"));
  EXPECT_EQ(one.input.delivery->streams.size(), 1u);
}

TEST_F(CoverageScanTest, PruningReadsOnlyTheWindowButFindsTheSameGaps) {
  three_hours_missing();
  const auto windowed = [](std::optional<std::int64_t> slack) {
    ScanSpec s = spec();
    s.scope.start = at("2024-06-03T01:00");
    s.scope.end = at("2024-06-03T03:00");
    s.delivery_slack = slack;
    return s;
  };
  ScanPlan pruned_plan(windowed(30 * kMinute));
  ScanPlan unpruned_plan(windowed(std::nullopt));
  const ScanReport pruned = scan(pruned_plan, {root_.string()});
  const ScanReport all = scan(unpruned_plan, {root_.string()});
  EXPECT_LT(pruned.input.files, all.input.files);
  // The window's part of the silence, from the last delivery before it to --end.
  EXPECT_EQ(pruned.input.delivery->gaps,
            std::vector<DeliveryGap>{gap("eu-west-1", "2024-06-03T01:55", "2024-06-03T03:00")});
  EXPECT_EQ(pruned.input.delivery->gaps, all.input.delivery->gaps);
  EXPECT_EQ(pruned.input.delivery->first, at("2024-06-03T00:45"));
  EXPECT_EQ(all.input.delivery->first, at("2024-06-03T00:00"));
}

TEST_F(CoverageScanTest, MergedShardReportsAreTheUnshardedCoverage) {
  three_hours_missing();
  ScanSpec windowed = spec();
  windowed.scope.start = at("2024-06-02T22:30");
  windowed.scope.end = at("2024-06-03T09:30");
  ScanPlan plan(std::move(windowed));
  const ScanReport whole = scan(plan, {root_.string()});
  ASSERT_EQ(whole.input.delivery->gaps.size(), 5u);  // the hole, and both regions' edges at both ends
  for (std::uint64_t n : {2u, 3u, 7u}) {
    SCOPED_TRACE(n);
    std::vector<ReportPart> parts;
    for (std::uint64_t i = 0; i < n; ++i)
      parts.push_back({"part-" + std::to_string(i), json(scan(plan, {root_.string()}, Shard{i, n})), {}});
    const ScanReport merged = merge_reports(parts);
    EXPECT_EQ(merged.input.delivery, whole.input.delivery);
    EXPECT_EQ(merged.input.coverage, whole.input.coverage);
  }
}

TEST_F(CoverageScanTest, APartsDeliveryMustBeWhole) {
  three_hours_missing();
  ScanPlan plan(spec());
  const std::string text = json(scan(plan, {root_.string()}, Shard{0, 1}));
  const auto merged_errors = [&](const std::string& edited) {
    try {
      return merge_reports({{"part", edited, {}}}).input.errors;
    } catch (const MergeError& e) {
      return std::vector<PathMessage>{{"part", e.what()}};
    }
  };
  EXPECT_TRUE(merged_errors(text).empty());
  const std::size_t streams = text.find(R"("streams":[)");
  ASSERT_NE(streams, std::string::npos);
  std::string no_streams = text;
  no_streams.replace(streams, std::string(R"("streams")").size(), R"("rivers")");
  const std::vector<PathMessage> errors = merged_errors(no_streams);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.front().message.find("delivery: no \"streams\""), std::string::npos)
      << errors.front().message;
}

}  // namespace
}  // namespace trailwatch
