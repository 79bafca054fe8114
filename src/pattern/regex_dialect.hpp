// The `%...%` regular-expression dialect of filter patterns (docs/filter-patterns.md §3.4), checked and
// rewritten into RE2 syntax. The dialect is a subset of RE2's with three differences the translation removes:
// `\s` means tab, space and newline only (RE2 adds \r and \f, and \v in classes), `{,n}` means {0,n} (RE2
// 2022-06 reads it as literal text), and an escape may only be one the dialect documents. `.` matching a
// newline is an RE2 option, not a rewrite (see regex.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace trailwatch::pattern_detail {

/// Checks the regex whose opening '%' is at offset `open` and closing '%' at `close` of `pattern`, and
/// returns it in RE2 syntax. Throws PatternError pointing at the offending character: a character outside the
/// dialect (groups, '!', multi-byte characters, ...), an undocumented escape, or a trailing backslash.
std::string translate_regex(std::string_view pattern, std::size_t open, std::size_t close);

}  // namespace trailwatch::pattern_detail
