// `trailwatch audit`: checks a live account, or an export of one, for the CIS rule region by region.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace trailwatch::cli {

struct AuditOptions {
  std::vector<std::string> regions;
  bool all_regions = false;
  std::string profile;
  std::string endpoint_url;
  std::string ca_bundle;
  std::string format;          // empty: table on a terminal, else json
  std::string color = "auto";  // --color: auto, always or never
  std::string output;
  std::string save_dir;
  std::string from_dir;
  std::vector<std::string> rules;  // built-in rule ids or "cis"; empty: the default rule
};

CLI::App* add_audit_command(CLI::App& app, AuditOptions& options);

/// Returns 0 when every region passes (or is delegated or skipped), 1 when some region fails, 2 when some
/// region could not be audited, 64 on a usage error.
int run_audit_command(const AuditOptions& options);

}  // namespace trailwatch::cli
