// JSON patterns: `{ condition && (condition || condition) }` (docs/filter-patterns.md §3, §5).
#pragma once

#include <cstddef>
#include <string_view>

#include "pattern/program.hpp"

namespace trailwatch::pattern_detail {

/// Limits of docs/filter-patterns.md §1 that the JSON grammar checks.
inline constexpr int kMaxWildcardSelectors = 3;

/// Compiles the JSON pattern whose '{' is at offset `open` of `text`. Throws PatternError.
Program parse_json_pattern(std::string_view text, std::size_t open);

}  // namespace trailwatch::pattern_detail
