#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "records/record_kernel.hpp"
#include "trailwatch/records.hpp"

namespace trailwatch {
namespace {

SelectorPath path(std::initializer_list<const char*> keys) {
  SelectorPath p;
  for (const char* k : keys) {
    SelectorStep s;
    s.kind = SelectorStep::Kind::Member;
    s.key = k;
    p.push_back(s);
  }
  return p;
}

struct Seen {
  std::vector<std::string> event_names;
  std::vector<std::string> raws;
};

class CollectingSink : public RecordSink {
 public:
  CollectingSink(SelectorId id, Seen& seen) : id_(id), seen_(seen) {}
  void on_record(const RecordView& record) override {
    const JsonValue* v = record.fields.first(id_);
    seen_.event_names.push_back(v == nullptr ? "<missing>" : std::string(v->text));
    seen_.raws.emplace_back(record.raw);
  }

 private:
  SelectorId id_;
  Seen& seen_;
};

// Owns a padded copy, as the ingest layer hands out.
ReadResult read_text(RecordReader& reader, const std::string& text, RecordSink& sink) {
  std::string padded = text + std::string(kRecordPadding, '\0');
  return reader.read(std::string_view(padded.data(), text.size()), sink);
}

class RecordsTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { setenv("TRAILWATCH_KERNEL", GetParam(), 1); }
  void TearDown() override { unsetenv("TRAILWATCH_KERNEL"); }
};

TEST_P(RecordsTest, EnvelopeRecordsAreReadWithTheirRawText) {
  FieldPlan plan;
  SelectorId name = plan.add(path({"eventName"}));
  RecordReader reader(plan);
  Seen seen;
  CollectingSink sink(name, seen);
  ReadResult r = read_text(reader, R"({"Records":[{"eventName":"DisableKey","x":1}, {"y":[1,2]} ]})", sink);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.format, RecordFormat::Envelope);
  EXPECT_EQ(r.records, 2u);
  EXPECT_EQ(seen.event_names, (std::vector<std::string>{"DisableKey", "<missing>"}));
  EXPECT_EQ(seen.raws, (std::vector<std::string>{R"({"eventName":"DisableKey","x":1})", R"({"y":[1,2]})"}));
}

TEST_P(RecordsTest, EscapedStringsAreDecoded) {
  FieldPlan plan;
  SelectorId name = plan.add(path({"eventName"}));
  RecordReader reader(plan);
  Seen seen;
  CollectingSink sink(name, seen);
  read_text(reader, R"({"Records":[{"event\u004eame":"Disable\u004bey"}]})", sink);
  EXPECT_EQ(seen.event_names, std::vector<std::string>{"DisableKey"});
}

TEST_P(RecordsTest, DuplicateKeysLastOneWins) {
  FieldPlan plan;
  SelectorId name = plan.add(path({"eventName"}));
  RecordReader reader(plan);
  Seen seen;
  CollectingSink sink(name, seen);
  read_text(reader,
            "{\"eventName\":\"EnableKey\",\"eventName\":\"DisableKey\"}\n{\"eventName\":\"DisableKey\","
            "\"eventName\":\"X\"}\n",
            sink);
  EXPECT_EQ(seen.event_names, (std::vector<std::string>{"DisableKey", "X"}));
}

TEST_P(RecordsTest, NestedPathsAndKinds) {
  FieldPlan plan;
  SelectorId arn = plan.add(path({"userIdentity", "arn"}));
  SelectorId mfa = plan.add(path({"userIdentity", "mfa"}));
  SelectorId n = plan.add(path({"n"}));
  SelectorStep any;
  any.kind = SelectorStep::Kind::AnyElement;
  SelectorPath resources = path({"resources"});
  resources.push_back(any);
  SelectorStep key;
  key.kind = SelectorStep::Kind::Member;
  key.key = "ARN";
  resources.push_back(key);
  SelectorId res = plan.add(resources);
  RecordReader reader(plan);
  struct Sink : RecordSink {
    std::vector<std::vector<std::pair<JsonKind, std::string>>> got;
    std::vector<SelectorId> ids;
    void on_record(const RecordView& r) override {
      std::vector<std::pair<JsonKind, std::string>> row;
      for (SelectorId id : ids)
        for (const JsonValue& v : r.fields.get(id)) row.emplace_back(v.kind, std::string(v.text));
      got.push_back(row);
    }
  } sink;
  sink.ids = {arn, mfa, n, res};
  read_text(
      reader,
      R"({"userIdentity":{"arn":"a","mfa":true},"n":1e3 ,"resources":[{"ARN":"r1"},{"x":1},{"ARN":"r2"}]})",
      sink);
  ASSERT_EQ(sink.got.size(), 1u);
  std::vector<std::pair<JsonKind, std::string>> expected = {{JsonKind::String, "a"},
                                                            {JsonKind::True, "true"},
                                                            {JsonKind::Number, "1e3"},
                                                            {JsonKind::String, "r1"},
                                                            {JsonKind::String, "r2"}};
  EXPECT_EQ(sink.got[0], expected);
}

