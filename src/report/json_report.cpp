#include <fmt/format.h>

#include "trailwatch/report.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch {

namespace {

// Builds the document by hand: the schema is small and fixed, and this keeps field order exactly as
// documented.
class JsonOut {
 public:
  explicit JsonOut(std::string& s) : s_(s) {}
  JsonOut& key(std::string_view k) {
    comma();
    append_json_string(s_, k);
    s_ += ':';
    fresh_ = true;
    return *this;
  }
  JsonOut& str(std::string_view v) {
    comma();
    append_json_string(s_, v);
    return *this;
  }
  JsonOut& num(std::uint64_t v) {
    comma();
    s_ += std::to_string(v);
    return *this;
  }
  JsonOut& num(double v) {
    comma();
    s_ += fmt::format("{}", v);
    return *this;
  }
  JsonOut& boolean(bool v) {
    comma();
    s_ += v ? "true" : "false";
    return *this;
  }
  JsonOut& null() {
    comma();
    s_ += "null";
    return *this;
  }
  JsonOut& time(std::int64_t t) { return str(format_utc_time(t)); }
  JsonOut& open(char c) {
    comma();
    s_ += c;
    fresh_ = true;
    return *this;
  }
  JsonOut& close(char c) {
    s_ += c;
    fresh_ = false;
    return *this;
  }

