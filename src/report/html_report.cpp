// The HTML report (docs/design.md "HTML output"): one self-contained file a person opens from disk or prints,
// with no script, font or image from a network. Per rule: a timeline of the datapoints with each alarm's
// threshold and shaded ALARM windows (hover titles give the numbers), who did it, and the earliest matched
// events.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "report/html_text.hpp"
#include "report/who_text.hpp"
#include "trailwatch/coverage.hpp"
#include "trailwatch/plural.hpp"
#include "trailwatch/report.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch {

namespace {

using report::html;

constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:72em;padding:0 1em;color:#1b1b1b}
h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.2em;margin:1.6em 0 .3em;border-top:1px solid #ccc;padding-top:.8em}
h3{font-size:1em;margin:1em 0 .3em}code{font:12px ui-monospace,monospace;word-break:break-all}
table{border-collapse:collapse;margin:.3em 0}td,th{padding:.15em .6em;text-align:left;vertical-align:top}
th{border-bottom:1px solid #999}tr:nth-child(even) td{background:#f4f4f4}
.num{text-align:right}.alarm{color:#b00020;font-weight:600}.ok{color:#1e6b2a}.muted{color:#666}
.events td{font-size:12px;max-width:22em;overflow-wrap:anywhere}
svg.timeline{width:100%;height:auto;border:1px solid #ddd;background:#fff}
svg .bar{fill:#3a6ea5}svg .window{fill:#b00020;fill-opacity:.18}svg .threshold{stroke:#b00020;stroke-dasharray:6 4}
svg .axis{stroke:#888}svg text{font:11px sans-serif;fill:#444}.who{display:flex;gap:2em;flex-wrap:wrap}
.problems li{margin:.2em 0}
@media print{body{max-width:none;margin:0}h2{break-before:page}.events{font-size:10px}}
)";

// The timeline's drawing area, in SVG user units; the SVG scales to the page width.
constexpr double kWidth = 1000;
constexpr double kHeight = 180;
constexpr double kLeft = 48;
constexpr double kBottom = 24;

struct TimeRange {
  std::int64_t from = std::numeric_limits<std::int64_t>::max();
  std::int64_t to = std::numeric_limits<std::int64_t>::min();
  void take(std::int64_t a, std::int64_t b) {
    from = std::min(from, a);
    to = std::max(to, b);
  }
  bool empty() const { return from >= to; }
};

std::string number(double v) {
  return fmt::format("{}", v);
}

std::string first_alarm_text(const RuleResult& rule) {
  std::optional<std::int64_t> first;
  for (const AlarmResult& a : rule.alarms)
    for (const AlarmWindow& w : a.windows)
      if (!first || w.alarm_at < *first) first = w.alarm_at;
  return first ? format_utc_time(*first) : "";
}

std::size_t window_count(const RuleResult& rule) {
  std::size_t n = 0;
  for (const AlarmResult& a : rule.alarms) n += a.windows.size();
  return n;
}

void summary(std::string& s, const ScanReport& report) {
  s += "<h2 id=\"summary\">Summary</h2><table class=\"summary\"><tr><th>rule</th><th "
       "class=\"num\">matched</th>"
       "<th class=\"num\">ALARM windows</th><th>first ALARM</th></tr>";
  for (const RuleResult& rule : report.rules) {
    const std::size_t windows = window_count(rule);
    s += fmt::format(
        "<tr><td><a href=\"#rule-{}\">{}</a></td><td class=\"num\">{}</td><td class=\"num {}\">{}</td>"
        "<td>{}</td></tr>",
        html(rule.id), html(rule.id), rule.matched_events, windows > 0 ? "alarm" : "ok", windows,
        html(first_alarm_text(rule)));
  }
  s += "</table>";
}

void timeline(std::string& s, const RuleResult& rule, std::int64_t period) {
  TimeRange range;
  double top = 0;
  for (const SeriesResult& series : rule.series)
    for (const Datapoint& d : series.datapoints) {
      range.take(d.timestamp, d.timestamp + period);
      top = std::max(top, d.value);
    }
  for (const AlarmResult& a : rule.alarms) {
    top = std::max(top, a.settings.threshold);
    for (const AlarmWindow& w : a.windows) range.take(w.start, w.end);
  }
  if (range.empty()) {
    s += "<p class=\"muted\">No datapoints: nothing matched.</p>";
    return;
  }
  if (top <= 0) top = 1;
  const double span = static_cast<double>(range.to - range.from);
  const double plot_w = kWidth - kLeft - 8;
  const double plot_h = kHeight - kBottom - 8;
  auto x = [&](std::int64_t t) { return kLeft + plot_w * static_cast<double>(t - range.from) / span; };
  auto y = [&](double v) { return 8 + plot_h * (1 - v / top); };
  s += fmt::format(
      "<svg class=\"timeline\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"datapoints of {}\">", kWidth,
      kHeight, html(rule.id));
  for (const AlarmResult& a : rule.alarms)
    for (const AlarmWindow& w : a.windows)
      s += fmt::format(
          "<rect class=\"window\" x=\"{:.1f}\" y=\"8\" width=\"{:.1f}\" height=\"{:.1f}\"><title>{}: ALARM "
          "from {} "
          "until {}{}, peak {}</title></rect>",
          x(w.start), std::max(1.0, x(w.end) - x(w.start)), plot_h, html(a.name), format_utc_time(w.start),
          format_utc_time(w.end), w.open ? " (still open)" : "", number(w.peak));
  const double bar = std::max(1.0, plot_w * static_cast<double>(period) / span);
  for (const SeriesResult& series : rule.series)
    for (const Datapoint& d : series.datapoints)
      s += fmt::format(
          "<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"><title>{}: {} "
          "({} "
          "sample{})</title></rect>",
          x(d.timestamp), y(d.value), bar, std::max(0.5, 8 + plot_h - y(d.value)),
          format_utc_time(d.timestamp), number(d.value), d.sample_count, d.sample_count == 1 ? "" : "s");
  for (const AlarmResult& a : rule.alarms)
    s += fmt::format(
        "<line class=\"threshold\" x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\"><title>{}: {} {} "
        "{}</title>"
        "</line>",
        kLeft, kWidth - 8, y(a.settings.threshold), y(a.settings.threshold), html(a.name),
        to_string(a.settings.statistic), to_string(a.settings.comparison), number(a.settings.threshold));
  s += fmt::format("<line class=\"axis\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\"/>", kLeft, kWidth - 8,
                   8 + plot_h);
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", kLeft - 4, 18, number(top));
  s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", kLeft, kHeight - 6, format_utc_time(range.from));
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", kWidth - 8, kHeight - 6,
                   format_utc_time(range.to));
  s += "</svg>";
}

void alarm_list(std::string& s, const RuleResult& rule) {
  for (const AlarmResult& a : rule.alarms) {
    const AlarmSettings& st = a.settings;
    s += fmt::format("<p>alarm <b>{}</b>: {} {} {} over {} s, {} of {}, missing data {} &mdash; ",
                     html(a.name), to_string(st.statistic), to_string(st.comparison), number(st.threshold),
                     st.period, st.datapoints_to_alarm, st.evaluation_periods, to_string(st.treat_missing));
    if (a.windows.empty()) {
      s += "<span class=\"ok\">never in ALARM</span></p>";
      continue;
    }
    s += fmt::format(
        "<span class=\"alarm\">{} ALARM window{}</span></p><table class=\"windows\"><tr><th>ALARM "
        "from</th><th>until</th><th>first notified</th><th class=\"num\">peak</th></tr>",
        a.windows.size(), a.windows.size() == 1 ? "" : "s");
    for (const AlarmWindow& w : a.windows)
      s += fmt::format("<tr><td>{}</td><td>{}{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                       format_utc_time(w.start), format_utc_time(w.end), w.open ? " (still open)" : "",
                       format_utc_time(w.alarm_at), number(w.peak));
    s += "</table>";
  }
}

void counts_table(std::string& s, std::string_view title, const WhoCountMap& counts) {
  // The ten largest: the JSON report holds every count.
  const auto top = report::top_counts(counts, 10);
  s += fmt::format("<table><tr><th>{}</th><th class=\"num\">matches</th></tr>", title);
  for (const auto& [name, n] : top)
    s += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>", html(name), n);
  if (counts.size() > top.size())
    s += fmt::format("<tr><td class=\"muted\">and {} more</td><td></td></tr>", counts.size() - top.size());
  s += "</table>";
}

void who(std::string& s, const RuleResult& rule) {
  if (rule.who.empty()) return;
  s += "<h3>Who</h3><div class=\"who\">";
  counts_table(s, "actor", rule.who.actors);
  counts_table(s, "source IP", rule.who.source_ips);
  counts_table(s, "resource", rule.who.resources);
  s += "</div>";
}

void events(std::string& s, const RuleResult& rule) {
  if (rule.matched_events == 0) return;
  s += "<h3>Matched events</h3>";
  if (rule.earliest_events.empty()) {
    s += "<p class=\"muted\">Not in this report: a merged report keeps no records. Give merge the shards' "
         "--matches files with --matches-from for this table.</p>";
    return;
  }
  s += "<table class=\"events\"><tr><th>time</th><th>event</th><th>actor</th><th>source IP</th><th>user "
       "agent</th><th>account</th><th>region</th><th>resource</th><th>error</th></tr>";
  for (const MatchedEvent& e : rule.earliest_events)
    s += fmt::format(
        "<tr class=\"event\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}"
        "</td><td>{}</td><td>{}</td></tr>",
        html(e.time), html(e.event_name), html(e.actor), html(e.source_ip),
        html(report::shortened(e.user_agent, 60)), html(e.account), html(e.region), html(e.resource),
        html(e.error_code));
  s += "</table>";
  if (rule.matched_events > rule.earliest_events.size())
    s += fmt::format(
        "<p class=\"muted\">The earliest {} of {} matched events; --matches writes every one.</p>",
        rule.earliest_events.size(), rule.matched_events);
}

// When the logs read were delivered, and where they are missing: an incident responder must see at once that
// a region went silent.
void coverage(std::string& s, const InputSummary& in) {
  s += "<h2 id=\"coverage\">Coverage</h2>";
  if (!in.delivery) {
    s += "<p class=\"muted\">No file read is named as CloudTrail names its log files: delivery times "
         "unknown.</p>";
  } else {
    const DeliveryCoverage& d = *in.delivery;
    s += fmt::format("<p>Logs delivered from {} to {}, {}.</p>", format_utc_time(d.first),
                     format_utc_time(d.last), count_of(d.streams.size(), "account and region stream"));
    if (d.gaps.empty()) {
      s += "<p class=\"ok\">No gap in the deliveries.</p>";
    } else {
      s += "<table class=\"gaps\"><tr><th>account</th><th>region</th><th>no logs from</th><th>to</th><th "
           "class=\"num\">for</th></tr>";
      for (const DeliveryGap& g : d.gaps)
        s += fmt::format(
            "<tr class=\"gap alarm\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td "
            "class=\"num\">{}</td></tr>",
            html(g.account), html(g.region), format_utc_time(g.from), format_utc_time(g.to),
            duration_text(g.to - g.from));
      s += "</table>";
    }
  }
  if (in.coverage)
    s += fmt::format("<p>Matched events from {} to {}.</p>", format_utc_time(in.coverage->first_event),
                     format_utc_time(in.coverage->last_event));
}

void problems(std::string& s, const InputSummary& in) {
  if (in.errors.empty() && in.warnings.empty()) return;
  s += "<h2 id=\"problems\">Problems reading the input</h2><ul class=\"problems\">";
  for (const PathMessage& e : in.errors)
    s += fmt::format("<li class=\"alarm\">error: {}: {}</li>", html(e.path), html(e.message));
  for (const PathMessage& w : in.warnings)
    s += fmt::format("<li>warning: {}: {}</li>", html(w.path), html(w.message));
  s += "</ul>";
}

}  // namespace

void write_html(std::ostream& out, const ScanReport& report) {
  const InputSummary& in = report.input;
  std::string s =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>trailwatch report</title><style>";
  s += kStyle;
  s += "</style></head><body><h1>trailwatch scan</h1>";
  std::string inputs;
  for (const std::string& p : report.inputs) inputs += (inputs.empty() ? "" : ", ") + p;
  s += fmt::format("<p class=\"muted\">{} &middot; {}, {} &middot; trailwatch {} &middot; plan {}</p>",
                   html(inputs), count_of(in.files, "file"), count_of(in.records, "record"),
                   html(report.plan.version), html(report.plan.fingerprint));
  if (in.interrupted)
    s += "<p class=\"alarm\">INTERRUPTED: these results cover only the input read before the signal.</p>";
  else if (in.partial)
    s += fmt::format(
        "<p class=\"alarm\">PARTIAL: {} file{} could not be read, {} record{} failed (see <a "
        "href=\"#problems\">problems</a>).</p>",
        in.files_failed, in.files_failed == 1 ? "" : "s", in.records_failed,
        in.records_failed == 1 ? "" : "s");
  // Zero windows because nothing was evaluated is not an all clear (docs/design.md "Nothing in scope").
  if (const std::string scope = nothing_in_scope_text(report); !scope.empty())
    s += fmt::format("<p class=\"alarm\">{}</p>", html(scope));
  summary(s, report);
  coverage(s, in);
  for (const RuleResult& rule : report.rules) {
    s += fmt::format("<section class=\"rule\" id=\"rule-{}\"><h2>{}</h2><p><code>{}</code></p>",
                     html(rule.id), html(rule.id), html(rule.pattern));
    s += fmt::format(
        "<p>{} matched event{}{}</p>", rule.matched_events, rule.matched_events == 1 ? "" : "s",
        rule.matched_oversize > 0
            ? fmt::format(" ({} over 256 KB, never delivered to CloudWatch Logs)", rule.matched_oversize)
            : "");
    timeline(s, rule, report.period);
    alarm_list(s, rule);
    who(s, rule);
    events(s, rule);
    s += "</section>";
  }
  problems(s, in);
  s += "</body></html>\n";
  out << s;
}

}  // namespace trailwatch
