// Reading a trailwatch.scan/1 report back (for merge): what a part counted, before any replay. Internal to
// the report unit.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/scan.hpp"

namespace trailwatch::report {

struct ReadSeries {
  std::map<std::string, std::string> dimensions;
  std::vector<Datapoint> datapoints;
};

struct ReadRule {
  std::string id;
  std::uint64_t matched = 0;
  std::uint64_t oversize = 0;
  std::uint64_t dropped = 0;
  std::uint64_t before_creation = 0;
  std::vector<ReadSeries> series;
  WhoCounts who;
};

/// A report as written: its provenance, its input section, and per rule the counts and series.
struct ReadReport {
  PlanIdentity plan;  // settings: the settings object re-serialized (not byte for byte as written)
  std::vector<std::string> inputs;
  std::optional<Shard> shard;
  InputSummary input;
  std::vector<ReadRule> rules;
};

/// Throws std::runtime_error with a one-line reason when `json` is not a whole trailwatch.scan/1 report
/// (truncated, another document, a missing or mistyped field).
ReadReport read_scan_report(std::string_view json);

}  // namespace trailwatch::report
