// When a scan's scope left it nothing to evaluate (docs/design.md "Nothing in scope"): decided from the
// counts alone, so a merge of parts decides it from their sums as a single run would.
#include "trailwatch/scan.hpp"

namespace trailwatch {

bool InputSummary::nothing_in_scope() const {
  // A failed or unread file may have held records in scope; fast mode does not count records (and never
  // runs with a scope, which needs every record read).
  if (interrupted || files_failed > 0 || mode == "fast") return false;
  const std::uint64_t dropped = records_out_of_scope + records_out_of_range;
  const bool held_logs = dropped > 0 || pruned.files > 0 || pruned.prefixes > 0;
  return held_logs && records == dropped;
}

}  // namespace trailwatch
