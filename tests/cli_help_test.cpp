// The help screens, completion scripts and man page read from the command definitions (src/cli/app.cpp): no
// CLI11 type noise, wrapped to the width, scan's options grouped, the same value names everywhere; and the
// smaller pieces (wrapping, plurals, the precedence warning, the field preview of test-pattern).
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "cli/cli_model.hpp"
#include "cli/completion_command.hpp"
#include "cli/help_text.hpp"
#include "cli/man_page.hpp"
#include "cli/pattern_hints.hpp"
#include "cli/version.hpp"
#include "trailwatch/plural.hpp"

namespace trailwatch::cli {
namespace {

const CLI::App& command(const CommandLine& line, const std::string& name) {
  return *line.app().get_subcommand(name);
}

std::string help_of(const CommandLine& line, const std::string& name) {
  const CLI::App& app = name.empty() ? line.app() : command(line, name);
  return app.help(name.empty() ? "" : "trailwatch");
}

// Runs of spaces and newlines as one space: what a phrase reads like wherever the wrapping broke it.
std::string flat(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

const CLI::Option& option(const CommandLine& line, const std::string& cmd, const std::string& name) {
  return *command(line, cmd).get_option(name);
}

TEST(Help, NoTypeNoiseButValueNamesAndDefaults) {
  const CommandLine line(100);
  const std::string scan = flat(help_of(line, "scan"));
  for (const char* noise : {"INT:", "TEXT:", "UINT", "FLOAT", "[1 - 604800]", "=300", "REQUIRED", "{table"})
    EXPECT_EQ(scan.find(noise), std::string::npos) << noise << " in\n" << scan;
  EXPECT_NE(scan.find("--period SECONDS"), std::string::npos) << scan;
  EXPECT_NE(scan.find("(default 300)"), std::string::npos) << scan;
  EXPECT_NE(scan.find("--format table|json|csv"), std::string::npos) << scan;
  const std::string audit = flat(help_of(line, "audit"));
  EXPECT_NE(audit.find("--format table|json|csv|ocsf"), std::string::npos) << audit;
  EXPECT_NE(scan.find("-o, --output FILE"), std::string::npos) << scan;
  EXPECT_NE(scan.find("--statistic STATISTIC"), std::string::npos) << scan;
  EXPECT_NE(scan.find("one of Sum, SampleCount, Average, Minimum or Maximum; default Sum"), std::string::npos)
      << scan;
  EXPECT_NE(scan.find("Usage: trailwatch scan [OPTIONS] PATH..."), std::string::npos) << scan;
}

TEST(Help, ScanOptionsAreGroupedInOrder) {
  const CommandLine line(100);
  const std::string scan = help_of(line, "scan");
  std::size_t at = 0;
  for (const char* heading : {"\nArguments:\n", "\nInput:\n", "\nRules:\n", "\nMetric and alarm:\n",
                              "\nScope:\n", "\nOutput:\n", "\nLimits:\n", "\nOther options:\n"}) {
    const std::size_t found = scan.find(heading, at);
    ASSERT_NE(found, std::string::npos) << heading << " (in this order) in\n" << scan;
    at = found;
  }
  // Every option of scan is in a group of its own kind, except help (and any option added without one).
  for (const auto& [group, options] : option_groups(command(line, "scan")))
    if (group == "Options") {
      for (const CLI::Option* o : options)
        EXPECT_EQ(o->get_name(), "--help") << "ungrouped: " << o->get_name();
    }
}

TEST(Help, WrappedToTheWidthExceptExamples) {
  for (std::size_t width : {40, 60, 80, 120}) {
    const CommandLine line(width);
    for (const char* name : {"", "scan", "merge", "rules", "test-pattern", "audit", "verify", "completion"}) {
      bool in_examples = false;
      for (const std::string& l : lines_of(help_of(line, name))) {
        if (l.empty() || l[0] != ' ') in_examples = l.ends_with("Examples:");
        // Kept as typed: examples, sketches of JSON or patterns, and one word longer than the room left.
        const std::size_t first = l.find_first_not_of(' ');
        const bool one_word = first == std::string::npos || l.find(' ', first) == std::string::npos;
        const bool sketch = !one_word && (l[first] == '{' || l[first] == '[' || l[first] == '"');
        // An option's name and value name alone on their line cannot be broken either.
        const bool option_line = l.starts_with("  -") && l.find("  ", 2) == std::string::npos;
        if (in_examples || sketch || one_word || option_line || l.size() <= width) continue;
        ADD_FAILURE() << "width " << width << ", " << (*name ? name : "trailwatch") << ": " << l.size()
                      << " columns:\n"
                      << l;
      }
    }
  }
}

TEST(Help, DescriptionsStartInOneColumnAndContinueUnderIt) {
  const CommandLine line(80);
  const std::vector<std::string> lines = lines_of(help_of(line, "merge"));
  std::size_t column = 0;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].starts_with("  -h, --help ")) column = lines[i].find("Print this help");
  ASSERT_GT(column, 10u);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i)
    if (lines[i].starts_with("  -o, --output ")) {
      EXPECT_EQ(lines[i].find("Write the report"), column);
      EXPECT_EQ(lines[i + 1].find_first_not_of(' '), column) << lines[i + 1];
    }
}

