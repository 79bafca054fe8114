// The parse tree of a JSON pattern, between the parser and the Program it is compiled into.
#pragma once

#include <cstdint>
#include <vector>

#include "pattern/program.hpp"
#include "trailwatch/fields.hpp"

namespace trailwatch::pattern_detail {

struct Expr {
  enum class Kind : std::uint8_t { Leaf, And, Or };
  Kind kind = Kind::Leaf;
  std::uint32_t leaf = 0;  // Leaf: index into ParsedPattern::conditions
  std::vector<Expr> children;
};

struct ParsedPattern {
  Expr root;
  std::vector<Condition> conditions;  // in the order they appear in the text; on_true/on_false not set yet
  std::vector<SelectorPath> paths;    // parallel to conditions
};

/// Folds literal alternatives into sets, numbers the conditions left to right and links them into a Program.
Program compile_program(ParsedPattern parsed);

}  // namespace trailwatch::pattern_detail
