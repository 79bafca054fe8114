// Counts read as a person writes them ("1 file", "2 files"), never "file(s)".
#include <gtest/gtest.h>

#include "trailwatch/plural.hpp"

namespace trailwatch {
namespace {

TEST(CountOf, SingularForOneOnly) {
  EXPECT_EQ(count_of(1, "file"), "1 file");
  EXPECT_EQ(count_of(0, "file"), "0 files");
  EXPECT_EQ(count_of(2, "thread"), "2 threads");
  EXPECT_EQ(count_of(1000000, "record"), "1000000 records");
  EXPECT_EQ(count_of(11, "error"), "11 errors");
}

TEST(CountOf, GivenPlural) {
  EXPECT_EQ(count_of(1, "entry", "entries"), "1 entry");
  EXPECT_EQ(count_of(3, "entry", "entries"), "3 entries");
  EXPECT_EQ(count_of(1, "account/region pair"), "1 account/region pair");
  EXPECT_EQ(count_of(2, "account/region pair"), "2 account/region pairs");
}

}  // namespace
}  // namespace trailwatch
