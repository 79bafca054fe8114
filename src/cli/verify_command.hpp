// `trailwatch verify`: checks a local copy of a CloudTrail archive against its digest files (docs/design.md).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace trailwatch::cli {

struct VerifyOptions {
  std::vector<std::string> paths;
  std::vector<std::string> public_keys;
  std::string signatures;
  std::string format = "table";
  std::string output = "-";
};

CLI::App* add_verify_command(CLI::App& app, VerifyOptions& options);

/// Returns the exit code of docs/design.md "Exit codes": 0 intact, 1 tampered or broken, 2 not fully checked.
int run_verify(const VerifyOptions& options);

}  // namespace trailwatch::cli
