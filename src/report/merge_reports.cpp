// Merge: the parts are checked to answer one question and to fit together, then their counts are added and
// their series merged from the statistic sets, in shard order, and the plan rebuilt from the settings they
// carry replays every alarm on the merged series. What a single run would have reported is thereby reported
// again: the same code (ScanPlan::results) turns the merged tally into rules and windows.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "report/report_reader.hpp"
#include "trailwatch/merge.hpp"
#include "trailwatch/pattern.hpp"

namespace trailwatch {

namespace {

struct Part {
  const ReportPart* source;
  report::ReadReport report;
  std::uint64_t index() const { return report.shard ? report.shard->index : 0; }
  std::uint64_t count() const { return report.shard ? report.shard->count : 1; }
};

std::string shard_text(const Part& p) {
  return p.report.shard ? fmt::format("shard {} of {}", p.index(), p.count()) : "not a shard (no --shard)";
}

// Refuses parts that do not answer the same question or do not fit together as shards of one scan.
void check_parts_fit(const std::vector<Part>& parts) {
  const Part& first = parts.front();
  for (const Part& p : parts) {
    if (p.report.plan.version != first.report.plan.version)
      throw MergeError(
          true,
          fmt::format("{} was written by trailwatch {} but {} by trailwatch {}: merge parts "
                      "of one version",
                      first.source->path, first.report.plan.version, p.source->path, p.report.plan.version));
    if (p.report.plan.fingerprint != first.report.plan.fingerprint)
      throw MergeError(
          true, fmt::format("{} and {} answer different questions (plan fingerprints {} and {}: "
                            "their rules, alarms, period, scope, grouping, delivery slack or --gap differ)",
                            first.source->path, p.source->path, first.report.plan.fingerprint,
                            p.report.plan.fingerprint));
    if (parts.size() > 1 && !p.report.shard)
      throw MergeError(true, fmt::format("{} is a whole scan (written without --shard), not a part of one",
                                         p.source->path));
    if (p.count() != first.count())
      throw MergeError(
          true, fmt::format("{} is {} but {} is {}: all parts must come from one split", first.source->path,
                            shard_text(first), p.source->path, shard_text(p)));
  }
  for (std::size_t i = 1; i < parts.size(); ++i)
    if (parts[i].index() == parts[i - 1].index())
      throw MergeError(true,
                       fmt::format("{} and {} are both {}: give each shard once", parts[i - 1].source->path,
                                   parts[i].source->path, shard_text(parts[i])));
}

// The plan the parts were made with, rebuilt from the settings they carry; its fingerprint must be theirs.
std::unique_ptr<ScanPlan> rebuild_plan(const Part& part) {
  std::unique_ptr<ScanPlan> plan;
  try {
    plan = std::make_unique<ScanPlan>(parse_scan_settings(part.report.plan.settings));
  } catch (const PatternError& e) {
    throw MergeError(true, fmt::format("{}: plan.settings holds a pattern that does not parse: {}",
                                       part.source->path, e.what()));
  } catch (const PlanError& e) {
    throw MergeError(true, fmt::format("{}: {}", part.source->path, e.what()));
  }
  if (plan->fingerprint() != part.report.plan.fingerprint)
    throw MergeError(true, fmt::format("{}: plan.settings does not give plan.fingerprint {} (edited, or "
                                       "written by another build)",
                                       part.source->path, part.report.plan.fingerprint));
  return plan;
}

// Adds one part's rules to the tally. Throws std::runtime_error, before changing anything, when the part's
// rules are not the plan's.
void add_rules(const ScanPlan& plan, const report::ReadReport& part, ScanTally& tally) {
  const std::vector<MetricFilter>& filters = plan.filters();
  if (part.rules.size() != filters.size())
    throw std::runtime_error(
        fmt::format("it has {} rules where its plan has {}", part.rules.size(), filters.size()));
  std::vector<std::vector<SeriesKey>> keys(filters.size());
  for (std::size_t i = 0; i < filters.size(); ++i) {
    const report::ReadRule& rule = part.rules[i];
    if (rule.id != filters[i].id)
      throw std::runtime_error(
          fmt::format("rule {} is '{}' where its plan has '{}'", i, rule.id, filters[i].id));
    const std::vector<std::string>& names = plan.engine().compiled()[i].dimension_names;
    for (const report::ReadSeries& series : rule.series) {
      if (series.datapoints.empty()) {
        keys[i].emplace_back();  // a metric's one series with no data: nothing to add
        continue;
      }
      SeriesKey key;
      for (const std::string& name : names) {
        auto it = series.dimensions.find(name);
        if (it == series.dimensions.end())
          throw std::runtime_error(fmt::format("rule {}: a series has no dimension {}", rule.id, name));
        key.push_back(it->second);
      }
      if (series.dimensions.size() != names.size())
        throw std::runtime_error(fmt::format("rule {}: a series has dimensions its plan does not", rule.id));
      keys[i].push_back(std::move(key));
    }
  }
  for (std::size_t i = 0; i < filters.size(); ++i) {
    const report::ReadRule& rule = part.rules[i];
    FilterTally& counted = tally.filters[i];
    counted.matched += rule.matched;
    counted.oversize += rule.oversize;
    counted.dropped += rule.dropped;
    counted.before_creation += rule.before_creation;
    for (std::size_t s = 0; s < rule.series.size(); ++s) {
      if (rule.series[s].datapoints.empty()) continue;
      PeriodSeries& periods = counted.series[keys[i][s]];
      for (const Datapoint& d : rule.series[s].datapoints)
        periods[d.timestamp].merge(PeriodStats{d.sum, d.sample_count, d.minimum, d.maximum});
    }
  }
}

void add_input(const InputSummary& part, InputSummary& in) {
  in.files += part.files;
  in.files_failed += part.files_failed;
  in.records += part.records;
  in.records_failed += part.records_failed;
  in.records_out_of_range += part.records_out_of_range;
  in.records_out_of_scope += part.records_out_of_scope;
  // Only a whole scan can count events once (--dedup-events is refused with --shard), so a part that has the
  // count is merged alone.
  if (part.duplicate_events) in.duplicate_events = in.duplicate_events.value_or(0) + *part.duplicate_events;
  in.bytes_read += part.bytes_read;
  in.bytes_inflated += part.bytes_inflated;
  in.buffers_skipped += part.buffers_skipped;
  in.bytes_skipped += part.bytes_skipped;
  in.seconds = std::max(in.seconds, part.seconds);
  in.threads += part.threads;
  in.partial = in.partial || part.partial;
  in.interrupted = in.interrupted || part.interrupted;
  if (part.mode == "fast") in.mode = "fast";
  SkipCounts& s = in.skipped;
  s.digest += part.skipped.digest;
  s.insight += part.skipped.insight;
  s.lake += part.skipped.lake;
  s.symlink += part.skipped.symlink;
  s.not_regular += part.skipped.not_regular;
  s.other_name += part.skipped.other_name;
  s.duplicate += part.skipped.duplicate;
  // Each shard counts what pruning passed over by the shard its name falls in, so the counts add.
  in.pruned.prefixes += part.pruned.prefixes;
  in.pruned.files += part.pruned.files;
  // What the parts passed over is joined; whether nothing was in scope is decided from the summed counts
  // (InputSummary::nothing_in_scope): only when no part read a record in scope.
  in.seen.merge(part.seen);
  // The delivery coverage is joined once every part is in (merge_delivery_coverage); the matched events'
  // span is the widest.
  in.coverage = merge_event_coverage(in.coverage, part.coverage);
  in.warnings.insert(in.warnings.end(), part.warnings.begin(), part.warnings.end());
  in.errors.insert(in.errors.end(), part.errors.begin(), part.errors.end());
}

// Sorted as a single run sorts them; an error every part carries (about a path argument itself) once.
void sort_unique(std::vector<PathMessage>& messages) {
  std::sort(messages.begin(), messages.end());
  messages.erase(std::unique(messages.begin(), messages.end()), messages.end());
}

}  // namespace

ScanReport merge_reports(const std::vector<ReportPart>& sources) {
  std::vector<PathMessage> problems;
  std::vector<Part> parts;
  for (const ReportPart& source : sources) {
    if (!source.read_error.empty()) {
      problems.push_back({source.path, "cannot read: " + source.read_error});
      continue;
    }
    try {
      parts.push_back({&source, report::read_scan_report(source.text)});
    } catch (const std::runtime_error& e) {
      problems.push_back({source.path, fmt::format("not a whole trailwatch scan report: {}", e.what())});
    }
  }
  if (parts.empty()) {
    std::string message = "no part could be used";
    for (const PathMessage& p : problems) message += fmt::format("\n  {}: {}", p.path, p.message);
    throw MergeError(false, message);
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const Part& a, const Part& b) { return a.index() < b.index(); });
  check_parts_fit(parts);
  const std::unique_ptr<ScanPlan> plan = rebuild_plan(parts.front());

