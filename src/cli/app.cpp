#include "cli/app.hpp"

#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/exit_codes.hpp"
#include "cli/help_formatter.hpp"
#include "cli/suggest.hpp"
#include "cli/version.hpp"

namespace trailwatch::cli {

CommandLine::CommandLine(std::size_t help_width)
    : app_(
          "trailwatch: would my CloudWatch alarms have fired on these CloudTrail logs, when, and on which "
          "events?\n\n"
          "Reads CloudTrail archives (directories, .json.gz, .json, NDJSON, stdin), evaluates CloudWatch "
          "Logs\n"
          "metric-filter patterns exactly as CloudWatch does, and replays the alarm on the resulting metric.",
          "trailwatch") {
  // Before the commands are added: they take the formatter of their parent.
  app_.formatter(std::make_shared<HelpFormatter>(help_width));
  app_.require_subcommand(1);
  app_.set_version_flag(
      "--version", [] { return version_text(); },
      "Print the version, commit, compiler and whether the AVX2 kernel runs here");
  app_.footer(
      "Examples:\n"
      "  trailwatch scan AWSLogs/                        CIS 'CMK disabled or scheduled for deletion' rule\n"
      "  trailwatch scan --format json -o report.json AWSLogs/\n"
      "  trailwatch scan --shard 0/2 --format json -o p0.json AWSLogs/   (and 1/2 elsewhere), then\n"
      "  trailwatch merge p0.json p1.json                 one answer from several machines\n"
      "  zcat f.json.gz | trailwatch scan -\n"
      "  jq -c '.Records[]' f.json | trailwatch test-pattern '{ $.eventName = DisableKey }'\n"
      "  trailwatch audit --all-regions                   is the rule monitored, region by region?\n\n"
      "Run 'trailwatch help COMMAND' (or 'trailwatch COMMAND --help') for its options, 'trailwatch "
      "completion "
      "bash|zsh|fish' for shell completion.");

  scan_ = add_scan_command(app_, scan_options_);
  merge_ = add_merge_command(app_, merge_options_);
  rules_ = add_rules_command(app_, rules_options_);
  test_pattern_ = add_test_pattern_command(app_, test_pattern_options_);
  audit_ = add_audit_command(app_, audit_options_);
  verify_ = add_verify_command(app_, verify_options_);
  completion_ = add_completion_command(app_, completion_options_);
}

int CommandLine::run(int argc, const char* const* argv) {
  // Nothing asked: what can be asked (on stderr, as the usage error it is).
  if (argc <= 1) {
    std::cerr << app_.help();
    return kExitUsage;
  }
  // `trailwatch help [COMMAND]` is what many tools accept: it is COMMAND --help.
  std::vector<const char*> words(argv, argv + argc);
  if (words.size() >= 2 && std::string_view(words[1]) == "help") {
    words.erase(words.begin() + 1);
    words.push_back("--help");
  }
  if (std::optional<std::string> problem =
          explain_unknown_words(app_, static_cast<int>(words.size()), words.data())) {
    std::cerr << "trailwatch: " << *problem << '\n';
    return kExitUsage;
  }
  try {
    app_.parse(static_cast<int>(words.size()), words.data());
  } catch (const CLI::CallForHelp& e) {
    return app_.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app_.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app_.exit(e);
  } catch (const CLI::ParseError& e) {
    app_.exit(e);
    return kExitUsage;
  }
  if (scan_->parsed()) return run_scan(scan_options_);
  if (merge_->parsed()) return run_merge(merge_options_);
  if (rules_->parsed()) return run_rules(rules_options_);
  if (test_pattern_->parsed()) return run_test_pattern(test_pattern_options_);
  if (audit_->parsed()) return run_audit_command(audit_options_);
  if (verify_->parsed()) return run_verify(verify_options_);
  if (completion_->parsed()) return run_completion(app_, completion_options_);
  return kExitUsage;
}

}  // namespace trailwatch::cli
