#include "cli/cli_model.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace trailwatch::cli {

namespace {

std::vector<std::string> split(const std::string& text, char by) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text.find(by, start);
    parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The type name CLI11 gives an option that was not given one (INT, TEXT, ...), then the descriptions of its
// validators: "INT:INT in [1 - 604800]", "TEXT:{table,json,csv}", "TEXT:FILE".
struct TypeName {
  std::string base;
  bool generic = false;
  std::vector<std::string> validators;
};

TypeName type_name(const CLI::Option& option) {
  static constexpr std::array<std::string_view, 10> kGeneric = {"",        "INT",  "UINT", "FLOAT", "TEXT",
                                                                "BOOLEAN", "CHAR", "ENUM", "VALUE", "NUMBER"};
  std::vector<std::string> parts = split(option.get_type_name(), ':');
  TypeName t;
  t.base = parts.front();
  t.generic = std::find(kGeneric.begin(), kGeneric.end(), t.base) != kGeneric.end();
  t.validators.assign(parts.begin() + 1, parts.end());
  return t;
}

bool has_validator(const TypeName& t, std::string_view description) {
  return std::find(t.validators.begin(), t.validators.end(), description) != t.validators.end();
}

std::string joined_choices(const std::vector<std::string>& choices) {
  std::string text;
  for (const std::string& c : choices) text += (text.empty() ? "" : "|") + c;
  return text;
}

constexpr std::size_t kLongestInlineChoices = 30;

// The value name before any "..." of a repeating positional.
std::string bare_value_name(const CLI::Option& option) {
  if (!option.get_positional() && !takes_value(option)) return "";
  const TypeName t = type_name(option);
  if (!t.generic) return t.base;
  if (option.get_positional()) return upper(option.get_name(true, false));
  if (const std::vector<std::string> choices = value_choices(option);
      !choices.empty() && joined_choices(choices).size() <= kLongestInlineChoices)
    return joined_choices(choices);
  for (const char* kind : {"FILE", "DIR", "PATH"})
    if (has_validator(t, kind)) return kind;
  if (t.base == "INT" || t.base == "UINT") return "N";
  if (t.base == "FLOAT" || t.base == "NUMBER") return "NUMBER";
  const std::vector<std::string>& names = option.get_lnames();
  if (names.empty()) return "VALUE";
  const std::string& name = names.front();
  const std::size_t dash = name.rfind('-');
  return upper(dash == std::string::npos ? name : name.substr(dash + 1));
}

}  // namespace

CLI::Validator suggested_values(const std::vector<std::string>& values) {
  // '|' between the values, as a value may hold a comma ("account,region").
  std::string description = "{";
  for (const std::string& v : values) description += (description.size() > 1 ? "|" : "") + v;
  description += "}";
  return CLI::Validator([](std::string&) { return std::string(); }, description);
}

bool takes_value(const CLI::Option& option) {
  // A flag expects no value (its type size is still 1).
  return option.get_expected_max() > 0;
}

std::vector<std::string> value_choices(const CLI::Option& option) {
  if (!option.get_positional() && !takes_value(option)) return {};
  for (const std::string& v : type_name(option).validators)
    if (v.size() > 2 && v.front() == '{' && v.back() == '}') {
      const std::string list = v.substr(1, v.size() - 2);
      return split(list, list.find('|') != std::string::npos ? '|' : ',');
    }
  return {};
}

std::string value_name(const CLI::Option& option) {
  std::string name = bare_value_name(option);
  if (option.get_positional() && option.get_expected_max() > 1) name += "...";
  return name;
}

ValueKind value_kind(const CLI::Option& option) {
  if (!option.get_positional() && !takes_value(option)) return ValueKind::None;
  if (!value_choices(option).empty()) return ValueKind::Choice;
  const TypeName t = type_name(option);
  const std::string name = bare_value_name(option);
  if (name == "DIR" || has_validator(t, "DIR")) return ValueKind::Directory;
  if (name == "FILE" || name == "PATH" || has_validator(t, "FILE") || has_validator(t, "PATH"))
    return ValueKind::File;
  return ValueKind::Word;
}

std::string option_help(const CLI::Option& option) {
  std::string help = option.get_description();
  std::vector<std::string> notes;
  const std::vector<std::string> choices = value_choices(option);
  // A long list (the rule ids) is for completion; help points to where it is listed.
  constexpr std::size_t kLongestListed = 8;
  if (!choices.empty() && choices.size() <= kLongestListed && value_name(option) != joined_choices(choices)) {
    std::string list;
    for (std::size_t i = 0; i < choices.size(); ++i)
      list += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
    notes.push_back("one of " + list);
  }
  const std::string& given_default = option.get_default_str();
  if (takes_value(option) && !given_default.empty() && given_default != "[]" &&
      lower(help).find("default") == std::string::npos)
    notes.push_back("default " + given_default);
  if (notes.empty()) return help;
  std::string joined;
  for (const std::string& n : notes) joined += (joined.empty() ? "" : "; ") + n;
  return help + (help.empty() ? "" : " ") + "(" + joined + ")";
}

std::string option_names(const CLI::Option& option) {
  std::string names;
  for (const std::string& s : option.get_snames()) names += (names.empty() ? "-" : ", -") + s;
  for (const std::string& l : option.get_lnames()) names += (names.empty() ? "--" : ", --") + l;
  return names;
}

std::vector<const CLI::App*> visible_commands(const CLI::App& app) {
  std::vector<const CLI::App*> commands;
  for (const CLI::App* sub : app.get_subcommands({}))
    if (!sub->get_group().empty() && !sub->get_name().empty()) commands.push_back(sub);
  return commands;
}

std::vector<std::pair<std::string, std::vector<const CLI::Option*>>> option_groups(const CLI::App& command) {
  static constexpr std::array<const char*, 6> kOrder = {kGroupInput, kGroupRules,  kGroupMetricAlarm,
                                                        kGroupScope, kGroupOutput, kGroupLimits};
  std::vector<std::pair<std::string, std::vector<const CLI::Option*>>> groups;
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_positional() || option->get_group().empty()) continue;
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == option->get_group(); });
    if (it == groups.end()) {
      groups.push_back({option->get_group(), {}});
      it = groups.end() - 1;
    }
    it->second.push_back(option);
  }
  auto rank = [](const std::string& group) -> std::size_t {
    for (std::size_t i = 0; i < kOrder.size(); ++i)
      if (group == kOrder[i]) return i;
    return group == "Options" ? kOrder.size() + 1 : kOrder.size();
  };
  std::stable_sort(groups.begin(), groups.end(),
                   [&](const auto& a, const auto& b) { return rank(a.first) < rank(b.first); });
  return groups;
}

std::vector<const CLI::Option*> positionals(const CLI::App& command) {
  std::vector<const CLI::Option*> list;
  for (const CLI::Option* option : command.get_options())
    if (option->get_positional()) list.push_back(option);
  return list;
}

std::string summary(const CLI::App& command) {
  std::string text = command.get_description();
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::size_t cut = text.size();
  for (std::string_view end : {". ", ": "}) cut = std::min(cut, text.find(end));
  if (const std::size_t question = text.find("? "); question != std::string::npos && question < cut)
    cut = question + 1;
  text.resize(cut);
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace trailwatch::cli
