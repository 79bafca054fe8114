// `trailwatch rules`: lists the built-in rule pack and, with --lint, the known defects of the published CIS
// texts as trailwatch's pattern engine sees them.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace trailwatch::cli {

struct RulesOptions {
  bool lint = false;
  std::string format = "table";
};

/// Adds the `rules` subcommand to `app`; the options are written into `options`.
CLI::App* add_rules_command(CLI::App& app, RulesOptions& options);

/// What `scan --rule` takes: "cis" (every built-in rule), then each built-in rule's id.
std::vector<std::string> rule_ids();

/// Prints the listing and returns the process exit code: 0, lint findings included (they are information).
int run_rules(const RulesOptions& options);

}  // namespace trailwatch::cli
