// Merging the partial reports of a sharded scan (`scan --shard I/N`) into the report one unsharded run would
// have written: counters add, series merge from their statistic sets, and alarms are replayed on the merged
// series with the plan the reports carry (docs/design.md "Partial results and merge"). Report layer: it reads
// its own JSON schema back.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "trailwatch/scan.hpp"

namespace trailwatch {

/// One partial report: the file it came from, and its text or why it could not be read.
struct ReportPart {
  std::string path;
  std::string text;
  std::string read_error;  // non-empty: the file could not be read (text is then ignored)
};

/// Parts that do not make one answer. `refused` (exit 64): they answer different questions or do not fit
/// together (different plans or versions, an index given twice, different counts). Otherwise (exit 2) no part
/// could be used at all. The message names the files and what differs.
class MergeError : public std::runtime_error {
 public:
  MergeError(bool refused, const std::string& message) : std::runtime_error(message), refused_(refused) {}
  bool refused() const { return refused_; }

 private:
  bool refused_;
};

/// Merges the parts of one sharded scan, in any order (they are taken in shard order). A part that cannot
/// be read or is not a whole report, and a shard no part covers, are named in input.errors and make the
/// result partial. Throws MergeError.
ScanReport merge_reports(const std::vector<ReportPart>& parts);

/// Fills each rule's events table (RuleResult::earliest_events) of a merged report from the shards' --matches
/// files (`merge --matches-from`), as a scan keeps them: the earliest in time, ties in the order the files
/// are given (give them in shard order). A file that cannot be read, a line that is not a --matches line, and
/// a line of a rule the report lacks are named in input.errors and make the report partial; a rule whose
/// lines do not add up to its matched events (a shard's file missing or given twice) is a warning.
void add_matches_events(ScanReport& report, const std::vector<ReportPart>& matches_files);

}  // namespace trailwatch
