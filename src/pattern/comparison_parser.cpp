#include "pattern/comparison_parser.hpp"

#include <string>

#include "pattern/number.hpp"
#include "pattern/regex.hpp"

namespace trailwatch::pattern_detail {

namespace {

const char* op_text(NumericOp op) {
  switch (op) {
    case NumericOp::Equal:
      return "=";
    case NumericOp::NotEqual:
      return "!=";
    case NumericOp::Less:
      return "<";
    case NumericOp::Greater:
      return ">";
    case NumericOp::LessEqual:
      return "<=";
    case NumericOp::GreaterEqual:
      return ">=";
  }
  return "?";
}

NumericOp parse_operator(Cursor& c) {
  const char first = c.peek();
  c.advance();
  const bool equals_follows = c.at('=');
  NumericOp op = NumericOp::Equal;
  switch (first) {
    case '=':
      op = NumericOp::Equal;
      break;
    case '!':
      if (!equals_follows) c.expected("'=' after '!'");
      op = NumericOp::NotEqual;
      break;
    case '<':
      op = equals_follows ? NumericOp::LessEqual : NumericOp::Less;
      break;
    default:
      op = equals_follows ? NumericOp::GreaterEqual : NumericOp::Greater;
      break;
  }
  if (first != '=' && equals_follows) c.advance();
  return op;
}

}  // namespace

std::size_t parse_comparison(Cursor& c, Condition& cond, int& regexes) {
  const NumericOp op = parse_operator(c);
  const std::string op_name = op_text(op);
  const bool relational = op != NumericOp::Equal && op != NumericOp::NotEqual;
  c.skip_space();
  const std::size_t start = c.pos();
  if (c.at_end() || c.at('}') || c.at(')') || c.at(']') || c.at(',') || c.at("&&") || c.at("||"))
    c.expected("a value after '" + op_name + "'");
  const std::string number_needed =
      "a number after '" + op_name + "' (it compares numbers only; use = or != for text)";

  if (c.at('%')) {
    if (relational) c.expected(number_needed, start);
    cond.test = op == NumericOp::Equal ? Test::RegexEqual : Test::RegexNotEqual;
    cond.regex = read_regex(c, regexes);
    return std::string_view::npos;
  }

  std::string text;
  bool quoted = false;
  std::size_t bare_end = std::string_view::npos;
  if (c.at('"')) {
    quoted = true;
    text = read_quoted(c);
  } else {
    while (!c.at_end() && !ends_bare(c.peek()) && !c.at("&&") && !c.at("||")) c.advance();
    if (c.pos() == start) c.expected("a value after '" + op_name + "'");
    text = std::string(c.text().substr(start, c.pos() - start));
    bare_end = c.pos();
  }

  if (!quoted && is_decimal(text, true)) {
    cond.test = Test::Numeric;
    cond.op = op;
    cond.number = decimal_value(text);
    return bare_end;
  }
  if (relational) c.expected(number_needed, start);
  cond.test = op == NumericOp::Equal ? Test::GlobEqual : Test::GlobNotEqual;
  cond.glob = Glob::compile(text);
  return bare_end;
}

std::string read_quoted(Cursor& c) {
  const std::size_t quote = c.pos();
  c.advance();
  std::string text;
  while (true) {
    if (c.at_end()) c.problem("unterminated quoted string: expected a closing '\"'", quote);
    const char ch = c.peek();
    c.advance();
    if (ch == '"') return text;
    if (ch == '\\') {
      if (c.at_end()) c.problem("unterminated quoted string: expected a closing '\"'", quote);
      text += c.peek();
      c.advance();
    } else {
      text += ch;
    }
  }
}

}  // namespace trailwatch::pattern_detail
