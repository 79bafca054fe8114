#include "cli/scan_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "cli/atomic_file.hpp"
#include "cli/exit_codes.hpp"
#include "cli/scan_worker.hpp"
#include "trailwatch/account_config.hpp"
#include "trailwatch/alarm.hpp"
#include "trailwatch/ingest.hpp"
#include "trailwatch/metric.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"
#include "trailwatch/report.hpp"
#include "trailwatch/rules.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch::cli {

namespace {

constexpr const char* kDefaultRule = "kms-cmk-disable-or-delete";

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) {
  g_interrupted.store(true);
}

struct UsageError {
  std::string message;
};

MetricTransformation pattern_metric(const ScanOptions& o) {
  MetricTransformation m;
  m.namespace_ = o.metric_namespace;
  m.name = o.metric_name;
  m.value = o.metric_value;
  m.default_value = o.default_value;
  m.unit = o.unit;
  for (const std::string& d : o.dimensions) {
    std::size_t eq = d.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError{"--dimension takes NAME=SELECTOR (e.g. eventName=$.eventName), got: " + d};
    m.dimensions.emplace_back(d.substr(0, eq), d.substr(eq + 1));
  }
  return m;
}

std::vector<MetricFilter> build_filters(const ScanOptions& o) {
  std::vector<MetricFilter> filters;
  if (o.pattern_given) {
    filters.push_back(MetricFilter{"pattern", Pattern::parse(o.pattern), pattern_metric(o)});
    return filters;
  }
  if (o.metric_value != "1" || o.default_value || !o.dimensions.empty())
    throw UsageError{
        "--metric-value, --default-value and --dimension go with --pattern; built-in rules count 1 per "
        "match"};
  std::vector<std::string> ids = o.rules.empty() ? std::vector<std::string>{kDefaultRule} : o.rules;
  std::string unknown;
  std::vector<const BuiltinRule*> rules = select_builtin_rules(ids, unknown);
  if (!unknown.empty()) {
    std::string known;
    for (const BuiltinRule& r : builtin_rules())
      known += std::string(known.empty() ? "" : ", ") + std::string(r.id);
    throw UsageError{"unknown rule '" + unknown + "' (built-in rules: " + known +
                     "; 'cis' selects them all)"};
  }
  for (const BuiltinRule* rule : rules) {
    MetricTransformation m;
    m.namespace_ = o.metric_namespace;
    m.name = std::string(rule->metric_name);
    filters.push_back(MetricFilter{std::string(rule->id), Pattern::parse(rule->pattern), std::move(m)});
  }
  return filters;
}

AccountConfig load_configs(const std::vector<std::string>& paths) {
  AccountConfig config;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError{"--config: cannot open " + path};
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      load_account_config(text, config);
    } catch (const std::runtime_error& e) {
      throw UsageError{"--config " + path + ": " + e.what()};
    }
  }
  return config;
}

// Every metric filter of the configuration becomes a rule, named after the filter (and its log group when two
// log groups have a filter of the same name).
std::vector<MetricFilter> config_filters(const AccountConfig& config) {
  std::vector<MetricFilter> filters;
  for (const ConfiguredFilter& f : config.filters) {
    std::size_t same_name = 0;
    for (const ConfiguredFilter& other : config.filters) same_name += other.name == f.name;
    std::string id = same_name > 1 ? f.log_group + ":" + f.name : f.name;
    try {
      filters.push_back(MetricFilter{id, Pattern::parse(f.pattern), f.metric, f.created_at});
    } catch (const PatternError& e) {
      throw UsageError{"--config: metric filter " + id + ": " + e.caret_message()};
    }
  }
  return filters;
}

// The period every alarm's period is a whole multiple of, so one aggregation serves them all.
std::int64_t common_period(const AccountConfig& config, std::int64_t fallback) {
  std::int64_t g = 0;
  for (const ConfiguredAlarm& a : config.alarms)
    if (a.unreplayable.empty() && a.settings.period > 0) g = std::gcd(g, a.settings.period);
  return g > 0 ? g : fallback;
}

