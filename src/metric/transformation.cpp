#include <algorithm>
#include <array>
#include <stdexcept>

#include "trailwatch/metric.hpp"

namespace trailwatch {

namespace {

constexpr std::array<std::string_view, 27> kUnits = {"Seconds",
                                                     "Microseconds",
                                                     "Milliseconds",
                                                     "Bytes",
                                                     "Kilobytes",
                                                     "Megabytes",
                                                     "Gigabytes",
                                                     "Terabytes",
                                                     "Bits",
                                                     "Kilobits",
                                                     "Megabits",
                                                     "Gigabits",
                                                     "Terabits",
                                                     "Percent",
                                                     "Count",
                                                     "Bytes/Second",
                                                     "Kilobytes/Second",
                                                     "Megabytes/Second",
                                                     "Gigabytes/Second",
                                                     "Terabytes/Second",
                                                     "Bits/Second",
                                                     "Kilobits/Second",
                                                     "Megabits/Second",
                                                     "Gigabits/Second",
                                                     "Terabits/Second",
                                                     "Count/Second",
                                                     "None"};

bool is_reference(std::string_view text) {
  return text.size() > 1 && text.front() == '$';
}

std::string check_metric_identifier(std::string_view what, std::string_view text) {
  if (text.empty()) return std::string(what) + " is empty";
  if (text.size() > 255) return std::string(what) + " is longer than 255 characters";
  if (text.find_first_of(":*$") != std::string_view::npos)
    return std::string(what) + " must not contain ':', '*' or '$': " + std::string(text);
  return {};
}

// "$.a.b" -> a JSON selector; "$name" / "$7" -> a space-delimited field.
std::string check_reference(std::string_view what, std::string_view text, const Pattern& pattern) {
  if (text.starts_with("$.") || text.starts_with("$[")) {
    if (pattern.needs_message()) return std::string(what) + " " + std::string(text) + " needs a JSON pattern";
    try {
      parse_selector(text);
    } catch (const PatternError& e) {
      return std::string(what) + ": " + e.what();
    }
    return {};
  }
  std::string_view name = text.substr(1);
  bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (!valid) return std::string(what) + " is not a reference ($.field, $name or $N): " + std::string(text);
  if (!pattern.needs_message())
    return std::string(what) + " " + std::string(text) +
           " names a space-delimited field, but the pattern is JSON";
  return {};
}

ValueSource compile_source(const std::string& text, FieldPlan& plan) {
  ValueSource source;
  if (!is_reference(text)) {
    source.literal = parse_metric_literal(text).value_or(0);
  } else if (text.starts_with("$.") || text.starts_with("$[")) {
    source.kind = ValueSource::Kind::Field;
    source.field = plan.add(parse_selector(text));
  } else {
    source.kind = ValueSource::Kind::Extracted;
    source.extracted = text.substr(1);
  }
  return source;
}

}  // namespace

std::string validate_transformation(const MetricTransformation& m, const Pattern& pattern) {
  if (std::string problem = check_metric_identifier("metric name", m.name); !problem.empty()) return problem;
  if (std::string problem = check_metric_identifier("metric namespace", m.namespace_); !problem.empty())
    return problem;
  if (m.value.size() > 100) return "metric value is longer than 100 characters";
  if (is_reference(m.value)) {
    if (std::string problem = check_reference("metric value", m.value, pattern); !problem.empty())
      return problem;
  } else if (!parse_metric_literal(m.value)) {
    return "metric value must be a number or a reference ($.field, $name, $N): " + m.value;
  }
  if (m.dimensions.size() > 3) return "at most 3 dimensions";
  if (!m.dimensions.empty() && m.default_value)
    return "dimensions cannot be combined with a default value (CloudWatch rejects it)";
  for (const auto& [name, value] : m.dimensions) {
    if (name.empty() || name.size() > 255) return "dimension name must be 1 to 255 characters";
    if (!is_reference(value))
      return "dimension " + name + " must be a reference ($.field or $name): " + value;
    if (std::string problem = check_reference("dimension " + name, value, pattern); !problem.empty())
      return problem;
  }
  if (!m.unit.empty() && std::find(kUnits.begin(), kUnits.end(), m.unit) == kUnits.end())
    return "unknown unit " + m.unit + " (e.g. Count, Seconds, Bytes, None)";
  return {};
}

namespace {

// An event that is not a JSON object has no fields at all: every selector reaches nothing.
const JsonValue* event_field(const FieldValues& fields, SelectorId id) {
  return id < fields.size() ? fields.first(id) : nullptr;
}

// The text a dimension or value reference reached: a JSON string or number, or a space-delimited field.
std::optional<std::string_view> source_text(const ValueSource& source, const FieldValues& fields,
                                            const ExtractedFields& extracted) {
  if (source.kind == ValueSource::Kind::Extracted) return extracted.get(source.extracted);
  const JsonValue* value = event_field(fields, source.field);
  if (value == nullptr || value->kind == JsonKind::Null || value->kind == JsonKind::Array ||
      value->kind == JsonKind::Object)
    return std::nullopt;
  return value->text;
}

std::optional<double> sample_of(const ValueSource& source, const FieldValues& fields,
                                const ExtractedFields& extracted) {
  if (source.kind == ValueSource::Kind::Literal) return source.literal;
  if (source.kind == ValueSource::Kind::Field) {
    const JsonValue* value = event_field(fields, source.field);
    if (value == nullptr || (value->kind != JsonKind::Number && value->kind != JsonKind::String))
      return std::nullopt;
  }
  std::optional<std::string_view> text = source_text(source, fields, extracted);
  return text ? parse_metric_literal(*text) : std::nullopt;
}

}  // namespace

MetricEngine::MetricEngine(std::vector<MetricFilter> filters, RecordScope scope, std::int64_t period,
                           GroupBy group_by, bool event_ids)
    : filters_(std::move(filters)),
      group_by_(group_by),
      scope_(std::move(scope)),
      period_(period),
      event_time_(plan_.add(SelectorPath{SelectorStep{SelectorStep::Kind::Member, "eventTime", 0}})),
      account_(plan_.add(SelectorPath{SelectorStep{SelectorStep::Kind::Member, "recipientAccountId", 0}})),
      region_(plan_.add(SelectorPath{SelectorStep{SelectorStep::Kind::Member, "awsRegion", 0}})) {
  // Only --dedup-events reads eventID: every other scan keeps its field walk as it was.
  if (event_ids) event_id_ = plan_.add(SelectorPath{SelectorStep{SelectorStep::Kind::Member, "eventID", 0}});
  for (MetricFilter& filter : filters_) {
    if (std::string problem = validate_transformation(filter.metric, filter.pattern); !problem.empty())
      throw std::invalid_argument(filter.id + ": " + problem);
    filter.pattern.bind(plan_);
    CompiledFilter compiled;
    compiled.value = compile_source(filter.metric.value, plan_);
    for (const auto& [name, value] : filter.metric.dimensions) {
      compiled.dimensions.push_back(compile_source(value, plan_));
      compiled.dimension_names.push_back(name);
    }
    if (group_by_.account) compiled.dimension_names.push_back("recipientAccountId");
    if (group_by_.region) compiled.dimension_names.push_back("awsRegion");
    compiled_.push_back(std::move(compiled));
  }
}

std::optional<LiteralPrefilter> MetricEngine::literal_prefilter() const {
  if (scope_.start || scope_.end || !scope_.accounts.empty() || !scope_.regions.empty()) return std::nullopt;
  std::vector<std::vector<LiteralPrefilter::Clause>> rules;
  for (const MetricFilter& filter : filters_) {
    if (filter.metric.default_value) return std::nullopt;
    rules.push_back(filter.pattern.required_literals());
  }
  return LiteralPrefilter::build(rules);
}

void MetricEngine::evaluate(std::size_t filter, const EventView& event, ExtractedFields& extracted,
                            EventSample& out) const {
  const MetricFilter& f = filters_[filter];
  const CompiledFilter& compiled = compiled_[filter];
  out.matched = f.pattern.matches(event, &extracted);
  out.value.reset();
  out.dimensions.clear();
  static const FieldValues kNoFields;
  const FieldValues& fields = event.fields != nullptr ? *event.fields : kNoFields;
  if (out.matched) {
    // CloudWatch publishes nothing for an event whose value or dimension it cannot read.
    for (const ValueSource& dimension : compiled.dimensions) {
      std::optional<std::string_view> text = source_text(dimension, fields, extracted);
      if (!text) return;
      out.dimensions.emplace_back(*text);
    }
    out.value = sample_of(compiled.value, fields, extracted);
  } else {
    out.value = f.metric.default_value;
  }
  auto group_value = [&fields](SelectorId id) {
    const JsonValue* value = event_field(fields, id);
    return value != nullptr && value->kind == JsonKind::String ? std::string(value->text) : std::string();
  };
  if (group_by_.account) out.dimensions.push_back(group_value(account_));
  if (group_by_.region) out.dimensions.push_back(group_value(region_));
}

}  // namespace trailwatch
