// Tests of the pattern layer: JSON filter patterns parsed, bound to a FieldPlan and evaluated over hand-built
// FieldValues. Semantics follow docs/filter-patterns.md (sections 2, 3, 5 and the §10 choices).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pattern/glob.hpp"
#include "pattern/json_parser.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"

namespace trailwatch {
namespace {

JsonValue S(std::string_view text) {
  return {JsonKind::String, text};
}
JsonValue N(std::string_view token) {
  return {JsonKind::Number, token};
}
JsonValue True() {
  return {JsonKind::True, "true"};
}
JsonValue False() {
  return {JsonKind::False, "false"};
}
JsonValue Null() {
  return {JsonKind::Null, {}};
}
JsonValue Arr() {
  return {JsonKind::Array, {}};
}
JsonValue Obj() {
  return {JsonKind::Object, {}};
}

using Field = std::pair<std::string_view, JsonValue>;
using Record = std::vector<Field>;

// What the records layer would hand over: for every selector the pattern registered, the values the record
// has there. A field the pattern does not read is dropped, as the records layer would never extract it.
bool eval(const Pattern& pattern, FieldPlan& plan, const Record& record) {
  FieldValues values(plan.size());
  const std::size_t registered = plan.size();
  for (const auto& [selector, value] : record) {
    const SelectorId id = plan.add(parse_selector(selector));
    if (id < registered) values.add(id, value);
  }
  return pattern.matches(values);
}

bool eval(std::string_view text, const Record& record) {
  Pattern pattern = Pattern::parse(text);
  FieldPlan plan;
  pattern.bind(plan);
  return eval(pattern, plan, record);
}

PatternError parse_error(std::string_view text) {
  try {
    Pattern::parse(text);
  } catch (const PatternError& e) {
    return e;
  }
  ADD_FAILURE() << "parsed without error: " << text;
  return PatternError(std::string(text), 0, "an error");
}

#define EXPECT_PATTERN_ERROR(text, col, fragment)                                                  \
  do {                                                                                             \
    const PatternError e_ = parse_error(text);                                                     \
    EXPECT_EQ(e_.column(), static_cast<std::size_t>(col)) << (text) << "\n" << e_.caret_message(); \
    EXPECT_NE(e_.detail().find(fragment), std::string::npos) << e_.detail();                       \
  } while (0)

constexpr std::string_view kCmk =
    "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = "
    "ScheduleKeyDeletion)) "
    "}";

// ----- the CIS CMK pattern

TEST(CmkPattern, MatchesDisableKeyAndScheduleKeyDeletion) {
  EXPECT_TRUE(eval(kCmk, {{"$.eventSource", S("kms.amazonaws.com")}, {"$.eventName", S("DisableKey")}}));
  EXPECT_TRUE(
      eval(kCmk, {{"$.eventSource", S("kms.amazonaws.com")}, {"$.eventName", S("ScheduleKeyDeletion")}}));
}

TEST(CmkPattern, RejectsOtherEventsAndSources) {
  EXPECT_FALSE(
      eval(kCmk, {{"$.eventSource", S("kms.amazonaws.com")}, {"$.eventName", S("DisableKeyRotation")}}));
  EXPECT_FALSE(eval(kCmk, {{"$.eventSource", S("kms.amazonaws.com")}, {"$.eventName", S("Disable")}}));
  EXPECT_FALSE(eval(kCmk, {{"$.eventSource", S("kms.amazonaws.com")}, {"$.eventName", S("disablekey")}}));
  EXPECT_FALSE(eval(kCmk, {{"$.eventSource", S("ec2.amazonaws.com")}, {"$.eventName", S("DisableKey")}}));
  EXPECT_FALSE(
      eval(kCmk, {{"$.eventSource", S("kms.amazonaws.com.evil")}, {"$.eventName", S("DisableKey")}}));
  EXPECT_FALSE(eval(kCmk, {{"$.eventSource", S("kms.amazonaws.com")}}));
  EXPECT_FALSE(eval(kCmk, {{"$.eventName", S("DisableKey")}}));
  EXPECT_FALSE(eval(kCmk, {{"$.eventSource", S("kms.amazonaws.com")}, {"$.eventName", Null()}}));
  EXPECT_FALSE(eval(kCmk, {}));
}

TEST(CmkPattern, RegistersEachSelectorOnce) {
  Pattern pattern = Pattern::parse(kCmk);
  FieldPlan plan;
  pattern.bind(plan);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan.path(0), parse_selector("$.eventSource"));
  EXPECT_EQ(plan.path(1), parse_selector("$.eventName"));

  // A second pattern over the same fields shares the extraction.
  Pattern other = Pattern::parse("{ $.eventName = DisableKey }");
  other.bind(plan);
  EXPECT_EQ(plan.size(), 2u);
  EXPECT_TRUE(eval(other, plan, {{"$.eventName", S("DisableKey")}}));
}

TEST(CmkPattern, SurvivesAMove) {
  Pattern a = Pattern::parse(kCmk);
  FieldPlan plan;
  a.bind(plan);
  Pattern b = std::move(a);
  EXPECT_EQ(b.text(), kCmk);
  EXPECT_TRUE(eval(b, plan, {{"$.eventSource", S("kms.amazonaws.com")}, {"$.eventName", S("DisableKey")}}));
  Pattern c = Pattern::parse("{ $.x = 1 }");
  c = std::move(b);
  EXPECT_TRUE(eval(c, plan, {{"$.eventSource", S("kms.amazonaws.com")}, {"$.eventName", S("DisableKey")}}));
}

// ----- values: quoted, bare, globs -------------------------------------------------------------------------

TEST(Values, QuotedAndBareAreTheSame) {
  for (const char* text :
       {"{ $.eventSource = kms.amazonaws.com }", "{ $.eventSource = \"kms.amazonaws.com\" }",
        "{$.eventSource=\"kms.amazonaws.com\"}", "{$.eventSource=kms.amazonaws.com}"}) {
    EXPECT_TRUE(eval(text, {{"$.eventSource", S("kms.amazonaws.com")}})) << text;
    EXPECT_FALSE(eval(text, {{"$.eventSource", S("kms.amazonaws.co")}})) << text;
    EXPECT_FALSE(eval(text, {{"$.eventSource", S("kms.amazonaws.comX")}})) << text;
  }
}

TEST(Values, WholeTextMustMatch) {
  EXPECT_FALSE(eval("{ $.eventType = \"Update\" }", {{"$.eventType", S("UpdateTrail")}}));
  EXPECT_FALSE(eval("{ $.eventType = \"updatetrail\" }", {{"$.eventType", S("UpdateTrail")}}));
  EXPECT_TRUE(eval("{ $.e = \"\" }", {{"$.e", S("")}}));
  EXPECT_FALSE(eval("{ $.e = \"\" }", {{"$.e", S("x")}}));
}

TEST(Values, WildcardAtStartMiddleAndEnd) {
  const Record trail{{"$.eventType", S("UpdateTrail")}};
  EXPECT_TRUE(eval("{ $.eventType = *Trail }", trail));
  EXPECT_TRUE(eval("{ $.eventType = Update* }", trail));
  // docs/filter-patterns.md A1: a middle '*' is a wildcard.
  EXPECT_TRUE(eval("{ $.eventType = Up*ail }", trail));
  EXPECT_TRUE(eval("{ $.eventType = \"U*d*T*l\" }", trail));
  EXPECT_TRUE(eval("{ $.eventType = *date* }", trail));
  EXPECT_TRUE(eval("{ $.eventType = *UpdateTrail* }", trail));
  EXPECT_FALSE(eval("{ $.eventType = *Update }", trail));
  EXPECT_FALSE(eval("{ $.eventType = Trail* }", trail));
  EXPECT_FALSE(eval("{ $.eventType = Up*x*ail }", trail));
  EXPECT_TRUE(eval("{ $.errorCode = \"*UnauthorizedOperation\" }",
                   {{"$.errorCode", S("Client.UnauthorizedOperation")}}));
  EXPECT_TRUE(eval("{ $.errorCode = \"AccessDenied*\" }", {{"$.errorCode", S("AccessDenied")}}));
  EXPECT_TRUE(eval("{ $.errorCode = AccessDenied* }", {{"$.errorCode", S("AccessDeniedException")}}));
  EXPECT_TRUE(eval("{ $.r = *.html* }", {{"$.r", S("GET /index.html HTTP/1.0")}}));
  EXPECT_FALSE(eval("{ $.r = *.html* }", {{"$.r", S("GET /index.htm")}}));
  EXPECT_TRUE(eval("{ $.ip != 123.123.* }", {{"$.ip", S("111.111.111.111")}}));
  EXPECT_FALSE(eval("{ $.ip != 123.123.* }", {{"$.ip", S("123.123.0.1")}}));
}

TEST(Values, GlobPiecesMayNotOverlap) {
  EXPECT_TRUE(eval("{ $.v = a*ab }", {{"$.v", S("aab")}}));
  EXPECT_FALSE(eval("{ $.v = a*ab }", {{"$.v", S("ab")}}));
  EXPECT_TRUE(eval("{ $.v = a*b*a }", {{"$.v", S("aba")}}));
  EXPECT_FALSE(eval("{ $.v = a*b*a }", {{"$.v", S("aa")}}));
  EXPECT_TRUE(eval("{ $.v = *ab*ab* }", {{"$.v", S("xabyab")}}));
  EXPECT_FALSE(eval("{ $.v = *aba*aba* }", {{"$.v", S("ababa")}}));
  EXPECT_TRUE(eval("{ $.v = ** }", {{"$.v", S("")}}));
  EXPECT_TRUE(eval("{ $.v = a**b }", {{"$.v", S("ab")}}));
}

TEST(Values, LoneStarMatchesAnyValueNode) {
  for (const char* text : {"{ $.latency = * }", "{ $.latency = \"*\" }"}) {
    EXPECT_TRUE(eval(text, {{"$.latency", N("50")}})) << text;
    EXPECT_TRUE(eval(text, {{"$.latency", S("")}})) << text;
    EXPECT_TRUE(eval(text, {{"$.latency", True()}})) << text;  // booleans compare as text (A21)
    EXPECT_FALSE(eval(text, {{"$.latency", Null()}})) << text;
    EXPECT_FALSE(eval(text, {{"$.latency", Arr()}})) << text;
    EXPECT_FALSE(eval(text, {{"$.latency", Obj()}})) << text;
    EXPECT_FALSE(eval(text, {})) << text;
  }
  EXPECT_FALSE(eval("{ $.latency != * }", {{"$.latency", S("x")}}));
}

TEST(Values, EscapesInsideQuotes) {
  EXPECT_TRUE(eval(R"({ $.v = "a\"b" })", {{"$.v", S("a\"b")}}));
  EXPECT_TRUE(eval(R"({ $.v = "a\\b" })", {{"$.v", S("a\\b")}}));
  EXPECT_TRUE(eval(R"({ $.v = "\q" })", {{"$.v", S("q")}}));  // A6: \x stands for x
  EXPECT_TRUE(eval(R"({ $.v = "}) && (" })", {{"$.v", S("}) && (")}}));
  EXPECT_TRUE(eval(R"({ $.v = "Failed authentication" })", {{"$.v", S("Failed authentication")}}));
  EXPECT_TRUE(eval(R"({ $.v = "50%" })", {{"$.v", S("50%")}}));
}

