#include "cli/test_pattern_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/color_option.hpp"
#include "cli/exit_codes.hpp"
#include "cli/help_text.hpp"
#include "cli/pattern_hints.hpp"
#include "cli/scan_settings.hpp"
#include "cli/usage_error.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/plural.hpp"
#include "trailwatch/report.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch::cli {

namespace {

std::string dimensions_text(const std::vector<std::string>& names, const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i)
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", names[i], values[i]);
  return out;
}

void write_json_result(std::string& out, std::uint64_t number, std::string_view message,
                       const MetricEngine::EventSample& sample, const std::vector<std::string>& names) {
  out += fmt::format("{{\"eventNumber\":{},\"eventMessage\":", number);
  append_json_string(out, message);
  out += ",\"value\":";
  out += sample.value ? fmt::format("{}", *sample.value) : "null";
  out += ",\"dimensions\":{";
  for (std::size_t i = 0; i < names.size() && i < sample.dimensions.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, names[i]);
    out += ':';
    append_json_string(out, sample.dimensions[i]);
  }
  out += "}}";
}

// `text` in at most `columns` characters (UTF-8 code points), "..." marking a cut.
std::string cut_text(std::string_view text, std::size_t columns) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (count == columns - 3) {
      std::size_t rest = 0;
      for (std::size_t j = i; j < text.size(); ++j)
        rest += (static_cast<unsigned char>(text[j]) & 0xC0) != 0x80;
      if (rest > 3) return std::string(text.substr(0, i)) + "...";
      return std::string(text);
    }
    ++count;
  }
  return std::string(text);
}

// The words a term pattern looks for (`ERROR "disk full" -DEBUG` -> ERROR, disk full); none for JSON, regex
// and space-delimited patterns.
std::vector<std::string> pattern_terms(std::string_view pattern) {
  std::vector<std::string> terms;
  const std::size_t first = pattern.find_first_not_of(" \t");
  if (first == std::string_view::npos || pattern[first] == '{' || pattern[first] == '[' ||
      pattern[first] == '%')
    return terms;
  std::size_t pos = first;
  while (pos < pattern.size()) {
    if (pattern[pos] == ' ' || pattern[pos] == '\t') {
      ++pos;
      continue;
    }
    const bool negated = pattern[pos] == '-';
    if (negated) ++pos;
    if (pos < pattern.size() && pattern[pos] == '?') ++pos;  // ?A ?B: either
    std::string term;
    if (pos < pattern.size() && pattern[pos] == '"') {
      const std::size_t close = pattern.find('"', pos + 1);
      term = std::string(pattern.substr(pos + 1, close == std::string_view::npos ? close : close - pos - 1));
      pos = close == std::string_view::npos ? pattern.size() : close + 1;
    } else {
      const std::size_t end = std::min(pattern.find_first_of(" \t", pos), pattern.size());
      term = std::string(pattern.substr(pos, end - pos));
      pos = end;
    }
    if (!negated && !term.empty()) terms.push_back(term);
  }
  return terms;
}

std::size_t first_term_at(std::string_view message, const std::vector<std::string>& terms) {
  std::size_t best = std::string_view::npos;
  for (const std::string& t : terms) best = std::min(best, message.find(t));
  return best;
}

}  // namespace

CLI::App* add_test_pattern_command(CLI::App& app, TestPatternOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "test-pattern",
      "Test a filter pattern on log events, one per line, like 'aws logs test-metric-filter' (without its\n"
      "50-event limit or an AWS account).");
  cmd->add_option("pattern", o.pattern, "The filter pattern (put -- before it when it starts with '-')")
      ->required();
  cmd->add_option("file", o.file, "Events, one per line (default: - for stdin)")->type_name("FILE");
  cmd->add_option("--format", o.format, "Output format")
      ->capture_default_str()
      ->transform(CLI::IsMember({"table", "json"}, CLI::ignore_case));
  add_color_option(*cmd, o.color);
  cmd->add_flag("--only-matching", o.only_matching,
                "List only the events the pattern matches (--format json lists only those anyway)");
  cmd->add_option("--metric-value", o.metric_value, "Value a match publishes: a number, $.field, $name or $N")
      ->capture_default_str();
  cmd->add_option("--default-value", o.default_value, "Value published for an event that does not match");
  cmd->add_option("--dimension", o.dimensions, "A dimension, e.g. user=$.userIdentity.arn; repeatable")
      ->allow_extra_args(false)
      ->type_name("NAME=SELECTOR");
  cmd->footer(
      "Output: the table has one line per event: its number, MATCH or no, the value it publishes, its\n"
      "dimensions, and the fields a JSON pattern reads with their values in the event (the event's text for\n"
      "other patterns); then how many matched. A pattern that mixes && and || on one level of parentheses "
      "gets\n"
      "the warning 'trailwatch rules --lint' gives for the same trap in a CIS text.\n"
      "--format json gives {\"matches\":[{\"eventNumber\":N,\"eventMessage\":\"...\",\"value\":V,\n"
      "\"dimensions\":{...}}],\"events\":N} with 1-based event numbers, as TestMetricFilter does.\n"
      "Exit codes: 0 the pattern is valid (whether or not anything matched); 64 it is not (a caret shows "
      "where).\n\n"
      "Examples:\n"
      "  echo '{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"DisableKey\"}' | \\\n"
      "    trailwatch test-pattern '{ $.eventName = DisableKey }'\n"
      "  zcat f.json.gz | jq -c '.Records[]' | trailwatch test-pattern --format json \\\n"
      "    --dimension user=$.userIdentity.arn '{ $.errorCode = \"AccessDenied*\" }'\n"
      "  trailwatch test-pattern --only-matching '{ $.errorCode = \"AccessDenied\" }' events.ndjson\n"
      "  trailwatch test-pattern -- '-DEBUG' app.log");
  return cmd;
}

