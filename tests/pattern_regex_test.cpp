// `%...%` regular expressions (docs/filter-patterns.md §3.4): the dialect check, its translation to RE2 (one
// test per translation decision), standalone regex patterns, and regex values in JSON patterns.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "pattern/regex.hpp"
#include "pattern/regex_dialect.hpp"
#include "pattern_test_support.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"

namespace trailwatch {
namespace {

using test::matches_message;

// Built by appending: `"%" + std::string` trips a false -Wrestrict in GCC 12 at -O3.
std::string percent(std::string_view body) {
  std::string pattern = "%";
  pattern.append(body);
  pattern += '%';
  return pattern;
}

// The RE2 text a `%body%` regex is compiled from.
std::string translated(std::string_view body) {
  const std::string pattern = percent(body);
  return pattern_detail::translate_regex(pattern, 0, pattern.size() - 1);
}

bool search(std::string_view body, std::string_view subject) {
  return matches_message(percent(body), subject);
}

// ----- translation decisions -------------------------------------------------------------------------------

TEST(RegexDialect, DotAlsoMatchesNewline) {
  EXPECT_EQ(translated("a.b"), "a.b");  // an RE2 option (dot_nl), not a rewrite
  EXPECT_TRUE(search("a.b", "a\nb"));
  EXPECT_TRUE(search("a.b", "a\rb"));
  EXPECT_TRUE(search("^.*$", "line one\nline two"));
}

TEST(RegexDialect, BackslashSIsTabSpaceAndNewlineOnly) {
  EXPECT_EQ(translated("a\\sb"), "a[\\t\\n ]b");
  EXPECT_TRUE(search("a\\sb", "a b"));
  EXPECT_TRUE(search("a\\sb", "a\tb"));
  EXPECT_TRUE(search("a\\sb", "a\nb"));
  EXPECT_FALSE(search("a\\sb", "a\rb"));  // RE2's own \s would match these three
  EXPECT_FALSE(search("a\\sb", "a\fb"));
  EXPECT_FALSE(search("a\\sb", "a\vb"));
}

TEST(RegexDialect, BackslashCapitalSIsTheComplementOfTabSpaceNewline) {
  EXPECT_EQ(translated("a\\Sb"), "a[^\\t\\n ]b");
  EXPECT_TRUE(search("a\\Sb", "axb"));
  EXPECT_TRUE(search("a\\Sb", "a\rb"));
  EXPECT_TRUE(search("a\\Sb", "a\fb"));
  EXPECT_FALSE(search("a\\Sb", "a b"));
  EXPECT_FALSE(search("a\\Sb", "a\nb"));
}

TEST(RegexDialect, BackslashSInsideAClassBecomesItsMembers) {
  EXPECT_EQ(translated("[\\s,]"), "[\\t\\n ,]");
  EXPECT_EQ(translated("[^\\s]"), "[^\\t\\n ]");
  EXPECT_EQ(translated("[\\S]"), "[\\x00-\\x08\\x0b-\\x1f\\x21-\\xff]");
  EXPECT_TRUE(search("a[\\sx]b", "a\tb"));
  EXPECT_TRUE(search("a[\\sx]b", "axb"));
  EXPECT_FALSE(search("a[\\sx]b", "a\rb"));
  EXPECT_TRUE(search("a[^\\s]b", "a\rb"));
  EXPECT_FALSE(search("a[^\\s]b", "a b"));
  EXPECT_TRUE(search("a[\\S]b", "a\rb"));
  EXPECT_TRUE(search("a[\\S]b",
                     "a\xFF"
                     "b"));
  EXPECT_FALSE(search("a[\\S]b", "a\nb"));
  EXPECT_FALSE(search("a[^\\S]b", "axb"));
  EXPECT_TRUE(search("a[^\\S]b", "a b"));
}

TEST(RegexDialect, EmptyLowerBoundMeansZero) {
  EXPECT_EQ(translated("a{,3}"), "a{0,3}");  // RE2 2022-06 would read `a{,3}` as literal text
  EXPECT_TRUE(search("^a{,2}$", ""));
  EXPECT_TRUE(search("^a{,2}$", "aa"));
  EXPECT_FALSE(search("^a{,2}$", "aaa"));
  EXPECT_FALSE(search("^x{,2}$", "x{,2}"));
}

TEST(RegexDialect, OtherBracesAreRE2Repetitions) {
  EXPECT_EQ(translated("a{2}b{2,}c{1,3}"), "a{2}b{2,}c{1,3}");
  EXPECT_TRUE(search("^a{3,5}$", "aaaa"));
  EXPECT_FALSE(search("^a{3,5}$", "aa"));
  EXPECT_TRUE(search("^a{2,}$", "aaaaaaa"));
  // `{,}` and a brace inside a class are not repetitions and stay as written.
  EXPECT_EQ(translated("a{,}"), "a{,}");
  EXPECT_EQ(translated("[{,2}]"), "[{,2}]");
  EXPECT_TRUE(search("^[{,2}]$", ","));
}

TEST(RegexDialect, AlternationSplitsTheWholeExpression) {
  EXPECT_TRUE(search("gra|ey", "grey"));
  EXPECT_TRUE(search("gra|ey", "gray"));
  EXPECT_TRUE(search("gra|ey", "hey"));
  EXPECT_FALSE(search("gra|ey", "gry"));
  EXPECT_FALSE(search("^starting|^initializing|^shutting down", "skipping initializing cache"));
  EXPECT_TRUE(search("^starting|^initializing|^shutting down", "shutting down worker 3"));
}

TEST(RegexDialect, UnanchoredSearchAndAnchorsAtTheSubjectEnds) {
  EXPECT_TRUE(search("AUTHORIZED", "[ERROR 401] UNAUTHORIZED REQUEST"));
  EXPECT_FALSE(search("^abc", "xabc"));
  EXPECT_FALSE(search("abc$", "abcx"));
  // `$` is the end of the subject, not the end of a line or the place before a final newline.
  EXPECT_FALSE(search("abc$", "abc\n"));
  EXPECT_FALSE(search("^def", "abc\ndef"));
}

TEST(RegexDialect, CaseSensitive) {
  EXPECT_FALSE(search("error", "ERROR"));
  EXPECT_TRUE(search("[Ee]rror|[Ff]ail", "Failed"));
}

// Latin-1 mode: the subject is bytes. Multi-byte characters are rejected in the regex, so only `.` and
// negated classes see the difference: they match one byte of a multi-byte character.
TEST(RegexDialect, SubjectIsMatchedAsBytes) {
  EXPECT_FALSE(search("^caf.$", "caf\xC3\xA9"));
  EXPECT_TRUE(search("^caf..$", "caf\xC3\xA9"));
  EXPECT_TRUE(search("caf", "caf\xFF\xFE"));  // invalid UTF-8 is searched like anything else
}

TEST(RegexDialect, NegatedClassesMatchNewline) {
  EXPECT_TRUE(search("a[^x]b", "a\nb"));
  EXPECT_TRUE(search("a\\Db", "a\nb"));
  EXPECT_TRUE(search("a\\Wb", "a\nb"));
}

TEST(RegexDialect, PerlClassesKeepTheirAsciiMeaning) {
  EXPECT_EQ(translated("\\d\\D\\w\\W"), "\\d\\D\\w\\W");
  EXPECT_TRUE(search("^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$", "10.0.12.255"));
  EXPECT_TRUE(search("^\\w+$", "Snake_case9"));
  EXPECT_FALSE(search("^\\w+$", "kebab-case"));
  EXPECT_FALSE(search("\\d", "caf\xC3\xA9"));
}

TEST(RegexDialect, HexEscapesStandForParentheses) {
  EXPECT_EQ(translated("\\x28x\\x29"), "\\x28x\\x29");
  EXPECT_TRUE(search("f\\x28x\\x29", "call f(x) now"));
  EXPECT_FALSE(search("f\\x28x\\x29", "call fx now"));
  EXPECT_TRUE(search("\\x41", "A"));
}

TEST(RegexDialect, EscapedOperatorsAreLiterals) {
  EXPECT_FALSE(search("10\\.10\\.0\\.1", "10010,051"));
  EXPECT_TRUE(search("10\\.10\\.0\\.1", "from 10.10.0.1"));
  EXPECT_TRUE(search("\\[.\\]", "value [7] here"));
  EXPECT_TRUE(search("a\\*\\+\\?", "a*+?"));
  EXPECT_TRUE(search("\\$\\^\\|\\{\\}", "$^|{}"));
  EXPECT_TRUE(search("\\\\", "a\\b"));
  EXPECT_TRUE(search("a\\-b\\:c\\ d", "a-b:c d"));
}

TEST(RegexDialect, ClassesWithBracketsAndPosixNames) {
  EXPECT_TRUE(search("[]a]", "]"));
  EXPECT_TRUE(search("^[^]a]$", "b"));
  EXPECT_FALSE(search("^[^]a]$", "]"));
  EXPECT_TRUE(search("ab[^c]$", "abd"));
  EXPECT_FALSE(search("ab[^c]$", "abc"));
  // A POSIX class's ']' does not end the bracket, so the `{,2}` after it is still a repetition.
  EXPECT_EQ(translated("x[[:digit:]]{,2}y"), "x[[:digit:]]{0,2}y");
  EXPECT_TRUE(search("^x[[:digit:]]{,2}y$", "x12y"));
  EXPECT_FALSE(search("^x[[:digit:]]{,2}y$", "x123y"));
}

// ----- rejected regexes ------------------------------------------------------------------------------------

TEST(RegexErrors, GroupsAreNotSupported) {
  EXPECT_PATTERN_ERROR_AT("%a(b%", 2, "groups are not supported; write \\x28 or \\x29");
  EXPECT_PATTERN_ERROR_AT("%ab)%", 3, "invalid character ')'");
  EXPECT_PATTERN_ERROR_AT("%[(]%", 2, "invalid character '('");
  EXPECT_PATTERN_ERROR_AT("%\\(%", 2, "invalid character '('");
}

TEST(RegexErrors, CharactersOutsideTheDialect) {
  EXPECT_PATTERN_ERROR_AT("%something!%", 10, "invalid character '!' in a regular expression");
  EXPECT_PATTERN_ERROR_AT("%a\"b%", 2, "invalid character '\"'");
  EXPECT_PATTERN_ERROR_AT("%a\tb%", 2, "invalid character");
  EXPECT_PATTERN_ERROR_AT("%a&b%", 2, "invalid character '&'");
  EXPECT_PATTERN_ERROR_AT("%caf\xC3\xA9%", 4, "multi-byte characters are not supported");
}

TEST(RegexErrors, OnlyDocumentedEscapes) {
  EXPECT_PATTERN_ERROR_AT("%a\\bc%", 2, "unsupported escape '\\b'");
  EXPECT_PATTERN_ERROR_AT("%\\1%", 1, "unsupported escape '\\1'");
  EXPECT_PATTERN_ERROR_AT("%\\Qa%", 1, "unsupported escape '\\Q'");
  EXPECT_PATTERN_ERROR_AT("%\\t%", 1, "unsupported escape '\\t'");
  EXPECT_PATTERN_ERROR_AT("%\\pN%", 1, "unsupported escape '\\p'");
  EXPECT_PATTERN_ERROR_AT("%\\_%", 1, "unsupported escape '\\_'");
  EXPECT_PATTERN_ERROR_AT("%\\x2%", 3, "expected two hexadecimal digits after '\\x'");
  EXPECT_PATTERN_ERROR_AT("%\\xg0%", 3, "expected two hexadecimal digits");
  EXPECT_PATTERN_ERROR_AT("%a\\%", 2, "may not end with a single '\\'");
}

TEST(RegexErrors, WhatRE2RejectsPointsAtThePercent) {
  EXPECT_PATTERN_ERROR_AT("%[a%", 0, "invalid regular expression (missing ]");
  EXPECT_PATTERN_ERROR_AT("%a{2,1}%", 0, "invalid regular expression");
  EXPECT_PATTERN_ERROR_AT("%a**%", 0, "invalid regular expression");
  EXPECT_PATTERN_ERROR_AT("%*a%", 0, "invalid regular expression");
  EXPECT_PATTERN_ERROR_AT("%a{1001}%", 0, "invalid regular expression");
  EXPECT_PATTERN_ERROR_AT("  %[z-a]%", 2, "invalid regular expression");
}

TEST(RegexErrors, EmptyAndUnterminated) {
  EXPECT_PATTERN_ERROR_AT("%%", 1, "expected a regular expression between '%' and '%'");
  EXPECT_PATTERN_ERROR_AT("{ $.a = %% }", 9, "expected a regular expression");
  EXPECT_PATTERN_ERROR_AT("{ $.a = %abc }", 8, "unterminated regular expression");
}

// ----- standalone regex patterns ---------------------------------------------------------------------------

TEST(RegexPattern, SearchesTheWholeMessage) {
  Pattern pattern = Pattern::parse("  %AUTHORIZED%\n");
  EXPECT_TRUE(pattern.needs_message());
  FieldPlan plan;
  pattern.bind(plan);
  EXPECT_TRUE(plan.message_required());
  EXPECT_EQ(plan.size(), 0u);
  EXPECT_TRUE(pattern.matches(EventView{nullptr, "[ERROR 401] UNAUTHORIZED REQUEST"}));
  EXPECT_TRUE(pattern.matches(EventView{nullptr, "[SUCCESS 200] AUTHORIZED REQUEST"}));
  EXPECT_FALSE(pattern.matches(EventView{nullptr, "[INFO 200] OK"}));
  EXPECT_FALSE(pattern.matches(EventView{nullptr, {}}));
  EXPECT_FALSE(pattern.matches(FieldValues()));
  const FieldValues fields;
  EXPECT_TRUE(pattern.matches(EventView{&fields, R"({"errorCode":"UNAUTHORIZED"})"}));
}

TEST(RegexPattern, DocumentedExamples) {
  EXPECT_TRUE(search("colou?r", "the colour red"));
  EXPECT_TRUE(search("colou?r", "the color red"));
  EXPECT_FALSE(search("ab+c", "xx ac yy"));
  EXPECT_TRUE(search("ab+c", "xx abbc yy"));
  EXPECT_TRUE(search("^[hc]at", "hat trick"));
  EXPECT_FALSE(search("^[hc]at", "that"));
  EXPECT_TRUE(search("[abcx-z]", "y"));
  EXPECT_TRUE(search("a{3,5}", "baaab"));
}

TEST(RegexPattern, ALongMessageStaysFast) {
  // Linear-time matching: a backtracking engine would take forever on this one.
  const std::string message(100000, 'a');
  EXPECT_FALSE(search("a*a*a*a*a*a*a*a*a*a*b", message));
  EXPECT_TRUE(search("a{1000}$", message));
}

// ----- regex values in JSON patterns

JsonValue S(std::string_view text) {
  return {JsonKind::String, text};
}

bool eval_json(std::string_view pattern_text, std::initializer_list<JsonValue> values) {
  Pattern pattern = Pattern::parse(pattern_text);
  FieldPlan plan;
  pattern.bind(plan);
  EXPECT_EQ(plan.size(), 1u);
  EXPECT_FALSE(plan.message_required());
  FieldValues fields(plan.size());
  for (const JsonValue& v : values) fields.add(0, v);
  const bool by_fields = pattern.matches(fields);
  EXPECT_EQ(by_fields, pattern.matches(EventView{&fields, "unused"}));
  return by_fields;
}

TEST(JsonRegex, EqualSearchesTheValueText) {
  EXPECT_TRUE(eval_json("{ $.eventName = %Disable.*% }", {S("DisableKey")}));
  EXPECT_TRUE(eval_json("{ $.eventName = %Key% }", {S("DisableKey")}));  // unanchored
  EXPECT_FALSE(eval_json("{ $.eventName = %^Key% }", {S("DisableKey")}));
  EXPECT_FALSE(eval_json("{ $.eventName = %Disable.*% }", {S("EnableKey")}));
  EXPECT_FALSE(eval_json("{ $.eventName = %.% }", {}));
  EXPECT_FALSE(eval_json("{ $.eventName=%x|^$% }", {{JsonKind::Null, {}}}));
  EXPECT_FALSE(eval_json("{ $.eventName=%x|^$% }", {{JsonKind::Array, {}}}));
  EXPECT_TRUE(eval_json("{ $.eventName=%x|^$% }", {S("")}));
}

TEST(JsonRegex, NotEqualNeedsAValueNodeWithoutAMatch) {
  EXPECT_TRUE(eval_json("{ $.a != %x% }", {S("abc")}));
  EXPECT_FALSE(eval_json("{ $.a != %x% }", {S("xyz")}));
  EXPECT_FALSE(eval_json("{ $.a != %x% }", {}));
  EXPECT_FALSE(eval_json("{ $.a != %x% }", {{JsonKind::Null, {}}}));
  EXPECT_FALSE(eval_json("{ $.a != %x% }", {{JsonKind::Object, {}}}));
}

TEST(JsonRegex, NumbersAndBooleansAreSearchedAsText) {
  EXPECT_TRUE(eval_json("{ $.status = %^5\\d\\d$% }", {{JsonKind::Number, "503"}}));
  EXPECT_FALSE(eval_json("{ $.status = %^5\\d\\d$% }", {{JsonKind::Number, "403"}}));
  EXPECT_TRUE(eval_json("{ $.n = %e3% }", {{JsonKind::Number, "1e3"}}));
  EXPECT_TRUE(eval_json("{ $.flag = %^tr% }", {{JsonKind::True, "true"}}));
}

TEST(JsonRegex, WildcardSelectorsAreExistential) {
  EXPECT_TRUE(eval_json("{ $.a[*] = %^b% }", {S("abc"), S("bcd")}));
  EXPECT_FALSE(eval_json("{ $.a[*] = %^b% }", {S("abc"), S("cbd")}));
  EXPECT_TRUE(eval_json("{ $.a[*] != %^b% }", {S("bcd"), S("abc")}));
}

TEST(JsonRegex, CombinesWithOtherConditions) {
  const std::string_view p = "{ ($.a = x || $.a = %^y.$% || $.a = z) && $.a != %q% }";
  EXPECT_TRUE(eval_json(p, {S("x")}));
  EXPECT_TRUE(eval_json(p, {S("yy")}));
  EXPECT_TRUE(eval_json(p, {S("z")}));
  EXPECT_FALSE(eval_json(p, {S("yq")}));
  EXPECT_FALSE(eval_json(p, {S("yyy")}));
  // Braces, brackets and commas inside the regex do not end the condition.
  EXPECT_TRUE(eval_json("{ $.a = %^a{2}[,}]$% }", {S("aa}")}));
}

TEST(JsonRegex, RelationalOperatorsTakeNoRegex) {
  EXPECT_PATTERN_ERROR_AT("{ $.a < %1% }", 8, "expected a number after '<'");
  EXPECT_PATTERN_ERROR_AT("{ $.a >= %1% }", 9, "expected a number after '>='");
}

TEST(JsonRegex, AtMostTwoRegexesPerPattern) {
  EXPECT_NO_THROW(Pattern::parse("{ $.a = %x% && $.b != %y% }"));
  EXPECT_PATTERN_ERROR_AT("{ $.a = %x% && $.b != %y% || $.c = %z% }", 35,
                          "a pattern may contain at most 2 regular expressions");
  // A quoted '%' is no regex and does not count.
  EXPECT_NO_THROW(Pattern::parse("{ $.a = %x% && $.b = %y% && $.c = \"%z%\" }"));
}

TEST(JsonRegex, ErrorsInsideTheRegexPointIntoThePattern) {
  EXPECT_PATTERN_ERROR_AT("{ $.a = %f(x)% }", 10, "groups are not supported");
  EXPECT_PATTERN_ERROR_AT("{ $.a = %[x% }", 8, "invalid regular expression");
  EXPECT_PATTERN_ERROR_AT("{ $.a = %x%y }", 11, "expected '&&', '||' or '}'");
}

TEST(JsonRegex, QuotedPercentIsLiteral) {
  EXPECT_TRUE(eval_json("{ $.a = \"%x%\" }", {S("%x%")}));
  EXPECT_FALSE(eval_json("{ $.a = \"%x%\" }", {S("x")}));
  // A bare value that does not start with '%' is a literal as well.
  EXPECT_TRUE(eval_json("{ $.a = 50% }", {S("50%")}));
}

TEST(RegexClass, IsSharedAndThreadSafeToSearch) {
  const std::string text = "%ab+c%";
  const auto regex = pattern_detail::Regex::compile(text, 0, text.size() - 1);
  EXPECT_EQ(regex->translated(), "ab+c");
  EXPECT_TRUE(regex->search("xabbbc"));
  EXPECT_FALSE(regex->search(""));
  EXPECT_FALSE(regex->search({}));
}

}  // namespace
}  // namespace trailwatch