  ScanReport merged;
  InputSummary& in = merged.input;
  in.mode = "full";
  in.threads = 0;
  in.kernel = parts.front().report.input.kernel;
  ScanTally tally;
  tally.filters.resize(plan->filters().size());
  std::vector<WhoCounts> who(plan->filters().size());
  std::set<std::uint64_t> covered;
  std::vector<std::optional<DeliveryCoverage>> deliveries;
  for (const Part& part : parts) {
    try {
      add_rules(*plan, part.report, tally);
    } catch (const std::runtime_error& e) {
      problems.push_back(
          {part.source->path, fmt::format("not a whole trailwatch scan report: {}", e.what())});
      continue;
    }
    covered.insert(part.index());
    for (std::size_t i = 0; i < who.size(); ++i) who[i].add(part.report.rules[i].who);
    add_input(part.report.input, in);
    deliveries.push_back(part.report.input.delivery);
    if (part.report.input.kernel != in.kernel) in.kernel = "mixed";
    for (const std::string& input : part.report.inputs)
      if (std::find(merged.inputs.begin(), merged.inputs.end(), input) == merged.inputs.end())
        merged.inputs.push_back(input);
  }
  const std::uint64_t count = parts.front().count();
  for (std::uint64_t i = 0; i < count; ++i)
    if (!covered.contains(i))
      problems.push_back({fmt::format("shard {}/{}", i, count),
                          fmt::format("missing: no usable part for shard {} of {} (its run may have failed "
                                      "before writing it)",
                                      i, count)});
  in.errors.insert(in.errors.end(), problems.begin(), problems.end());
  sort_unique(in.errors);
  sort_unique(in.warnings);
  in.partial = in.partial || !problems.empty();
  in.delivery = merge_delivery_coverage(deliveries, plan->gap_rule());
  merged.plan = {plan->fingerprint(), parts.front().report.plan.version, plan->settings()};
  merged.rules = plan->results(tally);
  merged.period = plan->period();
  merged.scope = plan->scope();
  for (std::size_t i = 0; i < merged.rules.size(); ++i) merged.rules[i].who = std::move(who[i]);
  merged.unreplayable_alarms = plan->unreplayable();
  return merged;
}

}  // namespace trailwatch