TEST(Values, UnquotedValuesKeepPunctuation) {
  EXPECT_TRUE(eval("{ $.v = arn:aws:iam::123456789012:user/a&b }",
                   {{"$.v", S("arn:aws:iam::123456789012:user/a&b")}}));
  EXPECT_TRUE(eval("{ $.v = a|b }", {{"$.v", S("a|b")}}));
  EXPECT_TRUE(eval("{ $.v = 50% }", {{"$.v", S("50%")}}));
  EXPECT_TRUE(eval("{ $.v = {x }", {{"$.v", S("{x")}}));  // '}' ends a bare value, '{' does not
  EXPECT_TRUE(eval("{ $.v = \xC3\xA9t\xC3\xA9 }", {{"$.v", S("\xC3\xA9t\xC3\xA9")}}));
}

TEST(Values, BooleansCompareAsText) {
  EXPECT_TRUE(eval("{ $.flag = true }", {{"$.flag", True()}}));
  EXPECT_TRUE(eval("{ $.flag = true }", {{"$.flag", S("true")}}));
  EXPECT_FALSE(eval("{ $.flag = true }", {{"$.flag", False()}}));
  EXPECT_TRUE(eval("{ $.flag != true }", {{"$.flag", False()}}));
  EXPECT_TRUE(eval("{ $.flag = f* }", {{"$.flag", False()}}));
  EXPECT_FALSE(eval("{ $.flag = 1 }", {{"$.flag", True()}}));
}

TEST(Values, NullIsNotAString) {
  EXPECT_FALSE(eval("{ $.v = null }", {{"$.v", Null()}}));
  EXPECT_TRUE(eval("{ $.v = null }", {{"$.v", S("null")}}));
}

// ----- the missing-field rule (docs/filter-patterns.md A2)

TEST(NotEqual, FailsOnMissingNullArrayAndObject) {
  const std::string_view text = "{ $.additionalEventData.MFAUsed != \"Yes\" }";
  EXPECT_TRUE(eval(text, {{"$.additionalEventData.MFAUsed", S("No")}}));
  EXPECT_FALSE(eval(text, {{"$.additionalEventData.MFAUsed", S("Yes")}}));
  EXPECT_FALSE(eval(text, {}));
  EXPECT_FALSE(eval(text, {{"$.additionalEventData.MFAUsed", Null()}}));
  EXPECT_FALSE(eval(text, {{"$.additionalEventData.MFAUsed", Arr()}}));
  EXPECT_FALSE(eval(text, {{"$.additionalEventData.MFAUsed", Obj()}}));
  EXPECT_FALSE(eval("{ $.users != 1 }", {{"$.users", Arr()}}));
  EXPECT_FALSE(eval("{ $.users = 1 }", {{"$.users", Arr()}}));
  EXPECT_FALSE(eval("{ $.users != x }", {{"$.users", Obj()}}));
}

TEST(NotEqual, TheObservedWorkaroundMatchesMissingFields) {
  const std::string_view text = "{ ($.x NOT EXISTS) || ($.x != \"Yes\") }";
  EXPECT_TRUE(eval(text, {}));
  EXPECT_TRUE(eval(text, {{"$.x", S("No")}}));
  EXPECT_FALSE(eval(text, {{"$.x", S("Yes")}}));
}

// ----- numbers

TEST(Numbers, LiteralsAreNumeric) {
  EXPECT_TRUE(eval("{ $.number[0] = 1e+3 }", {{"$.number[0]", N("1000")}}));
  EXPECT_TRUE(eval("{ $.n = 1e+3 }", {{"$.n", N("1e3")}}));
  EXPECT_TRUE(eval("{ $.n = 1e+3 }", {{"$.n", N("1000.0")}}));
  EXPECT_TRUE(eval("{ $.n = 1000 }", {{"$.n", N("1E3")}}));
  EXPECT_TRUE(eval("{ $.latency >= 500 }", {{"$.latency", N("500")}}));
  EXPECT_FALSE(eval("{ $.latency > +1000 }", {{"$.latency", N("1000")}}));
  EXPECT_TRUE(eval("{ $.latency > +1000 }", {{"$.latency", N("1000.5")}}));
  EXPECT_TRUE(eval("{ $.numbers[0] < 10e3 }", {{"$.numbers[0]", N("9999")}}));
  EXPECT_TRUE(eval("{ $.numbers[0] < 10e-3 }", {{"$.numbers[0]", N("0.001")}}));
  EXPECT_FALSE(eval("{ $.numbers[0] < 1e-3 }", {{"$.numbers[0]", N("0.001")}}));
  EXPECT_TRUE(eval("{ $.numbers[0] <= 1e-3 }", {{"$.numbers[0]", N("0.001")}}));
  EXPECT_TRUE(eval("{ $.bandwidth > 75 }", {{"$.bandwidth", N("75.5")}}));
  EXPECT_TRUE(eval("{ $.v = 55.5 }", {{"$.v", N("55.50")}}));
  EXPECT_TRUE(eval("{ $.v = -2 }", {{"$.v", N("-2")}}));
  EXPECT_TRUE(eval("{ $.v = .5 }", {{"$.v", N("0.5")}}));
  EXPECT_TRUE(eval("{ $.v = 0 }", {{"$.v", N("-0")}}));
  EXPECT_TRUE(eval("{ $.v > 1e308 }", {{"$.v", N("1e400")}}));  // beyond double range: infinity, not an error
  EXPECT_TRUE(eval("{ $.v < 1e-300 }", {{"$.v", N("1e-400")}}));
}

