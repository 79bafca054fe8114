#include "cli/report_output.hpp"

#include <iostream>
#include <sstream>

#include "cli/help_text.hpp"
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
