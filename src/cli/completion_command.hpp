// `trailwatch completion bash|zsh|fish`: a completion script made from the command definitions themselves
// (commands, options, the values an option suggests, file names where a path goes), so it cannot drift from
// them. The build writes the same scripts for `cmake --install` (src/cli/docgen/main.cpp).
#pragma once

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace trailwatch::cli {

struct CompletionOptions {
  std::string shell;
};

/// Adds the `completion` subcommand to `app`.
CLI::App* add_completion_command(CLI::App& app, CompletionOptions& options);

/// The completion script of `root` (the whole command line) for `shell`: "bash", "zsh" or "fish".
std::string completion_script(const CLI::App& root, std::string_view shell);

/// Prints the script; exit code 0.
int run_completion(const CLI::App& root, const CompletionOptions& options);

}  // namespace trailwatch::cli
