// Term patterns (docs/filter-patterns.md §4): words and quoted phrases that must occur in the message
// (`ERROR`), must not (`-ERROR`), or of which one must (`?ERROR ?WARN`). Each is a case-sensitive substring
// search over the message bytes; word boundaries play no part.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace trailwatch::pattern_detail {

struct TermProgram {
  std::vector<std::string> required;
  std::vector<std::string> excluded;
  // Empty unless the pattern has only `?` terms (docs/filter-patterns.md §4 mixing rule, A3).
  std::vector<std::string> optional;
  bool any_optional = false;  // the pattern has only `?` terms: at least one must occur
  bool never = false;         // an excluded term occurs in every message (`-" "`)

  bool matches(std::string_view message) const noexcept;
};

/// Compiles the term pattern that starts at offset `begin` and ends before `end` of `text` (already trimmed).
/// Throws PatternError.
TermProgram parse_term_pattern(std::string_view text, std::size_t begin, std::size_t end);

}  // namespace trailwatch::pattern_detail