GroupBy build_group_by(const std::string& text) {
  GroupBy g;
  if (text.empty()) return g;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (part == "account")
      g.account = true;
    else if (part == "region")
      g.region = true;
    else
      throw UsageError{"--group-by takes account, region or account,region; got: " + text};
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return g;
}

AlarmSettings build_alarm(const ScanOptions& o) {
  AlarmSettings s;
  s.period = o.period;
  auto statistic = parse_statistic(o.statistic);
  if (!statistic) throw UsageError{"--statistic must be Sum, SampleCount, Average, Minimum or Maximum"};
  s.statistic = *statistic;
  s.threshold = o.threshold;
  auto op = parse_comparison_operator(o.comparison_operator);
  if (!op)
    throw UsageError{
        "--comparison-operator must be GreaterThanOrEqualToThreshold, GreaterThanThreshold, "
        "LessThanThreshold or LessThanOrEqualToThreshold"};
  s.comparison = *op;
  s.evaluation_periods = o.evaluation_periods;
  s.datapoints_to_alarm = o.datapoints_to_alarm.value_or(o.evaluation_periods);
  auto missing = parse_treat_missing_data(o.treat_missing_data);
  if (!missing) throw UsageError{"--treat-missing-data must be missing, notBreaching, breaching or ignore"};
  s.treat_missing = *missing;
  s.evaluation_range_periods = o.evaluation_range_periods.value_or(o.evaluation_periods + 2);
  if (std::string problem = s.validate(); !problem.empty()) throw UsageError{problem};
  return s;
}

RecordScope build_scope(const ScanOptions& o) {
  RecordScope scope;
  if (!o.start.empty()) {
    scope.start = parse_utc_time(o.start, true);
    if (!scope.start)
      throw UsageError{"--start: not an ISO 8601 time (e.g. 2024-03-01 or 2024-03-01T12:00:00Z): " + o.start};
  }
  if (!o.end.empty()) {
    scope.end = parse_utc_time(o.end, true);
    if (!scope.end)
      throw UsageError{"--end: not an ISO 8601 time (e.g. 2024-03-02 or 2024-03-01T18:00:00Z): " + o.end};
  }
  if (scope.start && scope.end && *scope.end <= *scope.start) throw UsageError{"--end must be after --start"};
  scope.accounts = o.accounts;
  scope.regions = o.regions;
  return scope;
}

}  // namespace

