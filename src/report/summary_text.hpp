// The summary that ends the table: what fired, first, so that it is on screen when the scan ends however many
// rules ran. Internal to the report unit.
#pragma once

#include <string>

#include "trailwatch/scan.hpp"
#include "trailwatch/terminal_style.hpp"

namespace trailwatch::report {

/// A line saying how many rules fired and which first, a row per rule that matched (those in ALARM first, by
/// their first ALARM), then the rules that matched nothing, wrapped to 80 columns. With colour, what is in
/// ALARM is red and "0 in ALARM" green; the widths are those of the text without colour.
std::string summary_text(const ScanReport& report, const TerminalStyle& style = {});

}  // namespace trailwatch::report
