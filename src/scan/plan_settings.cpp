// A plan's settings as JSON, and back: what a report carries so that a merge of partial reports can rebuild
// the plan that produced them and replay its alarms (docs/design.md "Partial results and merge"). The text is
// canonical (fixed key order, numbers in their shortest exact form), so its hash identifies the question.
#include <simdjson.h>

#include <limits>

#include <fmt/format.h>

#include "trailwatch/json_string.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch {

namespace {

// ---- writing

class SettingsWriter {
 public:
  std::string take() { return std::move(out_); }

  void spec(const ScanSpec& spec) {
    out_ += "{\"rules\":[";
    for (std::size_t i = 0; i < spec.filters.size(); ++i) {
      if (i > 0) out_ += ',';
      filter(spec.filters[i]);
    }
    out_ += "],\"alarms\":";
    if (const auto* alarm = std::get_if<AlarmSettings>(&spec.alarms)) {
      out_ += "{\"every_series\":";
      alarm_settings(*alarm);
      out_ += '}';
    } else {
      out_ += "{\"configured\":[";
      const auto& configured = std::get<std::vector<ConfiguredAlarm>>(spec.alarms);
      for (std::size_t i = 0; i < configured.size(); ++i) {
        if (i > 0) out_ += ',';
        configured_alarm(configured[i]);
      }
      out_ += "]}";
    }
    out_ += ",\"series_statistic\":";
    text(to_string(spec.series_statistic));
    out_ += fmt::format(",\"fallback_period\":{}", spec.fallback_period);
    out_ += ",\"scope\":{\"start\":";
    optional_integer(spec.scope.start);
    out_ += ",\"end\":";
    optional_integer(spec.scope.end);
    out_ += ",\"accounts\":";
    strings(spec.scope.accounts);
    out_ += ",\"regions\":";
    strings(spec.scope.regions);
    out_ += fmt::format("}},\"group_by\":{{\"account\":{},\"region\":{}}},\"dedup_events\":{}",
                        spec.group_by.account, spec.group_by.region, spec.dedup_events);
    // Pruning changes the answer when deliveries are later than the slack; without it the slack means
    // nothing, so --no-prune is one text whatever --delivery-slack says.
    out_ += ",\"pruning\":";
    if (spec.delivery_slack) {
      if (*spec.delivery_slack < 0 || *spec.delivery_slack > kMaxDeliverySlack)
        throw PlanError(fmt::format("the delivery slack must be 0 to {} seconds; got {}", kMaxDeliverySlack,
                                    *spec.delivery_slack));
      out_ += fmt::format("{{\"delivery_slack\":{}}}", *spec.delivery_slack);
    } else {
      out_ += "null";
    }
    // --gap decides which silences the report calls gaps, so parts of different --gap do not merge.
    if (spec.coverage_gap < 1 || spec.coverage_gap > kMaxCoverageGap)
      throw PlanError(fmt::format("the coverage gap must be 1 to {} seconds; got {}", kMaxCoverageGap,
                                  spec.coverage_gap));
    out_ += fmt::format(",\"gap\":{}", spec.coverage_gap);
    out_ += '}';
  }

 private:
  void filter(const MetricFilter& f) {
    out_ += "{\"id\":";
    text(f.id);
    out_ += ",\"pattern\":";
    text(f.pattern.text());
    const MetricTransformation& m = f.metric;
    out_ += ",\"metric\":{\"namespace\":";
    text(m.namespace_);
    out_ += ",\"name\":";
    text(m.name);
    out_ += ",\"value\":";
    text(m.value);
    out_ += ",\"default_value\":";
    if (m.default_value)
      number(*m.default_value);
    else
      out_ += "null";
    // Dimensions in their given order: a series key lists its values in that order.
    out_ += ",\"dimensions\":[";
    for (std::size_t d = 0; d < m.dimensions.size(); ++d) {
      out_ += d > 0 ? ",[" : "[";
      text(m.dimensions[d].first);
      out_ += ',';
      text(m.dimensions[d].second);
      out_ += ']';
    }
    out_ += "],\"unit\":";
    text(m.unit);
    out_ += "},\"created_at\":";
    optional_integer(f.created_at);
    out_ += '}';
  }

  void alarm_settings(const AlarmSettings& s) {
    out_ += fmt::format("{{\"period\":{},\"statistic\":", s.period);
    text(to_string(s.statistic));
    out_ += ",\"threshold\":";
    number(s.threshold);
    out_ += ",\"comparison_operator\":";
    text(to_string(s.comparison));
    out_ += fmt::format(",\"evaluation_periods\":{},\"datapoints_to_alarm\":{},\"treat_missing_data\":",
                        s.evaluation_periods, s.datapoints_to_alarm);
    text(to_string(s.treat_missing));
    out_ += fmt::format(",\"evaluation_range_periods\":{}}}", s.evaluation_range_periods);
  }

