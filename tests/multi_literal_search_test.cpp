// The literal searches of every kernel this CPU runs find exactly the occurrences a naive
// std::string_view::find loop finds, for few literals and for many (the bucket filter), in buffers like
// CloudTrail's with literals planted, JSON escapes, literals that overlap or share prefixes, and at the edges
// of the buffer; and the prefilter with the 15 rules of the CIS pack (many literals) never changes which
// records match.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "records/literal_buckets.hpp"
#include "records/search_plan.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch {
namespace {

using Occurrences = std::vector<std::pair<std::size_t, std::uint32_t>>;

Occurrences naive(std::string_view data, const std::vector<std::string>& literals) {
  Occurrences out;
  for (std::uint32_t l = 0; l < literals.size(); ++l)
    for (std::size_t at = data.find(literals[l]); at != std::string_view::npos;
         at = data.find(literals[l], at + 1))
      out.emplace_back(at, l);
  std::sort(out.begin(), out.end());
  return out;
}

// Words of CloudTrail records, some sharing prefixes (Create*, Delete*), some inside others.
const std::vector<std::string> kWords = {"eventName",
                                         "eventSource",
                                         "kms.amazonaws.com",
                                         "s3.amazonaws.com",
                                         "DisableKey",
                                         "CreateVpc",
                                         "CreateVpcPeeringConnection",
                                         "CreateRoute",
                                         "CreateRouteTable",
                                         "DeleteRoute",
                                         "DeleteRouteTable",
                                         "AccessDenied",
                                         "UnauthorizedOperation",
                                         "Root",
                                         "ConsoleLogin",
                                         "\\u00",
                                         "\\u",
                                         "\\/",
                                         "aaa",
                                         "aaaa",
                                         "abab",
                                         "bab",
                                         "caf\xc3\xa9",
                                         "Put",
                                         "PutBucketAcl",
                                         "PutBucketPolicy",
                                         "userIdentity",
                                         "AwsServiceEvent",
                                         "Failed authentication"};

std::string random_literal(std::mt19937& random) {
  switch (random() % 4) {
    case 0:
    case 1:
      return kWords[random() % kWords.size()];
    case 2: {  // a piece of a word: shares a prefix or overlaps with others
      const std::string& word = kWords[random() % kWords.size()];
      const std::size_t begin = random() % word.size();
      return word.substr(begin, 1 + random() % (word.size() - begin));
    }
    default: {  // random bytes from a small alphabet, so that they occur and overlap
      std::string out(1 + random() % 6, 'a');
      for (char& c : out) c = "ab\\u0\"{:"[random() % 8];
      return out;
    }
  }
}

std::vector<std::string> random_literals(std::mt19937& random, std::size_t count, std::size_t min_length) {
  std::vector<std::string> out;
  while (out.size() < count) {
    std::string literal = random_literal(random);
    if (literal.size() < min_length) continue;
    if (std::find(out.begin(), out.end(), literal) == out.end()) out.push_back(std::move(literal));
  }
  return out;
}

// CloudTrail-like JSON with literals planted anywhere, \u escapes, and sometimes a literal at the very start
// or end.
std::string random_buffer(std::mt19937& random, const std::vector<std::string>& literals,
                          std::size_t length) {
  std::string out;
  if (random() % 4 == 0) out += literals[random() % literals.size()];
  while (out.size() < length) {
    switch (random() % 6) {
      case 0:
        out += literals[random() % literals.size()];
        break;
      case 1:
        out += "\\u00" + std::string(1, "46ef"[random() % 4]) + "b";
        break;
      case 2:
        out += R"({"eventSource":"kms.amazonaws.com","eventName":")";
        break;
      case 3:
        out += kWords[random() % kWords.size()];
        break;
      default:
        out += "\",\"";
        break;
    }
  }
  out.resize(length);
  if (random() % 4 == 0 && !literals.empty()) {
    const std::string& tail = literals[random() % literals.size()];
    if (tail.size() <= out.size()) out.replace(out.size() - tail.size(), tail.size(), tail);
  }
  return out;
}

