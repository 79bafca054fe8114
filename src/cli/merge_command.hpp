// `trailwatch merge`: the partial reports of a sharded scan (`scan --shard`) joined into the report one
// unsharded run would have written (trailwatch/merge.hpp).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace trailwatch::cli {

struct MergeOptions {
  std::vector<std::string> parts;
  std::vector<std::string> matches_from;  // the shards' --matches files, for the HTML events table
  std::string format = "table";
  std::string color = "auto";  // --color: auto, always or never
  std::string output;
  bool fail_on_alarm = false;
};

/// Adds the `merge` subcommand to `app`; the options are written into `options`.
CLI::App* add_merge_command(CLI::App& app, MergeOptions& options);

/// Merges and returns the process exit code (docs/design.md "Exit codes").
int run_merge(const MergeOptions& options);

}  // namespace trailwatch::cli
