// The prefilter may only ever skip records that cannot match: the literals derived from patterns, the escape
// sequences added for them, and the reader's per-record and per-buffer decisions, including on records whose
// values and keys are written with JSON escapes.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "filter_vectors.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"

namespace trailwatch {
namespace {

using Clauses = std::vector<std::vector<std::string>>;

constexpr const char* kCmkPattern =
    "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = "
    "ScheduleKeyDeletion)) }";

Clauses sorted(Clauses clauses) {
  for (auto& clause : clauses) std::sort(clause.begin(), clause.end());
  std::sort(clauses.begin(), clauses.end());
  return clauses;
}

Clauses required(const std::string& pattern) {
  return sorted(Pattern::parse(pattern).required_literals());
}

TEST(RequiredLiterals, TheCmkRuleNeedsItsSourceAndOneOfItsNames) {
  EXPECT_EQ(required(kCmkPattern), (Clauses{{"DisableKey", "ScheduleKeyDeletion"}, {"kms.amazonaws.com"}}));
}

TEST(RequiredLiterals, ClauseOrderQuotingAndSpacingDoNotMatter) {
  EXPECT_EQ(required("{(($.eventName=\"ScheduleKeyDeletion\")||($.eventName=DisableKey))&&"
                     "($.eventSource=\"kms.amazonaws.com\")}"),
            required(kCmkPattern));
}

TEST(RequiredLiterals, AWildcardValueNeedsItsLongestPiece) {
  EXPECT_EQ(required("{ $.errorCode = \"*UnauthorizedOperation\" }"), (Clauses{{"UnauthorizedOperation"}}));
  EXPECT_EQ(required("{ $.a = \"ab*cdef*g\" }"), (Clauses{{"cdef"}}));
}

TEST(RequiredLiterals, AnAlternativeWithoutTextRequiresNothing) {
  EXPECT_TRUE(required("{ ($.a = \"abc\") || ($.b > 3) }").empty());
  EXPECT_TRUE(required("{ $.a != \"abc\" }").empty());
  EXPECT_TRUE(required("{ $.a NOT EXISTS }").empty());
  EXPECT_TRUE(required("{ $.a = %abc% }").empty());
  EXPECT_TRUE(required("{ $.a = \"ab\" }").empty());  // too short to be worth a search
}

TEST(RequiredLiterals, AlternativesOnDifferentFieldsJoinInOneClause) {
  EXPECT_EQ(required("{ ($.a = \"abc\") || ($.b = \"def\") }"), (Clauses{{"abc", "def"}}));
  EXPECT_EQ(required("{ (($.a = \"abc\") && ($.c = \"xyz\")) || ($.b = \"def\") }"),
            (Clauses{{"abc", "def"}, {"def", "xyz"}}));
}

TEST(RequiredLiterals, TextPatternsRequireNothing) {
  EXPECT_TRUE(required("ERROR").empty());
  EXPECT_TRUE(required("%DisableKey%").empty());
  EXPECT_TRUE(required("").empty());
}

TEST(LiteralPrefilter, EachClauseAlsoAcceptsTheEscapesThatCouldSpellIt) {
  auto prefilter = LiteralPrefilter::build({{{"DisableKey"}}, {{"a/b/c"}}, {{"café"}}});
  ASSERT_TRUE(prefilter);
  auto has = [&](const char* literal) {
    return std::find(prefilter->literals.begin(), prefilter->literals.end(), literal) !=
           prefilter->literals.end();
  };
  EXPECT_TRUE(has("DisableKey"));
  EXPECT_TRUE(has("\\u00"));  // an ASCII character is escaped as \u00XX
  EXPECT_TRUE(has("\\/"));    // '/' may be written "\/"
  EXPECT_TRUE(has("\\u"));    // any other code point as \uXXXX
}

TEST(LiteralPrefilter, NoPrefilterWhenSomeRuleRequiresNothing) {
  EXPECT_FALSE(LiteralPrefilter::build({{{"DisableKey"}}, {}}));
  // A literal holding a quote has too many spellings to search for: its clause is dropped.
  EXPECT_FALSE(LiteralPrefilter::build({{{"say \"hi\""}}}));
  EXPECT_TRUE(LiteralPrefilter::build({{{"say \"hi\""}, {"DisableKey"}}}));
}

// Counts what a reader hands over, and what the pattern makes of it.
class CountingSink : public RecordSink {
 public:
  explicit CountingSink(const Pattern& pattern) : pattern_(pattern) {}
  void on_record(const RecordView& record) override {
    ++delivered;
    matched += pattern_.matches(EventView{&record.fields, record.raw}) ? 1 : 0;
  }
  void on_unmatchable_record() override { ++skipped; }
  int delivered = 0;
  int skipped = 0;
  int matched = 0;

