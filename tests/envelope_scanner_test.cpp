// The envelope scanner must be invisible on valid JSON: a reader using it hands the sink the same records, in
// the same order, with the same fields, and returns the same result as a reader that leaves every buffer to
// simdjson. Both check the records that cannot match only partly (strings, brackets, UTF-8, separators):
// simdjson's skip loop also catches some syntax errors inside them (a doubled colon after a first key, or a
// key without quotes, after which it delimits the elements differently), the scanner does not. So on invalid
// JSON, whenever simdjson's path reads a buffer without any error, buffer or record, the scanner's must give
// the same answer; where simdjson's path reports an error, the scanner's may too, or read the buffer.
// Checked on hand-made edge cases, on every truncation of an envelope, and on random mutations, with both
// kernels.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <cstdint>
#include <cstring>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include <simdjson.h>

#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"

namespace trailwatch {
namespace {

constexpr const char* kCmkPattern =
    "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = "
    "ScheduleKeyDeletion)) }";

// Every call the reader makes, as text.
class TranscriptSink final : public RecordSink {
 public:
  void on_record(const RecordView& record) override {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string here.
    transcript.append("record ").append(record.raw).append(" fields");
    for (std::size_t id = 0; id < record.fields.size(); ++id)
      for (const JsonValue& value : record.fields.get(static_cast<SelectorId>(id)))
        transcript.append(" ").append(std::to_string(id)).append("=").append(value.text);
    transcript.append("\n");
  }
  void on_unmatchable_record() override { transcript += "unmatchable\n"; }
  std::string transcript;
};

struct Outcome {
  std::string text;
  bool error = false;  // for the buffer or for some record
};

// `text` read from `offset` bytes past a 64-byte boundary of memory (any, when negative), followed by the
// padding the reader may read, as the ingest layer guarantees.
Outcome outcome(RecordReader& reader, const std::string& text, int offset = -1) {
  std::string padded(63 + text.size() + kRecordPadding, '\0');
  char* at = padded.data();
  if (offset >= 0)
    at += (64 - reinterpret_cast<std::uintptr_t>(at) % 64) % 64 + static_cast<std::size_t>(offset);
  std::memcpy(at, text.data(), text.size());
  TranscriptSink sink;
  const ReadResult result = reader.read(std::string_view(at, text.size()), sink);
  return {sink.transcript + "records=" + std::to_string(result.records) +
              " failed=" + std::to_string(result.records_failed) + " error=" + result.error +
              " first_record_error=" + result.first_record_error +
              " format=" + std::to_string(static_cast<int>(result.format)),
          !result.error.empty() || result.records_failed > 0};
}

bool valid_json(std::string text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  return parser.parse(text).get(root) == simdjson::SUCCESS;
}

class EnvelopeScanner : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (GetParam() != std::string("preferred")) ::setenv("TRAILWATCH_KERNEL", GetParam(), 1);
    pattern_ = Pattern::parse(kCmkPattern);
    pattern_->bind(plan_);
    prefilter_ = LiteralPrefilter::build({pattern_->required_literals()});
    ASSERT_TRUE(prefilter_.has_value());
    scanning_.emplace(plan_, limits_, &*prefilter_);
    plain_.emplace(plan_, limits_, &*prefilter_);
    plain_->use_envelope_scanner(false);
    ::unsetenv("TRAILWATCH_KERNEL");
  }

  // See the top of the file for what "agree" means.
  void expect_agree(const std::string& text) {
    const Outcome scanned = outcome(*scanning_, text);
    const Outcome plain = outcome(*plain_, text);
    if (plain.error && !valid_json(text)) return;
    EXPECT_EQ(scanned.text, plain.text) << "input: " << text;
  }

  std::optional<Pattern> pattern_;
  FieldPlan plan_;
  RecordLimits limits_{.max_depth = 12, .max_record_size = 400};
  std::optional<LiteralPrefilter> prefilter_;
  std::optional<RecordReader> scanning_;
  std::optional<RecordReader> plain_;
};

