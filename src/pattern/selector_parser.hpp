// Selectors: $.a.b, $.a[0], $.a[*], $.*, $.['k.with.dots'] (docs/filter-patterns.md §3, §5.2).
#pragma once

#include <cstddef>

#include "pattern/cursor.hpp"
#include "trailwatch/fields.hpp"

namespace trailwatch::pattern_detail {

/// Characters of an unquoted key (docs/filter-patterns.md §3, documented set). Other keys must be written
/// $.['key'].
constexpr bool is_key_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '_' || c == '-';
}

struct ParsedSelector {
  SelectorPath path;
  bool wildcard = false;
};

/// Parses the selector at the cursor, which must be at '$', and leaves the cursor just after it. Throws
/// PatternError for `$` without a step, an empty key, a bad index, or more than one wildcard.
ParsedSelector parse_selector_at(Cursor& cursor);

}  // namespace trailwatch::pattern_detail