 private:
  const Pattern& pattern_;
};

struct PrefilteredReader {
  explicit PrefilteredReader(const std::string& text) : pattern(Pattern::parse(text)) {
    pattern.bind(plan);
    prefilter = LiteralPrefilter::build({pattern.required_literals()});
  }
  Pattern pattern;
  FieldPlan plan;
  std::optional<LiteralPrefilter> prefilter;
};

std::string padded(const std::string& text) {
  return text + std::string(kRecordPadding, '\0');
}

const std::vector<std::string> kRecords = {
    R"({"eventSource":"kms.amazonaws.com","eventName":"DisableKey","eventTime":"2026-01-01T00:00:00Z"})",
    R"({"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"2026-01-01T00:00:01Z"})",
    R"({"eventName":"ScheduleKeyDeletion","eventTime":"2026-01-01T00:00:02Z","eventSource":"kms.amazonaws.com"})",
    R"({"eventSource":"kms.amazonaws.com","eventName":"Disable\u004bey","eventTime":"2026-01-01T00:00:03Z"})",
    R"({"eventSource":"kms.amazonaws\u002ecom","eventName":"DisableKey","eventTime":"2026-01-01T00:00:04Z"})",
    R"({"eventSource":"kms.amazonaws.com","event\u004eame":"DisableKey","eventTime":"2026-01-01T00:00:05Z"})",
    R"({"eventSource":"kms.amazonaws.com","eventName":"EnableKey","eventTime":"2026-01-01T00:00:06Z"})",
    R"({"eventSource":"ec2.amazonaws.com","eventName":"DisableKey","eventTime":"2026-01-01T00:00:07Z"})",
    R"({"eventSource":"kms.amazonaws.com","eventName":"DisableKey","eventName":"EnableKey"})",
    R"({"eventSource":"iam.amazonaws.com","eventName":"ListUsers","eventTime":"2026-01-01T00:00:09Z"})",
};
constexpr int kMatches = 5;  // plain, reordered, escaped value, escaped source, escaped key

TEST(PrefilteredReading, EveryMatchIsDeliveredWhateverItsSpellingInAnEnvelope) {
  PrefilteredReader r(kCmkPattern);
  ASSERT_TRUE(r.prefilter);
  std::string envelope = "{\"Records\":[";
  for (std::size_t i = 0; i < kRecords.size(); ++i) envelope += (i ? "," : "") + kRecords[i];
  envelope += "]}";
  const std::string data = padded(envelope);
  RecordReader reader(r.plan, {}, &*r.prefilter);
  CountingSink sink(r.pattern);
  ReadResult result = reader.read(std::string_view(data.data(), envelope.size()), sink);
  ASSERT_EQ(result.error, "");
  EXPECT_EQ(result.records, kRecords.size());
  EXPECT_EQ(sink.matched, kMatches);
  EXPECT_EQ(sink.delivered + sink.skipped, static_cast<int>(kRecords.size()));
  EXPECT_GE(sink.skipped, 2);  // the s3 and iam records hold neither the source nor a name
}

TEST(PrefilteredReading, EveryMatchIsDeliveredWhateverItsSpellingInNdjson) {
  PrefilteredReader r(kCmkPattern);
  std::string lines;
  for (const std::string& record : kRecords) lines += record + "\n";
  lines += "{\"eventSource\":\"s3.amazonaws.com\",\"broken\":\n";  // a bad line still fails alone
  const std::string data = padded(lines);
  RecordReader reader(r.plan, {}, &*r.prefilter);
  CountingSink sink(r.pattern);
  ReadResult result = reader.read(std::string_view(data.data(), lines.size()), sink);
  ASSERT_EQ(result.error, "");
  EXPECT_EQ(result.records, kRecords.size());
  EXPECT_EQ(result.records_failed, 1u);
  EXPECT_EQ(sink.matched, kMatches);
  EXPECT_GE(sink.skipped, 2);
}

