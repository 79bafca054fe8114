#include "cli/report_output.hpp"

#include <iostream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "cli/help_text.hpp"
#include "cli/suggest.hpp"
#include "cli/usage_error.hpp"
#include "trailwatch/plural.hpp"
#include "trailwatch/report.hpp"

namespace trailwatch::cli {

ReportOutputs::ReportOutputs(const std::string& output, const std::string& matches)
    : report_name(output.empty() || output == "-" ? "stdout" : output) {
  if (output == "-" && matches == "-")
    throw UsageError{"-o - and --matches - would both write to stdout; send one of them to a file"};
  if ((output.empty() || output == "-") && matches == "-")
    throw UsageError{"--matches - needs the report elsewhere: give -o FILE"};
  report = std::make_unique<OutputFile>(output.empty() ? "-" : output);
  if (!report->ok()) throw UsageError{"cannot write -o " + output + ": " + report->error()};
  if (!matches.empty()) {
    this->matches = std::make_unique<OutputFile>(matches);
    if (!this->matches->ok())
      throw UsageError{"cannot write --matches " + matches + ": " + this->matches->error()};
  }
}

namespace {

// For the warning's "did you mean": "--region us-east-1" for each value of `flag` that no log has and that
// is close to one seen.
std::string did_you_mean(std::string_view flag, const std::vector<std::string>& wanted,
                         const std::set<std::string, std::less<>>& seen) {
  const std::vector<std::string> candidates(seen.begin(), seen.end());
  std::string out;
  for (const std::string& w : wanted) {
    if (seen.contains(w)) continue;
    if (std::optional<std::string> near = closest(w, candidates))
      out += fmt::format("{}{} {}", out.empty() ? "" : ", ", flag, *near);
  }
  return out;
}

// A run that evaluated nothing says so whatever the format and wherever the report went (docs/design.md
// "Nothing in scope"): 0 in ALARM must not read as an all clear.
std::string scope_warning(const ScanReport& report) {
  const std::string text = nothing_in_scope_text(report);
  if (text.empty()) return {};
  std::string hint = did_you_mean("--account", report.scope.accounts, report.input.seen.accounts);
  const std::string region_hint = did_you_mean("--region", report.scope.regions, report.input.seen.regions);
  if (!region_hint.empty()) hint += (hint.empty() ? "" : ", ") + region_hint;
  return "trailwatch: warning: " + text + (hint.empty() ? "" : "; did you mean " + hint + "?") + '\n';
}

}  // namespace

void tell_stderr(const ScanReport& report, const std::string& format, bool report_on_stdout,
                 bool fail_on_alarm, const TerminalStyle& style) {
  const InputSummary& in = report.input;
  if (in.partial && !in.errors.empty() && !(format == "table" && report_on_stdout)) {
    constexpr std::size_t kShown = 5;
    std::cerr << "trailwatch: " << style.paint(count_of(in.errors.size(), "error"), Tone::Warning) << " ("
              << (format == "csv" ? "CSV has no place for them: --format json or table lists them all"
                                  : "all in the report's errors")
              << "):\n";
    for (std::size_t i = 0; i < in.errors.size() && i < kShown; ++i)
      std::cerr << "  " << in.errors[i].path << ": " << in.errors[i].message << '\n';
    if (in.errors.size() > kShown) std::cerr << "  ... and " << in.errors.size() - kShown << " more\n";
  }
  // Logs missing from the archive are said whatever the format and wherever the report went.
  std::cerr << coverage_warning(report, style);
  std::cerr << scope_warning(report);
  if (fail_on_alarm && in.partial && report.any_alarm())
    std::cerr << "trailwatch: an alarm window was found (exit code 1), but some input could not be read, and "
                 "exit code 2 wins\n";
}

std::string write_report(const ScanReport& report, const std::string& format, OutputFile& out,
                         const TerminalStyle& style) {
  std::ostringstream text;
  if (format == "json")
    write_json(text, report);
  else if (format == "csv")
    write_csv(text, report);
  else if (format == "html")
    write_html(text, report);
  else
    write_table(text, report, style);
  out.stream() << text.str();
  return out.commit();
}

}  // namespace trailwatch::cli