Occurrences found_by_every(const LiteralFinder& finder, std::string_view data,
                           const LiteralBuckets& buckets) {
  std::vector<LiteralHit> hits;
  EXPECT_TRUE(finder.every(data, buckets, hits, SIZE_MAX));
  Occurrences out;
  for (std::size_t i = 0; i < hits.size(); ++i) {
    if (i > 0) {
      EXPECT_LE(hits[i - 1].offset, hits[i].offset) << "not in order of offset";
    }
    out.emplace_back(hits[i].offset, hits[i].literal);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Both ways the AVX-512 filter can look at the literals (the other kernels look at their first bytes only).
constexpr LiteralBuckets::Windows kBothWindows[] = {LiteralBuckets::Windows::FirstBytes,
                                                    LiteralBuckets::Windows::JoinWords};

TEST(MultiLiteralSearch, FindsExactlyWhatANaiveSearchFinds) {
  const auto finders = available_literal_finders();
  ASSERT_FALSE(finders.empty());
  std::mt19937 random(16);
  int compared = 0;
  for (const auto& [kernel, finder] : finders)
    for (std::size_t count : {1, 2, 8, 9, 16, 40, 100})
      for (int round = 0; round < 40; ++round) {
        // Some sets have only literals of 3 bytes and more (the filter's full fingerprint), some shorter.
        const std::vector<std::string> literals = random_literals(random, count, round % 2 == 0 ? 3 : 1);
        const LiteralBuckets buckets(literals, kBothWindows[round / 2 % 2]);
        for (std::size_t length : {std::size_t{0}, std::size_t{1}, std::size_t{31}, std::size_t{33},
                                   std::size_t{63}, std::size_t{64}, std::size_t{66},
                                   static_cast<std::size_t>(random() % 300), std::size_t{4000}}) {
          // Exactly as long as the text, so that a read past its end is one (under AddressSanitizer).
          const std::string data = random_buffer(random, literals, length);
          ASSERT_EQ(found_by_every(finder, data, buckets), naive(data, literals))
              << kernel << ", " << count << " literals, buffer of " << length;
          ++compared;
        }
      }
  EXPECT_GT(compared, 2000);
}

TEST(MultiLiteralSearch, FewLiteralsFindWhatANaiveSearchFinds) {
  std::mt19937 random(8);
  for (const auto& [kernel, finder] : available_literal_finders())
    for (std::size_t count : {1, 2, 5, 8})
      for (int round = 0; round < 40; ++round) {
        const std::vector<std::string> literals = random_literals(random, count, 1);
        const std::string data = random_buffer(random, literals, random() % 500);
        std::vector<std::vector<std::size_t>> hits;
        const bool some = finder.all(data, literals, hits);
        Occurrences got;
        for (std::uint32_t l = 0; l < hits.size(); ++l)
          for (std::size_t at : hits[l]) got.emplace_back(at, l);
        std::sort(got.begin(), got.end());
        const Occurrences want = naive(data, literals);
        ASSERT_EQ(got, want) << kernel << ", " << count << " literals";
        EXPECT_EQ(some, !want.empty());
        EXPECT_EQ(finder.first(data, literals, hits), !want.empty()) << kernel;
      }
}

TEST(MultiLiteralSearch, StopsAtItsLimitOfOccurrences) {
  const std::vector<std::string> literals = {"aaa", "aab", "bbb", "ccc", "ddd",
                                             "eee", "fff", "ggg", "hhh", "iii"};
  const std::string data(1000, 'a');  // "aaa" at 998 offsets
  for (const LiteralBuckets::Windows windows : kBothWindows)
    for (const auto& [kernel, finder] : available_literal_finders()) {
      const LiteralBuckets buckets(literals, windows);
      std::vector<LiteralHit> hits;
      EXPECT_FALSE(finder.every(data, buckets, hits, 100)) << kernel;
      EXPECT_LE(hits.size(), 100u);
      EXPECT_TRUE(finder.every(data, buckets, hits, 998)) << kernel;
      EXPECT_EQ(hits.size(), 998u);
    }
}

// The AVX-512 searches look a byte up by its low six bits: a byte shares a table entry with the three that
// differ in the top two bits ('b' with '"', 'l' with ',', 'C' with 0xC3). Literals holding such bytes, in a
// buffer holding their partners, at every offset of a block, for the few-literal and the many-literal search.
TEST(MultiLiteralSearch, BytesThatShareATableEntryAreToldApart) {
  const std::vector<std::string> literals = {
      "\xc3\xa9t\xc3\xa9", "C)t)", "caf\xc3\xa9", "cafC)",  "\xe2\x82\xac",
      "b\x02\x2c",         "blob", "Root",        "Detach", "l"};
  const std::vector<std::string> pieces = {"\xc3\xa9t\xc3\xa9",
                                           "C)t)",
                                           "caf\xc3\xa9",
                                           "cafC)",
                                           "\xe2\x82\xac",
                                           "b\x02\x2c",
                                           "\xe2\x82,",
                                           "Details",
                                           "Role",
                                           "x",
                                           "blob",
                                           "\",\"",
                                           "\"l\"o\"",
                                           "Detach",
                                           ","};
  const LiteralBuckets first_bytes(literals, LiteralBuckets::Windows::FirstBytes);
  const LiteralBuckets join_words(literals, LiteralBuckets::Windows::JoinWords);
  ASSERT_TRUE(join_words.has_inner_windows());  // "cafC)" is looked at from its "a"
  const std::vector<std::string> few(literals.begin(), literals.begin() + 8);
  std::mt19937 random(42);
  for (int round = 0; round < 200; ++round) {
    std::string data(random() % 64, ' ');
    while (data.size() < 300) data += pieces[random() % pieces.size()];
    const LiteralBuckets& buckets = round % 2 == 0 ? first_bytes : join_words;
    for (const auto& [kernel, finder] : available_literal_finders()) {
      ASSERT_EQ(found_by_every(finder, data, buckets), naive(data, literals))
          << kernel << ", round " << round;
      std::vector<std::vector<std::size_t>> hits;
      finder.all(data, few, hits);
      Occurrences got;
      for (std::uint32_t l = 0; l < hits.size(); ++l)
        for (std::size_t at : hits[l]) got.emplace_back(at, l);
      std::sort(got.begin(), got.end());
      ASSERT_EQ(got, naive(data, few)) << kernel << ", few literals, round " << round;
    }
  }
}

// The wide filter's tables admit every literal at the bytes of its window (the filter is a superset of the
// literals' places), and nothing past a bucket's shortest literal is asked of the data.
TEST(LiteralBuckets, TheWideFilterAdmitsEveryLiteralAtItsOwnBytes) {
  std::mt19937 random(7);
  for (std::size_t count : {1, 9, 40, 100})
    for (int round = 0; round < 20; ++round) {
      std::vector<std::string> literals = random_literals(random, count, 1);
      literals.push_back("caf\xc3\xa9");
      const LiteralBuckets buckets(literals, kBothWindows[round % 2]);
      ASSERT_GE(buckets.wide_fingerprint, 1u);
      ASSERT_LE(buckets.wide_fingerprint, LiteralBuckets::kMaxWideFingerprint);
      for (std::size_t l = 0; l < literals.size(); ++l) {
        const std::string& literal = literals[l];
        ASSERT_LE(buckets.window_offsets[l], literal.size());
        const std::string window = literal.substr(buckets.window_offsets[l]);
        ASSERT_GE(window.size(), buckets.window_key)
            << "the window of \"" << literal << "\" is shorter than its key";
        std::uint8_t passing = 0xFF;
        for (std::size_t k = 0; k < buckets.wide_fingerprint; ++k) {
          std::uint8_t here = 0;
          if (k < window.size()) {
            here = buckets.wide_table[k][static_cast<unsigned char>(window[k]) & 0x3F];
          } else {  // past the literal's end: its bucket must admit whatever byte follows
            here = 0xFF;
            for (unsigned value = 0; value < 64; ++value) here &= buckets.wide_table[k][value] | ~passing;
          }
          passing &= here;
        }
        EXPECT_NE(passing, 0) << "\"" << literal << "\" fails the wide filter at its own bytes";
      }
    }
}

// The wide filter looks at a literal across the change between two words of its name, where its first bytes
// would be a common word's ("Deta" is in every "tlsDetails"); a literal without such a change keeps its first
// bytes.
TEST(LiteralBuckets, WindowsJoinTwoWordsOrKeepTheFirstBytes) {
  const std::vector<std::string> literals = {"DetachRolePolicy", "sts.amazonaws.com", "Root", "AccessDenied",
                                             "tlsDetails"};
  const LiteralBuckets buckets(literals, LiteralBuckets::Windows::JoinWords);
  EXPECT_FALSE(LiteralBuckets(literals).has_inner_windows());
  ASSERT_EQ(buckets.wide_fingerprint, 4u);
  auto window = [&](std::size_t l) { return literals[l].substr(buckets.window_offsets[l], 4); };
  EXPECT_EQ(window(0), "chRo");  // of its two joins ("chRo", "lePo"), the one of rarer bytes
  EXPECT_EQ(buckets.window_offsets[1], 0u);
  EXPECT_EQ(buckets.window_offsets[2], 0u);
  EXPECT_EQ(window(3), "ssDe");
  EXPECT_EQ(window(4), "lsDe");
}

// A literal that starts first may be found last, when its window is further into it: the occurrences still
// come in order of offset ("abcdefGhij" at 0 is found by its window "efGh" at 4, after "bcd" at 1), also at
// the very end of a buffer.
TEST(MultiLiteralSearch, OccurrencesFoundByTheirWindowsComeInOrderOfOffset) {
  const std::vector<std::string> literals = {"abcdefGhij", "bcd", "cdefGh", "xyzzy", "hij"};
  const LiteralBuckets buckets(literals, LiteralBuckets::Windows::JoinWords);
  ASSERT_EQ(buckets.window_offsets[0], 4u);
  for (const std::string& data : {std::string("abcdefGhij"), std::string(100, ' ') + "abcdefGhij",
                                  std::string(61, ' ') + "abcdefGhij" + std::string(70, ' ')})
    for (const auto& [kernel, finder] : available_literal_finders())
      EXPECT_EQ(found_by_every(finder, data, buckets), naive(data, literals))
          << kernel << ", " << data.size();
}

// Only the AVX-512 search looks at windows, so only there does the search plan weigh them against first
// bytes.
TEST(MultiLiteralSearch, OnlyTheAvx512SearchLooksAtWindows) {
  for (const auto& [kernel, finder] : available_literal_finders())
    EXPECT_EQ(finder.looks_at_windows, kernel == "icelake") << kernel;
}

// --- the CIS pack through the reader, with and without the prefilter --------------------------------------

// The record with every character of every string (keys included) written as a \u escape.
std::string escape_strings(const std::string& json) {
  std::string out;
  bool in_string = false;
  for (char c : json) {
    if (c == '"') {
      out += c;
      in_string = !in_string;
    } else if (in_string) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned char>(c));  // ASCII only here
      out += buffer;
    } else {
      out += c;
    }
  }
  return out;
}