  void configured_alarm(const ConfiguredAlarm& a) {
    out_ += "{\"name\":";
    text(a.name);
    out_ += ",\"namespace\":";
    text(a.metric_namespace);
    out_ += ",\"metric_name\":";
    text(a.metric_name);
    out_ += ",\"dimensions\":{";
    bool first = true;
    for (const auto& [name, value] : a.dimensions) {
      if (!first) out_ += ',';
      first = false;
      text(name);
      out_ += ':';
      text(value);
    }
    out_ += "},\"settings\":";
    alarm_settings(a.settings);
    out_ += ",\"unreplayable\":";
    text(a.unreplayable);
    out_ += '}';
  }

  // Settings are text a merge reads back: a string that is not UTF-8 could only be written with its bad bytes
  // replaced, and would come back as another question. CloudWatch itself holds only UTF-8 text.
  void text(std::string_view value) {
    if (!simdjson::validate_utf8(value.data(), value.size())) {
      std::string shown;
      append_json_string(shown, value.substr(0, 80));
      throw PlanError(
          fmt::format("{} is not valid UTF-8 text (patterns, names and values must be, as in "
                      "CloudWatch)",
                      shown));
    }
    append_json_string(out_, value);
  }

  // The shortest text that reads back as the same double; -0 is written 0, which every comparison and sum
  // treats alike, so that the text reads back as itself.
  void number(double value) { out_ += value == 0 ? std::string("0") : fmt::format("{}", value); }

  void optional_integer(const std::optional<std::int64_t>& v) {
    out_ += v ? std::to_string(*v) : std::string("null");
  }

  void strings(const std::vector<std::string>& values) {
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_ += ',';
      text(values[i]);
    }
    out_ += ']';
  }

  std::string out_;
};

// ---- reading

namespace dom = simdjson::dom;

[[noreturn]] void bad(std::string_view what) {
  throw PlanError(fmt::format("plan settings: {}", what));
}

dom::element member(const dom::object& o, std::string_view key) {
  dom::element e;
  if (o[key].get(e) != simdjson::SUCCESS) bad(fmt::format("no \"{}\"", key));
  return e;
}

dom::object object_of(const dom::element& e, std::string_view key) {
  dom::object o;
  if (e.get(o) != simdjson::SUCCESS) bad(fmt::format("\"{}\" is not an object", key));
  return o;
}

dom::array array_of(const dom::element& e, std::string_view key) {
  dom::array a;
  if (e.get(a) != simdjson::SUCCESS) bad(fmt::format("\"{}\" is not an array", key));
  return a;
}

std::string string_of(const dom::element& e, std::string_view key) {
  std::string_view s;
  if (e.get(s) != simdjson::SUCCESS) bad(fmt::format("\"{}\" is not a string", key));
  return std::string(s);
}

std::string string_member(const dom::object& o, std::string_view key) {
  return string_of(member(o, key), key);
}

double number_member(const dom::object& o, std::string_view key) {
  double v = 0;
  if (member(o, key).get(v) != simdjson::SUCCESS) bad(fmt::format("\"{}\" is not a number", key));
  return v;
}

std::int64_t integer_member(const dom::object& o, std::string_view key) {
  std::int64_t v = 0;
  if (member(o, key).get(v) != simdjson::SUCCESS) bad(fmt::format("\"{}\" is not an integer", key));
  return v;
}

bool bool_member(const dom::object& o, std::string_view key) {
  bool v = false;
  if (member(o, key).get(v) != simdjson::SUCCESS) bad(fmt::format("\"{}\" is not true or false", key));
  return v;
}

std::optional<std::int64_t> optional_integer_member(const dom::object& o, std::string_view key) {
  dom::element e = member(o, key);
  if (e.is_null()) return std::nullopt;
  std::int64_t v = 0;
  if (e.get(v) != simdjson::SUCCESS) bad(fmt::format("\"{}\" is not an integer or null", key));
  return v;
}

std::vector<std::string> strings_member(const dom::object& o, std::string_view key) {
  std::vector<std::string> out;
  for (dom::element e : array_of(member(o, key), key)) out.push_back(string_of(e, key));
  return out;
}

template <typename T>
T parsed(std::optional<T> value, std::string_view key) {
  if (!value) bad(fmt::format("\"{}\" has an unknown value", key));
  return *value;
}

int small_integer_member(const dom::object& o, std::string_view key) {
  const std::int64_t v = integer_member(o, key);
  if (v < 0 || v > std::numeric_limits<int>::max()) bad(fmt::format("\"{}\" is out of range", key));
  return static_cast<int>(v);
}

