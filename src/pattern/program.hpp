// The compiled form of a JSON pattern: its conditions in the order they appear, each with the condition to go
// to next when it holds and when it does not. `A && (B || C)` becomes
//   0: A  true -> 1       false -> reject
//   1: B  true -> accept  false -> 2
//   2: C  true -> accept  false -> reject
// Jumps only go forward, so evaluation is a loop with short-circuiting and no recursion.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "pattern/glob.hpp"
#include "pattern/literal_set.hpp"
#include "pattern/regex.hpp"
#include "trailwatch/fields.hpp"

namespace trailwatch::pattern_detail {

enum class Test : std::uint8_t {
  GlobEqual,      // = a string literal: some value node's text matches the glob
  GlobNotEqual,   // != a string literal: some value node's text does not match
  OneOf,          // several `=` literals without wildcards, joined by || on one selector
  RegexEqual,     // = %regex%: the regex matches somewhere in some value node's text
  RegexNotEqual,  // != %regex%: some value node's text holds no match
  Numeric,        // any of the six operators with a number
  IsNull,
  IsTrue,
  IsFalse,
  NotExists,
};

enum class NumericOp : std::uint8_t { Equal, NotEqual, Less, Greater, LessEqual, GreaterEqual };

struct Condition {
  SelectorId id = 0;  // set by Program::bind
  Test test = Test::NotExists;
  NumericOp op = NumericOp::Equal;
  std::uint32_t on_true = 0;
  std::uint32_t on_false = 0;
  double number = 0;
  Glob glob;
  LiteralSet literals;                 // OneOf
  std::shared_ptr<const Regex> regex;  // RegexEqual, RegexNotEqual
};

struct Program {
  static constexpr std::uint32_t kAccept = UINT32_MAX;
  static constexpr std::uint32_t kReject = UINT32_MAX - 1;

  std::vector<Condition> conditions;
  std::vector<SelectorPath> paths;  // parallel to conditions
  std::uint32_t entry = kAccept;    // an empty program matches everything
  bool bound = false;

  void bind(FieldPlan& plan);
  bool matches(const FieldValues& fields) const noexcept;
  /// Evaluates every condition against the same `values`, ignoring selectors: a space-delimited slot, whose
  /// conditions all name the slot's field.
  bool matches_values(std::span<const JsonValue> values) const noexcept;
};

}  // namespace trailwatch::pattern_detail
