// The input-source seam: inputs that do not live on the local file system (the aws unit's s3:// reader is
// one) are listed and read through InputSource and then take the same inflate, records and scan path.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "gzip_fixture.hpp"
#include "trailwatch/ingest.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch {
namespace {

// Objects held in memory under "mem://name"; "mem://gone" is listed but cannot be read, as an object deleted
// between listing and reading.
class MemorySource : public InputSource {
 public:
  std::map<std::string, std::string> objects;

  bool handles(std::string_view argument) const override { return argument.starts_with("mem://"); }
  void list(std::string_view argument, Discovery& out) const override {
    if (argument != "mem://") {
      out.errors.push_back({std::string(argument), "no such bucket"});
      return;
    }
    for (const auto& [name, bytes] : objects)
      out.files.push_back({"mem://" + name, bytes.size(), this, name});
    out.files.push_back({"mem://gone", 10, this});
  }
  std::string read(const InputFile& file, std::uint64_t max_bytes, std::string& bytes) const override {
    auto it = objects.find(file.path.substr(6));
    if (it == objects.end()) return "deleted after it was listed";
    if (it->second.size() > max_bytes) return "too large";
    bytes = it->second;
    return {};
  }
};

std::string envelope(const std::string& name) {
  return R"({"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventName":")" + name + R"("}]})";
}

TEST(InputSource, ArgumentsItHandlesAreListedByIt) {
  MemorySource source;
  source.objects = {{"b.json.gz", testing_support::gzip(envelope("x"))}, {"a.json", envelope("y")}};
  Discovery d = discover_inputs({"mem://", "mem://other"}, {&source});
  ASSERT_EQ(d.files.size(), 3u);
  EXPECT_EQ(d.files[0].path, "mem://a.json");  // sorted by path
  EXPECT_EQ(d.files[0].source, &source);
  EXPECT_FALSE(d.files[0].is_stdin());
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].message, "no such bucket");
  // Without the source the argument is a local path that does not exist.
  Discovery local = discover_inputs({"mem://"});
  EXPECT_TRUE(local.files.empty());
  EXPECT_EQ(local.errors.size(), 1u);
}

TEST(InputSource, ItsBytesTakeTheLoadersPath) {
  MemorySource source;
  source.objects = {{"z.json.gz", testing_support::gzip(envelope("x"))}, {"p.json.gz", envelope("y")}};
  BufferLoader loader(kRecordPadding);
  LoadedBuffer gz = loader.load({"mem://z.json.gz", 0, &source});
  EXPECT_TRUE(gz.error.empty()) << gz.error;
  EXPECT_TRUE(gz.gzip);
  EXPECT_EQ(gz.data, envelope("x"));
  LoadedBuffer plain = loader.load({"mem://p.json.gz", 0, &source});
  EXPECT_EQ(plain.data, envelope("y"));
  ASSERT_EQ(plain.warnings.size(), 1u);  // plain text under a .gz name, as for a local file
  LoadedBuffer gone = loader.load({"mem://gone", 0, &source});
  EXPECT_EQ(gone.error, "deleted after it was listed");
  EXPECT_EQ(gone.bytes_read, 0u);  // not the bytes of the input loaded before it
  BufferLoader small(kRecordPadding, LoaderOptions{4});
  EXPECT_EQ(small.load({"mem://p.json.gz", 0, &source}).error, "too large");
}

TEST(InputSource, AScanReadsItLikeLocalFilesAndNamesWhatFailed) {
  MemorySource source;
  source.objects = {{"a.json.gz", testing_support::gzip(envelope("DisableKey"))},
                    {"b.json", envelope("DisableKey")}};
  MetricTransformation m;
  m.name = "M";
  ScanSpec spec;
  spec.filters.push_back(MetricFilter{"r", Pattern::parse("{ $.eventName = DisableKey }"), m});
  ScanPlan plan(std::move(spec));
  ScanProgress progress;
  std::atomic<bool> stop{false};
  ScanReport report = Scanner(plan, {}).run(discover_inputs({"mem://"}, {&source}), progress, stop);
  EXPECT_EQ(report.input.files, 3u);
  EXPECT_EQ(report.input.records, 2u);
  EXPECT_EQ(report.rules[0].matched_events, 2u);
  ASSERT_EQ(report.input.errors.size(), 1u);
  EXPECT_EQ(report.input.errors[0].path, "mem://gone");
  EXPECT_TRUE(report.input.partial);
}

}  // namespace
}  // namespace trailwatch