TEST(PrefilteredReading, PrettyPrintedCandidatesAreReadAgainOnTheirOwn) {
  PrefilteredReader r(kCmkPattern);
  const std::string envelope =
      "{\n  \"Records\": [\n    {\n      \"eventSource\": \"kms.amazonaws.com\",\n      \"eventName\": "
      "\"DisableKey\"\n    },\n    {\n      \"eventSource\": \"s3.amazonaws.com\"\n    }\n  ]\n}\n";
  const std::string data = padded(envelope);
  RecordReader reader(r.plan, {}, &*r.prefilter);
  CountingSink sink(r.pattern);
  ReadResult result = reader.read(std::string_view(data.data(), envelope.size()), sink);
  ASSERT_EQ(result.error, "");
  EXPECT_EQ(result.records, 2u);
  EXPECT_EQ(sink.matched, 1);
  EXPECT_EQ(sink.skipped, 1);
}

// Records the order in which records were delivered ('C') or counted unread ('U').
class SequenceSink : public RecordSink {
 public:
  void on_record(const RecordView&) override { sequence += 'C'; }
  void on_unmatchable_record() override { sequence += 'U'; }
  std::string sequence;
};

// The reader searches in full only one clause per rule (the one that looks rarest in the buffer) and checks
// the others in each record's text: whichever clause that is, the candidates must be exactly the records that
// hold, for some rule, a literal of every clause.
TEST(PrefilteredReading, CandidatesAreTheRecordsHoldingEveryClauseWhicheverClauseIsRarer) {
  Pattern cmk = Pattern::parse(kCmkPattern);
  Pattern iam =
      Pattern::parse(R"({ ($.eventSource = "iam.amazonaws.com") && ($.eventName = "DeleteUser") })");
  FieldPlan plan;
  cmk.bind(plan);
  iam.bind(plan);
  const std::vector<std::vector<LiteralPrefilter::Clause>> rules = {cmk.required_literals(),
                                                                    iam.required_literals()};
  const std::optional<LiteralPrefilter> prefilter = LiteralPrefilter::build(rules);
  ASSERT_TRUE(prefilter);
  RecordReader reader(plan, {}, &*prefilter);
  const std::vector<std::string> sources = {"kms.amazonaws.com", "s3.amazonaws.com", "iam.amazonaws.com"};
  const std::vector<std::string> names = {"DisableKey", "GetObject", "DeleteUser", "ScheduleKeyDeletion",
                                          "Disable\\u004bey"};
  std::mt19937 random(11);
  for (int buffer = 0; buffer < 60; ++buffer) {
    // Each buffer has its own mix, so that either clause of a rule may be the rarer one.
    const unsigned source_bias = random() % 3;
    const unsigned name_bias = random() % 5;
    std::string envelope = "{\"Records\":[";
    std::string expected;
    for (int i = 0; i < 120; ++i) {
      const std::string& source = sources[random() % 4 == 0 ? random() % 3 : source_bias];
      const std::string& name = names[random() % 4 == 0 ? random() % 5 : name_bias];
      const std::string record = random() % 2 == 0
                                     ? R"({"eventSource":")" + source + R"(","eventName":")" + name + R"("})"
                                     : R"({"eventName":")" + name + R"(","eventSource":")" + source + R"("})";
      envelope += (i > 0 ? "," : "") + record;
      bool is_candidate = false;
      for (const auto& rule : prefilter->rules) {
        bool every_clause = true;
        for (const auto& clause : rule) {
          bool any = false;
          for (std::uint32_t l : clause) any |= record.find(prefilter->literals[l]) != std::string::npos;
          every_clause &= any;
        }
        is_candidate |= every_clause;
      }
      expected += is_candidate ? 'C' : 'U';
    }
    envelope += "]}";
    const std::string data = padded(envelope);
    SequenceSink sink;
    ASSERT_EQ(reader.read(std::string_view(data.data(), envelope.size()), sink).error, "");
    EXPECT_EQ(sink.sequence, expected) << envelope;
  }
}