TEST(Numbers, StringsHoldingPlainDecimalsCompareNumerically) {
  EXPECT_TRUE(eval("{ $.status >= 500 }", {{"$.status", S("500")}}));
  EXPECT_TRUE(eval("{ $.status = 500 }", {{"$.status", S("500.0")}}));
  EXPECT_TRUE(eval("{ $.status = 500 }", {{"$.status", S("+500")}}));
  EXPECT_TRUE(eval("{ $.account = 123456789012 }", {{"$.account", S("123456789012")}}));
  // "Strings containing scientific notation are not supported" (docs/filter-patterns.md A4/A11).
  EXPECT_FALSE(eval("{ $.status >= 500 }", {{"$.status", S("5e2")}}));
  EXPECT_FALSE(eval("{ $.status = 500 }", {{"$.status", S("5e2")}}));
  EXPECT_FALSE(eval("{ $.status = 500 }", {{"$.status", S(" 500")}}));
  EXPECT_FALSE(eval("{ $.status >= 500 }", {{"$.status", S("abc")}}));
  EXPECT_FALSE(eval("{ $.status >= 500 }", {{"$.status", S("")}}));
  EXPECT_FALSE(eval("{ $.status >= 500 }", {{"$.status", True()}}));
  EXPECT_FALSE(eval("{ $.status >= 500 }", {{"$.status", Null()}}));
  EXPECT_FALSE(eval("{ $.status >= 500 }", {}));
}

TEST(Numbers, NotEqualNeedsANumber) {
  EXPECT_TRUE(eval("{ $.n != 5 }", {{"$.n", N("6")}}));
  EXPECT_FALSE(eval("{ $.n != 5 }", {{"$.n", N("5.0")}}));
  EXPECT_FALSE(eval("{ $.n != 5 }", {{"$.n", S("abc")}}));
  EXPECT_FALSE(eval("{ $.n != 5 }", {}));
}

TEST(Numbers, WildcardValuesCompareTheRawText) {
  EXPECT_TRUE(eval("{ $.status = 4* }", {{"$.status", N("404")}}));
  EXPECT_TRUE(eval("{ $.status = 4* }", {{"$.status", S("4xx")}}));
  EXPECT_FALSE(eval("{ $.status = 4* }", {{"$.status", N("500")}}));
  EXPECT_TRUE(eval("{ $.n = 1* }", {{"$.n", N("1.0")}}));  // A22: the token as written in the record
  EXPECT_FALSE(eval("{ $.n = 1.0* }", {{"$.n", N("1")}}));
  // A quoted number is a string literal: it compares text, not value.
  EXPECT_TRUE(eval("{ $.n = \"500\" }", {{"$.n", N("500")}}));
  EXPECT_FALSE(eval("{ $.n = \"500\" }", {{"$.n", N("500.0")}}));
  EXPECT_FALSE(eval("{ $.n = \"1000\" }", {{"$.n", N("1e3")}}));
}

// ----- IS and NOT EXISTS

TEST(Keywords, IsNullTrueFalse) {
  EXPECT_TRUE(eval("{ $.SomeObject IS NULL }", {{"$.SomeObject", Null()}}));
  EXPECT_FALSE(eval("{ $.SomeObject IS NULL }", {}));
  EXPECT_FALSE(eval("{ $.SomeObject IS NULL }", {{"$.SomeObject", S("null")}}));
  EXPECT_FALSE(eval("{ $.SomeObject IS NULL }", {{"$.SomeObject", Obj()}}));
  EXPECT_TRUE(eval("{ $.ThisFlag IS TRUE }", {{"$.ThisFlag", True()}}));
  EXPECT_FALSE(eval("{ $.ThisFlag IS TRUE }", {{"$.ThisFlag", S("true")}}));
  EXPECT_FALSE(eval("{ $.ThisFlag IS TRUE }", {{"$.ThisFlag", False()}}));
  EXPECT_FALSE(eval("{ $.ThisFlag IS TRUE }", {}));
  EXPECT_TRUE(eval("{ $.ThisFlag IS FALSE }", {{"$.ThisFlag", False()}}));
  EXPECT_FALSE(eval("{ $.ThisFlag IS FALSE }", {{"$.ThisFlag", True()}}));
  EXPECT_FALSE(eval("{ $.ThisFlag IS FALSE }", {{"$.ThisFlag", N("0")}}));
}

TEST(Keywords, NotExists) {
  EXPECT_TRUE(eval("{ $.SomeOtherObject NOT EXISTS }", {}));
  EXPECT_FALSE(eval("{ $.SomeObject NOT EXISTS }", {{"$.SomeObject", Null()}}));
  EXPECT_FALSE(eval("{ $.SomeObject NOT EXISTS }", {{"$.SomeObject", S("")}}));
  EXPECT_FALSE(eval("{ $.SomeObject NOT EXISTS }", {{"$.SomeObject", Obj()}}));
}

TEST(Keywords, AnyCaseAnySpacing) {
  for (const char* text : {"{ $.a IS NULL }", "{ $.a is null }", "{ $.a Is\tNull }", "{ $.a   IS  \n NULL}",
                           "{($.a IS NULL)}"}) {
    EXPECT_TRUE(eval(text, {{"$.a", Null()}})) << text;
    EXPECT_FALSE(eval(text, {{"$.a", S("x")}})) << text;
  }
  for (const char* text :
       {"{ $.a NOT EXISTS }", "{ $.a not exists }", "{ $.a nOt\t\tExIsTs }", "{($.a NOT EXISTS)}"}) {
    EXPECT_TRUE(eval(text, {})) << text;
    EXPECT_FALSE(eval(text, {{"$.a", S("x")}})) << text;
  }
  EXPECT_TRUE(eval("{ $.a is true && $.b Is False }", {{"$.a", True()}, {"$.b", False()}}));
}

// ----- selectors

TEST(Selectors, ParseEveryStepKind) {
  using K = SelectorStep::Kind;
  const SelectorPath p = parse_selector("$.a.b-c_1[12][*].['k.with.dots'].['']");
  ASSERT_EQ(p.size(), 6u);
  EXPECT_EQ(p[0], (SelectorStep{K::Member, "a", 0}));
  EXPECT_EQ(p[1], (SelectorStep{K::Member, "b-c_1", 0}));
  EXPECT_EQ(p[2], (SelectorStep{K::Index, {}, 12}));
  EXPECT_EQ(p[3], (SelectorStep{K::AnyElement, {}, 0}));
  EXPECT_EQ(p[4], (SelectorStep{K::Member, "k.with.dots", 0}));
  EXPECT_EQ(p[5], (SelectorStep{K::Member, "", 0}));
  EXPECT_EQ(parse_selector("$.*.x"), (SelectorPath{{K::AnyMember, {}, 0}, {K::Member, "x", 0}}));
  EXPECT_EQ(parse_selector("$[0]"), (SelectorPath{{K::Index, {}, 0}}));
  EXPECT_EQ(parse_selector("  $.a  "), (SelectorPath{{K::Member, "a", 0}}));
}

