#include "cli/merge_command.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/color_option.hpp"
#include "cli/exit_codes.hpp"
#include "cli/report_output.hpp"
#include "cli/usage_error.hpp"
#include "trailwatch/merge.hpp"

namespace trailwatch::cli {

namespace {

ReportPart read_part(const std::string& path) {
  ReportPart part{path, {}, {}};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    part.read_error = std::strerror(errno);
    return part;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) part.read_error = "read error";
  part.text = std::move(text).str();
  return part;
}

}  // namespace

CLI::App* add_merge_command(CLI::App& app, MergeOptions& o) {
  CLI::App* merge = app.add_subcommand(
      "merge",
      "Join the partial reports of a sharded scan (scan --shard I/N --format json) into the report one "
      "unsharded scan would have written: counters add, datapoints merge from their statistic sets, and "
      "every "
      "alarm is replayed on the merged series with the settings the parts carry.");
  merge->add_option("parts", o.parts, "The parts: JSON reports of 'trailwatch scan --shard', in any order")
      ->required()
      ->type_name("FILE");
  merge->add_option("--format", o.format, "Output format")
      ->capture_default_str()
      ->transform(CLI::IsMember({"table", "json", "csv", "html"}, CLI::ignore_case));
  add_color_option(*merge, o.color);
  merge
      ->add_option(
          "-o,--output", o.output,
          "Write the report to FILE: a regular file appears whole or not at all, a FIFO or device is "
          "written in place, a symbolic link's target is replaced; - is stdout (the default)")
      ->type_name("FILE");
  merge->add_flag("--fail-on-alarm", o.fail_on_alarm, "Exit 1 when any alarm window was found");
  merge
      ->add_option("--matches-from", o.matches_from,
                   "A shard's --matches file (repeatable; give them in shard order): the HTML report's table "
                   "of matched events is then the one a single scan shows")
      ->allow_extra_args(false)
      ->type_name("FILE");
  merge->footer(
      "Refused (exit 64, naming the files and what differs): parts of different plans or versions, a shard\n"
      "given twice, parts of different splits. A part that cannot be read or is not a whole report, and a\n"
      "shard no part covers, are listed in input.errors: the report is written and the exit code is 2.\n"
      "--matches files stay one per shard: concatenate them in shard order (cat matches-0.ndjson\n"
      "matches-1.ndjson ...) for every match of the scan.\n\n"
      "Exit codes: 0 done; 1 --fail-on-alarm and an alarm fired; 2 some part or some input was missing or\n"
      "unreadable (each is listed); 64 usage error or parts that cannot be merged.\n\n"
      "Examples:\n"
      "  for i in 0 1 2 3; do trailwatch scan --shard $i/4 --format json -o part-$i.json ~/AWSLogs; done\n"
      "  trailwatch merge part-*.json\n"
      "  trailwatch merge --format json -o report.json --fail-on-alarm parts/*.json\n"
      "  trailwatch merge --format html -o report.html --matches-from m-0.ndjson --matches-from m-1.ndjson "
      "\\\n"
      "    part-0.json part-1.json");
  return merge;
}

int run_merge(const MergeOptions& o) {
  std::unique_ptr<ReportOutputs> outputs;
  try {
    outputs = std::make_unique<ReportOutputs>(o.output, "");
  } catch (const UsageError& e) {
    std::cerr << "trailwatch: " << e.message << '\n';
    return kExitUsage;
  }
  std::vector<ReportPart> parts;
  parts.reserve(o.parts.size());
  for (const std::string& path : o.parts) parts.push_back(read_part(path));
  ScanReport report;
  try {
    report = merge_reports(parts);
  } catch (const MergeError& e) {
    std::cerr << "trailwatch: merge: " << e.what() << '\n';
    return e.refused() ? kExitUsage : kExitPartial;
  }
  if (!o.matches_from.empty()) {
    std::vector<ReportPart> matches;
    for (const std::string& path : o.matches_from) matches.push_back(read_part(path));
    add_matches_events(report, matches);
    // The table would silently differ from the scan's: said where the person running the merge looks too.
    for (const PathMessage& w : report.input.warnings)
      if (w.path == "--matches-from")
        std::cerr << "trailwatch: warning: --matches-from: " << w.message << '\n';
  }
  // stderr first, as scan: the table's summary ends the screen.
  tell_stderr(report, o.format, outputs->report_name == "stdout", o.fail_on_alarm, stderr_style(o.color));
  if (std::string problem = write_report(report, o.format, *outputs->report, report_style(o.color, o.output));
      !problem.empty()) {
    std::cerr << "trailwatch: cannot write " << outputs->report_name << ": " << problem << '\n';
    return kExitPartial;
  }
  const InputSummary& in = report.input;
  if (in.partial) return kExitPartial;
  if (o.fail_on_alarm && report.any_alarm()) return kExitAlarm;
  return kExitDone;
}

}  // namespace trailwatch::cli
