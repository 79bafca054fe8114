#include "pattern/required_literals.hpp"

#include <algorithm>
#include <optional>

namespace trailwatch::pattern_detail {

namespace {

using Clause = std::vector<std::string>;
// nullopt: no path from this node reaches kAccept, so it requires nothing of the paths that do.
using Requirement = std::optional<std::vector<Clause>>;

// Bounds on what the analysis keeps: the pairwise unions of a disjunction grow quickly. A clause may list as
// many names as a CIS rule does (18 for Organizations): the records unit searches for dozens of literals in
// one pass, at the cost of a few.
constexpr std::size_t kMaxClauses = 4;
constexpr std::size_t kMaxLiteralsPerClause = 32;
// Shorter literals are in nearly every record: requiring them would cost a search and skip nothing.
constexpr std::size_t kMinLiteralLength = 3;

std::optional<Clause> literals_of(const Condition& condition) {
  switch (condition.test) {
    case Test::GlobEqual: {
      std::string_view piece = condition.glob.longest_piece();
      if (piece.size() < kMinLiteralLength) return std::nullopt;
      return Clause{std::string(piece)};
    }
    case Test::OneOf: {
      Clause clause = condition.literals.literals();
      if (clause.size() > kMaxLiteralsPerClause) return std::nullopt;
      for (const std::string& literal : clause)
        if (literal.size() < kMinLiteralLength) return std::nullopt;
      return clause;
    }
    default:  // negations, numbers, regexes, null and existence tests name no text a match must hold
      return std::nullopt;
  }
}

Clause merged(const Clause& a, const Clause& b) {
  Clause out = a;
  out.insert(out.end(), b.begin(), b.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Either branch may be taken, so a clause holds after the node only if it follows from both: the union of a
// clause of each side does.
Requirement either(const Requirement& a, const Requirement& b) {
  if (!a) return b;
  if (!b) return a;
  std::vector<Clause> out;
  for (const Clause& x : *a)
    for (const Clause& y : *b) {
      Clause clause = merged(x, y);
      if (clause.size() <= kMaxLiteralsPerClause && out.size() < kMaxClauses)
        out.push_back(std::move(clause));
    }
  return out;
}

}  // namespace

std::vector<std::vector<std::string>> required_literals(const Program& program) {
  // Jumps only go forward, so each node's requirement follows from those after it: one backward pass.
  std::vector<Requirement> at(program.conditions.size());
  auto requirement = [&](std::uint32_t node) -> Requirement {
    if (node == Program::kAccept) return std::vector<Clause>{};
    if (node == Program::kReject) return std::nullopt;
    return at[node];
  };
  for (std::size_t n = program.conditions.size(); n-- > 0;) {
    const Condition& condition = program.conditions[n];
    Requirement when_true = requirement(condition.on_true);
    if (when_true) {
      if (std::optional<Clause> own = literals_of(condition)) {
        when_true->push_back(std::move(*own));
        if (when_true->size() > kMaxClauses) when_true->erase(when_true->begin());
      }
    }
    at[n] = either(when_true, requirement(condition.on_false));
  }
  Requirement root = requirement(program.entry);
  if (!root) return {Clause{}};  // accepts nothing
  return *root;
}

}  // namespace trailwatch::pattern_detail
