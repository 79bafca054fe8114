// The walk's name rules as a function of a relative name, which sources that list keys (S3) apply.
#include <gtest/gtest.h>

#include "trailwatch/ingest.hpp"

namespace trailwatch {
namespace {

TEST(ListedName, TheWalksRulesOnARelativeName) {
  EXPECT_EQ(listed_name_verdict("111122223333/CloudTrail/us-east-1/2024/03/01/x.json.gz"), NameVerdict::Read);
  for (const char* name : {"a.json", "a.jsonl", "a.ndjson", "a.gz", "a.json.gz"})
    EXPECT_EQ(listed_name_verdict(name), NameVerdict::Read) << name;
  EXPECT_EQ(listed_name_verdict("sync-notes.txt"), NameVerdict::OtherName);
  EXPECT_EQ(listed_name_verdict("CloudTrail/x.json.gz.tmp"), NameVerdict::OtherName);
  // A folder that is not entered wins over the file's own name, at any depth.
  EXPECT_EQ(listed_name_verdict("o-1/111122223333/CloudTrail-Digest/us-east-1/d.json.gz"),
            NameVerdict::Digest);
  EXPECT_EQ(listed_name_verdict("111122223333/CloudTrail-Insight/notes.txt"), NameVerdict::Insight);
  EXPECT_EQ(listed_name_verdict("CloudTrail-Lake/x.json"), NameVerdict::Lake);
  // Only folders count: a file so named, or a name that merely starts so, is judged by its name.
  EXPECT_EQ(listed_name_verdict("CloudTrail-Digest"), NameVerdict::OtherName);
  EXPECT_EQ(listed_name_verdict("CloudTrail-Digests/x.json.gz"), NameVerdict::Read);
}

TEST(ListedName, EachVerdictHasItsCounter) {
  SkipCounts skipped;
  ++skip_counter(skipped, NameVerdict::Digest);
  ++skip_counter(skipped, NameVerdict::Insight);
  ++skip_counter(skipped, NameVerdict::Lake);
  ++skip_counter(skipped, NameVerdict::OtherName);
  ++skip_counter(skipped, NameVerdict::OtherName);
  EXPECT_EQ(skipped.digest, 1u);
  EXPECT_EQ(skipped.insight, 1u);
  EXPECT_EQ(skipped.lake, 1u);
  EXPECT_EQ(skipped.other_name, 2u);
}

}  // namespace
}  // namespace trailwatch
