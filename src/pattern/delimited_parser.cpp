#include <string>
#include <utility>

#include "pattern/comparison_parser.hpp"
#include "pattern/cursor.hpp"
#include "pattern/delimited_pattern.hpp"
#include "pattern/expr.hpp"

namespace trailwatch::pattern_detail {

namespace {

// Field names: A-Z a-z 0-9 _ - (the AWS CDK validates ^[a-zA-Z0-9_-]+$).
constexpr bool is_name_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '_' || c == '-';
}

class DelimitedParser {
 public:
  DelimitedParser(std::string_view text, std::size_t open, std::size_t close)
      : c_(text, open), close_(close) {}

  DelimitedProgram parse() {
    c_.advance();  // '['
    while (true) {
      c_.skip_space();
      // A trailing empty slot, as in the 2018 doc's `[..., status_code=4*,]`, is ignored
      // (docs/filter-patterns.md §6.2).
      if (c_.pos() == close_ && after_comma_) break;
      if (c_.at("...")) {
        if (program_.ellipsis) c_.problem("a space-delimited pattern may contain only one '...'", c_.pos());
        program_.ellipsis = true;
        program_.prefix = program_.slots.size();
        c_.advance(3);
      } else if (!c_.at_end() && is_name_char(c_.peek())) {
        program_.slots.push_back(parse_slot());
      } else {
        c_.expected("a field name or '...'");
      }
      c_.skip_space();
      if (c_.pos() == close_) break;
      if (!c_.at(',')) c_.expected("',' or ']' after the field");
      c_.advance();
      after_comma_ = true;
    }
    if (!program_.ellipsis) program_.prefix = program_.slots.size();
    return std::move(program_);
  }

 private:
  std::string_view read_name() {
    const std::size_t start = c_.pos();
    while (!c_.at_end() && is_name_char(c_.peek())) c_.advance();
    return c_.text().substr(start, c_.pos() - start);
  }

  // name, or name op value { (&& | ||) name op value }; `&&` binds tighter than `||`, as in JSON patterns.
  DelimitedSlot parse_slot() {
    DelimitedSlot slot;
    slot.name = std::string(read_name());
    c_.skip_space();
    if (!at_comparison(c_)) {
      if (!c_.at_end() && c_.pos() != close_ && !c_.at(','))
        c_.expected("',', ']' or a comparison operator after the field name");
      return slot;
    }
    ParsedPattern parsed;
    Expr any{Expr::Kind::Or, 0, {}};
    Expr all{Expr::Kind::And, 0, {}};
    while (true) {
      Condition cond;
      parse_comparison(c_, cond, regexes_);
      all.children.push_back(
          Expr{Expr::Kind::Leaf, static_cast<std::uint32_t>(parsed.conditions.size()), {}});
      parsed.conditions.push_back(std::move(cond));
      parsed.paths.emplace_back();  // every condition reads the slot's field
      c_.skip_space();
      const bool conjunction = c_.at("&&");
      if (!conjunction && !c_.at("||")) break;
      c_.advance(2);
      if (!conjunction) {
        any.children.push_back(collapse(std::move(all)));
        all = Expr{Expr::Kind::And, 0, {}};
      }
      c_.skip_space();
      const std::size_t name_at = c_.pos();
      const std::string_view name = read_name();
      if (name.empty()) c_.expected("the field name '" + slot.name + "' and a condition", name_at);
      // AWS rejects the 2018 doc's `status_code = 4* && bytes > 1000` (awsdocs issue #21).
      if (name != slot.name)
        c_.problem("every condition in a slot must name that slot's field '" + slot.name + "'", name_at);
      c_.skip_space();
      if (!at_comparison(c_)) c_.expected("a comparison operator after '" + slot.name + "'");
    }
    any.children.push_back(collapse(std::move(all)));
    parsed.root = collapse(std::move(any));
    slot.condition = compile_program(std::move(parsed));
    return slot;
  }

  static Expr collapse(Expr e) {
    if (e.children.size() != 1) return e;
    Expr only = std::move(e.children.front());
    return only;
  }

  Cursor c_;
  std::size_t close_;
  DelimitedProgram program_;
  bool after_comma_ = false;
  int regexes_ = 0;
};

}  // namespace

DelimitedProgram parse_delimited_pattern(std::string_view text, std::size_t open, std::size_t close) {
  return DelimitedParser(text, open, close).parse();
}

}  // namespace trailwatch::pattern_detail
