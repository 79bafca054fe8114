// Runs every vector of testdata/filter-vectors.jsonl (see docs/filter-patterns.md §9) through the real
// pipeline: the pattern is parsed and bound to a FieldPlan, the event is read by a RecordReader as one NDJSON
// line, and the pattern sees the extracted fields and the event text. An event that is not a JSON object
// reaches the pattern without fields.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "filter_vectors.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"

namespace trailwatch {
namespace {

using testing_support::load_vectors;
using testing_support::Vector;

class EvaluatingSink : public RecordSink {
 public:
  EvaluatingSink(const Pattern& pattern, std::string_view event) : pattern_(pattern), event_(event) {}
  void on_record(const RecordView& record) override {
    ++records_;
    matched_ = pattern_.matches(EventView{&record.fields, event_});
  }
  int records() const { return records_; }
  bool matched() const { return matched_; }

 private:
  const Pattern& pattern_;
  std::string_view event_;
  int records_ = 0;
  bool matched_ = false;
};

// The outcome of one vector, or a description of why it could not be evaluated.
bool evaluate(const Vector& v, std::string& problem) {
  try {
    Pattern pattern = Pattern::parse(v.pattern);
    FieldPlan plan;
    pattern.bind(plan);
    RecordReader reader(plan);
    std::string padded = v.event;
    padded.append(kRecordPadding, '\0');
    EvaluatingSink sink(pattern, v.event);
    const ReadResult result = reader.read(std::string_view(padded.data(), v.event.size()), sink);
    if (!result.error.empty() || result.records_failed > 0 || sink.records() == 0)
      return pattern.matches(EventView{nullptr, v.event});
    if (sink.records() != 1) problem = "the event was read as " + std::to_string(sink.records()) + " records";
    return sink.matched();
  } catch (const PatternError& e) {
    problem = e.caret_message();
    return false;
  }
}

TEST(FilterVectors, EveryVectorHasTheExpectedOutcome) {
  const std::vector<Vector> vectors = load_vectors();
  ASSERT_GE(vectors.size(), 100u);
  std::ostringstream failures;
  int failed = 0;
  for (const Vector& v : vectors) {
    std::string problem;
    const bool matched = evaluate(v, problem);
    if (matched == v.match && problem.empty()) continue;
    ++failed;
    failures << "\nline " << v.line << " (" << v.confidence << "): expected "
             << (v.match ? "a match" : "no match") << ", got " << (matched ? "a match" : "no match")
             << "\n  pattern: " << v.pattern << "\n  event:   " << v.event << "\n  source:  " << v.source;
    if (!problem.empty()) failures << "\n  problem: " << problem;
  }
  EXPECT_EQ(failed, 0) << failed << " of " << vectors.size() << " vectors failed:" << failures.str();
}

TEST(FilterVectors, EveryKindIsCovered) {
  int json = 0, delimited = 0, regex = 0, terms = 0;
  for (const Vector& v : load_vectors()) {
    const Pattern pattern = Pattern::parse(v.pattern);
    const std::string_view p = v.pattern;
    if (p.starts_with('{'))
      ++json;
    else if (p.starts_with('['))
      ++delimited;
    else if (p.starts_with('%'))
      ++regex;
    else
      ++terms;
    EXPECT_EQ(pattern.needs_message(), !p.starts_with('{')) << v.pattern;
  }
  EXPECT_GT(json, 0);
  EXPECT_GT(delimited, 0);
  EXPECT_GT(regex, 0);
  EXPECT_GT(terms, 0);
}

}  // namespace
}  // namespace trailwatch
