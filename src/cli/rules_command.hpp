// `trailwatch rules`: lists the built-in rule pack and, with --lint, the known defects of the published CIS
// texts as trailwatch's pattern engine sees them, and every rule's pattern (and every --config filter) run
// over the probe records of its rule.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace trailwatch::cli {

struct RulesOptions {
  bool lint = false;
  std::vector<std::string> configs;  // --config: describe-metric-filters exports whose filters --lint judges
  std::string format = "table";
};

/// Adds the `rules` subcommand to `app`; the options are written into `options`.
CLI::App* add_rules_command(CLI::App& app, RulesOptions& options);

/// What `scan --rule` takes: "cis" (every built-in rule), then each built-in rule's id.
std::vector<std::string> rule_ids();

/// Prints the listing and returns the process exit code: 0, lint findings included (they are information);
/// 64 when a --config file cannot be read.
int run_rules(const RulesOptions& options);

}  // namespace trailwatch::cli