CLI::App* add_scan_command(CLI::App& app, ScanOptions& o) {
  CLI::App* scan =
      app.add_subcommand("scan",
                         "Replay metric filters and their alarms over CloudTrail archives.\n"
                         "By default runs the CIS rule 'CMK disabled or scheduled for deletion':\n"
                         "  { ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
                         "($.eventName = ScheduleKeyDeletion)) }\n"
                         "with its alarm (Sum >= 1 over 300 s, 1 of 1 periods, missing data = missing).");
  scan->add_option("paths", o.paths, "Files, directories (walked recursively) or - for stdin")->required();
  scan->add_option("--rule", o.rules, "Built-in rule id; repeatable (default: kms-cmk-disable-or-delete)")
      ->allow_extra_args(false);
  scan->add_option(
          "--config", o.configs,
          "Replay a real account's setup: JSON of 'aws logs describe-metric-filters' and/or 'aws cloudwatch "
          "describe-alarms' (repeatable); every filter becomes a rule, every alarm on its metric is replayed")
      ->allow_extra_args(false)
      ->check(CLI::ExistingFile);
  scan->add_option("--pattern", o.pattern,
                   "An ad-hoc CloudWatch Logs filter pattern instead of the built-in rules")
      ->each([&o](const std::string&) { o.pattern_given = true; });
  scan->add_option("--metric-name", o.metric_name, "Metric name for --pattern")->capture_default_str();
  scan->add_option("--metric-namespace", o.metric_namespace, "Metric namespace")->capture_default_str();
  scan->add_option(
          "--metric-value", o.metric_value,
          "Value each match of --pattern publishes: a number, $.field (JSON), $name or $N (space-delimited)")
      ->capture_default_str();
  scan->add_option("--default-value", o.default_value,
                   "Value published for every event --pattern does not match (not with --dimension)");
  scan->add_option("--dimension", o.dimensions,
                   "NAME=SELECTOR, e.g. eventName=$.eventName; up to 3, repeatable")
      ->allow_extra_args(false);
  scan->add_option("--unit", o.unit, "Metric unit (Count, Seconds, Bytes, ...), reported only");
  scan->add_option("--group-by", o.group_by,
                   "account, region or account,region: one series and one alarm replay per group, as if each "
                   "had its own log group");
  scan->add_option("--period", o.period, "Seconds per datapoint, aligned to the Unix epoch")
      ->capture_default_str()
      ->check(CLI::Range(1LL, 86400LL * 7));
  scan->add_option("--statistic", o.statistic, "Sum|SampleCount|Average|Minimum|Maximum")
      ->capture_default_str();
  scan->add_option("--threshold", o.threshold, "Alarm threshold")->capture_default_str();
  scan->add_option(
          "--comparison-operator", o.comparison_operator,
          "GreaterThanOrEqualToThreshold|GreaterThanThreshold|LessThanThreshold|LessThanOrEqualToThreshold")
      ->capture_default_str();
  scan->add_option("--evaluation-periods", o.evaluation_periods, "N: periods the alarm evaluates")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  scan->add_option("--datapoints-to-alarm", o.datapoints_to_alarm,
                   "M of N breaching periods that alarm (default N)");
  scan->add_option("--treat-missing-data", o.treat_missing_data, "missing|notBreaching|breaching|ignore")
      ->capture_default_str();
  scan->add_option("--evaluation-range-periods", o.evaluation_range_periods,
                   "R: periods CloudWatch retrieves per evaluation (default N + 2)");
  scan->add_option("--start", o.start, "Only records with eventTime >= this (ISO 8601, UTC)");
  scan->add_option("--end", o.end, "Only records with eventTime < this (ISO 8601, UTC)");
  scan->add_option("--account", o.accounts, "Only records of this recipientAccountId; repeatable")
      ->allow_extra_args(false);
  scan->add_option("--region", o.regions, "Only records of this awsRegion; repeatable")
      ->allow_extra_args(false);
  scan->add_option("--format", o.format, "Output format")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json", "csv"}));
  scan->add_option("-o,--output", o.output, "Write the report to FILE (atomically) instead of stdout");
  scan->add_option("--matches", o.matches,
                   "Write every matched record to FILE as NDJSON (rule, file, oversize, record)");
  scan->add_option("--threads", o.threads, "Worker threads (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  scan->add_flag_callback(
      "--progress", [&o] { o.progress = true; }, "Show a progress line on stderr");
  scan->add_flag_callback(
      "--no-progress", [&o] { o.progress = false; },
      "Never show it (default: shown when stderr is a terminal)");
  scan->add_flag("--fail-on-alarm", o.fail_on_alarm, "Exit 1 when any alarm window was found");
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
      "  trailwatch scan --rule cis --group-by account,region ~/AWSLogs\n"
      "  aws logs describe-metric-filters > filters.json; aws cloudwatch describe-alarms > alarms.json\n"
      "  trailwatch scan --config filters.json --config alarms.json ~/AWSLogs\n"
      "  zcat 111122223333_CloudTrail_us-east-1_*.json.gz | trailwatch scan -");
  return scan;
}

