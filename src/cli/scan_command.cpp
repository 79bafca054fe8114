#include "cli/scan_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "cli/cli_model.hpp"
#include "cli/color_option.hpp"
#include "cli/exit_codes.hpp"
#include "cli/help_text.hpp"
#include "cli/report_output.hpp"
#include "cli/rules_command.hpp"
#include "cli/scan_settings.hpp"
#include "cli/shard_option.hpp"
#include "cli/usage_error.hpp"
#include "trailwatch/atomic_file.hpp"
#include "trailwatch/aws.hpp"
#include "trailwatch/ingest.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/plural.hpp"
#include "trailwatch/report.hpp"
#include "trailwatch/rules.hpp"
#include "trailwatch/s3.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch::cli {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) {
  g_interrupted.store(true);
}

}  // namespace

CLI::App* add_scan_command(CLI::App& app, ScanOptions& o) {
  const BuiltinRule& rule = default_rule();
  CLI::App* scan = app.add_subcommand(
      "scan", fmt::format("Replay metric filters and their alarms over CloudTrail archives.\n"
                          "By default runs the CIS rule '{}':\n  {}\n"
                          "with its alarm ({} {} {} over {} s, {} of {}, missing data = {}).",
                          rule.title, rule.pattern, rule.alarm.statistic, rule.alarm.comparison_operator,
                          rule.alarm.threshold, rule.alarm.period, rule.alarm.datapoints_to_alarm,
                          count_of(static_cast<std::uint64_t>(rule.alarm.evaluation_periods), "period"),
                          rule.alarm.treat_missing_data));
  scan->add_option("paths", o.paths,
                   "Files, directories (walked recursively), s3://BUCKET[/PREFIX] (listed like a directory) "
                   "or - for stdin")
      ->required()
      ->type_name("PATH");
  scan->add_option(
          "--rule", o.rules,
          fmt::format("Built-in rule id ('trailwatch rules' lists them); repeatable (default: {})", rule.id))
      ->allow_extra_args(false)
      ->type_name("ID")
      ->check(suggested_values(rule_ids()))
      ->group(kGroupRules);
  scan->add_option(
          "--config", o.configs,
          "Replay a real account's setup: JSON of 'aws logs describe-metric-filters' and/or 'aws cloudwatch "
          "describe-alarms' (repeatable); every filter becomes a rule, every alarm on its metric is replayed")
      ->allow_extra_args(false)
      ->check(CLI::ExistingFile)
      ->group(kGroupRules);
  scan->add_option("--pattern", o.pattern,
                   "An ad-hoc CloudWatch Logs filter pattern instead of the built-in rules")
      ->each([&o](const std::string&) { o.pattern_given = true; })
      ->group(kGroupRules);
  scan->add_option("--metric-name", o.metric_name, "Metric name for --pattern")
      ->capture_default_str()
      ->group(kGroupMetricAlarm);
  scan->add_option("--metric-namespace", o.metric_namespace, "Metric namespace")
      ->capture_default_str()
      ->group(kGroupMetricAlarm);
  scan->add_option(
          "--metric-value", o.metric_value,
          "Value each match of --pattern publishes: a number, $.field (JSON), $name or $N (space-delimited)")
      ->capture_default_str()
      ->group(kGroupMetricAlarm);
  scan->add_option("--default-value", o.default_value,
                   "Value published for every event --pattern does not match (not with --dimension)")
      ->group(kGroupMetricAlarm);
  scan->add_option("--dimension", o.dimensions,
                   "A dimension, e.g. eventName=$.eventName; up to 3, repeatable")
      ->allow_extra_args(false)
      ->type_name("NAME=SELECTOR")
      ->group(kGroupMetricAlarm);
  scan->add_option("--unit", o.unit, "Metric unit (Count, Seconds, Bytes, ...), reported only")
      ->group(kGroupMetricAlarm);
  scan->add_option("--group-by", o.group_by,
                   "One series and one alarm replay per account, region or both, as if each "
                   "had its own log group")
      ->check(suggested_values({"account", "region", "account,region"}))
      ->group(kGroupMetricAlarm);
  scan->add_option("--period", o.period, "Seconds per datapoint, aligned to the Unix epoch")
      ->capture_default_str()
      ->check(CLI::Range(1LL, 86400LL * 7))
      ->type_name("SECONDS")
      ->group(kGroupMetricAlarm);
  scan->add_option("--statistic", o.statistic, "Statistic of each period's samples that the alarm compares")
      ->capture_default_str()
      ->check(suggested_values({"Sum", "SampleCount", "Average", "Minimum", "Maximum"}))
      ->group(kGroupMetricAlarm);
  scan->add_option("--threshold", o.threshold, "Alarm threshold")
      ->capture_default_str()
      ->group(kGroupMetricAlarm);
  scan->add_option("--comparison-operator", o.comparison_operator,
                   "How the statistic is compared with the threshold")
      ->capture_default_str()
      ->check(suggested_values({"GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold",
                                "LessThanOrEqualToThreshold"}))
      ->group(kGroupMetricAlarm);
  scan->add_option("--evaluation-periods", o.evaluation_periods, "N: periods the alarm evaluates")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000))
      ->group(kGroupMetricAlarm);
  scan->add_option("--datapoints-to-alarm", o.datapoints_to_alarm,
                   "M of N breaching periods that alarm (default N)")
      ->type_name("M")
      ->group(kGroupMetricAlarm);
  scan->add_option("--treat-missing-data", o.treat_missing_data, "How periods without datapoints count")
      ->capture_default_str()
      ->type_name("MODE")
      ->check(suggested_values({"missing", "notBreaching", "breaching", "ignore"}))
      ->group(kGroupMetricAlarm);
  scan->add_option("--evaluation-range-periods", o.evaluation_range_periods,
                   "R: periods CloudWatch retrieves per evaluation (default N + 2)")
      ->type_name("R")
      ->group(kGroupMetricAlarm);
  scan->add_option("--start", o.start, "Only records with eventTime >= this (ISO 8601, UTC)")
      ->type_name("TIME")
      ->group(kGroupScope);
  scan->add_option("--end", o.end, "Only records with eventTime < this (ISO 8601, UTC)")
      ->type_name("TIME")
      ->group(kGroupScope);
  scan->add_option("--account", o.accounts, "Only records of this recipientAccountId; repeatable")
      ->allow_extra_args(false)
      ->group(kGroupScope);
  scan->add_option("--region", o.regions, "Only records of this awsRegion; repeatable")
      ->allow_extra_args(false)
      ->group(kGroupScope);
  scan->add_option(
          "--delivery-slack", o.delivery_slack,
          "How late after --end a log file may be delivered and still be read: 0, 30m, 6h, 1d. In "
          "CloudTrail's "
          "folders (AWSLogs/[o-id/]<account>/CloudTrail/<region>/YYYY/MM/DD/) a scan skips the accounts and "
          "regions outside --account/--region, and the files whose name says they were delivered before "
          "--start - 15 min or at --end + DURATION or later: records delivered that late are not counted. "
          "Files and folders outside that layout are always read")
      ->type_name("DURATION")
      ->capture_default_str()
      ->group(kGroupScope);
  scan->add_flag("--no-prune", o.no_prune,
                 "Read every file whatever its folder or name says: slower, exact however late a delivery")
      ->group(kGroupScope);
  scan->add_option("--gap", o.gap,
                   "Report as a gap (input.delivery.gaps, a warning on stderr) any time longer than DURATION "
                   "(30m, 1h, 6h, 1d) in which an account and region that has log files delivered none, by "
                   "the names of the files read; also from --start to the first delivery and from the last "
                   "to --end")
      ->type_name("DURATION")
      ->capture_default_str()
      ->group(kGroupScope);
  scan->add_option("--format", o.format, "Output format (html: one page to open in a browser or print)")
      ->capture_default_str()
      ->transform(CLI::IsMember({"table", "json", "csv", "html"}, CLI::ignore_case))
      ->group(kGroupOutput);
  add_color_option(*scan, o.color, kGroupOutput);
  scan->add_option(
          "-o,--output", o.output,
          "Write the report to FILE: a regular file appears whole or not at all, a FIFO or device is "
          "written in place, a symbolic link's target is replaced; - is stdout (the default)")
      ->type_name("FILE")
      ->group(kGroupOutput);
  scan->add_option(
          "--matches", o.matches,
          "Write every matched record to FILE as NDJSON (rule, file, oversize, record), in input order; - is "
          "stdout (with -o FILE)")
      ->type_name("FILE")
      ->group(kGroupOutput);
  scan->add_option("--threads", o.threads, "Worker threads (default: one per core)")
      ->check(CLI::Range(1u, 1024u))
      ->group(kGroupInput);
  scan->add_option(
          "--max-inflated-size", o.max_inflated_size,
          "Fail an input that inflates past BYTES (K, M, G, T: powers of 1024); on stdin, one record "
          "or envelope")
      ->type_name("BYTES")
      ->capture_default_str()
      ->group(kGroupLimits);
  scan->add_option("--max-record-size", o.max_record_size,
                   "Count a record larger than BYTES as failed (named in input.errors) and read on")
      ->type_name("BYTES")
      ->capture_default_str()
      ->group(kGroupLimits);
  scan->add_option("--max-depth", o.max_depth,
                   "Fail a record nested deeper than N levels (a whole envelope: past it, records cannot be "
                   "delimited)")
      ->capture_default_str()
      ->check(CLI::Range(2u, 100000u))
      ->group(kGroupLimits);
  scan->add_option(
          "--shard", o.shard,
          "Read only part I of N of the inputs (0 <= I < N), for running one scan on several machines "
          "and joining the parts with 'trailwatch merge'. auto: I (and N) from the array job "
          "(Slurm; Kubernetes Indexed Job and AWS Batch with auto/N)")
      ->type_name("I/N|auto[/N]")
      ->group(kGroupInput);
  scan->add_flag(
          "--dedup-events", o.dedup_events,
          "Count each event once: a record whose (recipientAccountId, eventID) was already counted, in "
          "input order, adds nothing (an organisation trail and an account trail recording the same "
          "call); input.duplicate_events says how many. Not with --shard")
      ->group(kGroupInput);
  scan->add_option(
          "--profile", o.profile,
          "s3:// paths: AWS CLI profile (default: AWS_PROFILE, else default; credentials as the AWS CLI "
          "finds them)")
      ->group(kGroupInput);
  scan->add_option("--endpoint-url", o.endpoint_url,
                   "s3:// paths: send S3 requests to this URL, path style (S3-compatible servers)")
      ->group(kGroupInput);
  scan->add_option("--ca-bundle", o.ca_bundle, "s3:// paths: PEM file of CAs to verify TLS with")
      ->check(CLI::ExistingFile)
      ->group(kGroupInput);
  scan->add_option("--s3-concurrency", o.s3_concurrency,
                   "s3:// paths: GetObject requests in flight at once, which is also the most objects held "
                   "fetched ahead of the workers")
      ->capture_default_str()
      ->check(CLI::Range(1u, 256u))
      ->group(kGroupInput);
  scan->add_flag_callback(
          "--progress", [&o] { o.progress = true; }, "Show a progress line on stderr")
      ->group(kGroupOutput);
  scan->add_flag_callback(
          "--no-progress", [&o] { o.progress = false; },
          "Never show it (default: shown when stderr is a terminal)")
      ->group(kGroupOutput);
  scan->add_flag("--fail-on-alarm", o.fail_on_alarm, "Exit 1 when any alarm window was found")
      ->group(kGroupOutput);
  scan->add_flag(
          "--fast", o.fast,
          "Skip JSON work on files that cannot hold a match: same matches, datapoints and windows, but "
          "records are not counted (input.records is null). Default: every record delimited, checked (UTF-8, "
          "strings, brackets) and counted, and parsed in full when it holds the text a match needs")
      ->group(kGroupInput);
  scan->footer(
      "Exit codes: 0 done; 1 --fail-on-alarm and an alarm fired; 2 some input could not be read (each is "
      "listed);\n"
      "64 usage error or invalid pattern; 130 interrupted.\n\n"
      "Examples:\n"
      "  trailwatch scan ~/AWSLogs\n"
      "  trailwatch scan --format json -o report.json --matches matched.ndjson ~/AWSLogs\n"
      "  trailwatch scan --pattern '{ $.eventName = ConsoleLogin && $.errorMessage = \"Failed "
      "authentication\" }' \\\n"
      "                  --metric-name ConsoleLoginFailures ~/AWSLogs\n"
      "  trailwatch scan --start 2024-03-01 --end 2024-03-02 --region us-east-1 ~/AWSLogs\n"
      "                  only us-east-1's folders, files delivered 2024-02-29T23:45 to 2024-03-03\n"
      "  trailwatch scan --rule cis --group-by account,region ~/AWSLogs\n"
      "  trailwatch scan --fast ~/AWSLogs        same answer, files that cannot match skipped unparsed\n"
      "  aws logs describe-metric-filters > filters.json; aws cloudwatch describe-alarms > alarms.json\n"
      "  trailwatch scan --config filters.json --config alarms.json ~/AWSLogs\n"
      "  zcat 111122223333_CloudTrail_us-east-1_*.json.gz | trailwatch scan -\n"
      "  trailwatch scan --profile audit "
      "s3://my-trail-bucket/AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/\n"
      "    reads the objects under that prefix (permissions s3:ListBucket and s3:GetObject)\n"
      "  trailwatch scan --shard 3/8 --format json -o part-3.json ~/AWSLogs    one of 8 machines; then\n"
      "  trailwatch merge part-*.json");
  return scan;
}

