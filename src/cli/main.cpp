#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/audit_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/merge_command.hpp"
#include "cli/rules_command.hpp"
#include "cli/scan_command.hpp"
#include "cli/suggest.hpp"
#include "cli/test_pattern_command.hpp"
#include "cli/verify_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "trailwatch: would my CloudWatch alarms have fired on these CloudTrail logs, when, and on which "
      "events?\n\n"
      "Reads CloudTrail archives (directories, .json.gz, .json, NDJSON, stdin), evaluates CloudWatch Logs\n"
      "metric-filter patterns exactly as CloudWatch does, and replays the alarm on the resulting metric.",
      "trailwatch"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "trailwatch 0.1.0");
  app.footer(
      "Examples:\n"
      "  trailwatch scan AWSLogs/                        CIS 'CMK disabled or scheduled for deletion' rule\n"
      "  trailwatch scan --format json -o report.json AWSLogs/\n"
      "  trailwatch scan --shard 0/2 --format json -o p0.json AWSLogs/   (and 1/2 elsewhere), then\n"
      "  trailwatch merge p0.json p1.json                 one answer from several machines\n"
      "  zcat f.json.gz | trailwatch scan -\n"
      "  jq -c '.Records[]' f.json | trailwatch test-pattern '{ $.eventName = DisableKey }'\n"
      "  trailwatch audit --all-regions                   is the rule monitored, region by region?\n\n"
      "Run 'trailwatch scan --help' for every option.");

  trailwatch::cli::ScanOptions scan_options;
  CLI::App* scan = trailwatch::cli::add_scan_command(app, scan_options);
  trailwatch::cli::MergeOptions merge_options;
  CLI::App* merge = trailwatch::cli::add_merge_command(app, merge_options);
  trailwatch::cli::RulesOptions rules_options;
  CLI::App* rules = trailwatch::cli::add_rules_command(app, rules_options);
  trailwatch::cli::TestPatternOptions test_pattern_options;
  CLI::App* test_pattern = trailwatch::cli::add_test_pattern_command(app, test_pattern_options);
  trailwatch::cli::AuditOptions audit_options;
  CLI::App* audit = trailwatch::cli::add_audit_command(app, audit_options);
  trailwatch::cli::VerifyOptions verify_options;
  CLI::App* verify = trailwatch::cli::add_verify_command(app, verify_options);

  // `trailwatch help [COMMAND]` is what many tools accept: it is COMMAND --help.
  std::vector<const char*> words(argv, argv + argc);
  if (words.size() >= 2 && std::string_view(words[1]) == "help") {
    words.erase(words.begin() + 1);
    words.push_back("--help");
  }
  if (std::optional<std::string> problem =
          trailwatch::cli::explain_unknown_words(app, static_cast<int>(words.size()), words.data())) {
    std::cerr << "trailwatch: " << *problem << '\n';
    return trailwatch::cli::kExitUsage;
  }
  try {
    app.parse(static_cast<int>(words.size()), words.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return trailwatch::cli::kExitUsage;
  }
  if (scan->parsed()) return trailwatch::cli::run_scan(scan_options);
  if (merge->parsed()) return trailwatch::cli::run_merge(merge_options);
  if (rules->parsed()) return trailwatch::cli::run_rules(rules_options);
  if (test_pattern->parsed()) return trailwatch::cli::run_test_pattern(test_pattern_options);
  if (audit->parsed()) return trailwatch::cli::run_audit_command(audit_options);
  if (verify->parsed()) return trailwatch::cli::run_verify(verify_options);
  return trailwatch::cli::kExitUsage;
}