const std::string kMatch = R"({"eventSource":"kms.amazonaws.com","eventName":"DisableKey","n":1})";
const std::string kOther = R"({"eventSource":"s3.amazonaws.com","eventName":"GetObject","n":2})";
const std::string kNearMiss = R"({"eventSource":"kms.amazonaws.com","eventName":"EnableKey","n":3})";

std::string envelope(const std::vector<std::string>& records) {
  std::string out = R"({"Records":[)";
  for (std::size_t i = 0; i < records.size(); ++i) out += (i > 0 ? "," : "") + records[i];
  return out + "]}";
}

TEST_P(EnvelopeScanner, PlainEnvelopesGiveTheSameRecords) {
  expect_agree(envelope({}));
  expect_agree(envelope({kMatch}));
  expect_agree(envelope({kOther, kMatch, kOther, kOther, kNearMiss, kMatch, kOther}));
  expect_agree(" \n{ \"Records\" :\t[\n" + kOther + " ,\r\n " + kMatch + "\n]\n}\n");
  expect_agree("\xEF\xBB\xBF" + envelope({kMatch, kOther}));
  // Escapes and brackets in strings, escaped literals, nesting, non-ASCII text.
  expect_agree(
      envelope({R"({"eventSource":"kms.amazonaws.com","eventName":"\u0044isableKey"})",
                R"({"a":"}]{[","b":"\"}","c":"\\","d":"\\\"]","eventName":"DisableKey"})",
                R"({"x":{"y":[{"z":[1,2,{"w":"kms.amazonaws.com"}]}]},"eventName":"ScheduleKeyDeletion"})",
                R"({"eventSource":"kms.amazonaws.com","eventName":"DisableKey","u":"h\u00e9 é 𝄞 日本"})"}));
}

TEST(EnvelopeScannerOracle, ValidJsonIsToldFromInvalid) {
  EXPECT_TRUE(valid_json(R"({"Records":[{"a":"\"]"}]})"));
  EXPECT_FALSE(valid_json(R"({"Records":[{"a"::1}]})"));
  EXPECT_FALSE(valid_json(R"({"Records":[{"a":1}]} x)"));
}

// The one place the two differ, which also shows that the scanner is in use: a syntax error inside a record
// that cannot match, with strings and brackets intact.
TEST_P(EnvelopeScanner, ASyntaxErrorInARecordThatCannotMatchIsOnlyCaughtBySimdjson) {
  const std::string text = envelope({R"({"a"::1})", kMatch});
  EXPECT_FALSE(outcome(*scanning_, text).error);
  EXPECT_TRUE(outcome(*plain_, text).error);
  // In a record that can match, both catch it: the scanner hands the record to simdjson.
  EXPECT_TRUE(
      outcome(*scanning_, envelope({R"({"eventName":"DisableKey","eventSource":"kms.amazonaws.com",::1})"}))
          .error);
}

TEST_P(EnvelopeScanner, EveryBlockBoundaryGivesTheSameRecords) {
  // Shifting the records by one byte at a time puts every quote, escape, bracket and multi-byte character
  // on each side of the scanner's 64-byte block boundaries.
  const std::string tricky =
      R"({"eventName":"DisableKey","s":"a\\\"b\\","eventSource":"kms.amazonaws.com","t":"é𝄞"})";
  for (std::size_t shift = 0; shift < 130; ++shift) {
    const std::string pad = R"({"p":")" + std::string(shift, 'x') + "\"}";
    expect_agree(envelope({pad, tricky, kOther, tricky}));
  }
}

