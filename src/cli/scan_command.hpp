// `trailwatch scan`: flags -> a ScanPlan and a Scanner (trailwatch/scan.hpp), the report out, the exit code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "trailwatch/rules.hpp"
#include "trailwatch/s3.hpp"

namespace trailwatch::cli {

struct ScanOptions {
  std::vector<std::string> paths;
  std::vector<std::string> rules;
  std::vector<std::string> configs;
  std::string pattern;
  bool pattern_given = false;
  std::string metric_name = "MatchCount";
  std::string metric_namespace = "CloudTrailMetrics";
  std::string metric_value = "1";
  std::optional<double> default_value;
  std::vector<std::string> dimensions;
  std::string unit;
  std::string group_by;
  // The alarm flags default to the built-in rules' alarm.
  long long period = kCisAlarm.period;
  std::string statistic{kCisAlarm.statistic};
  double threshold = kCisAlarm.threshold;
  std::string comparison_operator{kCisAlarm.comparison_operator};
  int evaluation_periods = kCisAlarm.evaluation_periods;
  std::optional<int> datapoints_to_alarm;
  std::string treat_missing_data{kCisAlarm.treat_missing_data};
  std::optional<int> evaluation_range_periods;
  std::string start;
  std::string end;
  std::vector<std::string> accounts;
  std::vector<std::string> regions;
  std::string delivery_slack = "1d";
  bool no_prune = false;
  std::string gap = "1h";  // --gap: a silence this long in an account and region's deliveries is a gap
  std::string format = "table";
  std::string color = "auto";  // --color: auto, always or never
  std::string output;
  std::string matches;
  unsigned threads = 0;
  std::string max_inflated_size = "4G";
  std::string max_record_size = "128M";
  unsigned max_depth = 1024;
  std::optional<bool> progress;
  bool fail_on_alarm = false;
  bool fast = false;
  std::string shard;  // --shard I/N | auto | auto/N; empty: every input
  bool dedup_events = false;
  // s3:// paths: as `audit` reaches AWS, and how many objects are fetched at once.
  std::string profile;
  std::string endpoint_url;
  std::string ca_bundle;
  unsigned s3_concurrency = aws::kDefaultS3Concurrency;
};

/// Adds the `scan` subcommand to `app`; the options are written into `options`.
CLI::App* add_scan_command(CLI::App& app, ScanOptions& options);

/// Runs a scan and returns the process exit code (docs/design.md "Exit codes").
int run_scan(const ScanOptions& options);

}  // namespace trailwatch::cli