TEST(Selectors, RejectMalformedSelectors) {
  auto column_of = [](std::string_view text) -> std::size_t {
    try {
      parse_selector(text);
    } catch (const PatternError& e) {
      return e.column();
    }
    return SIZE_MAX;
  };
  EXPECT_EQ(column_of("$"), 1u);
  EXPECT_EQ(column_of("$."), 2u);
  EXPECT_EQ(column_of(""), 0u);
  EXPECT_EQ(column_of("a.b"), 0u);
  EXPECT_EQ(column_of("$.a b"), 4u);
  EXPECT_EQ(column_of("$.a[]"), 4u);
  EXPECT_EQ(column_of("$.a[1"), 5u);
  EXPECT_EQ(column_of("$.['a"), 3u);
  EXPECT_EQ(column_of("$.['a'"), 6u);
  EXPECT_EQ(column_of("$['a']"), 2u);
  EXPECT_EQ(column_of("$.a[99999999999999999999999]"), 4u);
  EXPECT_EQ(column_of("$.*[*]"), 4u);
}

TEST(Selectors, ArrayIndexAndQuotedKey) {
  EXPECT_TRUE(eval("{ $.arrayKey[0] = \"value\" }", {{"$.arrayKey[0]", S("value")}}));
  EXPECT_FALSE(eval("{ $.arrayKey[1] = \"value\" }", {{"$.arrayKey[1]", S("another value")}}));
  EXPECT_TRUE(eval("{ $.objectList[1].id = 2 }", {{"$.objectList[1].id", N("2")}}));
  EXPECT_TRUE(eval("{ $.coordinates[0][1] = 1 }", {{"$.coordinates[0][1]", N("1")}}));
  EXPECT_TRUE(eval("{ $.['cluster.name'] = c }", {{"$.['cluster.name']", S("c")}}));
  EXPECT_TRUE(eval("{ $.a.['b c'].d = x }", {{"$.a.['b c'].d", S("x")}}));
}

TEST(Selectors, WildcardsAreExistential) {
  const std::string_view any = "$.actions[*]";
  EXPECT_TRUE(eval("{ $.actions[*] = \"PUT\" }", {{any, S("GET")}, {any, S("PUT")}, {any, S("DELETE")}}));
  EXPECT_FALSE(eval("{ $.actions[*] = \"HEAD\" }", {{any, S("GET")}, {any, S("PUT")}}));
  EXPECT_TRUE(eval("{ $.actions[*] != \"GET\" }", {{any, S("GET")}, {any, S("PUT")}}));
  EXPECT_FALSE(eval("{ $.actions[*] != \"GET\" }", {{any, S("GET")}, {any, S("GET")}}));
  EXPECT_FALSE(eval("{ $.actions[*] != \"GET\" }", {}));
  EXPECT_TRUE(eval("{ $.actions[*] IS NULL }", {{any, N("1")}, {any, Null()}}));
  EXPECT_FALSE(eval("{ $.actions[*] IS NULL }", {{any, N("1")}}));
  EXPECT_TRUE(eval("{ $.actions[*] > 3 }", {{any, N("1")}, {any, N("4")}}));
  EXPECT_TRUE(eval("{ $.actions[*] NOT EXISTS }", {}));
  EXPECT_FALSE(eval("{ $.actions[*] NOT EXISTS }", {{any, Null()}}));

  const std::string_view arn = "$.resources[*].ARN";
  EXPECT_TRUE(eval("{ $.resources[*].ARN = arn:aws:s3:::bucket* }",
                   {{arn, S("arn:aws:kms:us-east-1:1:key/x")}, {arn, S("arn:aws:s3:::bucket-logs")}}));
  EXPECT_TRUE(eval("{ $.* = Root }", {{"$.*", S("x")}, {"$.*", Obj()}, {"$.*", S("Root")}}));
  EXPECT_FALSE(eval("{ $.* = Root }", {{"$.*", S("x")}, {"$.*", Obj()}}));
}

// ----- boolean structure

TEST(Precedence, AndBindsTighterThanOr) {
  const std::string_view text = "{ $.a = 1 || $.b = 1 && $.c = 1 }";
  EXPECT_TRUE(eval(text, {{"$.a", N("1")}}));
  EXPECT_FALSE(eval(text, {{"$.b", N("1")}}));
  EXPECT_TRUE(eval(text, {{"$.b", N("1")}, {"$.c", N("1")}}));
  EXPECT_FALSE(eval(text, {{"$.a", N("0")}, {"$.b", N("1")}, {"$.c", N("0")}}));
  EXPECT_TRUE(eval(text, {{"$.a", N("1")}, {"$.b", N("0")}, {"$.c", N("0")}}));

  const std::string_view grouped = "{ ($.a = 1 || $.b = 1) && $.c = 1 }";
  EXPECT_FALSE(eval(grouped, {{"$.a", N("1")}}));
  EXPECT_TRUE(eval(grouped, {{"$.a", N("1")}, {"$.c", N("1")}}));

  const std::string_view left = "{ $.a = 1 && $.b = 1 || $.c = 1 }";
  EXPECT_TRUE(eval(left, {{"$.c", N("1")}}));
  EXPECT_FALSE(eval(left, {{"$.a", N("1")}}));
  EXPECT_TRUE(eval(left, {{"$.a", N("1")}, {"$.b", N("1")}}));
}

TEST(Precedence, DocumentedCompoundExamples) {
  const Record doc{{"$.user.id", N("1")},
                   {"$.user.email", S("John.Stiles@example.com")},
                   {"$.users[0].email", S("John.Doe@example.com")},
                   {"$.actions[2]", S("DELETE")},
                   {"$.coordinates[0][1]", N("1")}};
  EXPECT_TRUE(eval("{ ($.user.id = 1) && ($.users[0].email = \"John.Doe@example.com\") }", doc));
  EXPECT_TRUE(
      eval("{ $.user.email = \"John.Stiles@example.com\" || $.coordinates[0][1] = \"nonmatch\" && "
           "$.actions[2] = \"nonmatch\" }",
           doc));
  EXPECT_FALSE(eval("{ ($.user.id = 2 && $.users[0].email = \"nonmatch\") || $.actions[2] = \"GET\" }", doc));
}

TEST(Precedence, NestedGroups) {
  const std::string_view text =
      "{ ((($.a = 1)) && (($.b = 1) || ($.c = 1 && ($.d = 1 || $.e = 1)))) || $.f = 1 }";
  EXPECT_TRUE(eval(text, {{"$.a", N("1")}, {"$.b", N("1")}}));
  EXPECT_TRUE(eval(text, {{"$.a", N("1")}, {"$.c", N("1")}, {"$.e", N("1")}}));
  EXPECT_FALSE(eval(text, {{"$.a", N("1")}, {"$.c", N("1")}}));
  EXPECT_FALSE(eval(text, {{"$.b", N("1")}, {"$.c", N("1")}, {"$.d", N("1")}}));
  EXPECT_TRUE(eval(text, {{"$.f", N("1")}}));
}

// Literal alternatives on one selector under || are folded into one set lookup; the meaning must not change.
TEST(Precedence, FoldedLiteralAlternativesKeepTheirMeaning) {
  const std::string_view mixed = "{ $.a = x || $.b = y || $.a = z || $.a = w* || $.a = \"q r\" }";
  EXPECT_TRUE(eval(mixed, {{"$.a", S("z")}}));
  EXPECT_TRUE(eval(mixed, {{"$.a", S("x")}}));
  EXPECT_TRUE(eval(mixed, {{"$.a", S("q r")}}));
  EXPECT_TRUE(eval(mixed, {{"$.a", S("wow")}}));
  EXPECT_TRUE(eval(mixed, {{"$.b", S("y")}}));
  EXPECT_FALSE(eval(mixed, {{"$.a", S("y")}}));
  EXPECT_FALSE(eval(mixed, {{"$.a", Null()}, {"$.b", S("x")}}));
  EXPECT_FALSE(eval(mixed, {}));

  EXPECT_TRUE(eval("{ $.a = x || $.a = x }", {{"$.a", S("x")}}));
  EXPECT_TRUE(eval("{ $.f = true || $.f = no }", {{"$.f", True()}}));
  EXPECT_TRUE(eval("{ $.n = 4xx || $.n = \"404\" }", {{"$.n", N("404")}}));
  EXPECT_TRUE(eval("{ $.a[*] = x || $.a[*] = y }", {{"$.a[*]", S("q")}, {"$.a[*]", S("y")}}));
  EXPECT_FALSE(eval("{ $.a[*] = x || $.a[*] = y }", {{"$.a[*]", S("q")}}));
  EXPECT_TRUE(eval("{ $.a = 1 || $.a = 2 }", {{"$.a", S("2.0")}}));  // numeric, not folded

  const std::string_view nested = "{ ($.s = k) && ($.a = x || ($.a = y) || $.b = 1 && $.a = z) }";
  EXPECT_TRUE(eval(nested, {{"$.s", S("k")}, {"$.a", S("y")}}));
  EXPECT_TRUE(eval(nested, {{"$.s", S("k")}, {"$.a", S("z")}, {"$.b", N("1")}}));
  EXPECT_FALSE(eval(nested, {{"$.s", S("k")}, {"$.a", S("z")}}));
  EXPECT_FALSE(eval(nested, {{"$.a", S("x")}}));
}