// Records made of the values the CIS patterns test and a few others, so that most rules match some records,
// many records hold some of a rule's literals without matching, and most hold none.
std::string random_record(std::mt19937& random) {
  auto pick = [&](std::initializer_list<const char*> values) {
    return std::string(values.begin()[random() % values.size()]);
  };
  std::string record = "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"" +
                       pick({"Root", "IAMUser", "AssumedRole", "AWSService"}) + "\"";
  if (random() % 3 == 0)
    record += ",\"invokedBy\":\"" + pick({"cloudtrail.amazonaws.com", "AWS Internal"}) + "\"";
  record += "},\"eventSource\":\"" +
            pick({"kms.amazonaws.com", "s3.amazonaws.com", "config.amazonaws.com", "ec2.amazonaws.com",
                  "organizations.amazonaws.com", "iam.amazonaws.com", "signin.amazonaws.com",
                  "sts.amazonaws.com"}) +
            "\",\"eventName\":\"" +
            pick({"DisableKey",
                  "ScheduleKeyDeletion",
                  "PutBucketAcl",
                  "DeleteBucketCors",
                  "PutDeliveryChannel",
                  "CreateVpc",
                  "DeleteRoute",
                  "CreateRouteTable",
                  "AttachInternetGateway",
                  "CreateNetworkAclEntry",
                  "AuthorizeSecurityGroupIngress",
                  "ConsoleLogin",
                  "CreateTrail",
                  "StopLogging",
                  "DeletePolicy",
                  "AttachRolePolicy",
                  "PutUserPolicy",
                  "GetObject",
                  "DescribeInstances",
                  "AssumeRole",
                  "LeaveOrganization",
                  "ListBuckets"}) +
            "\"";
  if (random() % 4 == 0)
    record += ",\"errorCode\":\"" +
              pick({"AccessDenied", "Client.UnauthorizedOperation", "AccessDeniedException", "NoSuchKey"}) +
              "\"";
  if (random() % 5 == 0) record += ",\"errorMessage\":\"" + pick({"Failed authentication", "Denied"}) + "\"";
  if (random() % 3 == 0) record += ",\"additionalEventData\":{\"MFAUsed\":\"" + pick({"Yes", "No"}) + "\"}";
  record += ",\"eventType\":\"" + pick({"AwsApiCall", "AwsServiceEvent", "AwsConsoleSignIn"}) + "\"";
  record += ",\"eventTime\":\"2026-01-01T00:00:00Z\"}";
  return record;
}