TEST(Help, ValueNamesAndKinds) {
  const CommandLine line(80);
  EXPECT_EQ(value_name(option(line, "scan", "--period")), "SECONDS");
  EXPECT_EQ(value_name(option(line, "scan", "--pattern")), "PATTERN");
  EXPECT_EQ(value_name(option(line, "scan", "--endpoint-url")), "URL");
  EXPECT_EQ(value_name(option(line, "scan", "--threads")), "N");
  EXPECT_EQ(value_name(option(line, "scan", "--config")), "FILE");
  EXPECT_EQ(value_name(option(line, "scan", "--group-by")), "account|region|account,region");
  EXPECT_EQ(value_name(option(line, "scan", "paths")), "PATH...");
  EXPECT_EQ(value_name(option(line, "scan", "--fast")), "");
  EXPECT_EQ(value_name(option(line, "audit", "--save-dir")), "DIR");
  EXPECT_EQ(value_kind(option(line, "scan", "--format")), ValueKind::Choice);
  EXPECT_EQ(value_kind(option(line, "scan", "-o")), ValueKind::File);
  EXPECT_EQ(value_kind(option(line, "scan", "paths")), ValueKind::File);
  EXPECT_EQ(value_kind(option(line, "audit", "--from-dir")), ValueKind::Directory);
  EXPECT_EQ(value_kind(option(line, "scan", "--start")), ValueKind::Word);
  EXPECT_EQ(value_kind(option(line, "scan", "--fast")), ValueKind::None);
  EXPECT_EQ(value_choices(option(line, "scan", "--format")),
            (std::vector<std::string>{"table", "json", "csv", "html"}));
  EXPECT_EQ(value_choices(option(line, "audit", "--format")),
            (std::vector<std::string>{"table", "json", "csv", "ocsf"}));
  const std::vector<std::string> rules = value_choices(option(line, "scan", "--rule"));
  ASSERT_FALSE(rules.empty());
  EXPECT_EQ(rules.front(), "cis");
  EXPECT_NE(std::find(rules.begin(), rules.end(), "kms-cmk-disable-or-delete"), rules.end());
}

TEST(Help, SuggestedValuesDoNotValidate) {
  // --statistic keeps the scan's own check and message: the suggestion accepts anything.
  CommandLine line(80);
  std::vector<const char*> argv = {"trailwatch", "scan", "--statistic", "Median", "x"};
  CLI::App& app = const_cast<CLI::App&>(line.app());
  EXPECT_NO_THROW(app.parse(static_cast<int>(argv.size()), argv.data()));
}

TEST(Help, CompletionScriptsNameEveryCommandAndOption) {
  const CommandLine line(80);
  for (const char* shell : {"bash", "zsh", "fish"}) {
    const std::string script = completion_script(line.app(), shell);
    ASSERT_FALSE(script.empty()) << shell;
    for (const CLI::App* c : visible_commands(line.app())) {
      EXPECT_NE(script.find(c->get_name()), std::string::npos) << shell << ": " << c->get_name();
      for (const CLI::Option* o : c->get_options())
        for (const std::string& l : o->get_lnames())
          EXPECT_NE(script.find(l), std::string::npos) << shell << ": " << c->get_name() << " --" << l;
    }
  }
  EXPECT_TRUE(completion_script(line.app(), "tcsh").empty());
}