int run_test_pattern(const TestPatternOptions& o) {
  std::unique_ptr<ScanPlan> plan;
  try {
    MetricTransformation metric;
    metric.name = "TestMetric";
    metric.value = o.metric_value;
    metric.default_value = o.default_value;
    metric.dimensions = parse_dimension_flags(o.dimensions);
    ScanSpec spec;
    spec.filters.push_back(MetricFilter{"test", Pattern::parse(o.pattern), std::move(metric)});
    plan = std::make_unique<ScanPlan>(std::move(spec));
  } catch (const PatternError& e) {
    std::cerr << "trailwatch: " << e.caret_message() << '\n';
    return kExitUsage;
  } catch (const PlanError& e) {
    std::cerr << "trailwatch: " << e.what() << '\n';
    return kExitUsage;
  } catch (const UsageError& e) {
    std::cerr << "trailwatch: " << e.message << '\n';
    return kExitUsage;
  }

  if (std::optional<std::string> warning = precedence_warning(o.pattern))
    std::cerr << "trailwatch: " << *warning << '\n';

  std::ifstream file;
  std::istream* in = &std::cin;
  if (o.file != "-") {
    file.open(o.file, std::ios::binary);
    if (!file) {
      std::cerr << "trailwatch: cannot open " << o.file << '\n';
      return kExitUsage;
    }
    in = &file;
  } else if (::isatty(STDIN_FILENO) == 1) {
    // Waiting silently for a terminal looks like a hang.
    std::cerr << "trailwatch: reading events from the terminal, one per line; end with Ctrl-D\n";
  }

  const std::vector<std::string>& names = plan->engine().compiled()[0].dimension_names;
  // The preview of each event: the fields a JSON pattern reads, else the event's text; as wide as the
  // terminal.
  const std::vector<SelectorPath> selectors = pattern_selectors(o.pattern);
  const std::vector<std::string> terms = pattern_terms(o.pattern);
  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  const std::size_t width = terminal ? help_width() : 0;
  const TerminalStyle style = report_style(o.color, "");
  EventEvaluator evaluator(*plan);
  std::string json = "{\"matches\":[";
  bool first_match = true;
  std::uint64_t matched = 0;
  const std::uint64_t events = for_each_event_line(*in, [&](std::uint64_t number, std::string_view message) {
    const MetricEngine::EventSample& sample = evaluator.evaluate(message)[0];
    if (sample.matched) ++matched;
    if (o.format == "json") {
      if (!sample.matched) return;
      if (!first_match) json += ',';
      first_match = false;
      write_json_result(json, number, message, sample, names);
      return;
    }
    if (o.only_matching && !sample.matched) return;
    std::string value = sample.value ? fmt::format("{}", *sample.value) : "-";
    std::string line =
        fmt::format("{:>6}  {:<5} {:>8}  {}{}", number, sample.matched ? "MATCH" : "no", value,
                    dimensions_text(names, sample.dimensions), sample.dimensions.empty() ? "" : "  ");
    std::optional<std::string> fields;
    if (!selectors.empty()) fields = field_preview(message, selectors);
    if (fields) {
      line += *fields;
    } else {
      // The text, cut to the terminal (or to 100 characters when the output is not one).
      const std::size_t room = width > line.size() + 20 ? width - line.size() : 100;
      const std::string prefix = selectors.empty() ? "" : "(not a JSON object) ";
      // A term the pattern looks for, when the event holds it: the text from a little before it.
      std::string_view text = message;
      std::string lead;
      if (const std::size_t at = first_term_at(message, terms); at != std::string_view::npos && at > 20) {
        std::size_t from = at - 16;
        while (from > 0 && (static_cast<unsigned char>(message[from]) & 0xC0) == 0x80) --from;
        text = message.substr(from);
        lead = "...";
      }
      line +=
          prefix + lead + cut_text(text, room > prefix.size() + 13 ? room - prefix.size() - lead.size() : 10);
    }
    if (width > 0 && line.size() > width) line = cut_text(line, width);
    // Painted after the cut, so that the escapes never count as columns; MATCH starts after "{:>6}  ".
    constexpr std::size_t kMatchAt = 8;
    if (sample.matched && style.color() && line.size() >= kMatchAt + 5 &&
        line.compare(kMatchAt, 5, "MATCH") == 0)
      line.replace(kMatchAt, 5, style.paint("MATCH", Tone::Strong));
    std::cout << line << '\n';
  });
  if (o.format == "json") {
    json += fmt::format("],\"events\":{}}}\n", events);
    std::cout << json;
  } else {
    std::cout << fmt::format("{} of {} matched\n", matched, count_of(events, "event"));
  }
  return kExitDone;
}

}  // namespace trailwatch::cli
