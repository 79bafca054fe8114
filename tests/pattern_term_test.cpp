// Term patterns (docs/filter-patterns.md §4): substring search for words and quoted phrases, with `-`
// exclusions and `?` alternatives, and the §10 choices A3, A5, A6, A8, A9 and A14.
#include <gtest/gtest.h>

#include <string>

#include "pattern_test_support.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"

namespace trailwatch {
namespace {

using test::matches_message;

TEST(Terms, ATermIsASubstringNotAWord) {
  EXPECT_TRUE(matches_message("ERROR", "[ERROR 400] BAD REQUEST"));
  EXPECT_TRUE(matches_message("ERROR", "Exiting with ERRORCODE: -1"));
  EXPECT_TRUE(matches_message("ERROR", "ERRORNEOUS PROGRAM"));
  EXPECT_TRUE(matches_message("ERROR", "ERROR"));
  EXPECT_FALSE(matches_message("ERROR", "ERRO"));
  EXPECT_FALSE(matches_message("ERROR", ""));
}

TEST(Terms, CaseSensitive) {
  EXPECT_FALSE(matches_message("ERROR", "error: disk full"));
  EXPECT_FALSE(matches_message("error", "ERROR: disk full"));
  EXPECT_TRUE(matches_message("Error", "an Error occurred"));
}

TEST(Terms, PlainTermsAreAndedInAnyOrder) {
  EXPECT_TRUE(matches_message("ERROR ARGUMENTS", "[ERROR 420] INVALID ARGUMENTS"));
  EXPECT_TRUE(matches_message("ARGUMENTS ERROR", "[ERROR 420] INVALID ARGUMENTS"));
  EXPECT_FALSE(matches_message("ERROR WARN", "ERROR message"));
  // Two terms may be found in overlapping places.
  EXPECT_TRUE(matches_message("abc bcd", "abcd"));
  // Any whitespace separates terms, a folded pattern included.
  EXPECT_TRUE(matches_message("ERROR\t\n  ARGUMENTS", "ERROR ARGUMENTS"));
}

TEST(Terms, ExcludedTermsMustNotOccur) {
  EXPECT_TRUE(matches_message("ERROR -WARN", "ERROR message"));
  EXPECT_FALSE(matches_message("ERROR -ARGUMENTS", "[ERROR 419] MISSING ARGUMENTS"));
  EXPECT_TRUE(matches_message("-WARN", "INFO all good"));
  EXPECT_FALSE(matches_message("-WARN", "WARNING"));
  EXPECT_TRUE(matches_message("-WARN", ""));
  // A quoted term can be excluded too (2018 doc: "ERROR" -"Exiting").
  EXPECT_TRUE(matches_message("\"ERROR\" -\"Exiting\"", "ERROR in worker"));
  EXPECT_FALSE(matches_message("\"ERROR\" -\"Exiting\"", "ERROR Exiting now"));
}

TEST(Terms, OnlyOptionalTermsNeedAtLeastOne) {
  EXPECT_TRUE(matches_message("?ERROR ?ARGUMENTS", "[ERROR 400] BAD REQUEST"));
  EXPECT_TRUE(matches_message("?ERROR ?ARGUMENTS", "[INFO] INVALID ARGUMENTS PROVIDED"));
  EXPECT_FALSE(matches_message("?ERROR ?ARGUMENTS", "[INFO 200] OK"));
  EXPECT_TRUE(matches_message("?ERROR", "ERROR"));
  EXPECT_FALSE(matches_message("?ERROR", "INFO"));
  EXPECT_TRUE(matches_message("?\"clean up\" ?xyz", "xyz will do clean up"));
  EXPECT_FALSE(matches_message("?\"clean up\" ?xyz", "map is cleaned up"));
}

// A3: the current doc says `?` terms are ignored when mixed with plain or `-` terms; the AWS CDK's reading,
// (foo AND bar) OR baz, is not followed.
TEST(Terms, A3_OptionalTermsAreIgnoredWhenMixed) {
  EXPECT_TRUE(matches_message("?ERROR ?ARGUMENTS REQUEST", "[INFO] REQUEST FAILED"));
  EXPECT_FALSE(matches_message("?ERROR ?ARGUMENTS REQUEST", "[ERROR 419] MISSING ARGUMENTS"));
  EXPECT_FALSE(matches_message("?\"foo\" \"bar\" ?\"baz\"", "baz"));
  EXPECT_TRUE(matches_message("?\"foo\" \"bar\" ?\"baz\"", "bar"));
  // With an exclusion, the `?` terms are ignored as well: only the exclusion is left.
  EXPECT_TRUE(matches_message("?ERROR -WARN", "INFO"));
  EXPECT_FALSE(matches_message("?ERROR -WARN", "ERROR WARN"));
}

TEST(Terms, QuotedPhrasesAreContiguous) {
  EXPECT_TRUE(matches_message("\"INTERNAL SERVER ERROR\"", "[ERROR 500] INTERNAL SERVER ERROR"));
  EXPECT_FALSE(matches_message("\"INTERNAL SERVER ERROR\"", "INTERNAL ERROR SERVER"));
  EXPECT_FALSE(matches_message("\"ERROR][grpc\"", "[ERROR] [grpc]"));
  EXPECT_TRUE(matches_message("\"ERROR] [grpc\"", "[ERROR] [grpc]"));
  // Two quoted terms are two terms.
  EXPECT_TRUE(matches_message("\"ERROR\" \"Exception\"", "Exception then ERROR"));
  // Punctuation is fine inside quotes.
  EXPECT_TRUE(matches_message("\"email@x.com\" \"request-id-123\"", "to email@x.com, request-id-123-abc"));
  // '%' inside quotes is a literal, not a regex.
  EXPECT_TRUE(matches_message("\"100%\"", "disk 100% full"));
  EXPECT_TRUE(matches_message("\"%d%\"", "printf(%d%)"));
}

// A6: `\"` and `\\` (and `\x` for any x) inside quotes, as the AWS CDK renders them.
TEST(Terms, A6_EscapesInsideQuotes) {
  EXPECT_TRUE(matches_message(R"("say \"hi\"")", R"(they say "hi" twice)"));
  EXPECT_TRUE(matches_message(R"("C:\\temp")", R"(path C:\temp)"));
  EXPECT_TRUE(matches_message(R"("\a")", "a"));
}

TEST(Terms, WhitespaceOnlyQuotedTermMatchesEverything) {
  EXPECT_TRUE(matches_message("\" \"", "[ERROR 400] BAD REQUEST"));
  EXPECT_TRUE(matches_message("\" \"", "SingleTokenWithNoSpace"));
  EXPECT_TRUE(matches_message("\" \"", ""));
  EXPECT_TRUE(matches_message("\"   \"", "x"));
  EXPECT_TRUE(matches_message("\"\t\"", "x"));
  // An empty quoted term occurs everywhere too.
  EXPECT_TRUE(matches_message("\"\"", "x"));
  // It is a term that always occurs: with others it changes nothing, excluded it rules everything out, and
  // it satisfies a pattern of optional terms.
  EXPECT_TRUE(matches_message("\" \" ERROR", "ERROR"));
  EXPECT_FALSE(matches_message("\" \" ERROR", "INFO"));
  EXPECT_FALSE(matches_message("-\" \"", "a b"));
  EXPECT_FALSE(matches_message("-\" \"", "ab"));
  EXPECT_TRUE(matches_message("?\" \" ?ERROR", "INFO"));
}

// A5: unquoted terms may hold only A-Z a-z 0-9 _; the error names the term and points at the character.
TEST(Terms, A5_PunctuationInAnUnquotedTermIsRejected) {
  EXPECT_PATTERN_ERROR_AT("email@x.com", 5, "Invalid character(s) in term 'email@x.com'");
  EXPECT_PATTERN_ERROR_AT("ERROR request-id-123", 13, "Invalid character(s) in term 'request-id-123'");
  EXPECT_PATTERN_ERROR_AT("ERROR:", 5, "Invalid character(s) in term");
  EXPECT_PATTERN_ERROR_AT("-a.b", 2, "Invalid character(s) in term 'a.b'");
  EXPECT_PATTERN_ERROR_AT("?x/y", 2, "Invalid character(s) in term");
  EXPECT_PATTERN_ERROR_AT("ERROR?", 5, "Invalid character(s) in term");
  EXPECT_PATTERN_ERROR_AT("--WARN", 1, "Invalid character(s) in term");
  EXPECT_PATTERN_ERROR_AT("caf\xC3\xA9", 3, "Invalid character(s) in term");
  EXPECT_PATTERN_ERROR_AT("x 4*", 3, "Invalid character(s) in term '4*'");
  EXPECT_NO_THROW(Pattern::parse("Snake_case_42 ALLCAPS lower 0"));
}

// A8: `*` has no meaning in terms. A lone `*` is invalid; quoted, `*` is a literal character.
TEST(Terms, A8_StarIsLiteralAndALoneStarIsInvalid) {
  EXPECT_PATTERN_ERROR_AT("*", 0, "a lone '*' is not a term");
  EXPECT_PATTERN_ERROR_AT("ERROR *", 6, "a lone '*' is not a term");
  EXPECT_PATTERN_ERROR_AT("-*", 1, "a lone '*' is not a term");
  EXPECT_PATTERN_ERROR_AT("?* ?x", 1, "a lone '*' is not a term");
  EXPECT_TRUE(matches_message("\"4*\"", "status 4*"));
  EXPECT_FALSE(matches_message("\"4*\"", "status 404"));
  EXPECT_TRUE(matches_message("\"*\"", "a * b"));
  EXPECT_FALSE(matches_message("\"*\"", "a b"));
}

// A9: a term pattern is either one %regex% or terms only.
TEST(Terms, A9_RegexMixedWithTermsIsRejected) {
  EXPECT_PATTERN_ERROR_AT("ERROR %\\d+%", 6, "a regular expression cannot be combined with terms");
  EXPECT_PATTERN_ERROR_AT("%\\d+% ERROR", 0, "a regular expression cannot be combined with terms");
  EXPECT_PATTERN_ERROR_AT("%a% %b%", 2, "a regular expression cannot be combined with terms");
  EXPECT_PATTERN_ERROR_AT("%a% ERROR %b%", 2, "a regular expression cannot be combined with terms");
  EXPECT_PATTERN_ERROR_AT("-%x% y", 1, "a regular expression cannot be combined with terms");
  // Without a closing '%' it is not a regex, just a bad term.
  EXPECT_PATTERN_ERROR_AT("%abc", 0, "Invalid character(s) in term '%abc'");
  EXPECT_PATTERN_ERROR_AT("ERROR 50%", 8, "Invalid character(s) in term '50%'");
}

// A14: a pattern that starts with '[' or '{' is always structural; quote such a term.
TEST(Terms, A14_ABracketStartsASpaceDelimitedPattern) {
  EXPECT_PATTERN_ERROR_AT("[ERROR] disk", 12, "must end with ']'");
  // `[ERROR]` is one slot named ERROR: any event with a field matches it, whether it holds ERROR or not.
  EXPECT_TRUE(Pattern::parse("[ERROR]").needs_message());
  EXPECT_TRUE(matches_message("[ERROR]", "INFO all good"));
  EXPECT_FALSE(matches_message("[ERROR]", " "));
  EXPECT_TRUE(matches_message("\"[ERROR]\"", "x [ERROR] y"));
  EXPECT_TRUE(matches_message("\"{\" \"}\"", "{ }"));
}

TEST(Terms, MalformedTerms) {
  EXPECT_PATTERN_ERROR_AT("- ERROR", 1, "expected a term right after '-'");
  EXPECT_PATTERN_ERROR_AT("ERROR ?", 7, "expected a term right after '?'");
  EXPECT_PATTERN_ERROR_AT("\"abc", 0, "unterminated quoted string");
  EXPECT_PATTERN_ERROR_AT("x \"abc\\\"", 2, "unterminated quoted string");
  EXPECT_PATTERN_ERROR_AT("\"a\"b", 3, "expected whitespace between terms");
  EXPECT_PATTERN_ERROR_AT("\"a\"\"b\"", 3, "expected whitespace between terms");
}

TEST(Terms, ReadTheMessageNotTheFields) {
  Pattern pattern = Pattern::parse("  DisableKey -\"errorCode\"  ");
  EXPECT_TRUE(pattern.needs_message());
  FieldPlan plan;
  pattern.bind(plan);
  EXPECT_EQ(plan.size(), 0u);
  EXPECT_TRUE(plan.message_required());

  // matches(FieldValues) cannot decide a message pattern: it never matches.
  EXPECT_FALSE(pattern.matches(FieldValues()));
  const std::string record = R"({"eventSource":"kms.amazonaws.com","eventName":"DisableKey"})";
  FieldValues fields;
  EXPECT_TRUE(pattern.matches(EventView{&fields, record}));
  EXPECT_TRUE(pattern.matches(EventView{nullptr, record}));
  EXPECT_FALSE(pattern.matches(EventView{&fields, R"({"eventName":"DisableKey","errorCode":"x"})"}));
  EXPECT_FALSE(pattern.matches(EventView{&fields, {}}));
  EXPECT_EQ(pattern.text(), "  DisableKey -\"errorCode\"  ");
}

TEST(Terms, BytesAreComparedExactly) {
  EXPECT_TRUE(matches_message("\"caf\xC3\xA9\"", "un caf\xC3\xA9 noir"));
  EXPECT_FALSE(matches_message("\"caf\xC3\xA9\"", "un cafe\xCC\x81 noir"));  // no normalisation (A19)
  const std::string with_nul("a\0b", 3);
  EXPECT_TRUE(matches_message("b", with_nul));
}

TEST(Terms, ManyTermsOnALongMessage) {
  std::string message;
  for (int i = 0; i < 200; ++i) message += "field" + std::to_string(i) + "=value ";
  std::string all;
  for (int i = 0; i < 200; i += 7) all += "field" + std::to_string(i) + " ";
  EXPECT_TRUE(matches_message(all, message));
  EXPECT_FALSE(matches_message(all + "field200", message));
  EXPECT_FALSE(matches_message(all + "-field199", message));
  EXPECT_TRUE(matches_message("?nothing ?field199", message));
}

TEST(Terms, ExtractNothing) {
  ExtractedFields extracted;
  EXPECT_TRUE(Pattern::parse("ERROR").matches(EventView{nullptr, "ERROR 1 2"}, &extracted));
  EXPECT_FALSE(extracted.get("1").has_value());
}

}  // namespace
}  // namespace trailwatch
