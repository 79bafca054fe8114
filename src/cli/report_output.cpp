#include "cli/report_output.hpp"

#include <sstream>

#include "cli/usage_error.hpp"
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

std::string write_report(const ScanReport& report, const std::string& format, OutputFile& out) {
  std::ostringstream text;
  if (format == "json")
    write_json(text, report);
  else if (format == "csv")
    write_csv(text, report);
  else
    write_table(text, report);
  out.stream() << text.str();
  return out.commit();
}

}  // namespace trailwatch::cli