int run_scan(const ScanOptions& o) {
  ScanSettings settings;
  std::unique_ptr<ScanPlan> plan;
  std::optional<Shard> shard;
  std::unique_ptr<ReportOutputs> outputs;
  try {
    // "localhost:4566" must not quietly become https://localhost:4566 after the plan is built and the walk
    // began: refused before any work, as audit does.
    if (!o.endpoint_url.empty())
      if (std::string problem = aws::endpoint_url_problem(o.endpoint_url); !problem.empty())
        throw UsageError{"--endpoint-url " + problem};
    if (!o.shard.empty()) {
      shard = parse_shard_option(o.shard, [](const char* name) { return std::getenv(name); });
      if (std::find(o.paths.begin(), o.paths.end(), "-") != o.paths.end())
        throw UsageError{"--shard: stdin (-) cannot be split into shards; give files or directories"};
      if (o.dedup_events)
        throw UsageError{
            "--dedup-events cannot be exact across shards (a duplicate may be in another shard); run it "
            "unsharded"};
    }
    settings = build_scan_settings(o);
    plan = std::make_unique<ScanPlan>(std::move(settings.spec));
    outputs = std::make_unique<ReportOutputs>(o.output, o.matches);
  } catch (const PatternError& e) {
    std::cerr << "trailwatch: " << e.caret_message() << '\n';
    return kExitUsage;
  } catch (const UsageError& e) {
    std::cerr << "trailwatch: " << e.message << '\n';
    return kExitUsage;
  } catch (const PlanError& e) {
    std::cerr << "trailwatch: " << e.what() << '\n';
    return kExitUsage;
  }
  const Scanner scanner(*plan, settings.run);
  if (o.fast && !scanner.fast())
    std::cerr
        << "trailwatch: --fast has no effect here (a default value, --start/--end/--account/--region, or a "
           "pattern with no literal text needs every record read); reading everything\n";

  std::unique_ptr<MatchesWriter> matches;
  if (outputs->matches) matches = std::make_unique<MatchesWriter>(outputs->matches->stream());

  // Built only for s3:// paths, and it resolves credentials only when it lists: local scans need no AWS.
  std::unique_ptr<InputSource> s3;
  if (std::any_of(o.paths.begin(), o.paths.end(), [](const std::string& p) { return aws::is_s3_path(p); })) {
    aws::S3SourceOptions s3_options;
    if (!o.profile.empty()) s3_options.client.profile = o.profile;
    if (!o.endpoint_url.empty()) s3_options.client.endpoint_url = o.endpoint_url;
    if (!o.ca_bundle.empty()) s3_options.client.ca_bundle = o.ca_bundle;
    s3_options.concurrency = o.s3_concurrency;
    s3_options.pruning = plan->pruning();
    s3 = aws::make_s3_source(s3_options);
  }
  if (std::find(o.paths.begin(), o.paths.end(), "-") != o.paths.end() && ::isatty(STDIN_FILENO) == 1)
    std::cerr << "trailwatch: reading records from the terminal (-); end with Ctrl-D, or pipe a file in\n";
  const Discovery discovery = discover_inputs(o.paths, {s3.get()}, shard, plan->pruning());
  ScanProgress progress;
  // One Ctrl-C stops the scan after the files being read and reports what was read; SA_RESETHAND makes a
  // second one end the process at once.
  struct sigaction interrupt {};
  struct sigaction previous {};
  interrupt.sa_handler = on_interrupt;
  interrupt.sa_flags = SA_RESETHAND;
  sigemptyset(&interrupt.sa_mask);
  sigaction(SIGINT, &interrupt, &previous);
  ScanReport report;
  {
    const bool show_progress = o.progress.value_or(::isatty(STDERR_FILENO) == 1);
    std::unique_ptr<ProgressLine> line;
    if (show_progress) line = std::make_unique<ProgressLine>(progress, STDERR_FILENO);
    report = scanner.run(discovery, progress, g_interrupted, matches.get());
  }
  report.inputs = o.paths;
  report.shard = shard;
  sigaction(SIGINT, &previous, nullptr);
  const InputSummary& in = report.input;

  int code = kExitDone;
  if (o.fail_on_alarm && report.any_alarm()) code = kExitAlarm;
  if (in.partial) code = kExitPartial;
  if (in.interrupted) code = kExitInterrupted;

  if (outputs->matches) {
    if (std::string problem = outputs->matches->commit(); !problem.empty()) {
      std::cerr << "trailwatch: cannot write " << o.matches << ": " << problem << '\n';
      code = kExitPartial;
    }
  }
  // stderr first: on a terminal the table then ends the screen with its summary, which the warnings would
  // otherwise scroll away (the table itself lists the gaps and errors they repeat).
  tell_stderr(report, o.format, outputs->report_name == "stdout", o.fail_on_alarm, stderr_style(o.color));
  if (std::string problem = write_report(report, o.format, *outputs->report, report_style(o.color, o.output));
      !problem.empty()) {
    std::cerr << "trailwatch: cannot write " << outputs->report_name << ": " << problem << '\n';
    return kExitPartial;
  }
  return code;
}

}  // namespace trailwatch::cli