// The scanner starts its blocks on 64-byte boundaries of memory, the first one a copy with the envelope's
// opening made blanks: every place of the buffer against a boundary, with the first record at every place
// in its block, and damage within the first block.
TEST_P(EnvelopeScanner, EveryAlignmentOfTheBufferGivesTheSameRecords) {
  const std::string tricky =
      R"({"eventName":"DisableKey","s":"a\\\"b","eventSource":"kms.amazonaws.com","t":"é"})";
  for (int offset = 0; offset < 64; ++offset)
    for (std::size_t blanks : {0, 1, 13, 52, 64, 70}) {
      for (const std::string& text :
           {std::string(blanks, ' ') + envelope({tricky, kOther, kMatch, tricky}),
            std::string(blanks, ' ') + envelope({kOther, "{\"x\":}", tricky}),
            std::string(blanks, '\n') + R"({"Records":[{"a":"\u0000"},)" + tricky + "]}",
            std::string(blanks, ' ') + envelope({tricky}).substr(0, 30)}) {
        const Outcome scanned = outcome(*scanning_, text, offset);
        const Outcome plain = outcome(*plain_, text, offset);
        if (plain.error && !valid_json(text)) continue;
        EXPECT_EQ(scanned.text, plain.text) << "offset " << offset << ", input: " << text;
      }
      // The scanner itself read it (simdjson would have reported the syntax error in the first record).
      // Records longer than a block that end right after closing a member object (`}}`), so that some block
      // inside a record opens, closes and ends it: the scanner must leave its fast loop there.
      const std::string nested =
          R"({"eventName":"DisableKey","p":")" + std::string(80, 'x') + R"(","u":{"t":1}})";
      const std::string vouched =
          std::string(blanks, ' ') + envelope({R"({"a"::1})", tricky, nested, kOther, nested, nested});
      EXPECT_FALSE(outcome(*scanning_, vouched, offset).error) << "offset " << offset << ", " << blanks;
    }
}

TEST_P(EnvelopeScanner, DamagedEnvelopesGiveTheSameAnswer) {
  const std::vector<std::string> cases = {
      envelope({kMatch}) + " trailing",
      envelope({kMatch}) + envelope({kOther}),
      R"({"Records":[)" + kMatch + "," + kOther + "]",
      R"({"Records":[)" + kMatch + kOther + "]}",
      R"({"Records":[)" + kMatch + ",," + kOther + "]}",
      R"({"Records":[)" + kMatch + ",]}",
      R"({"Records":[1,)" + kMatch + R"(,"x",null,[],)" + kOther + "]}",
      R"({"Records":[[1,)" + kMatch + R"(}]})",
      R"({"Records":[{record,"entesi":".0","333"}]})",
      // An unquoted key not followed by a colon: On-Demand ended the object at the comma and read a second
      // record where the scanner (and the brackets) see one (a records_fuzz finding).
      R"({"Records":[{re01rds(ource":]s.akeyId",{"eventSource":]}]})",
      R"({"Records":[)" + kMatch + R"(,[1,)" + kMatch + R"(}]})",
      R"({"Records":[)" + kMatch + R"(],"More":1})",
      R"({"Before":1,"Records":[)" + kMatch + "]}",
      R"({"Records":[)" + kMatch + R"(],"Records":[)" + kOther + "]}",
      R"({"Records":[{"eventSource":"kms.amazonaws.com","eventName":"DisableKey","a":[}]]})",
      R"({"Records":[{"eventSource":"kms.amazonaws.com","eventName":"DisableKey" "a":1}]})",
      R"({"Records":[{"eventSource":"s3.amazonaws.com","eventName":"GetObject" "a":1}]})",
      R"({"Records":[{"eventName":"DisableKey","eventSource":"kms.amazonaws.com","s":"unclosed}]})",
      R"({"Records":[{"eventSource":"kms.amazonaws.com","eventName":"DisableKey","s":"a)" +
          std::string("\n") + "b\"}]}",
      R"({"Records":[{"s":")" + std::string("\x01", 1) + "\"}]}",
      R"({"Records":[{"s":"bad )" + std::string("\xff\xfe") + "\"}," + kMatch + "]}",
      R"({"Records":[{"s":"cut )" + std::string("\xe6\x97") + "\"}," + kMatch + "]}",
      R"({"Records":[{"s":1)" + std::string("\x00", 1) + "}]}",
      // Deeper than max_depth (12) with the envelope's two levels, and over max_record_size (400).
      R"({"Records":[{"a":[[[[[[[[[1]]]]]]]]]},)" + kMatch + "]}",
      R"({"Records":[{"a":[[[[[[[[[[[[1]]]]]]]]]]]]},)" + kMatch + "]}",
      R"({"Records":[{"big":")" + std::string(500, 'x') + "\"}," + kMatch + "]}",
      R"({"Records":[{"eventSource":"kms.amazonaws.com","eventName":"DisableKey","big":")" +
          std::string(500, 'x') + "\"}," + kMatch + "]}",
      R"({"Records":[)" + kMatch + "]}\n" + R"({"Records":[)" + kOther + "]}\n",
  };
  for (const std::string& text : cases) expect_agree(text);
}

