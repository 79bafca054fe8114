// Space-delimited patterns (docs/filter-patterns.md §6): the event tokenizer (A10), slot alignment with and
// without '...' (A15), slot conditions under the JSON rules, extracted fields, and the parser's errors.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pattern/event_fields.hpp"
#include "pattern_test_support.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"

namespace trailwatch {
namespace {

using test::matches_message;

constexpr std::string_view kApache =
    "127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534";

std::vector<std::string> fields_of(std::string_view message) {
  pattern_detail::EventFields fields(message);
  std::vector<std::string> out;
  std::string_view text;
  std::size_t raw = 0;
  while (fields.next(text, raw)) out.emplace_back(text);
  return out;
}

using Strings = std::vector<std::string>;

// ----- the tokenizer (A10)

TEST(EventFields, RunsOfSpacesAndTabsSeparate) {
  EXPECT_EQ(fields_of("a b  c\t\td \t e"), (Strings{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(fields_of("  lead and trail  "), (Strings{"lead", "and", "trail"}));
  EXPECT_EQ(fields_of(""), Strings{});
  EXPECT_EQ(fields_of(" \t "), Strings{});
  // Only space and tab separate: other whitespace belongs to the field.
  EXPECT_EQ(fields_of("a\nb c\rd"), (Strings{"a\nb", "c\rd"}));
}

TEST(EventFields, QuotesAndBracketsGroupWithoutTheirDelimiters) {
  EXPECT_EQ(fields_of(kApache), (Strings{"127.0.0.1", "Prod", "frank", "10/Oct/2000:13:25:15 -0700",
                                         "GET /index.html HTTP/1.0", "404", "1534"}));
  EXPECT_EQ(fields_of("\"\" []"), (Strings{"", ""}));
  // Inside quotes a bracket is ordinary, and the other way round.
  EXPECT_EQ(fields_of("\"a [b\" c] [x \"y] z\""), (Strings{"a [b", "c]", "x \"y", "z\""}));
  // A quote or bracket that does not start a field is ordinary.
  EXPECT_EQ(fields_of("ab\"c d\" e[f g]"), (Strings{"ab\"c", "d\"", "e[f", "g]"}));
}

TEST(EventFields, A10_NoEscapesAndAFieldEndsAtItsFirstClosingCharacter) {
  EXPECT_EQ(fields_of(R"("a\"b c")"), (Strings{"a\\", "b", "c\""}));
  EXPECT_EQ(fields_of("[a]b] c"), (Strings{"a", "b]", "c"}));
  // Text right after a closing delimiter starts the next field.
  EXPECT_EQ(fields_of("\"a b\"c d"), (Strings{"a b", "c", "d"}));
  EXPECT_EQ(fields_of("[x][y]"), (Strings{"x", "y"}));
}

TEST(EventFields, A10_AnUnterminatedFieldRunsToTheEnd) {
  EXPECT_EQ(fields_of("a \"b c  d"), (Strings{"a", "b c  d"}));
  EXPECT_EQ(fields_of("a [b c"), (Strings{"a", "b c"}));
  EXPECT_EQ(fields_of("a \""), (Strings{"a", ""}));
}

// ----- alignment

TEST(Delimited, DocumentedApacheExamples) {
  EXPECT_TRUE(
      matches_message("[ip, user, username, timestamp, request =*.html*, status_code = 4*, bytes]", kApache));
  EXPECT_TRUE(matches_message(
      "[ip=%127\\.0\\.0\\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]",
      kApache));
  EXPECT_TRUE(matches_message(
      "[ip, id, user, timestamp, request, status_code=404, size]",
      "127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 404 2326"));
  EXPECT_FALSE(matches_message("[ip, id, user, timestamp, request, status_code=4*, size]",
                               "127.0.0.1 - - [24/Sep/2013:11:50:51 -0700] \"GET /~test/ HTTP/1.1\" 200 3"));
  EXPECT_TRUE(matches_message("[w1=ERROR, w2]", "ERROR 09/25/2014 12:00:02 Failed to process request"));
  EXPECT_FALSE(matches_message("[w1=ERROR, w2]", "WARNING 09/25/2014 12:00:02 Invalid user request"));
  EXPECT_TRUE(
      matches_message("[w1=ERROR || w1=WARNING, w2]", "WARNING 09/25/2014 12:00:02 Invalid user request"));
}

// A15: without '...', the last slot takes the rest of the line, and too few fields is no match.
TEST(Delimited, A15_TheLastSlotTakesTheRest) {
  EXPECT_TRUE(matches_message("[a, b = \"x y z\"]", "1 x y z"));
  EXPECT_TRUE(matches_message("[a, b = \"x  y\"]", "1 x  y  \t"));  // trailing separators are not part of it
  EXPECT_TRUE(matches_message("[a, b = x*z]", "1 x y z"));
  EXPECT_FALSE(matches_message("[a, b = x]", "1 x y z"));
  EXPECT_TRUE(matches_message("[rest = \"one two\"]", "  one two"));
  // When one field is left, the slot takes that field, without its delimiters.
  EXPECT_TRUE(matches_message("[a, b = \"x y\"]", "1 \"x y\""));
  EXPECT_TRUE(matches_message("[a, b = \"x y\"]", "1 [x y]"));
  // When more are left, it takes them as written.
  EXPECT_TRUE(matches_message("[a, b = \"[x] y\"]", "1 [x] y"));
}

TEST(Delimited, A15_TooFewFieldsDoNotMatch) {
  EXPECT_FALSE(
      matches_message("[ip, user, username, timestamp, request, status_code = 4*, bytes, extra]", kApache));
  EXPECT_FALSE(matches_message("[a, b]", "one"));
  EXPECT_FALSE(matches_message("[a]", ""));
  EXPECT_FALSE(matches_message("[a]", "  \t"));
  EXPECT_TRUE(matches_message("[a]", "x"));
}

TEST(Delimited, EllipsisAlignsThePrefixFromTheStartAndTheSuffixFromTheEnd) {
  EXPECT_TRUE(matches_message("[ip, user, ...]", kApache));
  EXPECT_TRUE(matches_message("[..., status_code = 404, bytes = 1534]", kApache));
  EXPECT_FALSE(matches_message("[..., status_code = 4*]", kApache));  // the last field is 1534
  EXPECT_TRUE(matches_message("[ip = 127.0.0.1, user, ..., status_code = 4*, bytes]", kApache));
  EXPECT_FALSE(matches_message("[ip = 10.*, user, ..., status_code = 4*, bytes]", kApache));
  EXPECT_TRUE(matches_message("[...]", "anything at all"));
  EXPECT_TRUE(matches_message("[...]", ""));
  // '...' may stand for no field at all, but the slots around it may not share one.
  EXPECT_TRUE(matches_message("[a = 1, ..., b = 2]", "1 2"));
  EXPECT_FALSE(matches_message("[a = 1, ..., b = 1]", "1"));
  EXPECT_TRUE(matches_message("[a, ..., b, c]", "1 2 3"));
  EXPECT_FALSE(matches_message("[a, ..., b, c]", "1 2"));
  // After '...', the last slot is one field, not the rest of the line.
  EXPECT_FALSE(matches_message("[..., b = \"x y\"]", "1 x y"));
  EXPECT_TRUE(matches_message("[..., b = \"x y\"]", "1 \"x y\""));
}

TEST(Delimited, TrailingEmptySlotIsIgnored) {
  EXPECT_TRUE(matches_message("[..., request=*.html*, status_code=4*,]", "1 2 \"GET /a.html HTTP/1.1\" 404"));
  EXPECT_TRUE(matches_message("[a, b, ]", "1 2 3"));
  EXPECT_FALSE(matches_message("[a, b, ]", "1"));
}

// ----- conditions

TEST(DelimitedConditions, FollowTheJsonRulesOnAStringField) {
  const std::string_view line = "GET 404 1534 - 1.5e3 abc";
  EXPECT_TRUE(matches_message("[m = GET, s = 404, b = 1534, d, e, f]", line));
  EXPECT_TRUE(matches_message("[m != POST, s = 4*, b > 1000, d, e, f]", line));
  EXPECT_TRUE(matches_message("[m, s >= 404.0, b <= +1534, d, e, f]", line));
  EXPECT_FALSE(matches_message("[m, s, b > 2000, d, e, f]", line));
  // A numeric test on a token that is no plain decimal is false, != included (A11).
  EXPECT_FALSE(matches_message("[m, s, b, d > 0, e, f]", line));
  EXPECT_FALSE(matches_message("[m, s, b, d != 5, e, f]", line));
  EXPECT_FALSE(matches_message("[m, s, b, d, e = 1500, f]", line));
  // A numeric literal needs a plain decimal token; "1.5e3" has an exponent, so only a text value matches it.
  EXPECT_FALSE(matches_message("[m, s, b, d, e = 1.5e3, f]", line));
  EXPECT_TRUE(matches_message("[m, s, b, d, e = \"1.5e3\", f]", line));
  EXPECT_TRUE(matches_message("[m, s = 4.04e2, b, d, e, f]", line));
  // Quoted values and globs.
  EXPECT_TRUE(matches_message("[m, s, b, d = \"-\", e, f = \"a*\"]", line));
  EXPECT_FALSE(matches_message("[m = \"get\", s, b, d, e, f]", line));
  EXPECT_TRUE(matches_message("[m = *, s, b, d, e, f]", line));
}

TEST(DelimitedConditions, AndBindsTighterThanOr) {
  EXPECT_TRUE(
      matches_message("[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, "
                      "bytes]",
                      kApache));
  EXPECT_FALSE(matches_message("[a = 1 || a = 2 && a = 3]", "2"));
  EXPECT_TRUE(matches_message("[a = 1 || a = 2 && a = 3]", "1"));
  EXPECT_TRUE(matches_message("[a = 2 && a = 2* || a = 9]", "2"));
  EXPECT_TRUE(matches_message("[a = x || a = y || a = z, ...]", "y 1"));  // folded into one lookup
  EXPECT_FALSE(matches_message("[a = x || a = y || a = z, ...]", "w 1"));
}

TEST(DelimitedConditions, RegexValues) {
  EXPECT_TRUE(matches_message("[ip = %^127\\.%, ...]", kApache));
  EXPECT_FALSE(matches_message("[ip != %^127\\.%, ...]", kApache));
  EXPECT_TRUE(matches_message("[..., s = %^4\\d\\d$%, b = %^\\d+$%]", "x 404 1534"));
  EXPECT_PATTERN_ERROR_AT("[a = %x%, b = %y%, c = %z%]", 23, "at most 2 regular expressions");
  EXPECT_TRUE(matches_message("[a = %^a{1,2}$%, ...]", "aa b"));  // the comma inside the regex
}

// A condition that names another field is rejected, as AWS rejects the 2018 doc's example (awsdocs #21).
TEST(DelimitedConditions, EveryConditionNamesTheSlotsField) {
  EXPECT_PATTERN_ERROR_AT("[..., status_code = 4* && bytes > 1000]", 26,
                          "every condition in a slot must name that slot's field 'status_code'");
  EXPECT_PATTERN_ERROR_AT("[a = 1 || b = 2]", 10, "must name that slot's field 'a'");
  EXPECT_PATTERN_ERROR_AT("[a = 1 && ]", 10, "expected the field name 'a' and a condition");
  EXPECT_PATTERN_ERROR_AT("[a = 1 && a]", 11, "expected a comparison operator after 'a'");
}

TEST(DelimitedConditions, MalformedConditions) {
  EXPECT_PATTERN_ERROR_AT("[a > x]", 5, "expected a number after '>'");
  EXPECT_PATTERN_ERROR_AT("[a = ]", 5, "expected a value after '='");
  EXPECT_PATTERN_ERROR_AT("[a =, b]", 4, "expected a value after '='");
  EXPECT_PATTERN_ERROR_AT("[a IS NULL]", 3,
                          "expected ',', ']' or a comparison operator after the field name");
  EXPECT_PATTERN_ERROR_AT("[a b]", 3, "expected ',', ']' or a comparison operator");
  EXPECT_PATTERN_ERROR_AT("[a = \"x]", 5, "unterminated quoted string");
  EXPECT_PATTERN_ERROR_AT("[a = (1)]", 5, "expected a value after '='");
  EXPECT_PATTERN_ERROR_AT("[a = 1 b]", 7, "expected ',' or ']' after the field");
}

// ----- the slot list

TEST(DelimitedSlots, NamesAndEllipsis) {
  EXPECT_NO_THROW(Pattern::parse("[x-y_z9 = 1, -, _, ...]"));
  EXPECT_PATTERN_ERROR_AT("[a, ..., b, ...]", 12, "only one '...'");
  EXPECT_PATTERN_ERROR_AT("[a, .., b]", 4, "expected a field name or '...'");
  EXPECT_PATTERN_ERROR_AT("[a, ...., b]", 7, "expected ',' or ']' after the field");
  EXPECT_PATTERN_ERROR_AT("[a, $b]", 4, "expected a field name or '...'");
  EXPECT_PATTERN_ERROR_AT("[a, b.c]", 5, "expected ',', ']' or a comparison operator");
}

TEST(DelimitedSlots, EmptySlots) {
  EXPECT_PATTERN_ERROR_AT("[]", 1, "expected a field name or '...'");
  EXPECT_PATTERN_ERROR_AT("[  ]", 3, "expected a field name or '...'");
  EXPECT_PATTERN_ERROR_AT("[,]", 1, "expected a field name or '...'");
  EXPECT_PATTERN_ERROR_AT("[a,,b]", 3, "expected a field name or '...'");
  EXPECT_PATTERN_ERROR_AT("[a,,]", 3, "expected a field name or '...'");
  EXPECT_PATTERN_ERROR_AT("[, a]", 1, "expected a field name or '...'");
}

TEST(DelimitedSlots, MustEndWithABracket) {
  EXPECT_PATTERN_ERROR_AT("[a, b", 5, "must end with ']'");
  EXPECT_PATTERN_ERROR_AT("[", 1, "must end with ']'");
  EXPECT_PATTERN_ERROR_AT("[a] b", 5, "must end with ']'");
  EXPECT_PATTERN_ERROR_AT("[a = x]y]", 6, "expected ',' or ']' after the field");
  EXPECT_TRUE(matches_message("  [a = \"x]\", ...]\n", "x] y"));
}

TEST(DelimitedSlots, ReadTheMessage) {
  Pattern pattern = Pattern::parse("[a, b]");
  EXPECT_TRUE(pattern.needs_message());
  FieldPlan plan;
  pattern.bind(plan);
  EXPECT_TRUE(plan.message_required());
  EXPECT_EQ(plan.size(), 0u);
  EXPECT_FALSE(pattern.matches(FieldValues()));
  const FieldValues fields;
  EXPECT_TRUE(pattern.matches(EventView{&fields, R"({"a": 1})"}));
}

// ----- extracted fields

TEST(DelimitedExtraction, NamedSlotsAndPositions) {
  Pattern pattern = Pattern::parse("[ip, user, username, timestamp, request, status_code = 4*, bytes]");
  ExtractedFields x;
  ASSERT_TRUE(pattern.matches(EventView{nullptr, kApache}, &x));
  EXPECT_EQ(x.get("ip"), "127.0.0.1");
  EXPECT_EQ(x.get("timestamp"), "10/Oct/2000:13:25:15 -0700");
  EXPECT_EQ(x.get("request"), "GET /index.html HTTP/1.0");
  EXPECT_EQ(x.get("status_code"), "404");
  EXPECT_EQ(x.get("bytes"), "1534");
  EXPECT_EQ(x.get("1"), "127.0.0.1");
  EXPECT_EQ(x.get("5"), "GET /index.html HTTP/1.0");
  EXPECT_EQ(x.get("7"), "1534");
  EXPECT_EQ(x.get("8"), std::nullopt);
  EXPECT_EQ(x.get("0"), std::nullopt);
  EXPECT_EQ(x.get("07"), std::nullopt);
  EXPECT_EQ(x.get("$7"), std::nullopt);
  EXPECT_EQ(x.get("host"), std::nullopt);
  EXPECT_EQ(x.get(""), std::nullopt);
  EXPECT_EQ(x.get("99999999999999999999"), std::nullopt);
}

TEST(DelimitedExtraction, EllipsisFieldsHavePositionsOnly) {
  Pattern pattern = Pattern::parse("[ip, ..., status_code, bytes]");
  ExtractedFields x;
  ASSERT_TRUE(pattern.matches(EventView{nullptr, kApache}, &x));
  EXPECT_EQ(x.get("ip"), "127.0.0.1");
  EXPECT_EQ(x.get("2"), "Prod");
  EXPECT_EQ(x.get("3"), "frank");
  EXPECT_EQ(x.get("4"), "10/Oct/2000:13:25:15 -0700");
  EXPECT_EQ(x.get("6"), "404");
  EXPECT_EQ(x.get("status_code"), "404");
  EXPECT_EQ(x.get("7"), "1534");
  EXPECT_EQ(x.get("bytes"), "1534");
  EXPECT_EQ(x.get("8"), std::nullopt);
}

TEST(DelimitedExtraction, TheLastSlotYieldsTheRest) {
  Pattern pattern = Pattern::parse("[w1=ERROR, w2]");
  ExtractedFields x;
  ASSERT_TRUE(
      pattern.matches(EventView{nullptr, "ERROR 09/25/2014 12:00:02 Failed to process request "}, &x));
  EXPECT_EQ(x.get("w1"), "ERROR");
  EXPECT_EQ(x.get("w2"), "09/25/2014 12:00:02 Failed to process request");
  EXPECT_EQ(x.get("1"), "ERROR");
  EXPECT_EQ(x.get("2"), "09/25/2014 12:00:02 Failed to process request");
  EXPECT_EQ(x.get("3"), std::nullopt);
}

TEST(DelimitedExtraction, ANonMatchLeavesNothingBehind) {
  Pattern pattern = Pattern::parse("[a, b = 2]");
  ExtractedFields x;
  ASSERT_TRUE(pattern.matches(EventView{nullptr, "1 2"}, &x));
  EXPECT_EQ(x.get("a"), "1");
  EXPECT_FALSE(pattern.matches(EventView{nullptr, "1 3"}, &x));
  EXPECT_EQ(x.get("a"), std::nullopt);
  EXPECT_EQ(x.get("1"), std::nullopt);
  // Other pattern kinds clear it too.
  ASSERT_TRUE(pattern.matches(EventView{nullptr, "1 2"}, &x));
  EXPECT_TRUE(Pattern::parse("").matches(EventView{nullptr, "1 2"}, &x));
  EXPECT_EQ(x.get("a"), std::nullopt);
}

TEST(DelimitedExtraction, ReusedAcrossEventsAndPatterns) {
  Pattern wide = Pattern::parse("[a_rather_long_slot_name, b, c, d, ...]");
  Pattern narrow = Pattern::parse("[x, y]");
  ExtractedFields x;
  ASSERT_TRUE(wide.matches(EventView{nullptr, "1 2 3 4 5 6"}, &x));
  EXPECT_EQ(x.get("a_rather_long_slot_name"), "1");
  EXPECT_EQ(x.get("6"), "6");
  ASSERT_TRUE(narrow.matches(EventView{nullptr, "7 8 9"}, &x));
  EXPECT_EQ(x.get("x"), "7");
  EXPECT_EQ(x.get("y"), "8 9");
  EXPECT_EQ(x.get("a_rather_long_slot_name"), std::nullopt);
  EXPECT_EQ(x.get("3"), std::nullopt);

  ExtractedFields moved(std::move(x));
  EXPECT_EQ(moved.get("x"), "7");
  ExtractedFields assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.get("y"), "8 9");
}

// A slot may be named with digits; its name wins over the position it spells.
TEST(DelimitedExtraction, ADigitNameWinsOverThePosition) {
  Pattern pattern = Pattern::parse("[2, x, ...]");
  ExtractedFields x;
  ASSERT_TRUE(pattern.matches(EventView{nullptr, "a b c"}, &x));
  EXPECT_EQ(x.get("2"), "a");
  EXPECT_EQ(x.get("1"), "a");
  EXPECT_EQ(x.get("3"), "c");
}

TEST(DelimitedExtraction, JsonPatternsExtractNothing) {
  Pattern pattern = Pattern::parse("{ $.a = 1 }");
  FieldPlan plan;
  pattern.bind(plan);
  FieldValues fields(plan.size());
  fields.add(0, JsonValue{JsonKind::Number, "1"});
  ExtractedFields x;
  EXPECT_TRUE(pattern.matches(EventView{&fields, "1 2"}, &x));
  EXPECT_EQ(x.get("1"), std::nullopt);
}

}  // namespace
}  // namespace trailwatch