int run_scan(const ScanOptions& o) {
  std::vector<MetricFilter> filters;
  AlarmSettings alarm;
  RecordScope scope;
  GroupBy group_by;
  AccountConfig config;
  try {
    if (!o.configs.empty()) {
      if (o.pattern_given || !o.rules.empty()) throw UsageError{"--config replaces --rule and --pattern"};
      if (!o.group_by.empty())
        throw UsageError{"--config replays alarms on the dimensions they name; drop --group-by"};
      config = load_configs(o.configs);
      filters = config_filters(config);
    } else {
      filters = build_filters(o);
    }
    alarm = build_alarm(o);
    scope = build_scope(o);
    group_by = build_group_by(o.group_by);
  } catch (const PatternError& e) {
    std::cerr << "trailwatch: " << e.caret_message() << '\n';
    return kExitUsage;
  } catch (const UsageError& e) {
    std::cerr << "trailwatch: " << e.message << '\n';
    return kExitUsage;
  }

  auto started = std::chrono::steady_clock::now();
  FieldPlan plan;
  std::unique_ptr<MetricEngine> engine_holder;
  try {
    std::int64_t period = o.configs.empty() ? alarm.period : common_period(config, alarm.period);
    engine_holder = std::make_unique<MetricEngine>(filters, scope, period, plan, group_by);
  } catch (const std::invalid_argument& e) {
    std::cerr << "trailwatch: " << e.what() << '\n';
    return kExitUsage;
  } catch (const PatternError& e) {
    std::cerr << "trailwatch: " << e.caret_message() << '\n';
    return kExitUsage;
  }
  const MetricEngine& engine = *engine_holder;

  std::unique_ptr<AtomicFile> matches_file;
  if (!o.matches.empty()) {
    matches_file = std::make_unique<AtomicFile>(o.matches);
    if (!matches_file->ok()) {
      std::cerr << "trailwatch: cannot write --matches file " << o.matches << ": " << matches_file->error()
                << '\n';
      return kExitUsage;
    }
  }
  MatchesWriter matches(matches_file ? &matches_file->stream() : nullptr);

  Discovery discovery = discover_inputs(o.paths);
  unsigned threads = o.threads > 0 ? o.threads : default_thread_count();
  threads =
      static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, discovery.files.size())));

  ScanProgress progress;
  progress.files_total = discovery.files.size();
  for (const InputFile& f : discovery.files) progress.bytes_total += f.size;

  std::vector<std::unique_ptr<ScanWorker>> workers(threads);
  const char* kernel = preferred_record_kernel();

  // One Ctrl-C stops the scan after the files being read and reports what was read; SA_RESETHAND makes a
  // second one end the process at once.
  struct sigaction interrupt {};
  struct sigaction previous {};
  interrupt.sa_handler = on_interrupt;
  interrupt.sa_flags = SA_RESETHAND;
  sigemptyset(&interrupt.sa_mask);
  sigaction(SIGINT, &interrupt, &previous);
  {
    bool show_progress = o.progress.value_or(::isatty(STDERR_FILENO) == 1);
    std::unique_ptr<ProgressLine> line;
    if (show_progress) line = std::make_unique<ProgressLine>(progress, STDERR_FILENO);
    run_workers(
        threads, discovery.files.size(),
        [&](unsigned w, std::size_t item) {
          // Built on the worker's own thread, the first time it runs, so its buffers stay local to it.
          if (!workers[w])
            workers[w] = std::make_unique<ScanWorker>(plan, engine, matches, progress, g_interrupted);
          workers[w]->read(discovery.files[item]);
        },
        &g_interrupted);
  }
  sigaction(SIGINT, &previous, nullptr);

  ScanReport report;
  InputSummary& in = report.input;
  in.kernel = kernel;
  in.threads = threads;
  in.files = progress.files_done.load();  // fewer than discovered when interrupted
  in.skipped = discovery.skipped;
  in.errors = discovery.errors;
  ScanTally tally;
  tally.filters.resize(filters.size());
  for (const auto& worker : workers) {
    if (!worker) continue;
    tally.merge(worker->tally());
    in.files_failed += worker->files_failed;
    in.bytes_read += worker->bytes_read;
    in.bytes_inflated += worker->bytes_inflated;
    in.warnings.insert(in.warnings.end(), worker->warnings.begin(), worker->warnings.end());
    in.errors.insert(in.errors.end(), worker->errors.begin(), worker->errors.end());
  }
  std::sort(in.warnings.begin(), in.warnings.end());
  std::sort(in.errors.begin(), in.errors.end());
  in.records = tally.records;
  in.records_failed = tally.records_failed;
  in.records_out_of_range = tally.records_out_of_range;
  in.records_out_of_scope = tally.records_out_of_scope;
  in.interrupted = g_interrupted.load();
  in.partial = !in.errors.empty() || in.interrupted;
  in.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  bool any_window = false;
  for (std::size_t i = 0; i < filters.size(); ++i) {
    RuleResult rule;
    rule.id = filters[i].id;
    rule.pattern = filters[i].pattern.text();
    rule.metric = filters[i].metric;
    rule.matched_events = tally.filters[i].matched;
    rule.matched_oversize = tally.filters[i].oversize;
    rule.dropped_samples = tally.filters[i].dropped;
    const std::vector<std::string>& names = engine.compiled()[i].dimension_names;
    std::map<SeriesKey, PeriodSeries> by_series = tally.filters[i].series;
    // A metric without dimensions still has its one series, with no datapoints when nothing matched.
    if (by_series.empty() && names.empty()) by_series[SeriesKey{}];
    for (const auto& [key, periods] : by_series) {
      SeriesResult series;
      for (std::size_t d = 0; d < names.size() && d < key.size(); ++d) series.dimensions[names[d]] = key[d];
      series.datapoints = to_datapoints(periods, alarm.statistic);
      if (o.configs.empty()) {
        AlarmResult result{rule.id, series.dimensions, alarm,
                           replay_alarm(alarm, series.datapoints, scope.end).windows};
        any_window |= !result.windows.empty();
        rule.alarms.push_back(std::move(result));
      }
      rule.series.push_back(std::move(series));
    }
    if (!o.configs.empty()) {
      rule.created_at = filters[i].created_at;
      rule.matched_before_creation = tally.filters[i].before_creation;
      for (const ConfiguredAlarm& configured : config.alarms) {
        if (!configured.unreplayable.empty() || configured.metric_namespace != filters[i].metric.namespace_ ||
            configured.metric_name != filters[i].metric.name)
          continue;
        // The alarm watches the one series whose dimensions are exactly its own; none published means no
        // data.
        PeriodSeries watched;
        for (const auto& [key, periods] : by_series) {
          std::map<std::string, std::string> dims;
          for (std::size_t d = 0; d < names.size() && d < key.size(); ++d) dims[names[d]] = key[d];
          if (alarm_watches(configured, filters[i].metric, dims)) watched = periods;
        }
        std::vector<Datapoint> points =
            to_datapoints(rebucket(watched, configured.settings.period), configured.settings.statistic);
        AlarmResult result{configured.name, configured.dimensions, configured.settings,
                           replay_alarm(configured.settings, points, scope.end).windows};
        any_window |= !result.windows.empty();
        rule.alarms.push_back(std::move(result));
      }
    }
    report.rules.push_back(std::move(rule));
  }

  for (const ConfiguredAlarm& configured : config.alarms) {
    bool published = std::any_of(filters.begin(), filters.end(), [&](const MetricFilter& f) {
      return f.metric.namespace_ == configured.metric_namespace && f.metric.name == configured.metric_name;
    });
    if (!configured.unreplayable.empty())
      report.unreplayable_alarms.push_back({configured.name, configured.unreplayable});
    else if (!published)
      report.unreplayable_alarms.push_back(
          {configured.name, "no metric filter in the configuration publishes " + configured.metric_namespace +
                                "/" + configured.metric_name});
  }

  std::ostringstream text;
  if (o.format == "json")
    write_json(text, report);
  else if (o.format == "csv")
    write_csv(text, report);
  else
    write_table(text, report);

  int code = kExitDone;
  if (o.fail_on_alarm && any_window) code = kExitAlarm;
  if (in.partial) code = kExitPartial;
  if (in.interrupted) code = kExitInterrupted;

  if (matches_file) {
    if (std::string problem = matches_file->commit(); !problem.empty()) {
      std::cerr << "trailwatch: cannot write " << o.matches << ": " << problem << '\n';
      code = kExitPartial;
    }
  }
  if (o.output.empty()) {
    std::cout << text.str() << std::flush;
  } else {
    AtomicFile report_file(o.output);
    if (report_file.ok()) report_file.stream() << text.str();
    if (std::string problem = report_file.ok() ? report_file.commit() : report_file.error();
        !problem.empty()) {
      std::cerr << "trailwatch: cannot write " << o.output << ": " << problem << '\n';
      return kExitPartial;
    }
  }
  if (in.partial && o.format != "table" && !in.errors.empty())
    std::cerr << "trailwatch: " << in.errors.size() << " input error(s); see input.errors in the report\n";
  return code;
}

}  // namespace trailwatch::cli
