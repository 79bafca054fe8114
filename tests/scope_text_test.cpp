// A run whose scope left nothing to evaluate (docs/design.md "Nothing in scope"): when the counts say so, and
// the line that names the flag to blame and what the logs hold instead.
#include <gtest/gtest.h>

#include "report/summary_text.hpp"
#include "trailwatch/report.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch {
namespace {

constexpr std::int64_t kJune3 = 1717372800;  // 2024-06-03T00:00:00Z

RuleResult rule_named(std::string id) {
  RuleResult r;
  r.id = std::move(id);
  return r;
}

ScanReport pruned_everything() {
  ScanReport report;
  report.input.pruned.prefixes = 6;
  report.input.seen.add_account("223011557548");
  report.input.seen.add_account("315657972472");
  report.input.seen.add_region("us-east-1");
  report.input.seen.add_region("eu-west-1");
  return report;
}

TEST(NothingInScope, DecidedFromTheCounts) {
  InputSummary in;
  EXPECT_FALSE(in.nothing_in_scope());  // no logs at all: an input error elsewhere, not this
  in.pruned.files = 1;
  EXPECT_TRUE(in.nothing_in_scope());
  in.records = 10;
  in.records_out_of_scope = 4;
  in.records_out_of_range = 6;
  EXPECT_TRUE(in.nothing_in_scope());
  in.records = 11;  // one record evaluated: a real answer, even with no match
  EXPECT_FALSE(in.nothing_in_scope());
  InputSummary dropped;
  dropped.records = dropped.records_out_of_range = 3;
  EXPECT_TRUE(dropped.nothing_in_scope());
  dropped.files_failed = 1;  // what could not be read may have been in scope
  EXPECT_FALSE(dropped.nothing_in_scope());
  dropped.files_failed = 0;
  dropped.interrupted = true;
  EXPECT_FALSE(dropped.nothing_in_scope());
}

TEST(NothingInScope, NamesTheRegionNoLogHas) {
  ScanReport report = pruned_everything();
  report.scope.regions = {"us-east1"};
  EXPECT_EQ(nothing_in_scope_text(report),
            "nothing in scope: --region us-east1 matches no logs; seen accounts 223011557548, 315657972472; "
            "regions eu-west-1, us-east-1");
  report.input.records = 1;  // something in scope was read
  EXPECT_EQ(nothing_in_scope_text(report), "");
}

TEST(NothingInScope, NamesTheWindowOutsideTheDaysSeen) {
  ScanReport report = pruned_everything();
  report.input.seen.add_time(kJune3 + 3600);
  report.scope.start = kJune3 + 28 * 86400;
  EXPECT_EQ(nothing_in_scope_text(report),
            "nothing in scope: --start 2024-07-01 matches no logs; seen accounts 223011557548, 315657972472; "
            "regions eu-west-1, us-east-1; logs of 2024-06-03");
  report.input.seen.add_time(kJune3 - 86400);
  report.scope.start.reset();
  report.scope.end = kJune3 - 2 * 86400 + 1800;
  report.scope.accounts = {"315657972472"};
  EXPECT_EQ(nothing_in_scope_text(report),
            "nothing in scope: --end 2024-06-01T00:30:00Z matches no logs; seen accounts 223011557548, "
            "315657972472; regions eu-west-1, us-east-1; logs 2024-06-02..2024-06-03");
}

TEST(NothingInScope, FlagsThatEachMatchSomethingAreNamedTogether) {
  ScanReport report = pruned_everything();
  report.scope.accounts = {"223011557548"};
  report.scope.regions = {"eu-west-1"};
  EXPECT_EQ(nothing_in_scope_text(report).substr(0, 77),
            "nothing in scope: --account 223011557548 --region eu-west-1 matches no logs; ");
}

TEST(NothingInScope, TheTableSummarySaysNothingInScope) {
  ScanReport report = pruned_everything();
  report.scope.regions = {"us-east1"};
  report.rules.push_back(rule_named("a"));
  EXPECT_EQ(report::summary_text(report).substr(0, 37), "\nsummary   1 rule, nothing in scope\n ");
}

}  // namespace
}  // namespace trailwatch
