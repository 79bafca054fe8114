#include <fmt/format.h>

#include "report/summary_text.hpp"
#include "report/who_text.hpp"
#include "trailwatch/report.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch {

namespace {

std::string human_bytes(std::uint64_t n) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int unit = 0;
  while (v >= 1024 && unit < 4) {
    v /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", n) : fmt::format("{:.1f} {}", v, kUnits[unit]);
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string dimensions_text(const std::map<std::string, std::string>& dimensions) {
  std::string out;
  for (const auto& [k, v] : dimensions) out += fmt::format("{}{}={}", out.empty() ? "" : " ", k, v);
  return out;
}

std::string gap_text(const DeliveryGap& g) {
  return fmt::format("no logs for {} {} from {} to {} ({})", g.account, g.region, format_utc_time(g.from),
                     format_utc_time(g.to), duration_text(g.to - g.from));
}

// The coverage block, right under the input counts: a responder must see at once that logs are missing.
std::string coverage_block(const InputSummary& in) {
  std::string s;
  if (const std::optional<DeliveryCoverage>& d = in.delivery) {
    s += fmt::format(
        "coverage  logs from {} to {}, {} account/region pair(s) (by the names of the files read)\n",
        format_utc_time(d->first), format_utc_time(d->last), d->streams.size());
    if (d->gaps.empty()) s += fmt::format("          no gap over {}\n", duration_text(d->gap));
    for (const DeliveryGap& g : d->gaps) s += "          " + gap_text(g) + '\n';
  } else if (in.files > 0) {
    s += "coverage  delivery times unknown: no file read is named and placed as CloudTrail delivers them\n";
  }
  if (in.coverage)
    s += fmt::format("{}matched events from {} to {}\n", s.empty() ? "coverage  " : "          ",
                     format_utc_time(in.coverage->first_event), format_utc_time(in.coverage->last_event));
  return s;
}

// When the scope left nothing to evaluate, the report says so where the input is described and instead of
// each alarm's "never in ALARM": no window because nothing was looked at is not an all clear.
std::string scope_block(const ScanReport& report) {
  const std::string text = nothing_in_scope_text(report);
  return text.empty() ? std::string() : "scope     " + text + '\n';
}

std::string no_window_line(const ScanReport& report) {
  return report.input.nothing_in_scope() ? "  never evaluated: nothing in scope (see scope above)\n"
                                         : "  never in ALARM\n";
}

}  // namespace

std::string coverage_warning(const ScanReport& report) {
  const std::optional<DeliveryCoverage>& d = report.input.delivery;
  if (!d || d->gaps.empty()) return {};
  constexpr std::size_t kShown = 5;
  std::string s = fmt::format(
      "trailwatch: logs are missing: {} gap(s) of more than {} without a delivery (input.delivery.gaps):\n",
      d->gaps.size(), duration_text(d->gap));
  for (std::size_t i = 0; i < d->gaps.size() && i < kShown; ++i) s += "  " + gap_text(d->gaps[i]) + '\n';
  if (d->gaps.size() > kShown) s += fmt::format("  ... and {} more\n", d->gaps.size() - kShown);
  return s;
}

void write_table(std::ostream& out, const ScanReport& report) {
  const InputSummary& in = report.input;
  std::string s;
  // --fast does not count records (it skips the buffers that cannot match), so it reports what it skipped.
  const std::string records = in.mode == "fast"
                                  ? fmt::format("{} skipped unparsed (cannot match, {})", in.buffers_skipped,
                                                human_bytes(in.bytes_skipped))
                                  : fmt::format("{} records", in.records);
  s += fmt::format(
      "input     {} files ({} failed), {}, {} read, {} inflated, {:.2f} s, {} thread(s), {} kernel\n",
      in.files, in.files_failed, records, human_bytes(in.bytes_read), human_bytes(in.bytes_inflated),
      in.seconds, in.threads, in.kernel);
  if (in.records_failed > 0) s += fmt::format("          {} records failed\n", in.records_failed);
  if (in.records_out_of_range > 0)
    s += fmt::format("          {} records outside --start/--end\n", in.records_out_of_range);
  if (in.records_out_of_scope > 0)
    s += fmt::format("          {} records outside --account/--region\n", in.records_out_of_scope);
  if (in.duplicate_events && *in.duplicate_events > 0)
    s += fmt::format("          {} records of events already counted (--dedup-events)\n",
                     *in.duplicate_events);
  const SkipCounts& sk = in.skipped;
  if (sk.digest + sk.insight + sk.lake + sk.symlink + sk.not_regular + sk.other_name + sk.duplicate > 0)
    s += fmt::format(
        "skipped   digest {}, insight {}, lake {}, symlink {}, not regular {}, other name {}, duplicate {}\n",
        sk.digest, sk.insight, sk.lake, sk.symlink, sk.not_regular, sk.other_name, sk.duplicate);
  if (in.pruned.prefixes + in.pruned.files > 0)
    s += fmt::format(
        "pruned    {} folders, {} files: outside --account/--region/--start/--end by the layout\n",
        in.pruned.prefixes, in.pruned.files);
  s += coverage_block(in);
  s += scope_block(report);
  for (const RuleResult& rule : report.rules) {
    s += fmt::format("\nrule      {}\npattern   {}\nmetric    {}/{} (value {})\nmatched   {} events", rule.id,
                     rule.pattern, rule.metric.namespace_, rule.metric.name, rule.metric.value,
                     rule.matched_events);
    if (rule.matched_oversize > 0)
      s += fmt::format(" ({} over 256 KB, never delivered to CloudWatch Logs)", rule.matched_oversize);
    s += '\n';
    if (rule.matched_before_creation > 0)
      s += fmt::format(
          "          {} of them before the filter existed ({}): the live alarm never saw those\n",
          rule.matched_before_creation, rule.created_at ? format_utc_time(*rule.created_at) : "?");
    s += report::who_text(rule.who);
    for (const SeriesResult& series : rule.series) {
      if (!series.dimensions.empty()) s += "series    " + dimensions_text(series.dimensions) + '\n';
      if (series.datapoints.empty()) {
        s += "  no datapoints\n";
        continue;
      }
      s += fmt::format("  {:<22} {:>12} {:>8}\n", "period start", "value", "samples");
      for (const Datapoint& d : series.datapoints)
        s += fmt::format("  {:<22} {:>12} {:>8}\n", format_utc_time(d.timestamp), fmt::format("{}", d.value),
                         d.sample_count);
    }
    for (const AlarmResult& alarm : rule.alarms) {
      const AlarmSettings& a = alarm.settings;
      s += fmt::format("alarm     {}{}: {} {} {} over {} s, {} of {}, missing data {}\n", alarm.name,
                       alarm.dimensions.empty() ? "" : " [" + dimensions_text(alarm.dimensions) + "]",
                       to_string(a.statistic), to_string(a.comparison), a.threshold, a.period,
                       a.datapoints_to_alarm, a.evaluation_periods, to_string(a.treat_missing));
      if (alarm.windows.empty()) {
        s += no_window_line(report);
        continue;
      }
      s += fmt::format("  {:<22} {:<22} {:<22} {:>8}\n", "ALARM from", "until", "first notified", "peak");
      for (const AlarmWindow& w : alarm.windows)
        s += fmt::format("  {:<22} {:<22} {:<22} {:>8}{}\n", format_utc_time(w.start), format_utc_time(w.end),
                         format_utc_time(w.alarm_at), fmt::format("{}", w.peak),
                         w.open ? "  (still open)" : "");
    }
  }
  for (const UnreplayableAlarm& u : report.unreplayable_alarms)
    s += fmt::format("\nalarm {} is not replayed: {}", u.name, u.reason);
  if (!report.unreplayable_alarms.empty()) s += '\n';
  for (const PathMessage& w : in.warnings) s += fmt::format("\nwarning: {}: {}", w.path, w.message);
  for (const PathMessage& e : in.errors) s += fmt::format("\nerror: {}: {}", e.path, e.message);
  if (!in.warnings.empty() || !in.errors.empty()) s += '\n';
  s += report::summary_text(report);
  if (in.interrupted)
    s += "\nINTERRUPTED: these results cover only the input read before the signal.\n";
  else if (in.partial)
    // Errors name whole files and single records alike: the line says how many of each, so "3 errors" is
    // not read as three lost files.
    s += fmt::format("\nPARTIAL: {} error(s) above: {} file(s) could not be read, {} record(s) failed.\n",
                     in.errors.size(), in.files_failed, in.records_failed);
  out << s;
}

void write_csv(std::ostream& out, const ScanReport& report) {
  std::string s = "kind,rule,alarm,dimensions,timestamp,end,value,sample_count,alarm_at,peak,open\n";
  for (const RuleResult& rule : report.rules) {
    for (const SeriesResult& series : rule.series)
      for (const Datapoint& d : series.datapoints)
        s += fmt::format("datapoint,{},,{},{},,{},{},,,\n", csv_field(rule.id),
                         csv_field(dimensions_text(series.dimensions)), format_utc_time(d.timestamp), d.value,
                         d.sample_count);
    for (const AlarmResult& alarm : rule.alarms)
      for (const AlarmWindow& w : alarm.windows)
        s += fmt::format("window,{},{},{},{},{},,,{},{},{}\n", csv_field(rule.id), csv_field(alarm.name),
                         csv_field(dimensions_text(alarm.dimensions)), format_utc_time(w.start),
                         format_utc_time(w.end), format_utc_time(w.alarm_at), w.peak,
                         w.open ? "true" : "false");
  }
  // After the rules' rows, so that a reader of the rows above sees them as before.
  if (report.input.delivery)
    for (const DeliveryGap& g : report.input.delivery->gaps)
      s += fmt::format("gap,,,{},{},{},,,,,\n", csv_field("account=" + g.account + " region=" + g.region),
                       format_utc_time(g.from), format_utc_time(g.to));
  out << s;
}

}  // namespace trailwatch