TEST(Help, ManPageHasEveryCommandAndOption) {
  const CommandLine line(80);
  const std::string page = man_page(line.app(), "trailwatch 9.9");
  EXPECT_TRUE(page.find(".TH TRAILWATCH 1") != std::string::npos);
  EXPECT_TRUE(page.find("\"trailwatch 9.9\"") != std::string::npos);
  for (const char* section : {".SH NAME\ntrailwatch \\- ", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH COMMANDS",
                              ".SS \"trailwatch scan\"", ".SS \"trailwatch test\\-pattern\"", ".SH EXAMPLES"})
    EXPECT_NE(page.find(section), std::string::npos) << section;
  EXPECT_NE(page.find("\\fB\\-\\-period\\fR \\fISECONDS\\fR"), std::string::npos);
  EXPECT_NE(page.find("table|json|csv|ocsf"), std::string::npos);  // audit --format's values
  // No line a formatter would take for a request by mistake.
  for (const std::string& l : lines_of(page)) {
    if (l.empty() || (l[0] != '.' && l[0] != '\'')) continue;
    EXPECT_TRUE(l.size() >= 2 &&
                (std::isupper(static_cast<unsigned char>(l[1])) || l[1] == '\\' || l.starts_with(".nh") ||
                 l.starts_with(".nf") || l.starts_with(".fi") || l.starts_with(".ad")))
        << l;
  }
}

// --color is one option, read the same by help, completion and the man page, on every command whose table
// can reach a terminal; help says who wins between the flag, NO_COLOR and TERM.
TEST(Help, ColorOptionOnEveryTableCommand) {
  const CommandLine line(100);
  for (const char* name : {"scan", "merge", "audit", "verify", "test-pattern"}) {
    const CLI::Option& color = option(line, name, "--color");
    EXPECT_EQ(value_name(color), "auto|always|never") << name;
    EXPECT_EQ(value_kind(color), ValueKind::Choice) << name;
    const std::string help = flat(help_of(line, name));
    EXPECT_NE(help.find("--color auto|always|never"), std::string::npos) << name << ":\n" << help;
    EXPECT_NE(help.find("NO_COLOR"), std::string::npos) << name;
    EXPECT_NE(help.find("default auto"), std::string::npos) << name;
  }
  EXPECT_EQ(option(line, "scan", "--color").get_group(), kGroupOutput);
  for (const char* shell : {"bash", "zsh", "fish"}) {
    const std::string script = completion_script(line.app(), shell);
    EXPECT_NE(script.find("always"), std::string::npos) << shell;
  }
  EXPECT_NE(man_page(line.app(), "trailwatch 9.9").find("\\fB\\-\\-color\\fR"), std::string::npos);
  EXPECT_EQ(line.app().get_subcommand("rules")->get_option_no_throw("--color"), nullptr);
}

TEST(Help, Version) {
  const std::string text = version_text();
  const std::vector<std::string> lines = lines_of(text);
  ASSERT_EQ(lines.size(), 5u) << text;
  EXPECT_EQ(lines[0], version_line());
  EXPECT_TRUE(lines[0].starts_with("trailwatch 0.")) << lines[0];
  EXPECT_TRUE(lines[1].starts_with("commit:      ")) << lines[1];
  EXPECT_TRUE(lines[2].starts_with("compiler:    ")) << lines[2];
  EXPECT_TRUE(lines[3].starts_with("AVX2 kernel: ")) << lines[3];
  EXPECT_TRUE(lines[4].starts_with("AVX-512 kernel: ")) << lines[4];
}