TEST(Precedence, LiteralAlternativesBecomeOneCondition) {
  using pattern_detail::parse_json_pattern;
  EXPECT_EQ(parse_json_pattern(kCmk, 0).conditions.size(), 2u);
  EXPECT_EQ(parse_json_pattern("{ $.a = x || $.b = y || $.a = z || $.a = w* }", 0).conditions.size(), 3u);
  EXPECT_EQ(parse_json_pattern("{ $.a = x && $.a = y }", 0).conditions.size(), 2u);
  EXPECT_EQ(parse_json_pattern("{ $.a != x || $.a != y }", 0).conditions.size(), 2u);
}

// Random expressions, rendered with random grouping and spacing, against a direct recursive evaluation of the
// same tree: checks precedence, the forward-jump linking and the folding of literal alternatives together.
struct RefNode {
  enum class Kind { Leaf, And, Or } kind = Kind::Leaf;
  int field = 0;  // $.a, $.b or $.c
  int test = 0;   // index into kRefTests
  std::vector<RefNode> children;
};

struct RefTest {
  const char* text;
  bool (*holds)(const std::optional<JsonValue>&);
};

bool ref_text(const std::optional<JsonValue>& v, std::string_view& t) {
  if (!v || v->kind == JsonKind::Null || v->kind == JsonKind::Array || v->kind == JsonKind::Object)
    return false;
  t = v->text;
  return true;
}

const RefTest kRefTests[] = {
    {"= x",
     [](const std::optional<JsonValue>& v) {
       std::string_view t;
       return ref_text(v, t) && t == "x";
     }},
    {"= y",
     [](const std::optional<JsonValue>& v) {
       std::string_view t;
       return ref_text(v, t) && t == "y";
     }},
    {"= \"z\"",
     [](const std::optional<JsonValue>& v) {
       std::string_view t;
       return ref_text(v, t) && t == "z";
     }},
    {"= x*",
     [](const std::optional<JsonValue>& v) {
       std::string_view t;
       return ref_text(v, t) && t.starts_with("x");
     }},
    {"!= x",
     [](const std::optional<JsonValue>& v) {
       std::string_view t;
       return ref_text(v, t) && t != "x";
     }},
    {"= 1",
     [](const std::optional<JsonValue>& v) {
       return v && (v->kind == JsonKind::Number || v->kind == JsonKind::String) && v->text == "1";
     }},
    {"> 1",
     [](const std::optional<JsonValue>& v) {
       return v && (v->kind == JsonKind::Number || v->kind == JsonKind::String) && v->text == "2";
     }},
    {"IS NULL", [](const std::optional<JsonValue>& v) { return v && v->kind == JsonKind::Null; }},
    {"is true", [](const std::optional<JsonValue>& v) { return v && v->kind == JsonKind::True; }},
    {"NOT EXISTS", [](const std::optional<JsonValue>& v) { return !v.has_value(); }},
};

RefNode random_tree(std::mt19937& rng, int depth) {
  RefNode n;
  if (depth == 0 || rng() % 3 == 0) {
    n.field = static_cast<int>(rng() % 3);
    n.test = static_cast<int>(rng() % std::size(kRefTests));
    return n;
  }
  n.kind = rng() % 2 ? RefNode::Kind::And : RefNode::Kind::Or;
  const int count = 2 + static_cast<int>(rng() % 4);
  for (int i = 0; i < count; ++i) n.children.push_back(random_tree(rng, depth - 1));
  return n;
}

std::string render(const RefNode& n, std::mt19937& rng) {
  auto space = [&] { return std::string(rng() % 3, ' '); };
  if (n.kind == RefNode::Kind::Leaf) return std::string("$.") + "abc"[n.field] + " " + kRefTests[n.test].text;
  std::string out;
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    if (i > 0) out += space() + (n.kind == RefNode::Kind::And ? "&&" : "||") + space();
    const RefNode& c = n.children[i];
    // An || inside && must be grouped; anything else may be.
    const bool group = (n.kind == RefNode::Kind::And && c.kind == RefNode::Kind::Or) || rng() % 3 == 0;
    if (group) {
      out += '(';
      out += space() + render(c, rng) + space();
      out += ')';
    } else {
      out += render(c, rng);
    }
  }
  return out;
}

bool ref_eval(const RefNode& n, const std::optional<JsonValue> (&fields)[3]) {
  switch (n.kind) {
    case RefNode::Kind::Leaf:
      return kRefTests[n.test].holds(fields[n.field]);
    case RefNode::Kind::And:
      for (const RefNode& c : n.children)
        if (!ref_eval(c, fields)) return false;
      return true;
    case RefNode::Kind::Or:
      for (const RefNode& c : n.children)
        if (ref_eval(c, fields)) return true;
      return false;
  }
  return false;
}

TEST(Precedence, RandomExpressionsAgreeWithAReferenceEvaluator) {
  std::mt19937 rng(20240501);
  const std::optional<JsonValue> choices[] = {std::nullopt, S("x"), S("y"), S("z"), S("xq"), N("1"),
                                              N("2"),       S("1"), Null(), True(), Obj()};
  for (int round = 0; round < 300; ++round) {
    const RefNode tree = random_tree(rng, 3);
    std::string text = "{";
    text += render(tree, rng);
    text += '}';
    if (text.size() > 1024) continue;
    SCOPED_TRACE(text);
    Pattern pattern = Pattern::parse(text);
    FieldPlan plan;
    pattern.bind(plan);
    for (int sample = 0; sample < 20; ++sample) {
      std::optional<JsonValue> fields[3];
      Record record;
      for (int f = 0; f < 3; ++f) {
        fields[f] = choices[rng() % std::size(choices)];
        if (fields[f]) record.emplace_back(f == 0 ? "$.a" : f == 1 ? "$.b" : "$.c", *fields[f]);
      }
      ASSERT_EQ(eval(pattern, plan, record), ref_eval(tree, fields)) << "sample " << sample;
    }
  }
}

// ----- the empty pattern and the other kinds

TEST(PatternKinds, EmptyPatternMatchesEverything) {
  for (const char* text : {"", "   ", " \t\n "}) {
    Pattern pattern = Pattern::parse(text);
    FieldPlan plan;
    pattern.bind(plan);
    EXPECT_EQ(plan.size(), 0u);
    EXPECT_TRUE(pattern.matches(FieldValues()));
    EXPECT_TRUE(pattern.matches(FieldValues(3)));
    EXPECT_EQ(pattern.text(), text);
  }
}

