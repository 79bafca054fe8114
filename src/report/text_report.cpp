#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "report/summary_text.hpp"
#include "report/who_text.hpp"
#include "trailwatch/plural.hpp"
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

std::string gap_text(const DeliveryGap& g, const TerminalStyle& style) {
  return style.paint(
      fmt::format("no logs for {} {} from {} to {} ({})", g.account, g.region, format_utc_time(g.from),
                  format_utc_time(g.to), duration_text(g.to - g.from)),
      Tone::Warning);
}

// Where the table's labels end ("pattern   "), and the terminal width a line must fit.
constexpr std::size_t kLabelWidth = 10;
constexpr std::size_t kColumns = 80;

// Where a line of `text` may end, at or before `limit` (or, when there is no such place, the first after it):
// at a space, which the break drops, or just before "||" or "&&", which CIS texts often write without spaces;
// never inside a quoted string, where a dropped space would hide how many there were. Returns where the line
// ends and where the next one starts; npos when the text cannot break.
std::pair<std::size_t, std::size_t> line_break(std::string_view text, std::size_t limit) {
  std::vector<bool> quoted(text.size(), false);
  bool in_quotes = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"' && (i == 0 || text[i - 1] != '\\')) in_quotes = !in_quotes;
    quoted[i] = in_quotes;
  }
  auto at = [&](std::size_t p) -> std::size_t {
    if (quoted[p]) return std::string_view::npos;
    if (text[p] == ' ') return p + 1;
    const std::string_view two = text.substr(p, 2);
    // After a space the break is at that space, so that no line ends in one.
    return (two == "||" || two == "&&") && text[p - 1] != ' ' ? p : std::string_view::npos;
  };
  for (std::size_t p = std::min(limit, text.size() - 1); p > 0; --p)
    if (const std::size_t next = at(p); next != std::string_view::npos) return {p, next};
  for (std::size_t p = limit + 1; p < text.size(); ++p)
    if (const std::size_t next = at(p); next != std::string_view::npos) return {p, next};
  return {std::string_view::npos, std::string_view::npos};
}

// `text` broken between words so that each line, after the label column, fits kColumns: a long pattern wraps
// where a person would break it instead of where the terminal cuts it. A word wider than the room stands
// alone on its line. Continuation lines start under the first.
std::string wrap_pattern(std::string_view text) {
  constexpr std::size_t kRoom = kColumns - kLabelWidth;
  std::string out;
  while (text.size() > kRoom) {
    const auto [end, next] = line_break(text, kRoom);
    if (end == std::string_view::npos) break;
    out += text.substr(0, end);
    out += '\n';
    out.append(kLabelWidth, ' ');
    text.remove_prefix(next);
  }
  out += text;
  return out;
}

