// `trailwatch verify`: checks a copy of a CloudTrail archive (local or s3://) against its digest files
// (docs/design.md "verify").
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
  std::string color = "auto";  // --color: auto, always or never
  std::string output = "-";
  unsigned threads = 0;  // 0: one per core
  // s3:// paths
  std::string profile;
  std::string endpoint_url;
  std::string ca_bundle;
};

CLI::App* add_verify_command(CLI::App& app, VerifyOptions& options);

/// Returns the exit code of docs/design.md "Exit codes": 0 intact, 1 tampered or broken, 2 not fully checked.
int run_verify(const VerifyOptions& options);

}  // namespace trailwatch::cli
