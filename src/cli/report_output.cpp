#include "cli/report_output.hpp"

#include <iostream>
#include <sstream>

#include "trailwatch/atomic_file.hpp"
#include "trailwatch/report.hpp"

namespace trailwatch::cli {

std::string write_report(const ScanReport& report, const std::string& format, const std::string& output) {
  std::ostringstream text;
  if (format == "json")
    write_json(text, report);
  else if (format == "csv")
    write_csv(text, report);
  else
    write_table(text, report);
  if (output.empty()) {
    std::cout << text.str() << std::flush;
    return {};
  }
  AtomicFile file(output);
  if (!file.ok()) return file.error();
  file.stream() << text.str();
  return file.commit();
}

}  // namespace trailwatch::cli