class PerRuleSink : public RecordSink {
 public:
  explicit PerRuleSink(const std::vector<Pattern>& patterns)
      : patterns_(patterns), matched(patterns.size()) {}
  void on_record(const RecordView& record) override {
    for (std::size_t r = 0; r < patterns_.size(); ++r)
      matched[r] += patterns_[r].matches(EventView{&record.fields, record.raw}) ? 1 : 0;
  }
  void on_unmatchable_record() override { ++skipped; }

 private:
  const std::vector<Pattern>& patterns_;

 public:
  std::vector<int> matched;
  int skipped = 0;
};

// The CIS pack's patterns bound to one field plan, and the prefilter their literals make.
struct CisPack {
  CisPack() {
    std::vector<std::vector<LiteralPrefilter::Clause>> rules;
    for (const BuiltinRule& rule : builtin_rules())
      patterns.push_back(Pattern::parse(std::string(rule.pattern)));
    for (Pattern& pattern : patterns) {
      pattern.bind(plan);
      rules.push_back(pattern.required_literals());
    }
    prefilter = LiteralPrefilter::build(rules);
  }
  CisPack(const CisPack&) = delete;  // the patterns are bound to this plan
  CisPack& operator=(const CisPack&) = delete;
  std::vector<Pattern> patterns;
  FieldPlan plan;
  std::optional<LiteralPrefilter> prefilter;
};

