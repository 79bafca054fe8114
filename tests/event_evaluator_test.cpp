// Single events through the plan: the path test-pattern, the audit's probes and the rule lint share.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "trailwatch/scan.hpp"

namespace trailwatch {
namespace {

ScanSpec one_filter(const std::string& pattern, const std::string& value = "1",
                    std::vector<std::pair<std::string, std::string>> dimensions = {}) {
  MetricTransformation m;
  m.name = "M";
  m.value = value;
  m.dimensions = std::move(dimensions);
  ScanSpec spec;
  spec.filters.push_back(MetricFilter{"f", Pattern::parse(pattern), m});
  return spec;
}

TEST(EventEvaluator, AJsonEventIsReadAsARecord) {
  ScanPlan plan(one_filter("{ $.eventName = DisableKey }", "$.n", {{"who", "$.userIdentity.arn"}}));
  EventEvaluator evaluator(plan);
  const auto& hit = evaluator.evaluate(R"({"eventName":"DisableKey","n":"2.5","userIdentity":{"arn":"u"}})");
  ASSERT_EQ(hit.size(), 1u);
  EXPECT_TRUE(hit[0].matched);
  EXPECT_EQ(hit[0].value, 2.5);
  EXPECT_EQ(hit[0].dimensions, SeriesKey{"u"});
  EXPECT_FALSE(evaluator.evaluate(R"({"eventName":"EnableKey"})")[0].matched);
  // Escapes are decoded as the records layer decodes them in a scan.
  EXPECT_TRUE(
      evaluator.evaluate(R"({"eventName":"\u0044isableKey","n":1,"userIdentity":{"arn":"u"}})")[0].matched);
}

TEST(EventEvaluator, TextIsAnEventWithoutFields) {
  ScanPlan json(one_filter("{ $.eventName = DisableKey }"));
  EventEvaluator on_json(json);
  EXPECT_FALSE(on_json.evaluate("DisableKey happened")[0].matched);
  EXPECT_FALSE(on_json.evaluate(R"({"eventName":"DisableKey"} trailing)")[0].matched);

  ScanPlan term(one_filter("DisableKey -EnableKey"));
  EventEvaluator on_text(term);
  EXPECT_TRUE(on_text.evaluate("DisableKey happened")[0].matched);
  EXPECT_FALSE(on_text.evaluate("EnableKey then DisableKey")[0].matched);
  // A JSON event is searched as its text by a term pattern.
  EXPECT_TRUE(on_text.evaluate(R"({"eventName":"DisableKey"})")[0].matched);
}

TEST(EventEvaluator, ADefaultValueIsPublishedForAnEventThatDoesNotMatch) {
  ScanSpec spec = one_filter("{ $.a = 1 }");
  spec.filters[0].metric.default_value = 0;
  ScanPlan plan(std::move(spec));
  EventEvaluator evaluator(plan);
  const auto& miss = evaluator.evaluate(R"({"a":2})");
  EXPECT_FALSE(miss[0].matched);
  EXPECT_EQ(miss[0].value, 0.0);
}

TEST(EventLines, BlankLinesAreNotEventsAndCarriageReturnsAreDropped) {
  std::istringstream in("a\r\n\n   \t\nb\n\r\nc");
  std::vector<std::pair<std::uint64_t, std::string>> seen;
  std::uint64_t n = for_each_event_line(
      in, [&](std::uint64_t number, std::string_view text) { seen.emplace_back(number, std::string(text)); });
  EXPECT_EQ(n, 3u);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], (std::pair<std::uint64_t, std::string>{1, "a"}));
  EXPECT_EQ(seen[2], (std::pair<std::uint64_t, std::string>{3, "c"}));
}

}  // namespace
}  // namespace trailwatch
