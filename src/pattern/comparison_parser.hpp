// `op value` after a JSON selector or a space-delimited field name (docs/filter-patterns.md §3, §5.3, §6.3):
// the operator, then a number, a quoted string, a %regex% or a bare word.
#pragma once

#include <cstddef>
#include <string>

#include "pattern/cursor.hpp"
#include "pattern/program.hpp"

namespace trailwatch::pattern_detail {

/// Characters that end an unquoted value (docs/filter-patterns.md §3 bare_char); "&&" and "||" end it too.
constexpr bool ends_bare(char c) {
  return is_space(c) || c == '"' || c == '(' || c == ')' || c == ',' || c == ']' || c == '}' || c == '=' ||
         c == '!' || c == '<' || c == '>';
}

/// True when the cursor is at one of the characters that start a comparison operator.
inline bool at_comparison(const Cursor& c) {
  return !c.at_end() && (c.peek() == '=' || c.peek() == '!' || c.peek() == '<' || c.peek() == '>');
}

/// Parses the operator at the cursor and its value into `cond`. `regexes` counts the pattern's regexes
/// (docs/filter-patterns.md §1 allows two). Returns the offset just past the value when it was a bare word,
/// npos otherwise, so that the caller can explain a stray quote after it. Throws PatternError.
std::size_t parse_comparison(Cursor& c, Condition& cond, int& regexes);

/// Reads the quoted string at the cursor (which must be at '"') and leaves the cursor after its closing
/// quote. `\x` stands for `x`, so `\"` and `\\` can be written (docs/filter-patterns.md A6). Throws
/// PatternError when unterminated.
std::string read_quoted(Cursor& c);

}  // namespace trailwatch::pattern_detail
