#include <cassert>
#include <span>
#include <string_view>

#include "pattern/number.hpp"
#include "pattern/program.hpp"

namespace trailwatch::pattern_detail {

namespace {

// The text that `=`/`!=` compare. Only strings and numbers are value nodes; booleans join them as
// "true"/"false" (docs/filter-patterns.md A21). Null, arrays and objects fail every comparison, `!=`
// included (A2).
inline bool comparable_text(const JsonValue& v, std::string_view& text) {
  switch (v.kind) {
    case JsonKind::String:
    case JsonKind::Number:
      text = v.text;
      return true;
    case JsonKind::True:
      text = "true";
      return true;
    case JsonKind::False:
      text = "false";
      return true;
    default:
      return false;
  }
}

// A JSON number, or a string that holds a plain decimal (no exponent: docs/filter-patterns.md A4, A11).
inline bool numeric_value(const JsonValue& v, double& out) {
  if (v.kind == JsonKind::Number) {
    if (!is_decimal(v.text, true)) return false;
  } else if (v.kind != JsonKind::String || !is_decimal(v.text, false)) {
    return false;
  }
  out = decimal_value(v.text);
  return true;
}

inline bool compare(NumericOp op, double a, double b) {
  switch (op) {
    case NumericOp::Equal:
      return a == b;
    case NumericOp::NotEqual:
      return a != b;
    case NumericOp::Less:
      return a < b;
    case NumericOp::Greater:
      return a > b;
    case NumericOp::LessEqual:
      return a <= b;
    case NumericOp::GreaterEqual:
      return a >= b;
  }
  return false;
}

bool kind_present(std::span<const JsonValue> values, JsonKind kind) {
  for (const JsonValue& v : values)
    if (v.kind == kind) return true;
  return false;
}

// A selector with a wildcard reaches several values; every test is existential over them
// (docs/filter-patterns.md A12). Forced inline: with two callers GCC would call it, and the call costs the
// CMK pattern ~15% per record.
[[gnu::always_inline]] inline bool holds(const Condition& c, std::span<const JsonValue> values) noexcept {
  switch (c.test) {
    case Test::GlobEqual:
      for (const JsonValue& v : values) {
        std::string_view text;
        if (comparable_text(v, text) && c.glob.matches(text)) return true;
      }
      return false;
    case Test::GlobNotEqual:
      for (const JsonValue& v : values) {
        std::string_view text;
        if (comparable_text(v, text) && !c.glob.matches(text)) return true;
      }
      return false;
    case Test::OneOf:
      for (const JsonValue& v : values) {
        std::string_view text;
        if (comparable_text(v, text) && c.literals.contains(text)) return true;
      }
      return false;
    case Test::RegexEqual:
      for (const JsonValue& v : values) {
        std::string_view text;
        if (comparable_text(v, text) && c.regex->search(text)) return true;
      }
      return false;
    case Test::RegexNotEqual:
      for (const JsonValue& v : values) {
        std::string_view text;
        if (comparable_text(v, text) && !c.regex->search(text)) return true;
      }
      return false;
    case Test::Numeric:
      for (const JsonValue& v : values) {
        double x;
        if (numeric_value(v, x) && compare(c.op, x, c.number)) return true;
      }
      return false;
    case Test::IsNull:
      return kind_present(values, JsonKind::Null);
    case Test::IsTrue:
      return kind_present(values, JsonKind::True);
    case Test::IsFalse:
      return kind_present(values, JsonKind::False);
    case Test::NotExists:
      return values.empty();
  }
  return false;
}

}  // namespace

void Program::bind(FieldPlan& plan) {
  for (std::size_t i = 0; i < conditions.size(); ++i) conditions[i].id = plan.add(paths[i]);
  bound = true;
}

bool Program::matches(const FieldValues& fields) const noexcept {
  assert(bound || conditions.empty());
  const Condition* const conds = conditions.data();
  const std::size_t n = conditions.size();
  std::uint32_t i = entry;
  while (i < n) {
    const Condition& c = conds[i];
    assert(c.id < fields.size());
    i = holds(c, fields.get(c.id)) ? c.on_true : c.on_false;
  }
  return i == kAccept;
}

bool Program::matches_values(std::span<const JsonValue> values) const noexcept {
  const Condition* const conds = conditions.data();
  const std::size_t n = conditions.size();
  std::uint32_t i = entry;
  while (i < n) i = holds(conds[i], values) ? conds[i].on_true : conds[i].on_false;
  return i == kAccept;
}

}  // namespace trailwatch::pattern_detail