// docs/filter-patterns.md §2: the first and last characters after trimming choose the kind.
TEST(PatternKinds, KindFollowsTheFirstAndLastCharacters) {
  EXPECT_FALSE(Pattern::parse("{ $.a = 1 }").needs_message());
  EXPECT_FALSE(Pattern::parse("").needs_message());
  EXPECT_TRUE(Pattern::parse("ERROR").needs_message());
  EXPECT_TRUE(Pattern::parse("  \"ERROR\" -WARN").needs_message());
  EXPECT_TRUE(Pattern::parse("[ip, user, ..., status_code=4*, bytes]").needs_message());
  EXPECT_TRUE(Pattern::parse(" %AUTHORIZED% ").needs_message());
  // Not a regex (no closing '%'), and not a valid term either.
  EXPECT_PATTERN_ERROR("%abc", 0, "Invalid character(s) in term");
  EXPECT_PATTERN_ERROR("[a", 2, "must end with ']'");
}

TEST(PatternKinds, JsonPatternsSeeFieldsNotTheMessage) {
  Pattern pattern = Pattern::parse("{ $.a = 1 }");
  FieldPlan plan;
  pattern.bind(plan);
  EXPECT_FALSE(plan.message_required());
  FieldValues fields(plan.size());
  fields.add(0, N("1"));
  EXPECT_TRUE(pattern.matches(EventView{&fields, "not even JSON"}));
  EXPECT_TRUE(pattern.matches(EventView{&fields, {}}));
  // An event that is not a JSON object has no fields: no JSON pattern matches it
  // (docs/filter-patterns.md §2).
  EXPECT_FALSE(pattern.matches(EventView{nullptr, R"({"a":1})"}));
  ExtractedFields extracted;
  EXPECT_TRUE(pattern.matches(EventView{&fields, {}}, &extracted));
  EXPECT_FALSE(extracted.get("1").has_value());
}

TEST(PatternKinds, EmptyPatternMatchesEveryEvent) {
  Pattern pattern = Pattern::parse(" ");
  FieldPlan plan;
  pattern.bind(plan);
  EXPECT_FALSE(plan.message_required());
  EXPECT_TRUE(pattern.matches(EventView{nullptr, {}}));
  EXPECT_TRUE(pattern.matches(EventView{nullptr, "plain text"}));
}

TEST(PatternKinds, WhitespaceAroundAJsonPattern) {
  EXPECT_TRUE(eval("\n  { $.a = 1 }  \t", {{"$.a", N("1")}}));
}

// ----- errors and their columns

TEST(Errors, UnbalancedParentheses) {
  EXPECT_PATTERN_ERROR("{ ($.eventSource = kms.amazonaws.com }", 37, "expected ')'");
  EXPECT_PATTERN_ERROR("{ (($.a = 1) }", 13, "expected ')'");
  EXPECT_PATTERN_ERROR("{ ($.a = 1 $.b = 2) }", 11, "expected '&&', '||' or ')'");
  EXPECT_PATTERN_ERROR("{ $.a = 1) }", 9, "unmatched ')'");
  EXPECT_PATTERN_ERROR("{ ($.a = 1)) }", 11, "unmatched ')'");
  EXPECT_PATTERN_ERROR("{ () }", 3, "expected a condition");
}

TEST(Errors, MissingClosingBrace) {
  EXPECT_PATTERN_ERROR("{ $.a = 1", 9, "if a filter pattern starts with '{' it must end with '}'");
  EXPECT_PATTERN_ERROR("{ $.a = 1 } x", 13, "must end with '}'");
  EXPECT_PATTERN_ERROR("{ $.a = ", 7, "must end with '}'");
  EXPECT_PATTERN_ERROR("{", 1, "must end with '}'");
  EXPECT_PATTERN_ERROR("{ $.a = \"}", 8, "unterminated quoted string");
}

TEST(Errors, MissingValue) {
  EXPECT_PATTERN_ERROR("{ $.a = }", 8, "expected a value after '='");
  EXPECT_PATTERN_ERROR("{ $.a != && $.b = 1 }", 9, "expected a value after '!='");
  EXPECT_PATTERN_ERROR("{ ($.a =) }", 8, "expected a value after '='");
  EXPECT_PATTERN_ERROR("{ $.a == 1 }", 7, "expected a value after '='");
  EXPECT_PATTERN_ERROR("{ $.a = ,1 }", 8, "expected a value after '='");
  EXPECT_PATTERN_ERROR("{ $.a ! 1 }", 7, "expected '=' after '!'");
}

TEST(Errors, RelationalOperatorsTakeOnlyNumbers) {
  EXPECT_PATTERN_ERROR("{ $.a >= abc }", 9, "expected a number after '>='");
  EXPECT_PATTERN_ERROR("{ $.a < \"5\" }", 8, "expected a number after '<'");
  EXPECT_PATTERN_ERROR("{ $.a > 4* }", 8, "expected a number after '>'");
  EXPECT_PATTERN_ERROR("{ $.a <= 1e }", 9, "expected a number after '<='");
}

TEST(Errors, UnsupportedKeywords) {
  EXPECT_PATTERN_ERROR("{ $.a IS NOT NULL }", 9, "IS NOT is not supported");
  EXPECT_PATTERN_ERROR("{ $.a EXISTS }", 6, "EXISTS alone is not supported");
  EXPECT_PATTERN_ERROR("{ $.a IS }", 9, "expected NULL, TRUE or FALSE after IS");
  EXPECT_PATTERN_ERROR("{ $.a IS EMPTY }", 9, "expected NULL, TRUE or FALSE after IS");
  EXPECT_PATTERN_ERROR("{ $.a ISNULL }", 6, "expected a comparison operator, IS or NOT EXISTS");
  EXPECT_PATTERN_ERROR("{ $.a NOT NULL }", 10, "expected EXISTS after NOT");
  EXPECT_PATTERN_ERROR("{ $.a IN [1] }", 6, "expected a comparison operator, IS or NOT EXISTS");
  EXPECT_PATTERN_ERROR("{ $.a }", 6, "expected a comparison operator, IS or NOT EXISTS");
}

TEST(Errors, TrailingJunk) {
  EXPECT_PATTERN_ERROR("{ $.a = 1 } }", 12, "expected the end of the pattern");
  EXPECT_PATTERN_ERROR("{ $.a = 1 } x }", 12, "expected the end of the pattern");
  EXPECT_PATTERN_ERROR("{ $.a = 1 $.b = 2 }", 10, "expected '&&', '||' or '}'");
  EXPECT_PATTERN_ERROR("{ $.a = \"x\"y }", 11, "expected '&&', '||' or '}'");
  EXPECT_PATTERN_ERROR("{ $.a = 1 & $.b = 2 }", 10, "expected '&&', '||' or '}'");
}

TEST(Errors, MalformedSelectors) {
  EXPECT_PATTERN_ERROR("{ $. = 1 }", 4, "expected a key, '*' or \"['\" after '.'");
  EXPECT_PATTERN_ERROR("{ $.a. = 1 }", 6, "expected a key");
  EXPECT_PATTERN_ERROR("{ $ = 1 }", 3, "expected '.' or '[' after '$'");
  EXPECT_PATTERN_ERROR("{ $.a[*].b[*] = 1 }", 11, "only one wildcard");
  EXPECT_PATTERN_ERROR("{ $.*.* = 1 }", 6, "only one wildcard");
  EXPECT_PATTERN_ERROR("{ $.a@b = 1 }", 5, "invalid character in a selector");
  EXPECT_PATTERN_ERROR("{ $.a* = 1 }", 5, "invalid character in a selector");
  EXPECT_PATTERN_ERROR("{ $.a[x] = 1 }", 6, "expected an array index or '*'");
  EXPECT_PATTERN_ERROR("{ $.a[0 = 1 }", 7, "expected ']'");
  EXPECT_PATTERN_ERROR("{ $.['a.b' = 1 }", 10, "expected ']' after the quoted key");
  EXPECT_PATTERN_ERROR("{ $.['a.b = 1 }", 5, "unterminated quoted key");
  EXPECT_PATTERN_ERROR("{ eventName = x }", 2, "expected a condition");
  EXPECT_PATTERN_ERROR("{}", 1, "expected a condition");
  EXPECT_PATTERN_ERROR("{ $.a = 1 && }", 13, "expected a condition");
}

