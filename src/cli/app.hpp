// The whole `trailwatch` command line: every command and its options, built once, for main(), for the build's
// generator of the man page and completion scripts (docgen), and for tests.
#pragma once

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/audit_command.hpp"
#include "cli/completion_command.hpp"
#include "cli/merge_command.hpp"
#include "cli/rules_command.hpp"
#include "cli/scan_command.hpp"
#include "cli/test_pattern_command.hpp"
#include "cli/verify_command.hpp"

namespace trailwatch::cli {

class CommandLine {
 public:
  /// The commands, with help wrapped to `help_width` columns (help_width() for a terminal).
  explicit CommandLine(std::size_t help_width);
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  /// Parses the arguments (argv[0] is the program) and runs the command; returns the exit code.
  int run(int argc, const char* const* argv);

  const CLI::App& app() const { return app_; }

 private:
  CLI::App app_;
  ScanOptions scan_options_;
  MergeOptions merge_options_;
  RulesOptions rules_options_;
  TestPatternOptions test_pattern_options_;
  AuditOptions audit_options_;
  VerifyOptions verify_options_;
  CompletionOptions completion_options_;
  CLI::App* scan_ = nullptr;
  CLI::App* merge_ = nullptr;
  CLI::App* rules_ = nullptr;
  CLI::App* test_pattern_ = nullptr;
  CLI::App* audit_ = nullptr;
  CLI::App* verify_ = nullptr;
  CLI::App* completion_ = nullptr;
};

}  // namespace trailwatch::cli
