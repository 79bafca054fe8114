#include "cli/test_pattern_command.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "cli/exit_codes.hpp"
#include "cli/scan_settings.hpp"
#include "cli/usage_error.hpp"
#include "trailwatch/metric.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"
#include "trailwatch/report.hpp"

namespace trailwatch::cli {

namespace {

struct EventResult {
  std::uint64_t number = 0;
  std::string message;
  MetricEngine::EventSample sample;
};

// Hands the fields of the one record in a line to the evaluation; a line that is not a JSON object never
// calls it.
class LineSink : public RecordSink {
 public:
  LineSink(const MetricEngine& engine, ExtractedFields& extracted, EventResult& result)
      : engine_(engine), extracted_(extracted), result_(result) {}
  void on_record(const RecordView& record) override {
    called = true;
    engine_.evaluate(0, EventView{&record.fields, result_.message}, extracted_, result_.sample);
  }
  bool called = false;

 private:
  const MetricEngine& engine_;
  ExtractedFields& extracted_;
  EventResult& result_;
};

std::string dimensions_text(const std::vector<std::string>& names, const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i)
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", names[i], values[i]);
  return out;
}

void write_json_result(std::string& out, const EventResult& e, const std::vector<std::string>& names) {
  out += fmt::format("{{\"eventNumber\":{},\"eventMessage\":", e.number);
  append_json_string(out, e.message);
  out += ",\"value\":";
  out += e.sample.value ? fmt::format("{}", *e.sample.value) : "null";
  out += ",\"dimensions\":{";
  for (std::size_t i = 0; i < names.size() && i < e.sample.dimensions.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, names[i]);
    out += ':';
    append_json_string(out, e.sample.dimensions[i]);
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
      ->check(CLI::IsMember({"table", "json"}));
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
  std::vector<MetricFilter> filters;
  FieldPlan plan;
  std::unique_ptr<MetricEngine> engine;
  try {
    MetricTransformation metric;
    metric.name = "TestMetric";
    metric.value = o.metric_value;
    metric.default_value = o.default_value;
    metric.dimensions = parse_dimension_flags(o.dimensions);
    filters.push_back(MetricFilter{"test", Pattern::parse(o.pattern), std::move(metric)});
    engine = std::make_unique<MetricEngine>(filters, RecordScope{}, 60, plan);
  } catch (const PatternError& e) {
    std::cerr << "trailwatch: " << e.caret_message() << '\n';
    return kExitUsage;
  } catch (const std::invalid_argument& e) {
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
  }

  const std::vector<std::string>& names = engine->compiled()[0].dimension_names;
  RecordReader reader(plan);
  ExtractedFields extracted;
  EventResult result;
  std::string line;
  std::string padded;
  std::string json = "{\"matches\":[";
  bool first_match = true;
  std::uint64_t matched = 0;
  while (std::getline(*in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos)
      continue;  // TestMetricFilter takes no empty event
    ++result.number;
    result.message = line;
    result.sample = {};
    padded.assign(line).append(kRecordPadding, '\0');
    LineSink sink(*engine, extracted, result);
    ReadResult read = reader.read(std::string_view(padded.data(), line.size()), sink);
    if (!sink.called || read.records != 1)  // not one JSON object: only text patterns can match it
      engine->evaluate(0, EventView{nullptr, result.message}, extracted, result.sample);
    if (result.sample.matched) ++matched;
    if (o.format == "json") {
      if (!result.sample.matched) continue;
      if (!first_match) json += ',';
      first_match = false;
      write_json_result(json, result, names);
    } else {
      std::string value = result.sample.value ? fmt::format("{}", *result.sample.value) : "-";
      std::string shown = result.message.size() > 100 ? result.message.substr(0, 97) + "..." : result.message;
      std::cout << fmt::format("{:>6}  {:<8} {:>8}  {}{}{}\n", result.number,
                               result.sample.matched ? "MATCH" : "no", value,
                               dimensions_text(names, result.sample.dimensions),
                               result.sample.dimensions.empty() ? "" : "  ", shown);
    }
  }
  if (o.format == "json") {
    json += fmt::format("],\"events\":{}}}\n", result.number);
    std::cout << json;
  } else {
    std::cout << fmt::format("{} of {} events matched\n", matched, result.number);
  }
  return kExitDone;
}

}  // namespace trailwatch::cli
