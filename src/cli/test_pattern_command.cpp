#include "cli/test_pattern_command.hpp"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/exit_codes.hpp"
#include "cli/scan_settings.hpp"
#include "cli/usage_error.hpp"
#include "trailwatch/pattern.hpp"
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

}  // namespace

CLI::App* add_test_pattern_command(CLI::App& app, TestPatternOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "test-pattern",
      "Test a filter pattern on log events, one per line, like 'aws logs test-metric-filter' (without its\n"
      "50-event limit or an AWS account).");
  cmd->add_option("pattern", o.pattern, "The filter pattern (put -- before it when it starts with '-')")
      ->required();
  cmd->add_option("file", o.file, "Events, one per line (default: - for stdin)")->capture_default_str();
  cmd->add_option("--format", o.format, "Output format")
      ->capture_default_str()
      ->transform(CLI::IsMember({"table", "json"}, CLI::ignore_case));
  cmd->add_option("--metric-value", o.metric_value, "Value a match publishes: a number, $.field, $name or $N")
      ->capture_default_str();
  cmd->add_option("--default-value", o.default_value, "Value published for an event that does not match");
  cmd->add_option("--dimension", o.dimensions, "NAME=SELECTOR, e.g. user=$.userIdentity.arn; repeatable")
      ->allow_extra_args(false);
  cmd->footer(
      "Output: --format json gives {\"matches\":[{\"eventNumber\":N,\"eventMessage\":\"...\",\"value\":V,\n"
      "\"dimensions\":{...}}],\"events\":N} with 1-based event numbers, as TestMetricFilter does.\n"
      "Exit codes: 0 the pattern is valid (whether or not anything matched); 64 it is not (a caret shows "
      "where).\n\n"
      "Examples:\n"
      "  echo '{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"DisableKey\"}' | \\\n"
      "    trailwatch test-pattern '{ $.eventName = DisableKey }'\n"
      "  zcat f.json.gz | jq -c '.Records[]' | trailwatch test-pattern --format json \\\n"
      "    --dimension user=$.userIdentity.arn '{ $.errorCode = \"AccessDenied*\" }'\n"
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
    std::string value = sample.value ? fmt::format("{}", *sample.value) : "-";
    std::string shown =
        message.size() > 100 ? std::string(message.substr(0, 97)) + "..." : std::string(message);
    std::cout << fmt::format("{:>6}  {:<8} {:>8}  {}{}{}\n", number, sample.matched ? "MATCH" : "no", value,
                             dimensions_text(names, sample.dimensions), sample.dimensions.empty() ? "" : "  ",
                             shown);
  });
  if (o.format == "json") {
    json += fmt::format("],\"events\":{}}}\n", events);
    std::cout << json;
  } else {
    std::cout << fmt::format("{} of {} events matched\n", matched, events);
  }
  return kExitDone;
}

}  // namespace trailwatch::cli
