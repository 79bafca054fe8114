// Writing a scan report where the user asked, in the format asked: shared by `scan` and `merge`.
#pragma once

#include <memory>
#include <string>

#include "trailwatch/output_file.hpp"
#include "trailwatch/scan.hpp"
#include "trailwatch/terminal_style.hpp"

namespace trailwatch::cli {

/// Opens where -o (empty: stdout) and --matches (empty: nowhere) go, before any input is read, so that a path
/// that cannot be written fails first. Throws UsageError naming the flag and the reason; both "-" is one too.
struct ReportOutputs {
  ReportOutputs(const std::string& output, const std::string& matches);
  std::unique_ptr<OutputFile> report;
  std::unique_ptr<OutputFile> matches;  // null without --matches
  std::string report_name;              // for messages: the path, or "stdout"
};

/// Writes `report` as `format` (table, json, csv or html) and finishes the file. Returns an empty string, or
/// why it could not be written. `style` colours the table only.
std::string write_report(const ScanReport& report, const std::string& format, OutputFile& out,
                         const TerminalStyle& style = {});

/// What a person at the terminal must not miss, on stderr, whatever the format and wherever the report went:
/// the input errors (unless the table showing them went to stdout), and an alarm that fired when exit code 2
/// wins over --fail-on-alarm's 1.
/// `style` is stderr's.
void tell_stderr(const ScanReport& report, const std::string& format, bool report_on_stdout,
                 bool fail_on_alarm, const TerminalStyle& style = {});

}  // namespace trailwatch::cli