TEST(Errors, RegexValues) {
  EXPECT_TRUE(eval("{ $.eventName = %Disable.*% }", {{"$.eventName", S("DisableKey")}}));
  EXPECT_PATTERN_ERROR("{ $.a = 1 || $.b != %x(% }", 22, "groups are not supported");
  // Inside quotes '%' is a literal.
  EXPECT_TRUE(eval("{ $.a = \"%x%\" }", {{"$.a", S("%x%")}}));
  EXPECT_FALSE(eval("{ $.a = \"%x%\" }", {{"$.a", S("x")}}));
}

TEST(Errors, WildcardSelectorLimit) {
  const std::string_view three = "{ $.a[*] = 1 && $.b[*] = 1 && $.* = 1 }";
  EXPECT_NO_THROW(Pattern::parse(three));
  EXPECT_PATTERN_ERROR("{ $.a[*] = 1 && $.b[*] = 1 && $.* = 1 && $.c.* = 1 }", 41,
                       "at most 3 selectors with a wildcard");
}

TEST(Errors, PatternLengthLimit) {
  const std::string head = "{ $.a = \"";
  const std::string tail = "\" }";
  const std::string at_limit = head + std::string(1024 - head.size() - tail.size(), 'x') + tail;
  ASSERT_EQ(at_limit.size(), 1024u);
  EXPECT_NO_THROW(Pattern::parse(at_limit));
  const std::string over = head + std::string(1025 - head.size() - tail.size(), 'x') + tail;
  EXPECT_PATTERN_ERROR(over, 1024, "at most 1024 characters");
  EXPECT_PATTERN_ERROR(std::string(1025, ' '), 1024, "at most 1024 characters");

  // The limit counts characters: 1000 two-byte characters are 1000, not 2000.
  std::string wide = head;
  for (int i = 0; i < 1000; ++i) wide += "\xC3\xA9";
  wide += tail;
  EXPECT_NO_THROW(Pattern::parse(wide));
}

TEST(Errors, CaretMessage) {
  const PatternError e = parse_error("{ ($.eventSource = kms.amazonaws.com }");
  EXPECT_STREQ(e.what(), "invalid filter pattern: expected ')' at column 38");
  EXPECT_EQ(e.caret_message(),
            "invalid filter pattern: expected ')' at column 38\n"
            "  { ($.eventSource = kms.amazonaws.com }\n"
            "                                       ^");
  EXPECT_EQ(e.pattern(), "{ ($.eventSource = kms.amazonaws.com }");
  EXPECT_EQ(e.detail(), "expected ')'");
}

TEST(Errors, CaretMessageAtTheEndAndWithTabsAndWideCharacters) {
  const PatternError end = parse_error("{ $.a = 1");
  EXPECT_EQ(
      end.caret_message(),
      "invalid filter pattern: expected '}' at the end (if a filter pattern starts with '{' it must end "
      "with '}') at column 10\n"
      "  { $.a = 1\n"
      "           ^");
  const PatternError tab = parse_error("{\t$.a >= x }");
  EXPECT_EQ(tab.caret_message(),
            "invalid filter pattern: expected a number after '>=' (it compares numbers only; use = or != for "
            "text) at column 10\n"
            "  {\t$.a >= x }\n"
            "   \t       ^");
  // "é" is two bytes: the byte offset is 14, the character column 14 (1-based).
  const PatternError wide = parse_error("{ $.a = \xC3\xA9 $.b }");
  EXPECT_EQ(wide.column(), 11u);
  EXPECT_STREQ(wide.what(), "invalid filter pattern: expected '&&', '||' or '}' at column 11");
  // A pattern folded over lines shows the line with the error; the column still counts from the pattern's
  // start.
  const PatternError lines = parse_error("{ $.a = 1 &&\n  $.b => 2 }");
  EXPECT_EQ(lines.caret_message(),
            "invalid filter pattern: expected a value after '=' at column 21\n"
            "    $.b => 2 }\n"
            "         ^");
}

// ----- the CIS texts of docs/filter-patterns.md §8

struct CisText {
  const char* name;
  const char* text;
};

// Verbatim from docs/filter-patterns.md §8 (CIS v1.2 3.x, v1.4-v5 4.x, v6 5.x, Security Hub variants).
const CisText kCisTexts[] =
    {
        {"3.1", R"({ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") })"},
        {"4.1 v1.4 CLI",
         R"({ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") })"},
        {"4.1 v1.4 console", R"({($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")})"},
        {"4.1 v3.0",
         R"({ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") })"},
        {"5.1 v6.0",
         R"({ ($.errorCode="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") })"},
        {"3.2", R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") })"},
        {"4.2 alternative",
         R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") })"},
        {"3.3",
         R"({ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" })"},
        {"3.4",
         R"({($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)})"},
        {"3.5",
         R"({ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) })"},
        {"3.6", R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") })"},
        {"3.7",
         R"({($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) })"},
        {"3.8",
         R"({ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) })"},
        {"3.9",
         R"({ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel) ||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) })"},
        {"3.10",
         R"({($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) })"},
        {"5.10",
         R"({ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) })"},
        {"3.11",
         R"({ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) })"},
        {"3.12",
         R"({ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) })"},
        {"3.13",
         R"({ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) })"},
        {"3.14",
         R"({ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) })"},
        {"4.15",
         R"({ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) })"},
        {"CloudWatch.1",
         R"({$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"})"},
        {"CloudWatch.2", R"({($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")})"},
        {"CloudWatch.7",
         R"({($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))})"},
        {"seed",
         "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = "
         "ScheduleKeyDeletion)) }"},
};

// CloudTrail-shaped records that between them match and miss every text above.
const std::vector<Record>& cis_records() {
  static const std::vector<Record> records = {
      {{"$.eventSource", S("kms.amazonaws.com")}, {"$.eventName", S("DisableKey")}},
      {{"$.eventSource", S("kms.amazonaws.com")}, {"$.eventName", S("DisableKeyRotation")}},
      {{"$.eventSource", S("s3.amazonaws.com")}, {"$.eventName", S("PutBucketPolicy")}},
      {{"$.eventSource", S("config.amazonaws.com")}, {"$.eventName", S("StopConfigurationRecorder")}},
      {{"$.eventName", S("ConsoleLogin")},
       {"$.additionalEventData.MFAUsed", S("No")},
       {"$.userIdentity.type", S("IAMUser")},
       {"$.responseElements.ConsoleLogin", S("Success")}},
      {{"$.eventName", S("ConsoleLogin")}, {"$.userIdentity.type", S("AssumedRole")}},
      {{"$.eventName", S("ConsoleLogin")}, {"$.errorMessage", S("Failed authentication")}},
      {{"$.userIdentity.type", S("Root")},
       {"$.eventType", S("AwsApiCall")},
       {"$.eventName", S("GetAccountSummary")}},
      {{"$.userIdentity.type", S("Root")},
       {"$.userIdentity.invokedBy", S("s3.amazonaws.com")},
       {"$.eventType", S("AwsApiCall")}},
      {{"$.errorCode", S("AccessDenied")},
       {"$.sourceIPAddress", S("1.2.3.4")},
       {"$.eventName", S("GetObject")}},
      {{"$.errorCode", S("Client.UnauthorizedOperation")}, {"$.eventName", S("RunInstances")}},
      {{"$.errorCode", S("AccessDenied")},
       {"$.sourceIPAddress", S("delivery.logs.amazonaws.com")},
       {"$.eventName", S("HeadBucket")}},
      {{"$.eventSource", S("iam.amazonaws.com")}, {"$.eventName", S("DeleteGroupPolicy")}},
      {{"$.eventSource", S("cloudtrail.amazonaws.com")}, {"$.eventName", S("StopLogging")}},
      {{"$.eventName", S("AuthorizeSecurityGroupIngress")}},
      {{"$.eventName", S("ModifySecurityGroupRules")}},
      {{"$.eventName", S("CreateNetworkAcl")}},
      {{"$.eventName", S("CreateCustomerGateway")}},
      {{"$.eventName", S("CreateRoute")}},
      {{"$.eventName", S("EnableVpcClassicLink")}},
      {{"$.eventSource", S("organizations.amazonaws.com")}, {"$.eventName", S("AcceptHandshake")}},
      {{"$.eventSource", S("ec2.amazonaws.com")}, {"$.eventName", S("DescribeInstances")}},
  };
  return records;
}

