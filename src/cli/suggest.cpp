#include "cli/suggest.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace trailwatch::cli {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Every long option name of a command ("--format"), and its short ones ("-o").
std::vector<std::string> option_names(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  }
  return names;
}

}  // namespace

std::optional<std::string> closest(std::string_view typed, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, typed.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    if (candidate.size() > typed.size() && candidate.starts_with(typed) && typed.size() >= 4)
      return candidate;
    const std::size_t d = edit_distance(typed, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::optional<std::string> explain_unknown_words(const CLI::App& app, int argc, const char* const* argv) {
  if (argc < 2) return std::nullopt;
  const std::string_view first = argv[1];
  if (first.starts_with('-')) return std::nullopt;
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  const CLI::App* command = nullptr;
  for (const CLI::App* sub : app.get_subcommands({}))
    if (sub->get_name() == first) command = sub;
  if (command == nullptr) {
    const std::optional<std::string> near = closest(first, commands);
    std::string known;
    for (const std::string& c : commands) known += (known.empty() ? "" : ", ") + c;
    return near ? fmt::format("unknown command '{}'; did you mean '{}'?", first, *near)
                : fmt::format("unknown command '{}' (commands: {})", first, known);
  }
  const std::vector<std::string> options = option_names(*command);
  for (int i = 2; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word == "--") break;
    if (!word.starts_with("--") || word.size() == 2) continue;
    word = word.substr(0, word.find('='));
    if (std::find(options.begin(), options.end(), word) != options.end()) continue;
    const std::optional<std::string> near = closest(word, options);
    return near ? fmt::format("{}: unknown option '{}'; did you mean '{}'?", first, word, *near)
                : fmt::format("{}: unknown option '{}' ('trailwatch {} --help' lists them)", first, word,
                              first);
  }
  return std::nullopt;
}

}  // namespace trailwatch::cli
