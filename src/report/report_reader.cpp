// Every field merge needs is required and typed: a part missing one is not a whole report, and a merge that
// guessed would not be exact.
#include "report/report_reader.hpp"

#include <simdjson.h>

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "trailwatch/time.hpp"

namespace trailwatch::report {

namespace {

namespace dom = simdjson::dom;

[[noreturn]] void missing(std::string_view where, std::string_view what) {
  throw std::runtime_error(fmt::format("{}: {}", where, what));
}

dom::element field(const dom::object& o, std::string_view where, std::string_view key) {
  dom::element e;
  if (o[key].get(e) != simdjson::SUCCESS) missing(where, fmt::format("no \"{}\"", key));
  return e;
}

template <typename T>
T typed(const dom::element& e, std::string_view where, std::string_view key, std::string_view type) {
  T value{};
  if (e.get(value) != simdjson::SUCCESS) missing(where, fmt::format("\"{}\" is not {}", key, type));
  return value;
}

dom::object object_field(const dom::object& o, std::string_view where, std::string_view key) {
  return typed<dom::object>(field(o, where, key), where, key, "an object");
}
dom::array array_field(const dom::object& o, std::string_view where, std::string_view key) {
  return typed<dom::array>(field(o, where, key), where, key, "an array");
}
std::string string_field(const dom::object& o, std::string_view where, std::string_view key) {
  return std::string(typed<std::string_view>(field(o, where, key), where, key, "a string"));
}
std::uint64_t count_field(const dom::object& o, std::string_view where, std::string_view key) {
  return typed<std::uint64_t>(field(o, where, key), where, key, "a count");
}
double number_field(const dom::object& o, std::string_view where, std::string_view key) {
  return typed<double>(field(o, where, key), where, key, "a number");
}
bool bool_field(const dom::object& o, std::string_view where, std::string_view key) {
  return typed<bool>(field(o, where, key), where, key, "true or false");
}
std::int64_t time_field(const dom::object& o, std::string_view where, std::string_view key) {
  const std::string text = string_field(o, where, key);
  const std::optional<std::int64_t> t = parse_utc_time(text);
  if (!t) missing(where, fmt::format("\"{}\" is not a UTC time: {}", key, text));
  return *t;
}

std::vector<PathMessage> messages(const dom::object& input, std::string_view key, std::string_view text_key) {
  std::vector<PathMessage> out;
  for (dom::element e : array_field(input, "input", key)) {
    const dom::object m = typed<dom::object>(e, "input", key, "a list of objects");
    out.push_back({string_field(m, key, "path"), string_field(m, key, text_key)});
  }
  return out;
}

// input.delivery: what a merge needs to join the parts' gaps exactly, so every field is required and checked.
std::optional<DeliveryCoverage> read_delivery(const dom::object& input) {
  constexpr std::string_view kWhere = "delivery";
  const dom::element e = field(input, "input", "delivery");
  if (e.is_null()) return std::nullopt;
  const dom::object o = typed<dom::object>(e, "input", "delivery", "an object or null");
  DeliveryCoverage d;
  d.first = time_field(o, kWhere, "first");
  d.last = time_field(o, kWhere, "last");
  for (dom::element s : array_field(o, kWhere, "streams")) {
    const dom::object stream = typed<dom::object>(s, kWhere, "streams", "a list of objects");
    DeliveryStream out{string_field(stream, "streams", "account"), string_field(stream, "streams", "region"),
                       time_field(stream, "streams", "first"), time_field(stream, "streams", "last"),
                       count_field(stream, "streams", "files")};
    if (out.first > out.last || out.files == 0)
      missing(kWhere,
              fmt::format("stream {} {} has no file or ends before it starts", out.account, out.region));
    d.streams.push_back(std::move(out));
  }
  for (dom::element g : array_field(o, kWhere, "gaps")) {
    const dom::object gap = typed<dom::object>(g, kWhere, "gaps", "a list of objects");
    DeliveryGap out{string_field(gap, "gaps", "account"), string_field(gap, "gaps", "region"),
                    time_field(gap, "gaps", "from"), time_field(gap, "gaps", "to")};
    if (out.from >= out.to)
      missing(kWhere, fmt::format("a gap of {} {} ends before it starts", out.account, out.region));
    if (std::none_of(d.streams.begin(), d.streams.end(), [&](const DeliveryStream& s) {
          return s.account == out.account && s.region == out.region;
        }))
      missing(kWhere, fmt::format("a gap of {} {}, which has no stream", out.account, out.region));
    d.gaps.push_back(std::move(out));
  }
  if (d.streams.empty()) missing(kWhere, "\"streams\" is empty");
  return d;
}

std::optional<EventCoverage> read_coverage(const dom::object& input) {
  const dom::element e = field(input, "input", "coverage");
  if (e.is_null()) return std::nullopt;
  const dom::object o = typed<dom::object>(e, "input", "coverage", "an object or null");
  EventCoverage c{time_field(o, "coverage", "first_event"), time_field(o, "coverage", "last_event")};
  if (c.first_event > c.last_event) missing("coverage", "\"last_event\" is before \"first_event\"");
  return c;
}

// input.scope.seen, which a merge joins; absent in reports written before it existed (it is additive). Its
// "empty" is not read: the merged report decides it from the merged counts.
SeenScope read_seen(const dom::object& input) {
  SeenScope seen;
  dom::element e;
  if (input["scope"].get(e) != simdjson::SUCCESS) return seen;
  const dom::object scope = typed<dom::object>(e, "input", "scope", "an object");
  const dom::object o = object_field(scope, "scope", "seen");
  for (dom::element a : array_field(o, "seen", "accounts"))
    seen.add_account(typed<std::string_view>(a, "seen", "accounts", "a list of strings"));
  for (dom::element r : array_field(o, "seen", "regions"))
    seen.add_region(typed<std::string_view>(r, "seen", "regions", "a list of strings"));
  for (std::string_view key : {"first_day", "last_day"}) {
    const dom::element day = field(o, "seen", key);
    if (day.is_null()) continue;
    const std::string text(typed<std::string_view>(day, "seen", key, "a date or null"));
    const std::optional<std::int64_t> t = text.size() == 10 ? parse_utc_time(text, true) : std::nullopt;
    if (!t) missing("seen", fmt::format("\"{}\" is not a date: {}", key, text));
    seen.add_time(*t);
  }
  return seen;
}

InputSummary read_input(const dom::object& o) {
  constexpr std::string_view kWhere = "input";
  InputSummary in;
  in.mode = string_field(o, kWhere, "mode");
  if (in.mode != "full" && in.mode != "fast") missing(kWhere, "\"mode\" is neither full nor fast");
  in.files = count_field(o, kWhere, "files");
  in.files_failed = count_field(o, kWhere, "files_failed");
  if (in.mode == "full") {
    in.records = count_field(o, kWhere, "records");
    in.records_failed = count_field(o, kWhere, "records_failed");
  }
  in.records_out_of_range = count_field(o, kWhere, "records_out_of_range");
  in.records_out_of_scope = count_field(o, kWhere, "records_out_of_scope");
  if (dom::element e = field(o, kWhere, "duplicate_events"); !e.is_null())
    in.duplicate_events = typed<std::uint64_t>(e, kWhere, "duplicate_events", "a count or null");
  in.bytes_read = count_field(o, kWhere, "bytes_read");
  in.bytes_inflated = count_field(o, kWhere, "bytes_inflated");
  in.buffers_skipped = count_field(o, kWhere, "buffers_skipped");
  in.bytes_skipped = count_field(o, kWhere, "bytes_skipped");
  in.seconds = number_field(o, kWhere, "seconds");
  in.partial = bool_field(o, kWhere, "partial");
  in.interrupted = bool_field(o, kWhere, "interrupted");
  in.threads = static_cast<unsigned>(count_field(o, kWhere, "threads"));
  in.kernel = string_field(o, kWhere, "kernel");
  const dom::object skipped = object_field(o, kWhere, "skipped");
  in.skipped.digest = count_field(skipped, "skipped", "digest");
  in.skipped.insight = count_field(skipped, "skipped", "insight");
  in.skipped.lake = count_field(skipped, "skipped", "lake");
  in.skipped.symlink = count_field(skipped, "skipped", "symlink");
  in.skipped.not_regular = count_field(skipped, "skipped", "not_regular");
  in.skipped.other_name = count_field(skipped, "skipped", "other_name");
  in.skipped.duplicate = count_field(skipped, "skipped", "duplicate");
  const dom::object pruned = object_field(o, kWhere, "pruned");
  in.pruned.prefixes = count_field(pruned, "pruned", "prefixes");
  in.pruned.files = count_field(pruned, "pruned", "files");
  in.delivery = read_delivery(o);
  in.coverage = read_coverage(o);
  in.warnings = messages(o, "warnings", "warning");
  in.errors = messages(o, "errors", "error");
  in.seen = read_seen(o);
  return in;
}

Datapoint read_datapoint(const dom::object& o) {
  constexpr std::string_view kWhere = "datapoint";
  Datapoint d;
  d.timestamp = time_field(o, kWhere, "timestamp");
  d.value = number_field(o, kWhere, "value");
  d.sample_count = count_field(o, kWhere, "sample_count");
  d.sum = number_field(o, kWhere, "sum");
  d.minimum = number_field(o, kWhere, "minimum");
  d.maximum = number_field(o, kWhere, "maximum");
  if (d.sample_count == 0) missing(kWhere, "\"sample_count\" is 0");
  return d;
}

WhoCountMap counts(const dom::object& who, const std::string& where, std::string_view key) {
  WhoCountMap out;
  for (auto [name, value] : object_field(who, where, key))
    out[std::string(name)] = typed<std::uint64_t>(value, where, key, "an object of counts");
  return out;
}

ReadRule read_rule(const dom::object& o) {
  ReadRule rule;
  rule.id = string_field(o, "rule", "id");
  const std::string where = fmt::format("rule {}", rule.id);
  rule.matched = count_field(o, where, "matched_events");
  rule.oversize = count_field(o, where, "matched_oversize");
  rule.dropped = count_field(o, where, "dropped_samples");
  // Only rules of a configuration with a creation time have it.
  if (dom::element e; o["matched_before_creation"].get(e) == simdjson::SUCCESS)
    rule.before_creation = typed<std::uint64_t>(e, where, "matched_before_creation", "a count");
  for (dom::element s : array_field(o, where, "series")) {
    const dom::object series = typed<dom::object>(s, where, "series", "a list of objects");
    ReadSeries out;
    for (auto [name, value] : object_field(series, where, "dimensions"))
      out.dimensions[std::string(name)] =
          std::string(typed<std::string_view>(value, where, "dimensions", "a string"));
    for (dom::element d : array_field(series, where, "datapoints"))
      out.datapoints.push_back(
          read_datapoint(typed<dom::object>(d, where, "datapoints", "a list of objects")));
    rule.series.push_back(std::move(out));
  }
  const dom::object who = object_field(o, where, "who");
  rule.who.actors = counts(who, where, "actors");
  rule.who.source_ips = counts(who, where, "source_ips");
  rule.who.resources = counts(who, where, "resources");
  return rule;
}

}  // namespace

ReadReport read_scan_report(std::string_view json) {
  dom::parser parser;
  dom::element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error)
    throw std::runtime_error(fmt::format("not JSON or truncated ({})", simdjson::error_message(error)));
  const dom::object doc = typed<dom::object>(root, "report", "document", "an object");
  if (dom::element schema; doc["schema"].get(schema) != simdjson::SUCCESS || !schema.is_string() ||
                           std::string_view(schema) != "trailwatch.scan/1")
    throw std::runtime_error("not a trailwatch scan report (no \"schema\": \"trailwatch.scan/1\")");

  ReadReport report;
  const dom::object plan = object_field(doc, "report", "plan");
  report.plan.fingerprint = string_field(plan, "plan", "fingerprint");
  report.plan.version = string_field(plan, "plan", "version");
  report.plan.settings = simdjson::minify(object_field(plan, "plan", "settings"));
  for (dom::element e : array_field(doc, "report", "inputs"))
    report.inputs.emplace_back(typed<std::string_view>(e, "report", "inputs", "a list of strings"));
  if (dom::element e; doc["shard"].get(e) == simdjson::SUCCESS) {
    const dom::object shard = typed<dom::object>(e, "report", "shard", "an object");
    report.shard = Shard{count_field(shard, "shard", "index"), count_field(shard, "shard", "count")};
    if (report.shard->count == 0 || report.shard->index >= report.shard->count)
      missing("shard", "\"index\" is not below \"count\"");
  }
  report.input = read_input(object_field(doc, "report", "input"));
  for (dom::element e : array_field(doc, "report", "rules"))
    report.rules.push_back(read_rule(typed<dom::object>(e, "report", "rules", "a list of objects")));
  return report;
}

}  // namespace trailwatch::report