TEST(MultiLiteralPrefilter, TheCisPackMatchesTheSameRecordsWithAndWithoutItEvenFullyEscaped) {
  const CisPack pack;
  const std::vector<Pattern>& patterns = pack.patterns;
  const FieldPlan& plan = pack.plan;
  const std::optional<LiteralPrefilter>& prefilter = pack.prefilter;
  ASSERT_EQ(patterns.size(), 15u);
  ASSERT_TRUE(prefilter) << "the CIS pack must have a prefilter";
  EXPECT_GT(prefilter->literals.size(), 8u);  // the many-literal search

  std::mt19937 random(15);
  int matches = 0;
  for (const char* kernel : {"", "haswell", "fallback"}) {
    if (*kernel) setenv("TRAILWATCH_KERNEL", kernel, 1);
    for (int buffer = 0; buffer < 30; ++buffer) {
      std::vector<std::string> records;
      for (int i = 0; i < 200; ++i) records.push_back(random_record(random));
      for (bool escaped : {false, true}) {
        for (bool ndjson : {false, true}) {
          std::string text = ndjson ? "" : "{\"Records\":[";
          for (std::size_t i = 0; i < records.size(); ++i) {
            const std::string record = escaped ? escape_strings(records[i]) : records[i];
            text += ndjson ? record + "\n" : (i ? "," : "") + record;
          }
          if (!ndjson) text += "]}";
          const std::string data = text + std::string(kRecordPadding, '\0');
          std::vector<int> matched[2];
          int skipped = 0;
          for (bool with_prefilter : {false, true}) {
            RecordReader reader(plan, {}, with_prefilter ? &*prefilter : nullptr);
            PerRuleSink sink(patterns);
            const ReadResult result = reader.read(std::string_view(data.data(), text.size()), sink);
            ASSERT_EQ(result.error, "");
            ASSERT_EQ(result.records, records.size());
            matched[with_prefilter] = sink.matched;
            if (with_prefilter) skipped = sink.skipped;
          }
          EXPECT_EQ(matched[1], matched[0])
              << "kernel " << (*kernel ? kernel : "default") << ", buffer " << buffer
              << (escaped ? ", escaped" : "") << (ndjson ? ", NDJSON" : "");
          // The prefilter does skip records (unescaped: most hold no rule's every clause).
          if (!escaped) {
            EXPECT_GT(skipped, 0);
          }
          for (int m : matched[0]) matches += m;
        }
      }
    }
    unsetenv("TRAILWATCH_KERNEL");
  }
  EXPECT_GT(matches, 1000);
}

