// The help screens: CLI11's layout, wrapped to the terminal (help_width()), options by group, each value
// shown by the word that stands for it (`--period SECONDS`, `--format table|json|csv`) and the default after
// the description, never CLI11's type names (`INT:INT in [1 - 604800]=300`).
#pragma once

#include <cstddef>
#include <string>

#include <CLI/CLI.hpp>

namespace trailwatch::cli {

class HelpFormatter : public CLI::Formatter {
 public:
  explicit HelpFormatter(std::size_t width) : width_(width) {}

  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override;
  std::string make_description(const CLI::App* app) const override;
  std::string make_usage(const CLI::App* app, std::string name) const override;
  std::string make_positionals(const CLI::App* app) const override;
  // Not virtual in CLI11: make_help above calls this one.
  std::string make_groups(const CLI::App* app, CLI::AppFormatMode mode) const;
  std::string make_subcommands(const CLI::App* app, CLI::AppFormatMode mode) const override;
  std::string make_footer(const CLI::App* app) const override;

  std::size_t width() const { return width_; }

 private:
  // One entry of a list: `name` in the left column, `text` wrapped beside it (or below it when the name is
  // wider than the column, or the terminal too narrow for two columns).
  std::string entry(const std::string& name, const std::string& text, std::size_t column) const;

  std::size_t width_;
};

/// The usage line of `command` without "Usage: ": "trailwatch scan [OPTIONS] PATH...".
std::string usage_of(const CLI::App& command);

}  // namespace trailwatch::cli
