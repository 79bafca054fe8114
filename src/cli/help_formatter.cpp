#include "cli/help_formatter.hpp"

#include <algorithm>

#include "cli/cli_model.hpp"
#include "cli/help_text.hpp"

namespace trailwatch::cli {

namespace {

constexpr std::size_t kMaxNameColumn = 30;
constexpr std::size_t kMinTextColumns = 30;

std::string command_path(const CLI::App& command) {
  std::string path = command.get_name();
  for (const CLI::App* p = command.get_parent(); p != nullptr; p = p->get_parent())
    path = p->get_name() + " " + path;
  return path;
}

std::string option_entry_name(const CLI::Option& option) {
  if (option.get_positional()) return value_name(option);
  const std::string value = value_name(option);
  return option_names(option) + (value.empty() ? "" : " " + value);
}

// The left column: wide enough for most names, at most kMaxNameColumn.
std::size_t name_column(const CLI::App& app) {
  std::size_t longest = 0;
  for (const CLI::Option* option : app.get_options())
    longest = std::max(longest, option_entry_name(*option).size());
  for (const CLI::App* sub : visible_commands(app)) longest = std::max(longest, sub->get_name().size());
  return std::min(longest + 4, kMaxNameColumn);
}

}  // namespace

std::string usage_of(const CLI::App& command) {
  std::string usage = command_path(command);
  if (!visible_commands(command).empty()) return usage + " COMMAND [OPTIONS]";
  usage += " [OPTIONS]";
  for (const CLI::Option* p : positionals(command))
    usage += " " + (p->get_required() ? value_name(*p) : "[" + value_name(*p) + "]");
  return usage;
}

std::string HelpFormatter::entry(const std::string& name, const std::string& text, std::size_t column) const {
  if (width_ < column + kMinTextColumns) column = 8;
  std::string out = "  " + name;
  if (text.empty()) return out + '\n';
  if (out.size() + 2 > column) return out + '\n' + wrap(text, width_, column, column);
  std::string body = wrap(text, width_, column, column);
  return out + body.substr(out.size());
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const {
  if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
  (void)name;
  std::string out = make_description(app);
  out += make_usage(app, "");
  out += make_positionals(app);
  out += make_groups(app, mode);
  out += make_subcommands(app, mode);
  const std::string footer = make_footer(app);
  if (!footer.empty()) out += '\n' + footer;
  return out;
}

std::string HelpFormatter::make_description(const CLI::App* app) const {
  const std::string& description = app->get_description();
  return description.empty() ? std::string() : layout_text(description, width_) + '\n';
}

std::string HelpFormatter::make_usage(const CLI::App* app, std::string) const {
  return wrap("Usage: " + usage_of(*app), width_, 0, 7);
}

std::string HelpFormatter::make_positionals(const CLI::App* app) const {
  const std::vector<const CLI::Option*> list = positionals(*app);
  if (list.empty()) return "";
  const std::size_t column = name_column(*app);
  std::string out = "\nArguments:\n";
  for (const CLI::Option* p : list) out += entry(option_entry_name(*p), option_help(*p), column);
  return out;
}

std::string HelpFormatter::make_groups(const CLI::App* app, CLI::AppFormatMode) const {
  const std::size_t column = name_column(*app);
  const auto groups = option_groups(*app);
  std::string out;
  for (const auto& [group, options] : groups) {
    out += '\n' + (group == "Options" && groups.size() > 1 ? std::string("Other options") : group) + ":\n";
    for (const CLI::Option* option : options)
      out += entry(option_entry_name(*option), option_help(*option), column);
  }
  return out;
}

std::string HelpFormatter::make_subcommands(const CLI::App* app, CLI::AppFormatMode) const {
  const std::vector<const CLI::App*> commands = visible_commands(*app);
  if (commands.empty()) return "";
  const std::size_t column = name_column(*app);
  std::string out = "\nCommands:\n";
  for (const CLI::App* sub : commands) out += entry(sub->get_name(), summary(*sub), column);
  return out;
}

std::string HelpFormatter::make_footer(const CLI::App* app) const {
  const std::string& footer = app->get_footer();
  return footer.empty() ? std::string() : layout_text(footer, width_);
}

}  // namespace trailwatch::cli
