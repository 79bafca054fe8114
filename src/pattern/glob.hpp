// The `*` wildcard of `=` and `!=` values (docs/filter-patterns.md §5.3): `*` matches any run of characters,
// every other character is literal, and the match covers the whole text. The value is split on `*` once, at
// parse time, so matching is a prefix compare, a suffix compare and an ordered search for the pieces in
// between.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trailwatch::pattern_detail {

// docs/filter-patterns.md A1: the 2018 documentation calls a `*` in the middle of a value literal; real
// AWS (2026) treats it as a wildcard. Build with TRAILWATCH_GLOB_MIDDLE_STAR_LITERAL to get the old
// behaviour back.
#ifdef TRAILWATCH_GLOB_MIDDLE_STAR_LITERAL
inline constexpr bool kMiddleStarIsWildcard = false;
#else
inline constexpr bool kMiddleStarIsWildcard = true;
#endif

class Glob {
 public:
  Glob() = default;
  /// `value` is the literal after unescaping; every `*` in it is a wildcard (only a leading or trailing one
  /// when !middle_star_is_wildcard).
  static Glob compile(std::string_view value, bool middle_star_is_wildcard = kMiddleStarIsWildcard);

  bool matches(std::string_view text) const noexcept;
  /// True when the value has no wildcard, so matching is plain equality.
  bool is_literal() const { return !has_star_; }
  /// The value itself, when is_literal().
  std::string_view literal() const { return chars_; }
  /// The longest run of characters between wildcards: text that every matching value contains.
  std::string_view longest_piece() const;

 private:
  bool matches_wildcard(std::string_view text) const noexcept;

  std::string chars_;  // the value without its wildcards: prefix, middle pieces, suffix
  std::uint32_t prefix_ = 0;
  std::uint32_t suffix_ = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> middle_;  // offset into chars_, length
  bool has_star_ = false;
};

// Equality of two byte ranges of length n. Values are short (event names, service hosts), where a libc memcmp
// call costs more than the comparison itself; whole-word loads keep it to a few instructions.
inline bool bytes_equal(const char* a, const char* b, std::size_t n) noexcept {
  auto load64 = [](const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  auto load32 = [](const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8)
      if (load64(a + i) != load64(b + i)) return false;
    return load64(a + n - 8) ==
           load64(b + n - 8);  // overlaps the previous word when n is not a multiple of 8
  }
  if (n >= 4) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

inline bool Glob::matches(std::string_view text) const noexcept {
  if (!has_star_) return text.size() == chars_.size() && bytes_equal(text.data(), chars_.data(), text.size());
  return matches_wildcard(text);
}

}  // namespace trailwatch::pattern_detail
