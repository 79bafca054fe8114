#include <utility>

#include "pattern/expr.hpp"

namespace trailwatch::pattern_detail {

namespace {

bool is_literal_equality(const Condition& c) {
  return c.test == Test::GlobEqual && c.glob.is_literal();
}

// Under one ||, `$.x = A`, `$.x = B`, ... become one OneOf condition. The alternatives need not be adjacent:
// evaluation has no side effects, so the order of || operands does not matter.
void fold_literal_alternatives(Expr& e, ParsedPattern& p) {
  for (Expr& child : e.children) fold_literal_alternatives(child, p);
  if (e.kind != Expr::Kind::Or) return;

  std::vector<Expr> kept;
  for (Expr& child : e.children) {
    if (child.kind == Expr::Kind::Leaf && is_literal_equality(p.conditions[child.leaf])) {
      Condition& cond = p.conditions[child.leaf];
      Condition* target = nullptr;
      for (const Expr& k : kept) {
        if (k.kind != Expr::Kind::Leaf || p.paths[k.leaf] != p.paths[child.leaf]) continue;
        Condition& candidate = p.conditions[k.leaf];
        if (candidate.test == Test::OneOf || is_literal_equality(candidate)) {
          target = &candidate;
          break;
        }
      }
      if (target != nullptr) {
        if (target->test != Test::OneOf) {
          target->test = Test::OneOf;
          target->literals.add(target->glob.literal());
        }
        target->literals.add(cond.glob.literal());
        continue;
      }
    }
    kept.push_back(std::move(child));
  }
  for (Expr& k : kept)
    if (k.kind == Expr::Kind::Leaf && p.conditions[k.leaf].test == Test::OneOf)
      p.conditions[k.leaf].literals.finish();
  if (kept.size() == 1) {
    Expr only = std::move(kept.front());
    e = std::move(only);
  } else {
    e.children = std::move(kept);
  }
}

// Renumbers the surviving leaves left to right, so that every jump of the linked program goes forward.
void renumber(Expr& e, ParsedPattern& p, Program& program) {
  if (e.kind != Expr::Kind::Leaf) {
    for (Expr& child : e.children) renumber(child, p, program);
    return;
  }
  const auto index = static_cast<std::uint32_t>(program.conditions.size());
  program.conditions.push_back(std::move(p.conditions[e.leaf]));
  program.paths.push_back(std::move(p.paths[e.leaf]));
  e.leaf = index;
}

std::uint32_t first_leaf(const Expr& e) {
  return e.kind == Expr::Kind::Leaf ? e.leaf : first_leaf(e.children[0]);
}

void link(const Expr& e, std::uint32_t on_true, std::uint32_t on_false, Program& program) {
  if (e.kind == Expr::Kind::Leaf) {
    program.conditions[e.leaf].on_true = on_true;
    program.conditions[e.leaf].on_false = on_false;
    return;
  }
  const std::size_t n = e.children.size();
  for (std::size_t i = 0; i < n; ++i) {
    const bool last = i + 1 == n;
    const std::uint32_t next = last ? 0 : first_leaf(e.children[i + 1]);
    if (e.kind == Expr::Kind::And)
      link(e.children[i], last ? on_true : next, on_false, program);
    else
      link(e.children[i], on_true, last ? on_false : next, program);
  }
}

}  // namespace

Program compile_program(ParsedPattern parsed) {
  Program program;
  fold_literal_alternatives(parsed.root, parsed);
  renumber(parsed.root, parsed, program);
  link(parsed.root, Program::kAccept, Program::kReject, program);
  program.entry = 0;
  return program;
}

}  // namespace trailwatch::pattern_detail
