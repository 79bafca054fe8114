// merge --matches-from: the HTML events table of a merged report, read back from the shards' --matches lines
// ({"rule","file","oversize","record"[,"time_error"]}, docs/design.md "--matches") through the same
// MatchDigest a scan feeds, so that a merge shows the events one scan would.
#include <simdjson.h>

#include <fmt/format.h>

#include <map>
#include <string_view>

#include "trailwatch/matched_events.hpp"
#include "trailwatch/merge.hpp"
#include "trailwatch/plural.hpp"

namespace trailwatch {

namespace {

// One --matches line as a MatchedRecord of the report's filter it names; an empty string, or why not.
std::string read_line(simdjson::dom::parser& parser, std::string_view line,
                      const std::map<std::string, std::size_t, std::less<>>& rule_index, MatchedRecord& out,
                      std::string& file) {
  simdjson::dom::object object;
  if (parser.parse(line.data(), line.size()).get_object().get(object) != simdjson::SUCCESS)
    return "not a JSON object";
  std::string_view rule;
  if (object["rule"].get_string().get(rule) != simdjson::SUCCESS) return "no \"rule\" string";
  const auto found = rule_index.find(rule);
  if (found == rule_index.end()) return fmt::format("rule {} is not in the merged report", rule);
  std::string_view path;
  if (object["file"].get_string().get(path) != simdjson::SUCCESS) return "no \"file\" string";
  simdjson::dom::element record;
  if (object["record"].get(record) != simdjson::SUCCESS) return "no \"record\"";
  bool oversize = false;
  if (simdjson::dom::element e; object["oversize"].get(e) == simdjson::SUCCESS && e.get_bool().get(oversize))
    return "\"oversize\" is not true or false";
  std::string_view time_error;
  if (simdjson::dom::element e;
      object["time_error"].get(e) == simdjson::SUCCESS && e.get_string().get(time_error))
    return "\"time_error\" is not a string";
  out = MatchedRecord{found->second, oversize, simdjson::minify(record), std::string(time_error)};
  file = std::string(path);
  return {};
}

}  // namespace

void add_matches_events(ScanReport& report, const std::vector<ReportPart>& matches_files) {
  std::map<std::string, std::size_t, std::less<>> rule_index;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < report.rules.size(); ++i) {
    rule_index.emplace(report.rules[i].id, i);
    ids.push_back(report.rules[i].id);
  }
  MatchDigest digest(ids);
  std::vector<std::uint64_t> timed(report.rules.size(), 0);  // lines with a usable time, as matched_events
  InputSummary& in = report.input;
  simdjson::dom::parser parser;
  for (const ReportPart& file : matches_files) {
    if (!file.read_error.empty()) {
      in.errors.push_back({file.path, "cannot read this --matches-from file: " + file.read_error});
      continue;
    }
    std::string_view text = file.text;
    std::size_t line_number = 0;
    std::uint64_t bad_lines = 0;
    std::string first_problem;
    while (!text.empty()) {
      const std::size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      ++line_number;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      MatchedRecord record;
      std::string path;
      if (std::string problem = read_line(parser, line, rule_index, record, path); !problem.empty()) {
        if (bad_lines++ == 0) first_problem = fmt::format("line {}: {}", line_number, problem);
        continue;
      }
      if (record.time_error.empty()) ++timed[record.filter];
      digest.add(path, {std::move(record)});
    }
    if (bad_lines > 0)
      in.errors.push_back(
          {file.path, fmt::format("{} of this --matches-from file could not be used; first: {}",
                                  count_of(bad_lines, "line"), first_problem)});
  }
  std::vector<MatchedEventSample> samples = digest.take();
  for (std::size_t i = 0; i < report.rules.size(); ++i) {
    RuleResult& rule = report.rules[i];
    rule.earliest_events = std::move(samples[i].earliest);
    if (timed[i] != rule.matched_events)
      in.warnings.push_back(
          {"--matches-from",
           fmt::format(
               "{}: the files hold {} with a usable time where the parts count {}: a shard's --matches "
               "file is missing or given twice, so the events table is not the scan's",
               rule.id, count_of(timed[i], "matched record"), rule.matched_events)});
  }
  in.partial = in.partial || !in.errors.empty();
}

}  // namespace trailwatch
