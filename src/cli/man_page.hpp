// trailwatch(1): the help of every command rendered as a man page (roff, man macros), from the same
// definitions and the same reading of their text as the help screens. The build writes it
// (src/cli/docgen/main.cpp) and `cmake --install` puts it in share/man/man1.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace trailwatch::cli {

/// The man page of `root` and its commands; `version` goes in the page's footer ("trailwatch 0.1.0").
std::string man_page(const CLI::App& root, const std::string& version);

}  // namespace trailwatch::cli
