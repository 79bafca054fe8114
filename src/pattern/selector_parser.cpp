#include "pattern/selector_parser.hpp"

#include <cstdint>
#include <string>

namespace trailwatch::pattern_detail {

namespace {

// Past this, an index cannot be a real array position and the arithmetic below would overflow.
constexpr std::size_t kMaxIndex = UINT32_MAX;

void note_wildcard(const Cursor& c, ParsedSelector& selector, std::size_t column) {
  if (selector.wildcard) c.problem("a selector may contain only one wildcard ('.*' or '[*]')", column);
  selector.wildcard = true;
}

// After ".[": a quoted key, which may hold any character but "'".
void parse_quoted_key(Cursor& c, ParsedSelector& selector) {
  if (!c.at('\'')) c.expected("\"'\" after \".[\"");
  const std::size_t quote = c.pos();
  c.advance();
  const std::size_t start = c.pos();
  while (!c.at_end() && c.peek() != '\'') c.advance();
  if (c.at_end()) c.problem("unterminated quoted key: expected \"'\"", quote);
  SelectorStep step;
  step.kind = SelectorStep::Kind::Member;
  step.key = std::string(c.text().substr(start, c.pos() - start));
  c.advance();
  if (!c.at(']')) c.expected("']' after the quoted key");
  c.advance();
  selector.path.push_back(std::move(step));
}

void parse_member(Cursor& c, ParsedSelector& selector) {
  c.advance();
  if (c.at('*')) {
    note_wildcard(c, selector, c.pos());
    c.advance();
    selector.path.push_back(SelectorStep{SelectorStep::Kind::AnyMember, {}, 0});
  } else if (c.at('[')) {
    c.advance();
    parse_quoted_key(c, selector);
  } else if (!c.at_end() && is_key_char(c.peek())) {
    const std::size_t start = c.pos();
    while (!c.at_end() && is_key_char(c.peek())) c.advance();
    selector.path.push_back(
        SelectorStep{SelectorStep::Kind::Member, std::string(c.text().substr(start, c.pos() - start)), 0});
  } else {
    c.expected("a key, '*' or \"['\" after '.'");
  }
}

void parse_element(Cursor& c, ParsedSelector& selector) {
  c.advance();
  if (c.at('*')) {
    note_wildcard(c, selector, c.pos());
    c.advance();
    selector.path.push_back(SelectorStep{SelectorStep::Kind::AnyElement, {}, 0});
  } else if (!c.at_end() && is_digit(c.peek())) {
    const std::size_t start = c.pos();
    std::size_t index = 0;
    while (!c.at_end() && is_digit(c.peek())) {
      index = index * 10 + static_cast<std::size_t>(c.peek() - '0');
      if (index > kMaxIndex) c.problem("array index too large", start);
      c.advance();
    }
    selector.path.push_back(SelectorStep{SelectorStep::Kind::Index, {}, index});
  } else {
    c.expected("an array index or '*' after '['");
  }
  if (!c.at(']')) c.expected("']'");
  c.advance();
}

}  // namespace

ParsedSelector parse_selector_at(Cursor& c) {
  ParsedSelector selector;
  if (!c.at('$')) c.expected("a selector starting with '$'");
  c.advance();
  // The record itself is not a value node, so a bare `$` could never match: AWS requires a step too.
  if (!c.at('.') && !c.at('[')) c.expected("'.' or '[' after '$'");
  while (true) {
    if (c.at('.'))
      parse_member(c, selector);
    else if (c.at('['))
      parse_element(c, selector);
    else
      break;
  }
  return selector;
}

}  // namespace trailwatch::pattern_detail

namespace trailwatch {

SelectorPath parse_selector(std::string_view text) {
  pattern_detail::Cursor c(text);
  c.skip_space();
  pattern_detail::ParsedSelector selector = pattern_detail::parse_selector_at(c);
  c.skip_space();
  if (!c.at_end()) c.expected("'.', '[' or the end of the selector");
  return std::move(selector.path);
}

}  // namespace trailwatch