TEST_P(RecordsTest, BadNdjsonLineFailsAloneButBrokenEnvelopeFailsWhole) {
  FieldPlan plan;
  SelectorId name = plan.add(path({"eventName"}));
  RecordReader reader(plan);
  Seen seen;
  CollectingSink sink(name, seen);
  ReadResult nd = read_text(reader, "{\"eventName\":\"A\"}\n{\"eventName\":\n\n{\"eventName\":\"B\"}", sink);
  EXPECT_TRUE(nd.error.empty());
  EXPECT_EQ(nd.records, 2u);
  EXPECT_EQ(nd.records_failed, 1u);
  EXPECT_NE(nd.first_record_error.find("line 2"), std::string::npos) << nd.first_record_error;

  ReadResult env = read_text(reader, R"({"Records":[{"eventName":"A"},{"eventName":)", sink);
  EXPECT_FALSE(env.error.empty());
}

TEST_P(RecordsTest, ARecordOverTheSizeLimitFailsAloneWithItsNumber) {
  FieldPlan plan;
  SelectorId name = plan.add(path({"eventName"}));
  RecordLimits limits;
  limits.max_record_size = 40;
  RecordReader reader(plan, limits);
  const std::string big = R"({"eventName":"B","padding":")" + std::string(100, 'x') + "\"}";
  Seen seen;
  CollectingSink sink(name, seen);
  ReadResult env =
      read_text(reader, R"({"Records":[{"eventName":"A"},)" + big + R"(,{"eventName":"C"}]})", sink);
  EXPECT_EQ(env.error, "");
  EXPECT_EQ(env.records, 2u);
  EXPECT_EQ(env.records_failed, 1u);
  EXPECT_NE(env.first_record_error.find("Records element 2 is 130 bytes, over the record size limit of 40"),
            std::string::npos)
      << env.first_record_error;
  ReadResult nd = read_text(reader, "{\"eventName\":\"A\"}\n" + big + "\n{\"eventName\":\"C\"}\n", sink);
  EXPECT_EQ(nd.records, 2u);
  EXPECT_EQ(nd.records_failed, 1u);
  EXPECT_NE(nd.first_record_error.find("line 2 is 130 bytes"), std::string::npos) << nd.first_record_error;
  EXPECT_EQ(seen.event_names, (std::vector<std::string>{"A", "C", "A", "C"}));
}

TEST_P(RecordsTest, ShapesThatAreNotCloudTrailAreErrors) {
  FieldPlan plan;
  plan.add(path({"eventName"}));
  RecordReader reader(plan);
  Seen seen;
  CollectingSink sink(0, seen);
  // A bare array of records is read (docs/design.md "What is a record"); an array of anything else is not.
  EXPECT_TRUE(read_text(reader, "[{\"a\":1}]", sink).error.empty());
  EXPECT_EQ(read_text(reader, "[1]", sink).records_failed, 1u);
  EXPECT_FALSE(read_text(reader, "{\"records\":[]}", sink).error.empty());
  EXPECT_FALSE(read_text(reader, "   \n", sink).error.empty());
  EXPECT_FALSE(read_text(reader, "hello", sink).error.empty());
  EXPECT_FALSE(read_text(reader, "{\"Records\":[]} trailing", sink).error.empty());
  ReadResult empty = read_text(reader, "{\"Records\":[]}", sink);
  EXPECT_TRUE(empty.error.empty()) << empty.error;
  EXPECT_EQ(empty.records, 0u);
}

TEST_P(RecordsTest, CloudWatchLogsExportLinesAreRecordsAfterTheirTime) {
  FieldPlan plan;
  const SelectorId name = plan.add(path({"eventName"}));
  RecordReader reader(plan);
  Seen seen;
  CollectingSink sink(name, seen);
  const ReadResult r = read_text(reader,
                                 "2024-06-03T08:20:00.000Z {\"eventName\":\"A\"}\n"
                                 "no-time-here {\"eventName\":\"B\"}\n"
                                 "2024-06-03T08:20:01.000Z{\"eventName\":\"C\"}\n"
                                 "2024-06-03T08:20:02.000Z \t {\"eventName\":\"D\"}\n",
                                 sink);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(seen.event_names, (std::vector<std::string>{"A", "D"}));
  EXPECT_EQ(seen.raws.back(), "{\"eventName\":\"D\"}");  // blanks after the time are not the record's
  EXPECT_EQ(r.records_failed, 2u);                       // a line is "<time> <record>" or fails alone, named
  EXPECT_NE(r.first_record_error.find("line 2"), std::string::npos) << r.first_record_error;
}

