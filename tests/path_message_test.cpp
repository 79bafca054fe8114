#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "trailwatch/ingest.hpp"

namespace trailwatch {
namespace {

std::vector<std::string> sorted_messages(std::vector<std::string> messages) {
  std::vector<PathMessage> entries;
  for (std::string& m : messages) entries.push_back({"f.json", std::move(m)});
  std::sort(entries.begin(), entries.end());
  std::vector<std::string> out;
  for (const PathMessage& e : entries) out.push_back(e.message);
  return out;
}

TEST(PathMessage, RecordNumbersSortAsNumbers) {
  EXPECT_EQ(sorted_messages({"record 106 failed", "record 22 failed", "record 3 failed", "a note"}),
            (std::vector<std::string>{"a note", "record 3 failed", "record 22 failed", "record 106 failed"}));
}

TEST(PathMessage, PathsComeFirstAndTheOrderIsTotal) {
  std::vector<PathMessage> entries = {{"b", "record 1"}, {"a", "record 9"}, {"a", "record 07"},
                                      {"a", "record 7"}, {"a", "record"},   {"a", "record 7 x"}};
  std::sort(entries.begin(), entries.end());
  EXPECT_EQ(entries[0].message, "record");
  EXPECT_EQ(entries[1].message, "record 07");  // equal numbers: the bytes decide ('0' < '7')
  EXPECT_EQ(entries[2].message, "record 7");
  EXPECT_EQ(entries[3].message, "record 7 x");
  EXPECT_EQ(entries[4].message, "record 9");
  EXPECT_EQ(entries[5].path, "b");
  for (const PathMessage& x : entries)
    for (const PathMessage& y : entries) EXPECT_FALSE(x < y && y < x);
}

}  // namespace
}  // namespace trailwatch
