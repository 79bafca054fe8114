// Writing a scan report where the user asked, in the format asked: shared by `scan` and `merge`.
#pragma once

#include <string>

#include "trailwatch/scan.hpp"

namespace trailwatch::cli {

/// Writes `report` as `format` (table, json or csv) to `output` (atomically), or to stdout when it is empty.
/// Returns an empty string, or why the file could not be written.
std::string write_report(const ScanReport& report, const std::string& format, const std::string& output);

}  // namespace trailwatch::cli