TEST(HelpText, WrapAndBlocks) {
  EXPECT_EQ(wrap("aa bb cc dd", 5, 0, 0), "aa bb\ncc dd\n");
  EXPECT_EQ(wrap("aa bb cc", 6, 2, 4), "  aa\n    bb\n    cc\n");
  EXPECT_EQ(wrap("averyveryverylongword x", 8, 0, 0), "averyveryverylongword\nx\n");
  const std::vector<TextBlock> blocks = text_blocks(
      "First line\ncontinues.\nExit codes: 0 done.\n\nExamples:\n  trailwatch scan x      what it does\n"
      "\n  key        a table row\n");
  ASSERT_EQ(blocks.size(), 7u);
  EXPECT_EQ(blocks[0].text, "First line continues.");
  EXPECT_EQ(blocks[1].text, "Exit codes: 0 done.");
  EXPECT_EQ(blocks[2].kind, TextBlock::Kind::Blank);
  EXPECT_EQ(blocks[3].text, "Examples:");
  EXPECT_EQ(blocks[4].kind, TextBlock::Kind::Example);
  EXPECT_EQ(blocks[6].kind, TextBlock::Kind::Indented);
  EXPECT_EQ(blocks[6].hang, 13u);
}

TEST(HelpText, Plurals) {
  EXPECT_EQ(count_of(1, "file"), "1 file");
  EXPECT_EQ(count_of(0, "file"), "0 files");
  EXPECT_EQ(count_of(2, "thread"), "2 threads");
  EXPECT_EQ(count_of(3, "entry", "entries"), "3 entries");
}

TEST(PatternHints, PrecedenceWarningAsTheLint) {
  const std::optional<std::string> w = precedence_warning("{ $.a = 1 && $.b = 2 || $.c = 3 }");
  ASSERT_TRUE(w.has_value());
  EXPECT_NE(w->find("($.a = 1 && $.b = 2) || $.c = 3"), std::string::npos) << *w;
  EXPECT_NE(w->find("or-and-precedence"), std::string::npos) << *w;
  EXPECT_NE(w->find("rules --lint"), std::string::npos) << *w;
  // The CIS v3.0.0 4.1 text: A || B && C && D.
  const std::optional<std::string> cis = precedence_warning(
      R"({ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && )"
      R"(($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") })");
  ASSERT_TRUE(cis.has_value());
  EXPECT_NE(cis->find(R"(($.errorCode ="*UnauthorizedOperation") || (($.errorCode ="AccessDenied*") && )"),
            std::string::npos)
      << *cis;
  // Nested: the inner level is the mixed one.
  const std::optional<std::string> inner =
      precedence_warning("{ $.x = 0 && ($.a = 1 || $.b = 2 && $.c = 3) }");
  ASSERT_TRUE(inner.has_value());
  EXPECT_NE(inner->find("$.a = 1 || ($.b = 2 && $.c = 3)"), std::string::npos) << *inner;
  for (const char* fine :
       {"{ ($.a = 1 && $.b = 2) || $.c = 3 }", "{ $.a = 1 || $.b = 2 || $.c = 3 }",
        "{ $.a = \"x && y || z\" }", "{ $.a = %a&&b||c% && $.b = 1 }", "ERROR && || ", "[a, b=\"&&\" , c]"})
    EXPECT_FALSE(precedence_warning(fine).has_value()) << fine;
}

TEST(PatternHints, FieldPreview) {
  const std::vector<SelectorPath> selectors = pattern_selectors(
      "{ ($.eventSource = kms.amazonaws.com) && ($.resources[*].ARN = \"x\" || $.errorCode NOT EXISTS) }");
  ASSERT_EQ(selectors.size(), 3u);
  EXPECT_EQ(selector_text(selectors[0]), "eventSource");
  EXPECT_EQ(selector_text(selectors[1]), "resources[*].ARN");
  const std::optional<std::string> preview = field_preview(
      R"({"eventVersion":"1.08","eventSource":"kms.amazonaws.com","resources":[{"ARN":"a"},{"ARN":"b"}]})",
      selectors);
  ASSERT_TRUE(preview.has_value());
  EXPECT_EQ(*preview, R"(eventSource="kms.amazonaws.com" resources[*].ARN="a","b" errorCode=(missing))");
  EXPECT_FALSE(field_preview("plain text", selectors).has_value());
  EXPECT_TRUE(pattern_selectors("ERROR -DEBUG").empty());
  EXPECT_EQ(selector_text(pattern_selectors("{ $.['a.b'][2] = 1 }")[0]), "['a.b'][2]");
}

}  // namespace
}  // namespace trailwatch::cli
