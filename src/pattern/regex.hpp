// A compiled `%...%` regular expression: an unanchored search, case-sensitive, over bytes
// (docs/filter-patterns.md §3.4).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "pattern/cursor.hpp"

namespace re2 {
class RE2;
}

namespace trailwatch::pattern_detail {

/// At most this many regexes in one JSON or space-delimited pattern (docs/filter-patterns.md §1).
inline constexpr int kMaxRegexesPerPattern = 2;

class Regex {
 public:
  /// Compiles the regex between the '%' at `open` and the '%' at `close` of `pattern`. Throws PatternError:
  /// at the offending character when the text leaves the dialect, at the opening '%' when RE2 rejects it.
  static std::shared_ptr<const Regex> compile(std::string_view pattern, std::size_t open, std::size_t close);

  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  /// True when the regex matches somewhere in `subject`. Thread-safe; never throws.
  bool search(std::string_view subject) const noexcept;
  /// The RE2 syntax it was compiled from.
  const std::string& translated() const { return translated_; }

 private:
  Regex() = default;
  std::unique_ptr<re2::RE2> re_;
  std::string translated_;
};

/// Reads the `%...%` at the cursor and leaves the cursor after the closing '%'. `regexes` counts the regexes
/// of the pattern so far; a third one is an error. Throws PatternError.
std::shared_ptr<const Regex> read_regex(Cursor& cursor, int& regexes);

}  // namespace trailwatch::pattern_detail
