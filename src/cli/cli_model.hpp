// How the command definitions (CLI11 apps and options) read to a person and to a shell: the word that stands
// for an option's value, the values it suggests, what kind of word it completes to, its default. Help
// (help_formatter), shell completion (completion_command) and the man page (man_page) all ask here, so the
// three cannot drift apart from the definitions or from each other.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace trailwatch::cli {

/// Option groups of `scan` (CLI::Option::group), shown in this order; options of a command without a group
/// are listed under "Options" after them.
inline constexpr const char* kGroupInput = "Input";
inline constexpr const char* kGroupRules = "Rules";
inline constexpr const char* kGroupMetricAlarm = "Metric and alarm";
inline constexpr const char* kGroupScope = "Scope";
inline constexpr const char* kGroupOutput = "Output";
inline constexpr const char* kGroupLimits = "Limits";

/// A validator that accepts every value and names the usual ones, for options whose command checks the value
/// itself (with its own message): help lists the values, completion offers them. Its description has the
/// shape of CLI::IsMember's, with '|' between the values ("{a|b|a,b}"), so both read the same.
CLI::Validator suggested_values(const std::vector<std::string>& values);

/// What an option's value completes to.
enum class ValueKind { None, Word, Choice, File, Directory };

/// True when the option takes a value (false for flags).
bool takes_value(const CLI::Option& option);

/// The values of a CLI::IsMember check or transform, or of suggested_values(); empty when the value is free.
std::vector<std::string> value_choices(const CLI::Option& option);

/// The word that stands for the value in help: the type name given in the definition (SECONDS, FILE, I/N),
/// else the choices joined by '|' when short, else FILE or DIR for a path that must exist, else a word made
/// from the option's name (--pattern PATTERN, --endpoint-url URL, N for a number). Empty for flags. For a
/// positional: its type name or its name in capitals, with "..." when it repeats.
std::string value_name(const CLI::Option& option);

/// What the value completes to: a choice, a file or directory name, or nothing in particular.
ValueKind value_kind(const CLI::Option& option);

/// The option's description, then what help adds: "one of a, b or c" when the value name does not show the
/// choices, and "default X" when the definition captured a default and the description does not already
/// speak of one.
std::string option_help(const CLI::Option& option);

/// "-o, --output" or "--format": the option's names as typed.
std::string option_names(const CLI::Option& option);

/// The commands of `app`, in definition order (hidden ones, without a group, left out).
std::vector<const CLI::App*> visible_commands(const CLI::App& app);

/// The options of `command` that help lists, by group, groups in display order (kGroup* first, in the
/// order above, then the others in definition order, the default group "Options" last).
std::vector<std::pair<std::string, std::vector<const CLI::Option*>>> option_groups(const CLI::App& command);

/// The positional arguments of `command`, in order.
std::vector<const CLI::Option*> positionals(const CLI::App& command);

/// The first line of a command's description (the one-line summary of command lists).
std::string summary(const CLI::App& command);

}  // namespace trailwatch::cli
