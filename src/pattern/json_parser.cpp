#include "pattern/json_parser.hpp"

#include <string>
#include <utility>
#include <vector>

#include "pattern/comparison_parser.hpp"
#include "pattern/cursor.hpp"
#include "pattern/expr.hpp"
#include "pattern/selector_parser.hpp"

namespace trailwatch::pattern_detail {

namespace {

bool iequals(std::string_view a, std::string_view upper) {
  if (a.size() != upper.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char c = (a[i] >= 'a' && a[i] <= 'z') ? static_cast<char>(a[i] - 'a' + 'A') : a[i];
    if (c != upper[i]) return false;
  }
  return true;
}

class JsonParser {
 public:
  JsonParser(std::string_view text, std::size_t open) : c_(text, open) {}

  Program parse() {
    c_.advance();  // '{'
    parsed_.root = parse_or();
    c_.skip_space();
    if (c_.at(')')) c_.problem("unmatched ')'", c_.pos());
    if (!c_.at('}')) expected_after_condition("'}'");
    c_.advance();
    c_.skip_space();
    if (!c_.at_end()) c_.expected("the end of the pattern after its closing '}'");
    return compile_program(std::move(parsed_));
  }

 private:
  Expr parse_or() {
    Expr first = parse_and();
    c_.skip_space();
    if (!c_.at("||")) return first;
    Expr e{Expr::Kind::Or, 0, {}};
    e.children.push_back(std::move(first));
    while (c_.at("||")) {
      c_.advance(2);
      e.children.push_back(parse_and());
      c_.skip_space();
    }
    return e;
  }

  Expr parse_and() {
    Expr first = parse_primary();
    c_.skip_space();
    if (!c_.at("&&")) return first;
    Expr e{Expr::Kind::And, 0, {}};
    e.children.push_back(std::move(first));
    while (c_.at("&&")) {
      c_.advance(2);
      e.children.push_back(parse_primary());
      c_.skip_space();
    }
    return e;
  }

  Expr parse_primary() {
    c_.skip_space();
    if (c_.at('(')) {
      c_.advance();
      Expr inner = parse_or();
      c_.skip_space();
      if (!c_.at(')')) expected_after_condition("')'");
      c_.advance();
      return inner;
    }
    if (!c_.at('$')) c_.expected("a condition such as '$.eventName = value', or '('");
    return parse_condition();
  }

  // Something other than && or || follows a condition where `closer` could close it.
  [[noreturn]] void expected_after_condition(const std::string& closer) {
    if (c_.at_end() || c_.at('}') || c_.at(')')) c_.expected(closer);
    // The CIS v6.0 5.15 text has `= AcceptHandshake")`: say why the quote is wrong, not only what was
    // expected.
    if (c_.at('"') && c_.pos() == bare_value_end_)
      c_.expected("'&&', '||' or " + closer + " after the value (a quoted value needs '\"' at both ends)");
    c_.expected("'&&', '||' or " + closer);
  }

  Expr parse_condition() {
    const std::size_t start = c_.pos();
    ParsedSelector selector = parse_selector_at(c_);
    if (selector.wildcard && ++wildcard_selectors_ > kMaxWildcardSelectors)
      c_.problem(std::string("a pattern may contain at most ").append(std::to_string(kMaxWildcardSelectors)) +
                     " selectors with a wildcard",
                 start);
    const std::size_t selector_end = c_.pos();
    Condition cond;
    c_.skip_space();
    if (at_comparison(c_)) {
      bare_value_end_ = parse_comparison(c_, cond, regexes_);
    } else if (!c_.at_end() && is_alpha(c_.peek())) {
      parse_keywords(cond);
    } else if (!c_.at_end() && c_.pos() == selector_end && !c_.at(')') && !c_.at('}') && !c_.at('&') &&
               !c_.at('|')) {
      c_.problem(
          "invalid character in a selector (unquoted keys may hold only A-Z a-z 0-9 - _; write other keys "
          "as $.['key'])",
          c_.pos());
    } else {
      c_.expected("a comparison operator, IS or NOT EXISTS");
    }
    const auto index = static_cast<std::uint32_t>(parsed_.conditions.size());
    parsed_.conditions.push_back(std::move(cond));
    parsed_.paths.push_back(std::move(selector.path));
    return Expr{Expr::Kind::Leaf, index, {}};
  }

  std::string_view read_word() {
    const std::size_t start = c_.pos();
    while (!c_.at_end() && is_alpha(c_.peek())) c_.advance();
    return c_.text().substr(start, c_.pos() - start);
  }

  // IS NULL, IS TRUE, IS FALSE, NOT EXISTS: any case, any whitespace between the words
  // (docs/filter-patterns.md A7).
  void parse_keywords(Condition& cond) {
    const std::size_t word_at = c_.pos();
    const std::string_view word = read_word();
    if (iequals(word, "IS")) {
      c_.skip_space();
      const std::size_t second_at = c_.pos();
      const std::string_view second = read_word();
      if (iequals(second, "NULL"))
        cond.test = Test::IsNull;
      else if (iequals(second, "TRUE"))
        cond.test = Test::IsTrue;
      else if (iequals(second, "FALSE"))
        cond.test = Test::IsFalse;
      else if (iequals(second, "NOT"))
        c_.problem("IS NOT is not supported; expected NULL, TRUE or FALSE after IS", second_at);
      else
        c_.expected("NULL, TRUE or FALSE after IS", second_at);
    } else if (iequals(word, "NOT")) {
      c_.skip_space();
      const std::size_t second_at = c_.pos();
      if (!iequals(read_word(), "EXISTS")) c_.expected("EXISTS after NOT", second_at);
      cond.test = Test::NotExists;
    } else if (iequals(word, "EXISTS")) {
      c_.problem("EXISTS alone is not supported; expected a comparison operator, IS or NOT EXISTS", word_at);
    } else {
      c_.expected("a comparison operator, IS or NOT EXISTS", word_at);
    }
  }

  Cursor c_;
  ParsedPattern parsed_;
  int wildcard_selectors_ = 0;
  int regexes_ = 0;
  std::size_t bare_value_end_ = std::string_view::npos;
};

}  // namespace

Program parse_json_pattern(std::string_view text, std::size_t open) {
  return JsonParser(text, open).parse();
}

}  // namespace trailwatch::pattern_detail
