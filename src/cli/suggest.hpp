// "Did you mean": the known word closest to a mistyped command or option, as git and cargo suggest.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace trailwatch::cli {

/// The candidate nearest to `typed` (edit distance, at most a third of its length and at least 2, or a
/// candidate it is a prefix of), or nullopt when none is near.
std::optional<std::string> closest(std::string_view typed, const std::vector<std::string>& candidates);

/// Checks the words of a command line before CLI11 parses them, and explains what CLI11 would not: an unknown
/// command or option with the nearest known one. Returns the message, or nullopt when nothing is unknown.
std::optional<std::string> explain_unknown_words(const CLI::App& app, int argc, const char* const* argv);

}  // namespace trailwatch::cli