TEST(PrefilteredReading, ABufferIsSkippedOnlyWhenNoRecordCouldMatch) {
  PrefilteredReader r(kCmkPattern);
  RecordReader reader(r.plan, {}, &*r.prefilter);
  auto may_match = [&](const std::string& text) {
    const std::string data = padded(text);
    return reader.may_match(std::string_view(data.data(), text.size()));
  };
  EXPECT_FALSE(may_match(R"({"Records":[{"eventSource":"kms.amazonaws.com","eventName":"EnableKey"}]})"));
  EXPECT_FALSE(may_match(R"({"Records":[{"eventSource":"s3.amazonaws.com","eventName":"DisableKey"}]})"));
  EXPECT_TRUE(may_match(R"({"Records":[{"eventSource":"kms.amazonaws.com","eventName":"DisableKey"}]})"));
  EXPECT_TRUE(
      may_match(R"({"Records":[{"eventSource":"kms.amazonaws.com","eventName":"Disable\u004bey"}]})"));
  // The source in one record and the name in another: the buffer must be parsed, though neither matches.
  EXPECT_TRUE(may_match(
      R"({"Records":[{"eventSource":"kms.amazonaws.com"},{"eventSource":"s3","eventName":"DisableKey"}]})"));
  // Literals near the very end of a buffer (the scalar tail of the search).
  EXPECT_TRUE(may_match(R"({"eventSource":"kms.amazonaws.com","eventName":"ScheduleKeyDeletion"})"));
}

TEST(PrefilteredReading, ReadOrSkipJudgesEachBufferAfreshThoughItsMemoryIsReused) {
  PrefilteredReader r(kCmkPattern);
  RecordReader reader(r.plan, {}, &*r.prefilter);
  const std::string quiet = R"({"Records":[{"eventSource":"kms.amazonaws.com","eventName":"EnableKey"}]} )";
  const std::string loud = R"({"Records":[{"eventSource":"kms.amazonaws.com","eventName":"DisableKey"}]})";
  ASSERT_EQ(quiet.size(), loud.size());
  std::string buffer = padded(quiet);  // one allocation, rewritten in place, as a worker's buffer is
  bool skipped = false;
  CountingSink first(r.pattern);
  reader.read_or_skip(std::string_view(buffer.data(), quiet.size()), first, skipped);
  EXPECT_TRUE(skipped);
  EXPECT_EQ(first.delivered + first.skipped, 0);
  std::copy(loud.begin(), loud.end(), buffer.begin());  // same address and length
  CountingSink second(r.pattern);
  ReadResult result = reader.read_or_skip(std::string_view(buffer.data(), quiet.size()), second, skipped);
  EXPECT_FALSE(skipped);
  EXPECT_EQ(result.records, 1u);
  EXPECT_EQ(second.matched, 1);
}

TEST(PrefilteredReading, ANeverMatchingRuleSkipsEverything) {
  auto prefilter = LiteralPrefilter::build({{{}}});
  ASSERT_TRUE(prefilter);
  FieldPlan plan;
  RecordReader reader(plan, {}, &*prefilter);
  const std::string text = R"({"Records":[{"a":1},{"b":2}]})";
  const std::string data = padded(text);
  EXPECT_FALSE(reader.may_match(std::string_view(data.data(), text.size())));
  Pattern none = Pattern::parse("{ $.a = \"zzz\" }");
  CountingSink sink(none);
  ReadResult result = reader.read(std::string_view(data.data(), text.size()), sink);
  EXPECT_EQ(result.records, 2u);
  EXPECT_EQ(sink.skipped, 2);
}