// The records most of an archive holds: a rule's event source (kms, s3, config), none of its event names.
std::string everyday_record(std::mt19937& random) {
  static const char* const kSources[] = {"kms.amazonaws.com", "s3.amazonaws.com", "config.amazonaws.com"};
  static const char* const kNames[] = {"Decrypt", "GetObject", "DescribeConfigRules", "GenerateDataKey"};
  return std::string(
             "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AWSService\"},\"eventSource\":\"") +
         kSources[random() % 3] + "\",\"eventName\":\"" + kNames[random() % 4] +
         "\",\"eventType\":\"AwsApiCall\",\"eventTime\":\"2026-01-01T00:00:00Z\"}";
}

// A reader judges, after its first 4 MB, which clauses are common enough to stop searching for (the event
// sources of the CIS rules, far more frequent than their rules' event names). Readers kept across 20 MB of
// buffers, so that the judgement happens and the rest is read with the rebuilt search: the same records
// match with and without the prefilter, before and after.
TEST(MultiLiteralPrefilter, TheCisPackMatchesTheSameRecordsOnceCommonClausesAreNoLongerSearched) {
  const CisPack pack;
  const std::vector<Pattern>& patterns = pack.patterns;
  const FieldPlan& plan = pack.plan;
  const std::optional<LiteralPrefilter>& prefilter = pack.prefilter;
  ASSERT_TRUE(prefilter);
  std::mt19937 random(4);
  for (const char* kernel : {"", "haswell", "fallback"}) {
    if (*kernel) setenv("TRAILWATCH_KERNEL", kernel, 1);
    RecordReader plain(plan);
    RecordReader filtered(plan, {}, &*prefilter);
    std::size_t read = 0;
    int matches = 0;
    while (read < (std::size_t{20} << 20)) {
      std::string text = "{\"Records\":[";
      for (int i = 0; i < 500; ++i) {
        if (i > 0) text += ',';
        text += random() % 10 == 0 ? random_record(random) : everyday_record(random);
      }
      text += "]}";
      read += text.size();
      const std::string data = text + std::string(kRecordPadding, '\0');
      PerRuleSink without(patterns);
      PerRuleSink with(patterns);
      ASSERT_EQ(plain.read(std::string_view(data.data(), text.size()), without).error, "");
      ASSERT_EQ(filtered.read(std::string_view(data.data(), text.size()), with).error, "");
      ASSERT_EQ(with.matched, without.matched)
          << "kernel " << (*kernel ? kernel : "default") << " after " << read << " bytes";
      for (int m : without.matched) matches += m;
    }
    EXPECT_GT(matches, 1000);
    unsetenv("TRAILWATCH_KERNEL");
  }
}

}  // namespace
}  // namespace trailwatch
