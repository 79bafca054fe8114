#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>
#include <string>

#include "trailwatch/json_string.hpp"

namespace trailwatch {
namespace {

std::string literal(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

std::string quoted(const std::string& text) {
  std::string out(1, '"');
  out += text;
  out += '"';
  return out;
}

// What a strict JSON parser reads back from the literal, or "<invalid>".
std::string decoded(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  std::string_view value;
  if (parser.parse(padded).get_string().get(value) != simdjson::SUCCESS) return "<invalid>";
  return std::string(value);
}

TEST(JsonString, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(literal("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(literal("l1\nl2\r\t"), R"("l1\nl2\r\t")");
  EXPECT_EQ(literal(std::string("nul\0end", 7)), R"("nul\u0000end")");
  EXPECT_EQ(literal("\x01\x1b[31m\x1f\x7f"), R"("\u0001\u001b[31m\u001f\u007f")");
}

TEST(JsonString, KeepsValidUtf8ByteForByte) {
  const std::string text =
      "good lines \xC3\xA9 \xC3\xBC \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBD";
  EXPECT_EQ(literal(text), quoted(text));
  // the extremes of each sequence length
  const std::string edges =
      "\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xF0\x90\x80\x80\xF4\x8F\xBF\xBF";
  EXPECT_EQ(literal(edges), quoted(edges));
}

TEST(JsonString, ReplacesEachMaximalSubpartOfBadBytesWithOneReplacementCharacter) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(literal("bad\xFF\xFE.json.gz"), quoted(std::string("bad") + r + r + ".json.gz"));
  EXPECT_EQ(literal("\x80"), quoted(r));                          // a lone continuation byte
  EXPECT_EQ(literal("\xC0\xAF"), quoted(r + r));                  // overlong '/'
  EXPECT_EQ(literal("\xE0\x80\xAF"), quoted(r + r + r));          // overlong, three bytes
  EXPECT_EQ(literal("\xED\xA0\x80"), quoted(r + r + r));          // a UTF-16 surrogate
  EXPECT_EQ(literal("\xF4\x90\x80\x80"), quoted(r + r + r + r));  // past U+10FFFF
  EXPECT_EQ(literal("\xF5\x80"), quoted(r + r));
  EXPECT_EQ(literal("\xE6\x97"), quoted(r));                 // cut at the end of the text
  EXPECT_EQ(literal("\xE6\x97x"), quoted(r + "x"));          // cut before an ASCII byte
  EXPECT_EQ(literal("\xF0\x9F\x98\""), quoted(r + "\\\""));  // the byte after the cut is still escaped
  EXPECT_EQ(literal("\xC3\xC3\xA9"), quoted(r + "\xC3\xA9"));
}

TEST(JsonString, AnyBytesGiveAStringAStrictParserReadsBack) {
  std::mt19937 random(6);
  // Biased towards the bytes that make and break UTF-8 sequences.
  const unsigned char interesting[] = {0x00, 0x0A, 0x1F, 0x22, 0x5C, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                       0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
  for (int round = 0; round < 20000; ++round) {
    std::string text(random() % 12, '\0');
    for (char& c : text)
      c = static_cast<char>(random() % 2 ? interesting[random() % sizeof interesting] : random() % 256);
    const std::string json = literal(text);
    ASSERT_TRUE(simdjson::validate_utf8(json.data(), json.size())) << json;
    const std::string back = decoded(json);
    ASSERT_NE(back, "<invalid>") << json;
    if (simdjson::validate_utf8(text.data(), text.size())) {
      ASSERT_EQ(back, text);
    }
  }
}

}  // namespace
}  // namespace trailwatch
