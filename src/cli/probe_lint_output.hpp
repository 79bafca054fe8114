// `rules --lint`'s probe lint: every built-in rule's own pattern, and every filter of the --config exports,
// run over the probe records of its rule (trailwatch/probe_lint.hpp), as a table or as JSON.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "trailwatch/probe_lint.hpp"

namespace trailwatch::cli {

/// One linted filter and the --config file it came from (empty: a built-in rule).
struct LintedFilter {
  ProbeLint lint;
  std::string config;
};

/// The built-in rules' own patterns, then each filter of each --config file (aws logs describe-metric-filters
/// JSON, files in order). Throws UsageError when a file cannot be read or is not such an export.
std::vector<LintedFilter> lint_with_probes(const std::vector<std::string>& configs);

void write_probe_lint_table(std::ostream& out, const std::vector<LintedFilter>& lints);
/// The "probe_lint" array of trailwatch.rules/1, one entry per line after `indent`.
void write_probe_lint_json(std::ostream& out, const std::vector<LintedFilter>& lints,
                           const std::string& indent);

}  // namespace trailwatch::cli