 private:
  void comma() {
    if (!fresh_) s_ += ',';
    fresh_ = false;
  }
  std::string& s_;
  bool fresh_ = true;
};

void write_messages(JsonOut& j, const std::vector<PathMessage>& messages, std::string_view field) {
  j.open('[');
  for (const PathMessage& m : messages) {
    j.open('{').key("path").str(m.path).key(field).str(m.message).close('}');
  }
  j.close(']');
}

// input.delivery and input.coverage (docs/design.md "Coverage"). `streams` is what lets the partial reports
// of a sharded scan merge their gaps exactly.
void write_coverage(JsonOut& j, const InputSummary& in) {
  j.key("delivery");
  if (const std::optional<DeliveryCoverage>& d = in.delivery) {
    j.open('{');
    j.key("first").time(d->first).key("last").time(d->last);
    j.key("gaps").open('[');
    for (const DeliveryGap& g : d->gaps) {
      j.open('{').key("account").str(g.account).key("region").str(g.region);
      j.key("from").time(g.from).key("to").time(g.to).close('}');
    }
    j.close(']');
    j.key("streams").open('[');
    for (const DeliveryStream& s : d->streams) {
      j.open('{').key("account").str(s.account).key("region").str(s.region);
      j.key("first").time(s.first).key("last").time(s.last).key("files").num(s.files).close('}');
    }
    j.close(']');
    j.close('}');
  } else {
    j.null();
  }
  j.key("coverage");
  if (in.coverage)
    j.open('{')
        .key("first_event")
        .time(in.coverage->first_event)
        .key("last_event")
        .time(in.coverage->last_event)
        .close('}');
  else
    j.null();
}

// input.scope (docs/design.md "Nothing in scope"): whether the scope left nothing to evaluate, and what it
// passed over.
void write_scope(JsonOut& j, const InputSummary& in) {
  const auto strings = [&](const std::set<std::string, std::less<>>& values) {
    j.open('[');
    for (const std::string& v : values) j.str(v);
    j.close(']');
  };
  const auto day = [&](const std::optional<std::int64_t>& midnight) {
    if (midnight)
      j.str(format_utc_time(*midnight).substr(0, 10));
    else
      j.null();
  };
  j.key("scope").open('{').key("empty").boolean(in.nothing_in_scope());
  j.key("seen").open('{').key("accounts");
  strings(in.seen.accounts);
  j.key("regions");
  strings(in.seen.regions);
  j.key("first_day");
  day(in.seen.first_day);
  j.key("last_day");
  day(in.seen.last_day);
  j.close('}').close('}');
}

void write_input(JsonOut& j, const InputSummary& in) {
  bool fast = in.mode == "fast";
  j.key("input").open('{');
  j.key("mode").str(in.mode);
  j.key("files").num(in.files);
  j.key("files_failed").num(in.files_failed);
  if (fast) {
    j.key("records").null();
    j.key("records_failed").null();
  } else {
    j.key("records").num(in.records);
    j.key("records_failed").num(in.records_failed);
  }
  j.key("records_out_of_range").num(in.records_out_of_range);
  j.key("records_out_of_scope").num(in.records_out_of_scope);
  if (in.duplicate_events)
    j.key("duplicate_events").num(*in.duplicate_events);
  else
    j.key("duplicate_events").null();
  j.key("bytes_read").num(in.bytes_read);
  j.key("bytes_inflated").num(in.bytes_inflated);
  j.key("buffers_skipped").num(in.buffers_skipped);
  j.key("bytes_skipped").num(in.bytes_skipped);
  j.key("seconds").num(in.seconds);
  j.key("partial").boolean(in.partial);
  j.key("interrupted").boolean(in.interrupted);
  j.key("threads").num(static_cast<std::uint64_t>(in.threads));
  j.key("kernel").str(in.kernel);
  j.key("skipped").open('{');
  j.key("digest").num(in.skipped.digest);
  j.key("insight").num(in.skipped.insight);
  j.key("lake").num(in.skipped.lake);
  j.key("symlink").num(in.skipped.symlink);
  j.key("not_regular").num(in.skipped.not_regular);
  j.key("other_name").num(in.skipped.other_name);
  j.key("duplicate").num(in.skipped.duplicate);
  j.close('}');
  j.key("pruned").open('{');
  j.key("prefixes").num(in.pruned.prefixes);
  j.key("files").num(in.pruned.files);
  j.close('}');
  write_scope(j, in);
  write_coverage(j, in);
  j.key("warnings");
  write_messages(j, in.warnings, "warning");
  j.key("errors");
  write_messages(j, in.errors, "error");
  j.close('}');
}

void write_dimensions(JsonOut& j, const std::map<std::string, std::string>& dimensions) {
  j.open('{');
  for (const auto& [name, value] : dimensions) j.key(name).str(value);
  j.close('}');
}

void write_alarm(JsonOut& j, const AlarmResult& alarm) {
  const AlarmSettings& s = alarm.settings;
  j.open('{');
  j.key("name").str(alarm.name);
  j.key("dimensions");
  write_dimensions(j, alarm.dimensions);
  j.key("period").num(static_cast<std::uint64_t>(s.period));
  j.key("statistic").str(to_string(s.statistic));
  j.key("comparison_operator").str(to_string(s.comparison));
  j.key("threshold").num(s.threshold);
  j.key("evaluation_periods").num(static_cast<std::uint64_t>(s.evaluation_periods));
  j.key("datapoints_to_alarm").num(static_cast<std::uint64_t>(s.datapoints_to_alarm));
  j.key("treat_missing_data").str(to_string(s.treat_missing));
  j.key("evaluation_range_periods").num(static_cast<std::uint64_t>(s.evaluation_range_periods));
  j.key("windows").open('[');
  for (const AlarmWindow& w : alarm.windows) {
    j.open('{');
    j.key("start").time(w.start).key("end").time(w.end).key("alarm_at").time(w.alarm_at);
    j.key("peak").num(w.peak).key("open").boolean(w.open);
    j.close('}');
  }
  j.close(']').close('}');
}

void write_counts(JsonOut& j, std::string_view key, const WhoCountMap& counts) {
  j.key(key).open('{');
  for (const auto& [name, n] : counts) j.key(name).num(n);
  j.close('}');
}

// Counts per actor, source IP and resource of the matched records (docs/design.md "who"): counts add, so
// merged shards give the unsharded counts.
void write_who(JsonOut& j, const WhoCounts& who) {
  j.key("who").open('{');
  write_counts(j, "actors", who.actors);
  write_counts(j, "source_ips", who.source_ips);
  write_counts(j, "resources", who.resources);
  j.close('}');
}

void write_rule(JsonOut& j, const RuleResult& rule) {
  j.open('{');
  j.key("id").str(rule.id);
  j.key("pattern").str(rule.pattern);
  j.key("metric").open('{');
  j.key("namespace").str(rule.metric.namespace_);
  j.key("name").str(rule.metric.name);
  j.key("value").str(rule.metric.value);
  if (rule.metric.default_value)
    j.key("default_value").num(*rule.metric.default_value);
  else
    j.key("default_value").null();
  j.key("dimensions").open('{');
  for (const auto& [name, selector] : rule.metric.dimensions) j.key(name).str(selector);
  j.close('}');
  j.key("unit").str(rule.metric.unit.empty() ? "None" : rule.metric.unit);
  j.close('}');
  j.key("matched_events").num(rule.matched_events);
  j.key("matched_oversize").num(rule.matched_oversize);
  j.key("dropped_samples").num(rule.dropped_samples);
  if (rule.created_at) {
    j.key("filter_created").time(*rule.created_at);
    j.key("matched_before_creation").num(rule.matched_before_creation);
  }
  j.key("series").open('[');
  for (const SeriesResult& series : rule.series) {
    j.open('{').key("dimensions");
    write_dimensions(j, series.dimensions);
    j.key("datapoints").open('[');
    for (const Datapoint& d : series.datapoints) {
      j.open('{').key("timestamp").time(d.timestamp).key("value").num(d.value);
      j.key("sample_count").num(d.sample_count).key("sum").num(d.sum);
      j.key("minimum").num(d.minimum).key("maximum").num(d.maximum).close('}');
    }
    j.close(']').close('}');
  }
  j.close(']');
  j.key("alarms").open('[');
  for (const AlarmResult& alarm : rule.alarms) write_alarm(j, alarm);
  j.close(']');
  write_who(j, rule.who);
  j.close('}');
}

// What produced the report, so that partial reports can be merged (docs/design.md "Partial results and
// merge"). The settings are the plan's own canonical JSON, embedded as they are.
void write_provenance(JsonOut& j, std::string& s, const ScanReport& report) {
  j.key("plan").open('{');
  j.key("fingerprint").str(report.plan.fingerprint);
  j.key("version").str(report.plan.version);
  if (report.plan.settings.empty()) {
    j.key("settings").null();
  } else {
    j.key("settings");
    s += report.plan.settings;
  }
  j.close('}');
  j.key("inputs").open('[');
  for (const std::string& input : report.inputs) j.str(input);
  j.close(']');
  if (report.shard) {
    j.key("shard").open('{');
    j.key("index").num(report.shard->index).key("count").num(report.shard->count);
    j.close('}');
  }
}

}  // namespace

void write_json(std::ostream& out, const ScanReport& report) {
  std::string s;
  JsonOut j(s);
  j.open('{');
  j.key("schema").str("trailwatch.scan/1");
  write_provenance(j, s, report);
  write_input(j, report.input);
  j.key("rules").open('[');
  for (const RuleResult& rule : report.rules) write_rule(j, rule);
  j.close(']');
  if (!report.unreplayable_alarms.empty()) {
    j.key("unreplayable_alarms").open('[');
    for (const UnreplayableAlarm& u : report.unreplayable_alarms)
      j.open('{').key("name").str(u.name).key("reason").str(u.reason).close('}');
    j.close(']');
  }
  j.close('}');
  s += '\n';
  out << s;
}

}  // namespace trailwatch