// The agreement above is not checked where simdjson's path fails on invalid JSON, so the damage the scanner
// itself must catch (and then leave to simdjson) is checked here: an error, and simdjson's own wording.
TEST_P(EnvelopeScanner, DamageTheScannerChecksIsReportedAsSimdjsonWordsIt) {
  const std::string bad_utf8 = "\xC3\x28";  // a lead byte followed by ASCII
  const std::string long_text = std::string(100, 'x');
  const std::vector<std::string> cases = {
      envelope({R"({"s":")" + bad_utf8 + "\"}", kMatch}),
      envelope({kOther, R"({"s":")" + long_text + bad_utf8 + "\"}"}),  // the last record, flushed at `]}`
      envelope({kOther, R"({"s":")" + long_text + "é" + long_text + bad_utf8 + "\"}", kOther}),
      envelope({R"({"s":")" + std::string(53, 'x') + "\xE6\x97" + "\"}", kOther}),  // cut across a block
      envelope({R"({"s":"a)" + std::string("\n") + "b\"}", kOther}),
      envelope({R"({"s":"a)" + std::string("\x1f") + "b\"}", kOther}),
      envelope({R"({"s":"unclosed})", kOther}),
      envelope({R"({"s":1}})", kOther}),
      R"({"Records":[)" + kOther + "," + R"({"a":{"b":1})" + "]}",
  };
  for (const std::string& text : cases) {
    const Outcome scanned = outcome(*scanning_, text);
    EXPECT_TRUE(scanned.error) << "input: " << text;
    EXPECT_EQ(scanned.text, outcome(*plain_, text).text) << "input: " << text;
  }
}

TEST_P(EnvelopeScanner, EveryTruncationGivesTheSameAnswer) {
  const std::string whole = envelope(
      {kOther, R"({"eventSource":"kms.amazonaws.com","eventName":"DisableKey","s":"\"]}\\","t":"é"})",
       kMatch});
  for (std::size_t cut = 0; cut <= whole.size(); ++cut) expect_agree(whole.substr(0, cut));
}

TEST_P(EnvelopeScanner, RandomMutationsGiveTheSameAnswer) {
  const std::string base =
      envelope({kOther, kMatch, R"({"a":{"b":["c\"]",{"d":"\\"}]},"e":"é"})", kNearMiss});
  const std::string alphabet =
      std::string("{}[]\",:\\ \n\tae1") + "\xc3\xa9\xff" + std::string("\x00\x01", 2);
  std::mt19937 random(20261127);
  for (int round = 0; round < 3000; ++round) {
    std::string text = base;
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = random() % text.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          text.erase(at, 1);
          break;
      }
    }
    expect_agree(text);
  }
}

INSTANTIATE_TEST_SUITE_P(Kernels, EnvelopeScanner, ::testing::Values("preferred", "haswell", "fallback"));

}  // namespace
}  // namespace trailwatch