// The coverage block, right under the input counts: a responder must see at once that logs are missing.
std::string coverage_block(const InputSummary& in, const TerminalStyle& style) {
  std::string s;
  if (const std::optional<DeliveryCoverage>& d = in.delivery) {
    s += fmt::format("coverage  logs from {} to {}, {} (by the names of the files read)\n",
                     format_utc_time(d->first), format_utc_time(d->last),
                     count_of(d->streams.size(), "account/region pair"));
    if (d->gaps.empty()) s += fmt::format("          no gap over {}\n", duration_text(d->gap));
    for (const DeliveryGap& g : d->gaps) s += "          " + gap_text(g, style) + '\n';
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
std::string scope_block(const ScanReport& report, const TerminalStyle& style) {
  const std::string text = nothing_in_scope_text(report);
  return text.empty() ? std::string() : "scope     " + style.paint(text, Tone::Warning) + '\n';
}

std::string no_window_line(const ScanReport& report, const TerminalStyle& style) {
  return report.input.nothing_in_scope()
             ? "  " + style.paint("never evaluated: nothing in scope (see scope above)", Tone::Warning) + '\n'
             : "  " + style.paint("never in ALARM", Tone::Good) + '\n';
}

}  // namespace

std::string coverage_warning(const ScanReport& report, const TerminalStyle& style) {
  const std::optional<DeliveryCoverage>& d = report.input.delivery;
  if (!d || d->gaps.empty()) return {};
  constexpr std::size_t kShown = 5;
  std::string s = "trailwatch: " + style.paint("logs are missing", Tone::Warning) +
                  fmt::format(": {} of more than {} without a delivery (input.delivery.gaps):\n",
                              count_of(d->gaps.size(), "gap"), duration_text(d->gap));
  for (std::size_t i = 0; i < d->gaps.size() && i < kShown; ++i)
    s += "  " + gap_text(d->gaps[i], style) + '\n';
  if (d->gaps.size() > kShown) s += fmt::format("  ... and {} more\n", d->gaps.size() - kShown);
  return s;
}

void write_table(std::ostream& out, const ScanReport& report, const TerminalStyle& style) {
  const InputSummary& in = report.input;
  std::string s;
  // --fast does not count records (it skips the buffers that cannot match), so it reports what it skipped.
  const std::string records = in.mode == "fast"
                                  ? fmt::format("{} skipped unparsed (cannot match, {})", in.buffers_skipped,
                                                human_bytes(in.bytes_skipped))
                                  : count_of(in.records, "record");
  s += fmt::format("input     {} ({} failed), {}, {} read, {} inflated, {:.2f} s, {}, {} kernel\n",
                   count_of(in.files, "file"), in.files_failed, records, human_bytes(in.bytes_read),
                   human_bytes(in.bytes_inflated), in.seconds, count_of(in.threads, "thread"), in.kernel);
  if (in.records_failed > 0) s += fmt::format("          {} failed\n", count_of(in.records_failed, "record"));
  if (in.records_out_of_range > 0)
    s += fmt::format("          {} outside --start/--end\n", count_of(in.records_out_of_range, "record"));
  if (in.records_out_of_scope > 0)
    s +=
        fmt::format("          {} outside --account/--region\n", count_of(in.records_out_of_scope, "record"));
  if (in.duplicate_events && *in.duplicate_events > 0)
    s += fmt::format("          {} of events already counted (--dedup-events)\n",
                     count_of(*in.duplicate_events, "record"));
  const SkipCounts& sk = in.skipped;
  if (sk.digest + sk.insight + sk.lake + sk.symlink + sk.not_regular + sk.other_name + sk.duplicate > 0)
    s += fmt::format(
        "skipped   digest {}, insight {}, lake {}, symlink {}, not regular {}, other name {}, duplicate {}\n",
        sk.digest, sk.insight, sk.lake, sk.symlink, sk.not_regular, sk.other_name, sk.duplicate);
  if (in.pruned.prefixes + in.pruned.files > 0)
    s += fmt::format("pruned    {}, {}: outside --account/--region/--start/--end by the layout\n",
                     count_of(in.pruned.prefixes, "folder"), count_of(in.pruned.files, "file"));
  s += coverage_block(in, style);
  s += scope_block(report, style);
  for (const RuleResult& rule : report.rules) {
    s += fmt::format("\nrule      {}\npattern   {}\nmetric    {}/{} (value {})\nmatched   {}", rule.id,
                     wrap_pattern(rule.pattern), rule.metric.namespace_, rule.metric.name, rule.metric.value,
                     count_of(rule.matched_events, "event"));
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
        s += no_window_line(report, style);
        continue;
      }
      s += fmt::format("  {:<22} {:<22} {:<22} {:>8}\n", "ALARM from", "until", "first notified", "peak");
      for (const AlarmWindow& w : alarm.windows)
        s += "  " +
             style.paint(fmt::format("{:<22} {:<22} {:<22} {:>8}{}", format_utc_time(w.start),
                                     format_utc_time(w.end), format_utc_time(w.alarm_at),
                                     fmt::format("{}", w.peak), w.open ? "  (still open)" : ""),
                         Tone::Alarm) +
             '\n';
    }
  }
  for (const UnreplayableAlarm& u : report.unreplayable_alarms)
    s += fmt::format("\nalarm {} is not replayed: {}", u.name, u.reason);
  if (!report.unreplayable_alarms.empty()) s += '\n';
  for (const PathMessage& w : in.warnings)
    s += fmt::format("\n{}: {}: {}", style.paint("warning", Tone::Warning), w.path, w.message);
  for (const PathMessage& e : in.errors)
    s += fmt::format("\n{}: {}: {}", style.paint("error", Tone::Alarm), e.path, e.message);
  if (!in.warnings.empty() || !in.errors.empty()) s += '\n';
  s += report::summary_text(report, style);
  if (in.interrupted)
    s += '\n' + style.paint("INTERRUPTED", Tone::Warning) +
         ": these results cover only the input read before the signal.\n";
  else if (in.partial)
    // Errors name whole files and single records alike: the line says how many of each, so "3 errors" is
    // not read as three lost files.
    s += '\n' + style.paint("PARTIAL", Tone::Warning) +
         fmt::format(": {} above: {} could not be read, {} failed.\n", count_of(in.errors.size(), "error"),
                     count_of(in.files_failed, "file"), count_of(in.records_failed, "record"));
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