AlarmSettings read_alarm_settings(const dom::object& o) {
  AlarmSettings s;
  s.period = integer_member(o, "period");
  s.statistic = parsed(parse_statistic(string_member(o, "statistic")), "statistic");
  s.threshold = number_member(o, "threshold");
  s.comparison =
      parsed(parse_comparison_operator(string_member(o, "comparison_operator")), "comparison_operator");
  s.evaluation_periods = small_integer_member(o, "evaluation_periods");
  s.datapoints_to_alarm = small_integer_member(o, "datapoints_to_alarm");
  s.treat_missing =
      parsed(parse_treat_missing_data(string_member(o, "treat_missing_data")), "treat_missing_data");
  s.evaluation_range_periods = small_integer_member(o, "evaluation_range_periods");
  return s;
}

MetricFilter read_filter(const dom::object& o) {
  MetricTransformation m;
  const dom::object metric = object_of(member(o, "metric"), "metric");
  m.namespace_ = string_member(metric, "namespace");
  m.name = string_member(metric, "name");
  m.value = string_member(metric, "value");
  if (dom::element d = member(metric, "default_value"); !d.is_null())
    m.default_value = number_member(metric, "default_value");
  for (dom::element pair : array_of(member(metric, "dimensions"), "dimensions")) {
    const dom::array a = array_of(pair, "dimensions");
    if (a.size() != 2) bad("a dimension is not a [name, selector] pair");
    m.dimensions.emplace_back(string_of(a.at(0).value_unsafe(), "dimensions"),
                              string_of(a.at(1).value_unsafe(), "dimensions"));
  }
  m.unit = string_member(metric, "unit");
  // A pattern that no longer parses is a PatternError, which callers word with its caret.
  return MetricFilter{string_member(o, "id"), Pattern::parse(string_member(o, "pattern")), std::move(m),
                      optional_integer_member(o, "created_at")};
}

ConfiguredAlarm read_configured_alarm(const dom::object& o) {
  ConfiguredAlarm a;
  a.name = string_member(o, "name");
  a.metric_namespace = string_member(o, "namespace");
  a.metric_name = string_member(o, "metric_name");
  for (auto [name, value] : object_of(member(o, "dimensions"), "dimensions"))
    a.dimensions[std::string(name)] = string_of(value, "dimensions");
  a.settings = read_alarm_settings(object_of(member(o, "settings"), "settings"));
  a.unreplayable = string_member(o, "unreplayable");
  return a;
}

}  // namespace

std::string scan_settings_json(const ScanSpec& spec) {
  SettingsWriter writer;
  writer.spec(spec);
  return writer.take();
}

ScanSpec parse_scan_settings(std::string_view json) {
  dom::parser parser;
  dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) bad("not JSON");
  const dom::object o = object_of(root, "settings");
  ScanSpec spec;
  for (dom::element rule : array_of(member(o, "rules"), "rules"))
    spec.filters.push_back(read_filter(object_of(rule, "rules")));
  const dom::object alarms = object_of(member(o, "alarms"), "alarms");
  if (dom::element every; alarms["every_series"].get(every) == simdjson::SUCCESS) {
    spec.alarms = read_alarm_settings(object_of(every, "every_series"));
  } else {
    std::vector<ConfiguredAlarm> configured;
    for (dom::element alarm : array_of(member(alarms, "configured"), "configured"))
      configured.push_back(read_configured_alarm(object_of(alarm, "configured")));
    spec.alarms = std::move(configured);
  }
  spec.series_statistic = parsed(parse_statistic(string_member(o, "series_statistic")), "series_statistic");
  spec.fallback_period = integer_member(o, "fallback_period");
  const dom::object scope = object_of(member(o, "scope"), "scope");
  spec.scope.start = optional_integer_member(scope, "start");
  spec.scope.end = optional_integer_member(scope, "end");
  spec.scope.accounts = strings_member(scope, "accounts");
  spec.scope.regions = strings_member(scope, "regions");
  const dom::object group_by = object_of(member(o, "group_by"), "group_by");
  spec.group_by.account = bool_member(group_by, "account");
  spec.group_by.region = bool_member(group_by, "region");
  spec.dedup_events = bool_member(o, "dedup_events");
  if (dom::element pruning = member(o, "pruning"); pruning.is_null()) {
    spec.delivery_slack = std::nullopt;
  } else {
    const std::int64_t slack = integer_member(object_of(pruning, "pruning"), "delivery_slack");
    if (slack < 0 || slack > kMaxDeliverySlack) bad("\"delivery_slack\" is out of range");
    spec.delivery_slack = slack;
  }
  spec.coverage_gap = integer_member(o, "gap");
  if (spec.coverage_gap < 1 || spec.coverage_gap > kMaxCoverageGap) bad("\"gap\" is out of range");
  return spec;
}

std::string settings_fingerprint(std::string_view settings_json) {
  return fmt::format("{:016x}", fnv1a64(settings_json));
}

std::string_view trailwatch_version() {
  return TRAILWATCH_VERSION;
}

}  // namespace trailwatch
