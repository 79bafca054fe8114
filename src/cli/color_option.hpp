// --color auto|always|never, the same option on every command whose table can reach a terminal (scan,
// merge, audit, verify, test-pattern), and the styles it gives stdout (or the -o target) and stderr.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "trailwatch/terminal_style.hpp"

namespace trailwatch::cli {

/// Adds --color to `command`, stored in `mode` ("auto" unless given), in `group` (empty: the default).
CLI::Option* add_color_option(CLI::App& command, std::string& mode, const std::string& group = "");

/// The style of the report: for stdout when `output` is empty or "-", else for the -o target, which gets
/// colour under auto only when it is itself a terminal (a character device that isatty says is one).
TerminalStyle report_style(const std::string& mode, const std::string& output);

/// The style of stderr's messages: colour only when stderr is a terminal, under the same rule.
TerminalStyle stderr_style(const std::string& mode);

}  // namespace trailwatch::cli
