// compact_record_text: what CloudWatch Logs receives of a record, and the lifetime its callers rely on.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/records.hpp"

namespace trailwatch {
namespace {

std::string compacted(std::string_view raw) {
  std::string scratch;
  return std::string(compact_record_text(raw, scratch));
}

TEST(CompactRecordText, CompactTextIsUnchanged) {
  const std::string raw = R"({"eventName":"DisableKey","n":[1,2.5e3,true,null],"o":{}})";
  EXPECT_EQ(compacted(raw), raw);
}

TEST(CompactRecordText, BlanksBetweenTokensAreDropped) {
  EXPECT_EQ(compacted("{ \"a\" : 1 ,\r\n\t\"b\" : [ 1 , { } ] }\n"), R"({"a":1,"b":[1,{}]})");
}

TEST(CompactRecordText, StringsAreKeptByteForByte) {
  EXPECT_EQ(compacted(R"({ "userAgent" : "aws-cli/2.13 Python/3.11 \"quoted, \\ text\" ", "k y": 1 })"),
            R"({"userAgent":"aws-cli/2.13 Python/3.11 \"quoted, \\ text\" ","k y":1})");
  EXPECT_EQ(compacted("{\"a\": \"caf\xC3\xA9 \\u00e9\"}"), "{\"a\":\"caf\xC3\xA9 \\u00e9\"}");
}

TEST(CompactRecordText, ScratchIsReusedAcrossRecordsOfAnySize) {
  std::string scratch;
  const std::string large = "{ \"a\" : \"" + std::string(100000, 'x') + "\" }";
  EXPECT_EQ(compact_record_text("{ \"a\" : 1 }", scratch), R"({"a":1})");
  EXPECT_EQ(compact_record_text(large, scratch), "{\"a\":\"" + std::string(100000, 'x') + "\"}");
  const std::size_t grown = scratch.size();
  EXPECT_EQ(compact_record_text("[ 1 ]", scratch), "[1]");
  EXPECT_EQ(scratch.size(), grown);  // grows only
}

TEST(CompactRecordText, TheResultViewsScratchOrRaw) {
  std::string scratch;
  const std::string raw = "{ \"a\" : 1 }";
  const std::string_view result = compact_record_text(raw, scratch);
  EXPECT_TRUE(
      result.data() == raw.data() ||
      (result.data() >= scratch.data() && result.data() + result.size() <= scratch.data() + scratch.size()));
}

TEST(CompactRecordText, AStringNeverClosedIsReturnedAsItIs) {
  const std::string raw = R"({ "a" : "never closed })";
  std::string scratch;
  EXPECT_EQ(compact_record_text(raw, scratch), raw);
}

TEST(CompactRecordText, IsTheMessageTheReaderDelivers) {
  FieldPlan plan;
  plan.require_message();
  RecordReader reader(plan);
  struct Sink : RecordSink {
    std::vector<std::string> raws, messages;
    void on_record(const RecordView& r) override {
      raws.emplace_back(r.raw);
      messages.emplace_back(r.message);
    }
  } sink;
  const std::string text = "{\"Records\": [\n  { \"a\" : \"x y\" , \"b\" : [ 1 , 2 ] },\n  {\"c\":1}\n]}";
  const std::string padded = text + std::string(kRecordPadding, ' ');
  reader.read(std::string_view(padded.data(), text.size()), sink);
  ASSERT_EQ(sink.raws.size(), 2u);
  for (std::size_t i = 0; i < sink.raws.size(); ++i) EXPECT_EQ(sink.messages[i], compacted(sink.raws[i]));
}

}  // namespace
}  // namespace trailwatch
