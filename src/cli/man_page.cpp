#include "cli/man_page.hpp"

#include <algorithm>
#include <cctype>

#include "cli/cli_model.hpp"
#include "cli/help_formatter.hpp"
#include "cli/help_text.hpp"

namespace trailwatch::cli {

namespace {

// Text for a roff line: backslashes and hyphens escaped (a bare '-' may print as a hyphen that cannot be
// copied into a shell), and a leading '.' or '\'' kept from being read as a request.
std::string roff(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

std::string bold(std::string_view text) {
  return "\\fB" + roff(text) + "\\fR";
}

std::string italic(std::string_view text) {
  return "\\fI" + roff(text) + "\\fR";
}

// A description or footer: paragraphs filled by the formatter, indented lines and examples kept as written.
std::string blocks(std::string_view text) {
  std::string out;
  std::vector<std::string> kept;
  auto flush = [&] {
    if (kept.empty()) return;
    std::size_t indent = std::string::npos;
    for (const std::string& line : kept) indent = std::min(indent, line.find_first_not_of(' '));
    out += ".PP\n.RS 4\n.nf\n";
    for (const std::string& line : kept) out += roff(line.substr(indent)) + '\n';
    out += ".fi\n.RE\n";
    kept.clear();
  };
  for (const TextBlock& b : text_blocks(text)) {
    switch (b.kind) {
      case TextBlock::Kind::Prose:
        flush();
        out += ".PP\n" + roff(b.text) + '\n';
        break;
      case TextBlock::Kind::Indented: {
        // A row "  trail      text": the first word as the tag, the text filled beside it.
        flush();
        const std::size_t body = indented_body(b);
        const std::size_t indent = b.text.find_first_not_of(' ');
        if (body > indent) {
          const std::string tag = b.text.substr(indent, b.text.find(' ', indent) - indent);
          // A wide first column would leave the text too little room: then it goes below its tag.
          constexpr std::size_t kWidestTag = 16;
          const std::size_t tag_width = b.hang - indent <= kWidestTag ? b.hang - indent : 4;
          out += ".IP \"" + roff(tag) + "\" " + std::to_string(tag_width) + "\n" + roff(b.text.substr(body)) +
                 '\n';
        } else {
          out += ".IP \"\" 4\n" + roff(b.text.substr(indent)) + '\n';
        }
        break;
      }
      case TextBlock::Kind::Example:
        kept.push_back(b.text);
        break;
      case TextBlock::Kind::Blank:
        flush();
        break;
    }
  }
  flush();
  return out;
}

std::string option_entry(const CLI::Option& option) {
  std::string head;
  if (option.get_positional()) {
    head = italic(value_name(option));
  } else {
    head = bold(option_names(option));
    if (const std::string value = value_name(option); !value.empty()) head += " " + italic(value);
  }
  std::string help = option_help(option);
  std::replace(help.begin(), help.end(), '\n', ' ');
  return ".TP\n" + head + '\n' + roff(help) + '\n';
}

std::string usage_line(const CLI::App& command) {
  // "trailwatch scan [OPTIONS] PATH...": the command in bold, the words that stand for something in italics.
  const std::string usage = usage_of(command);
  std::string out;
  std::size_t start = 0;
  bool first = true;
  while (start < usage.size()) {
    std::size_t end = usage.find(' ', start);
    if (end == std::string::npos) end = usage.size();
    const std::string word = usage.substr(start, end - start);
    const bool literal = word.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos;
    out += (first ? "" : " ") + (literal ? bold(word) : italic(word));
    first = false;
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string man_page(const CLI::App& root, const std::string& version) {
  const std::string name = root.get_name();
  std::string upper_name = name;
  std::transform(upper_name.begin(), upper_name.end(), upper_name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  const std::vector<const CLI::App*> commands = visible_commands(root);

  std::string s;
  s += ".\\\" " + name + "(1), generated from the help of '" + name +
       "' (src/cli/man_page.cpp): do not edit.\n";
  s += ".TH " + upper_name + " 1 \"\" \"" + roff(version) + "\" \"User Commands\"\n";
  s += ".nh\n.ad l\n";
  // NAME: "trailwatch \- would my CloudWatch alarms have fired ...?" (the first paragraph of the
  // description).
  std::string what;
  for (const TextBlock& b : text_blocks(root.get_description()))
    if (b.kind == TextBlock::Kind::Prose) {
      what = b.text;
      break;
    }
  if (what.starts_with(name + ": ")) what = what.substr(name.size() + 2);
  s += ".SH NAME\n" + name + " \\- " + roff(what) + '\n';

  s += ".SH SYNOPSIS\n.nf\n";
  for (const CLI::App* c : commands) s += usage_line(*c) + '\n';
  s += bold(name) + " " + bold("--version") + "\n.fi\n";

  s += ".SH DESCRIPTION\n";
  std::string description = root.get_description();
  if (const std::size_t blank = description.find("\n\n"); blank != std::string::npos)
    description = description.substr(blank + 2);
  s += blocks(description);
  s += ".PP\n" + roff("Commands (each described below; '" + name + " help COMMAND' shows its help):") + '\n';
  for (const CLI::App* c : commands) s += ".TP\n" + bold(c->get_name()) + '\n' + roff(summary(*c)) + '\n';

  s += ".SH OPTIONS\n";
  for (const CLI::Option* option : root.get_options())
    if (!option->get_positional()) s += option_entry(*option);

  s += ".SH COMMANDS\n";
  for (const CLI::App* c : commands) {
    s += ".SS \"" + roff(name + " " + c->get_name()) + "\"\n";
    s += ".PP\n" + usage_line(*c) + '\n';
    s += blocks(c->get_description());
    const std::vector<const CLI::Option*> args = positionals(*c);
    if (!args.empty()) {
      s += ".PP\n" + bold("Arguments:") + "\n.RS 2\n";
      for (const CLI::Option* a : args) s += option_entry(*a);
      s += ".RE\n";
    }
    const auto groups = option_groups(*c);
    for (const auto& [group, options] : groups) {
      s += ".PP\n" +
           bold((group == "Options" && groups.size() > 1 ? std::string("Other options") : group) + ":") +
           "\n.RS 2\n";
      for (const CLI::Option* option : options) s += option_entry(*option);
      s += ".RE\n";
    }
    s += blocks(c->get_footer());
  }

  if (!root.get_footer().empty()) s += ".SH EXAMPLES\n" + blocks(root.get_footer());
  s += ".SH ENVIRONMENT\n";
  s += ".TP\n" + bold("COLUMNS") + '\n' +
       roff("The width help is wrapped to (else the terminal's, else 80; at most 120).") + '\n';
  s += ".TP\n" + bold("TRAILWATCH_KERNEL") + '\n' +
       roff("'fallback' makes scans use the portable record kernel even on a CPU with AVX2 ('" + name +
            " --version' says which one runs).") +
       '\n';
  s += ".SH SEE ALSO\n" + roff("'" + name + " COMMAND --help'; the project's README.md and docs/design.md.") +
       '\n';
  return s;
}

}  // namespace trailwatch::cli