// Re-spaces a pattern without changing its meaning: `separator` goes between every two tokens, except that
// two words (`invokedBy NOT`) always keep at least one space. Quoted values stay as they are.
std::string respace(std::string_view text, std::string_view separator) {
  std::vector<std::pair<std::string, bool>> tokens;  // text, is a word
  std::size_t i = 0;
  auto punct = [](char c) { return std::string_view("{}()=!<>&|").find(c) != std::string_view::npos; };
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (c == '"') {
      std::size_t j = i + 1;
      while (text[j] != '"') j += text[j] == '\\' ? 2 : 1;
      tokens.emplace_back(std::string(text.substr(i, j + 1 - i)), false);
      i = j + 1;
    } else if (punct(c)) {
      std::size_t len = 1;
      for (std::string_view two : {"&&", "||", "!=", "<=", ">="})
        if (text.substr(i, 2) == two) len = 2;
      tokens.emplace_back(std::string(text.substr(i, len)), false);
      i += len;
    } else {
      std::size_t j = i;
      while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '"' && !punct(text[j])) ++j;
      tokens.emplace_back(std::string(text.substr(i, j - i)), true);
      i = j;
    }
  }
  std::string out;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    if (k > 0)
      out += separator.empty() && tokens[k - 1].second && tokens[k].second ? " " : std::string(separator);
    out += tokens[k].first;
  }
  return out;
}

TEST(CisTexts, EveryTextParsesAndEveryRespacingAgrees) {
  for (const auto& [name, text] : kCisTexts) {
    SCOPED_TRACE(name);
    Pattern verbatim = Pattern::parse(text);
    FieldPlan plan;
    verbatim.bind(plan);
    std::vector<bool> expected;
    for (const Record& r : cis_records()) expected.push_back(eval(verbatim, plan, r));
    EXPECT_NE(std::count(expected.begin(), expected.end(), true), 0) << "no record matches " << text;
    EXPECT_NE(std::count(expected.begin(), expected.end(), false), 0) << "every record matches " << text;

    for (std::string_view separator : {"", " ", "\t", "\n", "  \t "}) {
      const std::string variant = respace(text, separator);
      if (separator.size() > 1 && variant.size() > 1024) continue;  // the 1024-character limit
      SCOPED_TRACE(variant);
      Pattern respaced = Pattern::parse(variant);
      FieldPlan variant_plan;
      respaced.bind(variant_plan);
      for (std::size_t k = 0; k < cis_records().size(); ++k)
        EXPECT_EQ(eval(respaced, variant_plan, cis_records()[k]), expected[k]) << "record " << k;
    }
  }
}

TEST(CisTexts, RespaceProducesTheExpectedVariants) {
  EXPECT_EQ(respace(R"({ $.a.b NOT EXISTS && ($.c != "x y") })", ""), R"({$.a.b NOT EXISTS&&($.c!="x y")})");
  EXPECT_EQ(respace(R"({$.a="x"})", " "), R"({ $.a = "x" })");
}

TEST(CisTexts, RootAccountUsage) {
  const std::string_view text = kCisTexts[7].text;
  EXPECT_TRUE(eval(text, {{"$.userIdentity.type", S("Root")}, {"$.eventType", S("AwsApiCall")}}));
  EXPECT_FALSE(eval(text, {{"$.userIdentity.type", S("Root")}, {"$.eventType", S("AwsServiceEvent")}}));
  EXPECT_FALSE(eval(text, {{"$.userIdentity.type", S("Root")},
                           {"$.userIdentity.invokedBy", S("support.amazonaws.com")},
                           {"$.eventType", S("AwsApiCall")}}));
  EXPECT_FALSE(eval(text, {{"$.userIdentity.type", S("Root")}}));  // != on the missing eventType
  EXPECT_FALSE(eval(text, {{"$.userIdentity.type", S("IAMUser")}, {"$.eventType", S("AwsApiCall")}}));
}

TEST(CisTexts, V3UnauthorizedPrecedenceTrap) {
  // A || B && C && D: the HeadBucket and delivery.logs exclusions guard only the AccessDenied* branch.
  const std::string_view text = kCisTexts[3].text;
  EXPECT_TRUE(
      eval(text, {{"$.errorCode", S("Client.UnauthorizedOperation")}, {"$.eventName", S("HeadBucket")}}));
  EXPECT_FALSE(eval(text, {{"$.errorCode", S("AccessDenied")},
                           {"$.sourceIPAddress", S("1.2.3.4")},
                           {"$.eventName", S("HeadBucket")}}));
  EXPECT_TRUE(eval(text, {{"$.errorCode", S("AccessDenied")},
                          {"$.sourceIPAddress", S("1.2.3.4")},
                          {"$.eventName", S("GetObject")}}));
  // The exclusions use !=, so AccessDenied without a sourceIPAddress does not match
  // (docs/filter-patterns.md A2).
  EXPECT_FALSE(eval(text, {{"$.errorCode", S("AccessDenied")}, {"$.eventName", S("GetObject")}}));
}

TEST(CisTexts, IamPolicyChangesIsOneLookup) {
  EXPECT_EQ(pattern_detail::parse_json_pattern(kCisTexts[8].text, 0).conditions.size(), 1u);
  EXPECT_EQ(pattern_detail::parse_json_pattern(kCisTexts[20].text, 0).conditions.size(), 2u);
}

TEST(CisTexts, V14CliTextMatchesAlmostEverything) {
  const std::string_view text = kCisTexts[1].text;
  EXPECT_TRUE(eval(text, {{"$.eventName", S("DescribeInstances")}}));
  EXPECT_FALSE(eval(text, {{"$.eventName", S("HeadBucket")}}));
}

// CIS v6.0 5.15 as shipped reads `($.eventName = AcceptHandshake")`. The value ends at the stray quote and
// the quote cannot follow a value, so the pattern is rejected with the caret on the quote. (Reading the quote
// as part of the value would open a string that swallows the rest of the pattern; rejecting it is what AWS's
// parser most likely does too, and it is the useful answer for an audit: the text as published cannot be
// deployed.)
TEST(CisTexts, V6OrganizationsTextWithAStrayQuoteIsRejected) {
  std::string text = kCisTexts[20].text;
  const std::size_t open = text.find("\"AcceptHandshake\"");
  ASSERT_NE(open, std::string::npos);
  text.erase(open, 1);
  const std::size_t stray = text.find("AcceptHandshake\"") + std::string_view("AcceptHandshake").size();
  const PatternError e = parse_error(text);
  EXPECT_EQ(e.column(), stray);
  EXPECT_NE(e.detail().find("a quoted value needs '\"' at both ends"), std::string::npos) << e.detail();
  EXPECT_TRUE(eval(kCisTexts[20].text, {{"$.eventSource", S("organizations.amazonaws.com")},
                                        {"$.eventName", S("AcceptHandshake")}}));
}

// ----- the glob compiler on its own

TEST(Glob, LegacyModeTreatsOnlyEndStarsAsWildcards) {
  using pattern_detail::Glob;
  const Glob middle = Glob::compile("Ev*ent", false);
  EXPECT_TRUE(middle.matches("Ev*ent"));
  EXPECT_FALSE(middle.matches("Event"));
  EXPECT_TRUE(Glob::compile("*Event", false).matches("MyEvent"));
  EXPECT_TRUE(Glob::compile("Event*", false).matches("EventX"));
  EXPECT_TRUE(Glob::compile("*a*b*", false).matches("xa*by"));
  EXPECT_FALSE(Glob::compile("*a*b*", false).matches("xaby"));
  EXPECT_TRUE(Glob::compile("*", false).matches(""));
  EXPECT_TRUE(Glob::compile("Ev*ent", true).matches("Event"));
  EXPECT_TRUE(Glob::compile("abc").is_literal());
  EXPECT_FALSE(Glob::compile("a*c").is_literal());
}

}  // namespace
}  // namespace trailwatch
