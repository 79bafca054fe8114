// `trailwatch test-pattern`: a filter pattern and its metric transformation over log events, one per line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace trailwatch::cli {

struct TestPatternOptions {
  std::string pattern;
  std::string file = "-";
  std::string format = "table";
  std::string color = "auto";  // --color: auto, always or never
  std::string metric_value = "1";
  std::optional<double> default_value;
  std::vector<std::string> dimensions;
  bool only_matching = false;  // table: list the matching events only
};

CLI::App* add_test_pattern_command(CLI::App& app, TestPatternOptions& options);

/// Returns 0 when the pattern is valid (whatever matched), 64 when it is not.
int run_test_pattern(const TestPatternOptions& options);

}  // namespace trailwatch::cli
