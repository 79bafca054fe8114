#include "cli/completion_command.hpp"

#include <algorithm>
#include <iostream>

#include "cli/cli_model.hpp"
#include "cli/exit_codes.hpp"

namespace trailwatch::cli {

namespace {

// ---- the command line as the scripts need it --------------------------------------------------------------

struct OptionSpec {
  std::vector<std::string> shorts;  // without the dash
  std::vector<std::string> longs;   // without the dashes
  bool value = false;
  bool repeatable = false;
  ValueKind kind = ValueKind::None;
  std::vector<std::string> choices;
  std::string value_name;
  std::string brief;

  std::vector<std::string> names() const {
    std::vector<std::string> all;
    for (const std::string& s : shorts) all.push_back("-" + s);
    for (const std::string& l : longs) all.push_back("--" + l);
    return all;
  }
};

struct PositionalSpec {
  std::string name;
  ValueKind kind = ValueKind::Word;
  std::vector<std::string> choices;
  bool required = false;
  bool repeats = false;
};

struct CommandSpec {
  std::string name;
  std::string brief;
  std::vector<OptionSpec> options;
  std::vector<PositionalSpec> positionals;
};

struct Model {
  std::string program;
  std::vector<OptionSpec> options;  // of the program itself (--help, --version)
  std::vector<CommandSpec> commands;
};

// One line of at most ~80 characters: up to the end of the first clause (not at "e.g. ", nor after a lone
// "N: ").
std::string brief(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\t') c = ' ';
  constexpr std::size_t kShortest = 12;
  std::size_t cut = text.size();
  for (std::string_view end : {". ", "; ", ": "}) {
    for (std::size_t at = text.find(end); at != std::string::npos; at = text.find(end, at + 1)) {
      const std::string_view before = std::string_view(text).substr(0, at);
      if (at >= kShortest && !before.ends_with("e.g") && !before.ends_with("i.e")) {
        cut = std::min(cut, at);
        break;
      }
    }
  }
  text.resize(cut);
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  constexpr std::size_t kLongest = 80;
  if (text.size() > kLongest) {
    std::size_t space = text.rfind(' ', kLongest - 3);
    text = text.substr(0, space == std::string::npos ? kLongest - 3 : space) + "...";
  }
  return text;
}

OptionSpec option_spec(const CLI::Option& option) {
  OptionSpec o;
  o.shorts = option.get_snames();
  o.longs = option.get_lnames();
  o.value = takes_value(option);
  o.repeatable = o.value && option.get_expected_max() > 1;
  o.kind = value_kind(option);
  o.choices = value_choices(option);
  o.value_name = value_name(option);
  o.brief = brief(option.get_description());
  return o;
}

Model model_of(const CLI::App& root) {
  Model m;
  m.program = root.get_name();
  for (const CLI::Option* option : root.get_options())
    if (!option->get_positional()) m.options.push_back(option_spec(*option));
  for (const CLI::App* sub : visible_commands(root)) {
    CommandSpec c;
    c.name = sub->get_name();
    c.brief = brief(summary(*sub));
    for (const CLI::Option* option : sub->get_options()) {
      if (option->get_positional()) {
        PositionalSpec p;
        p.name = value_name(*option);
        if (p.name.ends_with("...")) p.name.resize(p.name.size() - 3);
        p.kind = value_kind(*option);
        p.choices = value_choices(*option);
        p.required = option->get_required();
        p.repeats = option->get_expected_max() > 1;
        c.positionals.push_back(std::move(p));
      } else {
        c.options.push_back(option_spec(*option));
      }
    }
    m.commands.push_back(std::move(c));
  }
  return m;
}

std::string join(const std::vector<std::string>& words, std::string_view by = " ") {
  std::string text;
  for (const std::string& w : words) {
    if (!text.empty()) text += by;
    text += w;
  }
  return text;
}

// ---- bash
// ---------------------------------------------------------------------------------------------------

std::string bash_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string bash_words(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += " " + bash_quote(w);
  return out;
}

// The bash statement that completes a value of `kind` (the word being completed is in $cur).
std::string bash_action(ValueKind kind, const std::vector<std::string>& choices) {
  switch (kind) {
    case ValueKind::Choice:
      return "_trailwatch_words \"$cur\"" + bash_words(choices);
    case ValueKind::File:
      return "_trailwatch_files \"$cur\"";
    case ValueKind::Directory:
      return "_trailwatch_files \"$cur\" -d";
    default:
      return "COMPREPLY=()";
  }
}

std::string bash_script(const Model& m) {
  const std::string& p = m.program;
  std::vector<std::string> commands;
  for (const CommandSpec& c : m.commands) commands.push_back(c.name);
  std::vector<std::string> root_options;
  for (const OptionSpec& o : m.options)
    for (const std::string& n : o.names()) root_options.push_back(n);

  std::string s;
  s += "# bash completion for " + p + ", generated by '" + p +
       " completion bash' from its command definitions.\n"
       "# Load it in this shell with: source <(" +
       p + " completion bash)\n# or install it as ~/.local/share/bash-completion/completions/" + p + "\n\n";
  s += "_trailwatch_words() {  # CURRENT WORD...: the words that start with CURRENT\n"
       "  local cur=$1 word\n"
       "  shift\n"
       "  COMPREPLY=()\n"
       "  for word in \"$@\"; do [[ $word == \"$cur\"* ]] && COMPREPLY+=(\"$word\"); done\n"
       "}\n\n"
       "_trailwatch_files() {  # CURRENT [-d]: file (or directory) names\n"
       "  local IFS=$'\\n'\n"
       "  compopt -o filenames 2>/dev/null\n"
       "  if [[ $2 == -d ]]; then COMPREPLY=($(compgen -d -- \"$1\")); else COMPREPLY=($(compgen -f -- "
       "\"$1\")); fi\n"
       "}\n\n";

  s += "_trailwatch_takes_value() {  # COMMAND OPTION: does OPTION take a value?\n  case \"$1 $2\" in\n";
  for (const CommandSpec& c : m.commands)
    for (const OptionSpec& o : c.options)
      if (o.value) {
        std::vector<std::string> patterns;
        for (const std::string& n : o.names()) patterns.push_back("\"" + c.name + " " + n + "\"");
        s += "    " + join(patterns, "|") + ") return 0 ;;\n";
      }
  s += "  esac\n  return 1\n}\n\n";

  s += "_trailwatch_value() {  # COMMAND OPTION CURRENT: complete the value of OPTION\n"
       "  local cur=$3\n  case \"$1 $2\" in\n";
  for (const CommandSpec& c : m.commands)
    for (const OptionSpec& o : c.options)
      if (o.value) {
        std::vector<std::string> patterns;
        for (const std::string& n : o.names()) patterns.push_back("\"" + c.name + " " + n + "\"");
        s += "    " + join(patterns, "|") + ") " + bash_action(o.kind, o.choices) + " ;;\n";
      }
  s += "    *) COMPREPLY=() ;;\n  esac\n}\n\n";

  s += "_trailwatch_options() {  # COMMAND: its options\n  case $1 in\n";
  for (const CommandSpec& c : m.commands) {
    std::vector<std::string> names;
    for (const OptionSpec& o : c.options)
      for (const std::string& n : o.names()) names.push_back(n);
    s += "    " + bash_quote(c.name) + ") echo" + bash_words(names) + " ;;\n";
  }
  s += "  esac\n}\n\n";

  s += "_trailwatch_positional() {  # COMMAND INDEX CURRENT: complete the INDEX-th argument (from 0)\n"
       "  local cur=$3\n  case $1 in\n";
  for (const CommandSpec& c : m.commands) {
    s += "    " + bash_quote(c.name) + ")\n      case $2 in\n";
    for (std::size_t i = 0; i < c.positionals.size(); ++i) {
      const PositionalSpec& pos = c.positionals[i];
      const bool last_repeats = i + 1 == c.positionals.size() && pos.repeats;
      s += "        " + (last_repeats ? std::string("*") : std::to_string(i)) + ") " +
           bash_action(pos.kind, pos.choices) + " ;;  # " + pos.name + (pos.repeats ? "..." : "") + "\n";
    }
    s += "        *) COMPREPLY=() ;;\n      esac ;;\n";
  }
  s += "  esac\n}\n\n";

  s +=
      "_trailwatch() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} cword=$COMP_CWORD\n"
      "  local -a words=(\"${COMP_WORDS[@]}\")\n"
      "  local i command=\"\" at=0\n"
      "  for ((i = 1; i < cword; i++)); do\n"
      "    if [[ ${words[i]} != -* ]]; then command=${words[i]}; at=$i; break; fi\n"
      "  done\n"
      "  if [[ -z $command ]]; then\n"
      "    if [[ $cur == -* ]]; then _trailwatch_words \"$cur\"" +
      bash_words(root_options) +
      "\n"
      "    else _trailwatch_words \"$cur\"" +
      bash_words(commands) + " help\n    fi\n    return 0\n  fi\n" +
      "  if [[ $command == help ]]; then\n"
      "    ((cword == at + 1)) && _trailwatch_words \"$cur\"" +
      bash_words(commands) +
      "\n    return 0\n  fi\n"
      "  # bash splits --option=value at '=' (COMP_WORDBREAKS): the value of the option before it.\n"
      "  if [[ $cur == = ]]; then _trailwatch_value \"$command\" \"${words[cword - 1]}\" \"\"; return 0; fi\n"
      "  if ((cword >= 2)) && [[ ${words[cword - 1]} == = ]]; then\n"
      "    _trailwatch_value \"$command\" \"${words[cword - 2]}\" \"$cur\"\n    return 0\n  fi\n"
      "  if ((cword - 1 > at)) && _trailwatch_takes_value \"$command\" \"${words[cword - 1]}\"; then\n"
      "    _trailwatch_value \"$command\" \"${words[cword - 1]}\" \"$cur\"\n    return 0\n  fi\n"
      "  # Which argument is this? Options and their values do not count; after -- everything does.\n"
      "  local index=0 rest=0\n"
      "  for ((i = at + 1; i < cword; i++)); do\n"
      "    if ((rest)); then ((index++)); continue; fi\n"
      "    case ${words[i]} in\n"
      "      --) rest=1 ;;\n"
      "      -*)\n"
      "        if [[ ${words[i + 1]} == = ]]; then ((i += 2))\n"
      "        elif _trailwatch_takes_value \"$command\" \"${words[i]}\"; then ((i++)); fi ;;\n"
      "      *) ((index++)) ;;\n"
      "    esac\n"
      "  done\n"
      "  if ((!rest)) && [[ $cur == -* ]]; then\n"
      "    local -a options\n"
      "    read -r -a options <<< \"$(_trailwatch_options \"$command\")\"\n"
      "    _trailwatch_words \"$cur\" \"${options[@]}\"\n"
      "    return 0\n"
      "  fi\n"
      "  _trailwatch_positional \"$command\" \"$index\" \"$cur\"\n"
      "  return 0\n"
      "}\n\n"
      "complete -F _trailwatch " +
      p + "\n";
  return s;
}

// ---- zsh
// ----------------------------------------------------------------------------------------------------

// Text inside a single-quoted zsh word.
std::string zsh_quoted(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out;
}

// An option description inside _arguments' [...].
std::string zsh_description(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return zsh_quoted(out);
}

std::string zsh_action(ValueKind kind, const std::vector<std::string>& choices) {
  switch (kind) {
    case ValueKind::Choice: {
      std::string words;
      for (const std::string& c : choices) {
        std::string escaped;
        for (char ch : c) {
          if (ch == ' ' || ch == '(' || ch == ')' || ch == '\\' || ch == ':') escaped += '\\';
          escaped += ch;
        }
        words += (words.empty() ? "" : " ") + escaped;
      }
      return "(" + zsh_quoted(words) + ")";
    }
    case ValueKind::File:
      return "_files";
    case ValueKind::Directory:
      return "_files -/";
    default:
      return " ";
  }
}

std::string zsh_message(std::string_view name) {
  std::string out;
  for (char c : name) out += c == ':' ? ' ' : c;
  return zsh_quoted(out);
}

std::string zsh_option(const OptionSpec& o) {
  const std::vector<std::string> names = o.names();
  std::string exclusion;
  const bool is_help = std::find(o.longs.begin(), o.longs.end(), "help") != o.longs.end() ||
                       std::find(o.longs.begin(), o.longs.end(), "version") != o.longs.end();
  if (is_help)
    exclusion = "(- *)";
  else if (!o.repeatable && names.size() > 1)
    exclusion = "(" + join(names) + ")";
  std::vector<std::string> forms;
  for (const std::string& s : o.shorts) forms.push_back("-" + s + (o.value ? "+" : ""));
  for (const std::string& l : o.longs) forms.push_back("--" + l + (o.value ? "=" : ""));
  std::string spec_tail = "[" + zsh_description(o.brief) + "]";
  if (o.value) spec_tail += ":" + zsh_message(o.value_name) + ":" + zsh_action(o.kind, o.choices);
  const std::string prefix = (o.repeatable ? "*" : "") + exclusion;
  if (forms.size() == 1) return "'" + prefix + forms[0] + spec_tail + "'";
  return (prefix.empty() ? "" : "'" + prefix + "'") + "{" + join(forms, ",") + "}'" + spec_tail + "'";
}

std::string zsh_function_name(const std::string& command) {
  std::string name = "_trailwatch_" + command;
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

std::string zsh_script(const Model& m) {
  const std::string& p = m.program;
  std::string s = "#compdef " + p + "\n";
  s += "# zsh completion for " + p + ", generated by '" + p +
       " completion zsh' from its command definitions.\n"
       "# Install it as _" +
       p + " in a directory of $fpath (before compinit runs), or load it in this shell with:\n#   source <(" +
       p + " completion zsh)\n\n";
  s += "_trailwatch_commands() {\n  local -a commands=(\n";
  for (const CommandSpec& c : m.commands)
    s += "    '" + zsh_quoted(c.name) + ":" + zsh_quoted(c.brief) + "'\n";
  s += "    'help:show the help of a command'\n  )\n  _describe -t commands '" + p +
       " command' commands\n}\n\n";
  for (const CommandSpec& c : m.commands) {
    s += zsh_function_name(c.name) + "() {\n  _arguments -s -S \\\n";
    for (const OptionSpec& o : c.options) s += "    " + zsh_option(o) + " \\\n";
    for (std::size_t i = 0; i < c.positionals.size(); ++i) {
      const PositionalSpec& pos = c.positionals[i];
      const std::string where = pos.repeats ? "*" : std::to_string(i + 1);
      s += "    '" + where + ":" + (pos.required || pos.repeats ? "" : ":") + zsh_message(pos.name) + ":" +
           zsh_action(pos.kind, pos.choices) + "' \\\n";
    }
    s.resize(s.size() - 3);
    s += "\n}\n\n";
  }
  s += "_trailwatch() {\n  local curcontext=$curcontext state line\n  typeset -A opt_args\n  _arguments -C "
       "\\\n";
  for (const OptionSpec& o : m.options) s += "    " + zsh_option(o) + " \\\n";
  s += "    '1: :_trailwatch_commands' \\\n    '*:: :->command'\n";
  s += "  [[ $state == command ]] || return\n  case $words[1] in\n";
  for (const CommandSpec& c : m.commands) s += "    " + c.name + ") " + zsh_function_name(c.name) + " ;;\n";
  s += "    help) _trailwatch_commands ;;\n  esac\n}\n\n";
  s += "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n  _trailwatch \"$@\"\nelse\n  compdef "
       "_trailwatch " +
       p + "\nfi\n";
  return s;
}

// ---- fish
// ---------------------------------------------------------------------------------------------------

std::string fish_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string fish_script(const Model& m) {
  const std::string& p = m.program;
  std::vector<std::string> commands;
  for (const CommandSpec& c : m.commands) commands.push_back(c.name);
  commands.push_back("help");
  const std::string all = join(commands);
  std::string s = "# fish completion for " + p + ", generated by '" + p +
                  " completion fish' from its command definitions.\n"
                  "# Install it as ~/.config/fish/completions/" +
                  p + ".fish, or load it in this shell with:\n#   " + p + " completion fish | source\n\n";
  s += "complete -c " + p + " -e\ncomplete -c " + p + " -f\n";
  const std::string root = "-n " + fish_quote("not __fish_seen_subcommand_from " + all);
  for (const CommandSpec& c : m.commands)
    s += "complete -c " + p + " " + root + " -a " + fish_quote(c.name) + " -d " + fish_quote(c.brief) + "\n";
  s += "complete -c " + p + " " + root + " -a help -d " + fish_quote("show the help of a command") + "\n";
  auto option_line = [&](const std::string& condition, const OptionSpec& o) {
    std::string line = "complete -c " + p + " " + condition;
    for (const std::string& sname : o.shorts) line += " -s " + fish_quote(sname);
    for (const std::string& lname : o.longs) line += " -l " + fish_quote(lname);
    if (o.value) {
      switch (o.kind) {
        case ValueKind::Choice:
          line += " -x -a " + fish_quote(join(o.choices));
          break;
        case ValueKind::File:
          line += " -r -F";
          break;
        case ValueKind::Directory:
          line += " -x -a " + fish_quote("(__fish_complete_directories)");
          break;
        default:
          line += " -x";
          break;
      }
    }
    return line + " -d " + fish_quote(o.brief) + "\n";
  };
  for (const OptionSpec& o : m.options) s += option_line(root, o);
  for (const CommandSpec& c : m.commands) {
    const std::string in = "-n " + fish_quote("__fish_seen_subcommand_from " + c.name);
    for (const OptionSpec& o : c.options) s += option_line(in, o);
    for (const PositionalSpec& pos : c.positionals) {
      if (pos.kind == ValueKind::File || pos.kind == ValueKind::Directory)
        s += "complete -c " + p + " " + in + " -F\n";
      else if (pos.kind == ValueKind::Choice)
        s += "complete -c " + p + " " + in + " -a " + fish_quote(join(pos.choices)) + "\n";
    }
  }
  s += "complete -c " + p + " -n " + fish_quote("__fish_seen_subcommand_from help") + " -a " +
       fish_quote(join(std::vector<std::string>(commands.begin(), commands.end() - 1))) + "\n";
  return s;
}

}  // namespace

CLI::App* add_completion_command(CLI::App& app, CompletionOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "completion",
      "Print a shell completion script for bash, zsh or fish: commands, options, the values an option takes\n"
      "(such as --format's) and file names where a path goes.");
  cmd->add_option("shell", o.shell, "The shell")
      ->required()
      ->transform(CLI::IsMember({"bash", "zsh", "fish"}, CLI::ignore_case));
  cmd->footer(
      "'cmake --install' puts the three scripts where bash-completion, zsh and fish look for them.\n\n"
      "Examples:\n"
      "  source <(trailwatch completion bash)          this bash session (add it to ~/.bashrc to keep it)\n"
      "  trailwatch completion bash > ~/.local/share/bash-completion/completions/trailwatch\n"
      "  trailwatch completion zsh > ~/.zfunc/_trailwatch      with fpath=(~/.zfunc $fpath) before compinit\n"
      "  trailwatch completion fish > ~/.config/fish/completions/trailwatch.fish");
  return cmd;
}

std::string completion_script(const CLI::App& root, std::string_view shell) {
  const Model m = model_of(root);
  if (shell == "bash") return bash_script(m);
  if (shell == "zsh") return zsh_script(m);
  if (shell == "fish") return fish_script(m);
  return "";
}

int run_completion(const CLI::App& root, const CompletionOptions& o) {
  std::cout << completion_script(root, o.shell) << std::flush;
  return kExitDone;
}

}  // namespace trailwatch::cli