INSTANTIATE_TEST_SUITE_P(Kernels, RecordsTest, ::testing::Values("auto", "haswell", "fallback"));

TEST(RecordsShape, DetectsEnvelopeByFirstKey) {
  EXPECT_EQ(detect_shape(" {\n  \"Records\": ["), BufferShape::Envelope);
  EXPECT_EQ(detect_shape("{\"eventVersion\":\"1.08\"}"), BufferShape::Ndjson);
  EXPECT_EQ(detect_shape("{\"RECORDS\":[]}"), BufferShape::WrongEnvelopeKey);
}

}  // namespace
}  // namespace trailwatch

namespace trailwatch {
namespace {

class EnvelopeStreamTest : public RecordsTest {};

TEST_P(EnvelopeStreamTest, ConcatenatedEnvelopesAreAllRead) {
  FieldPlan plan;
  SelectorId name = plan.add(path({"eventName"}));
  RecordReader reader(plan);
  Seen seen;
  CollectingSink sink(name, seen);
  ReadResult r =
      read_text(reader, R"({"Records":[{"eventName":"A"}]}{"Records":[{"eventName":"B"},{"eventName":"C"}]}
{"Records":[]})",
                sink);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(seen.event_names, (std::vector<std::string>{"A", "B", "C"}));
}

TEST_P(EnvelopeStreamTest, GarbageOrTruncationAfterAnEnvelopeIsAnError) {
  FieldPlan plan;
  plan.add(path({"eventName"}));
  RecordReader reader(plan);
  Seen seen;
  CollectingSink sink(0, seen);
  EXPECT_FALSE(read_text(reader, R"({"Records":[]}{"Records":[{"a":)", sink).error.empty());
  EXPECT_FALSE(read_text(reader, R"({"Records":[]} 42)", sink).error.empty());
  EXPECT_FALSE(read_text(reader, R"({"Records":[]}{"other":1})", sink).error.empty());
  EXPECT_FALSE(read_text(reader, R"({"Records":[{"a":1},{"b":2])", sink).error.empty());
  EXPECT_FALSE(read_text(reader, R"({"Records":[{"a":1}]}})", sink).error.empty());
}

INSTANTIATE_TEST_SUITE_P(Kernels, EnvelopeStreamTest, ::testing::Values("auto", "haswell", "fallback"));

}  // namespace
}  // namespace trailwatch

namespace trailwatch {
namespace {

TEST(RecordsBom, AByteOrderMarkIsSkipped) {
  FieldPlan plan;
  SelectorId name = plan.add(path({"eventName"}));
  RecordReader reader(plan);
  Seen seen;
  CollectingSink sink(name, seen);
  ReadResult r = read_text(reader, "\xEF\xBB\xBF{\"Records\":[{\"eventName\":\"A\"}]}", sink);
  EXPECT_TRUE(r.error.empty()) << r.error;
  ReadResult n = read_text(reader, "\xEF\xBB\xBF{\"eventName\":\"B\"}\n", sink);
  EXPECT_TRUE(n.error.empty()) << n.error;
  EXPECT_EQ(n.records_failed, 0u);
  EXPECT_EQ(seen.event_names, (std::vector<std::string>{"A", "B"}));
}

}  // namespace
}  // namespace trailwatch

namespace trailwatch {
namespace {

TEST_P(RecordsTest, MessageIsTheMinifiedRecordWhenRequired) {
  FieldPlan plan;
  plan.require_message();
  RecordReader reader(plan);
  struct Sink : RecordSink {
    std::vector<std::string> messages;
    void on_record(const RecordView& r) override { messages.emplace_back(r.message); }
  } sink;
  read_text(reader, "{\"Records\": [\n  {\"a\": \"x y\",\n   \"b\": [1, 2]},{\"c\":1}\n]}", sink);
  EXPECT_EQ(sink.messages, (std::vector<std::string>{R"({"a":"x y","b":[1,2]})", R"({"c":1})"}));
}

TEST_P(RecordsTest, MessageIsEmptyUnlessRequired) {
  FieldPlan plan;
  RecordReader reader(plan);
  struct Sink : RecordSink {
    std::vector<std::string> messages;
    void on_record(const RecordView& r) override { messages.emplace_back(r.message); }
  } sink;
  read_text(reader, "{\"a\": 1}\n", sink);
  EXPECT_EQ(sink.messages, std::vector<std::string>{""});
}

}  // namespace
}  // namespace trailwatch