// The event with every character of every string (keys included) written as a \u escape: the same JSON
// value, the hardest spelling for a literal search.
std::string escape_every_string_character(const std::string& json) {
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(json[i]);
    if (!in_string) {
      out += json[i];
      in_string = c == '"';
      continue;
    }
    if (c == '"') {
      out += '"';
      in_string = false;
    } else if (c == '\\') {  // an existing escape is kept as written
      out += json[i];
      out += json[++i];
      if (json[i] == 'u') out += json.substr(i + 1, 4), i += 4;
    } else {
      std::uint32_t code = c;
      int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
      if (extra > 0) code = c & (0x3F >> extra);
      for (int k = 0; k < extra; ++k) code = (code << 6) | (static_cast<unsigned char>(json[++i]) & 0x3F);
      auto hex4 = [&](std::uint32_t unit) {
        char buffer[16];  // room for any unsigned, so that the compiler sees no truncation
        std::snprintf(buffer, sizeof buffer, "\\u%04x", unit);
        out += buffer;
      };
      if (code >= 0x10000) {
        code -= 0x10000;
        hex4(0xD800 + (code >> 10));
        hex4(0xDC00 + (code & 0x3FF));
      } else {
        hex4(code);
      }
    }
  }
  return out;
}

TEST(PrefilteredReading, NoVectorMatchIsEverSkippedEvenFullyEscaped) {
  int checked = 0;
  for (const testing_support::Vector& v : testing_support::load_vectors()) {
    if (!v.pattern.starts_with('{') || !v.event.starts_with('{')) continue;
    PrefilteredReader r(v.pattern);
    for (const std::string& event : {v.event, escape_every_string_character(v.event)}) {
      for (bool with_prefilter : {false, true}) {
        if (with_prefilter && !r.prefilter) continue;
        RecordReader reader(r.plan, {}, with_prefilter ? &*r.prefilter : nullptr);
        CountingSink sink(r.pattern);
        const std::string data = padded(event);
        ReadResult result = reader.read(std::string_view(data.data(), event.size()), sink);
        if (!result.error.empty() || result.records != 1) continue;  // not an object: no JSON pattern matches
        ++checked;
        EXPECT_EQ(sink.matched == 1, v.match) << "line " << v.line << (with_prefilter ? " prefiltered" : "")
                                              << "\n  pattern: " << v.pattern << "\n  event:   " << event;
      }
    }
  }
  EXPECT_GT(checked, 60);
}

// The same vectors with the patterns of all of them in one scan (many rules, so many literals: the one-pass
// search): no event that its own vector's pattern matches is ever skipped, plain or fully escaped.
TEST(PrefilteredReading, NoVectorMatchIsSkippedWhenAllVectorsRulesRunTogether) {
  const std::vector<testing_support::Vector> vectors = testing_support::load_vectors();
  FieldPlan plan;
  std::vector<Pattern> patterns;
  std::vector<std::vector<LiteralPrefilter::Clause>> rules;
  for (const testing_support::Vector& v : vectors) {
    if (!v.pattern.starts_with('{')) continue;
    Pattern pattern = Pattern::parse(v.pattern);
    std::vector<LiteralPrefilter::Clause> required = pattern.required_literals();
    if (required.empty()) continue;  // a rule that requires nothing turns the prefilter off
    pattern.bind(plan);
    patterns.push_back(std::move(pattern));
    rules.push_back(std::move(required));
  }
  const std::optional<LiteralPrefilter> prefilter = LiteralPrefilter::build(rules);
  ASSERT_TRUE(prefilter);
  ASSERT_GT(prefilter->literals.size(), 8u);
  int checked = 0;
  for (const testing_support::Vector& v : vectors) {
    if (!v.pattern.starts_with('{') || !v.event.starts_with('{') || !v.match) continue;
    for (const std::string& event : {v.event, escape_every_string_character(v.event)}) {
      RecordReader reader(plan, {}, &*prefilter);
      SequenceSink sink;
      const std::string data = padded(event);
      ReadResult result = reader.read(std::string_view(data.data(), event.size()), sink);
      if (!result.error.empty() || result.records != 1) continue;
      if (Pattern::parse(v.pattern).required_literals().empty()) continue;  // not among the rules
      ++checked;
      EXPECT_EQ(sink.sequence, "C") << "line " << v.line << "\n  pattern: " << v.pattern
                                    << "\n  event:   " << event;
    }
  }
  EXPECT_GT(checked, 20);
}

}  // namespace
}  // namespace trailwatch
