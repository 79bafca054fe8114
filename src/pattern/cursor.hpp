// A read position in a pattern. Offsets are always into the whole pattern text, so that errors point at the
// character the user wrote, whatever part of the pattern is being parsed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "trailwatch/pattern.hpp"

namespace trailwatch::pattern_detail {

// Patterns often come from YAML or JSON files, where a long pattern may be folded over several lines.
constexpr bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

class Cursor {
 public:
  explicit Cursor(std::string_view text, std::size_t pos = 0) : text_(text), pos_(pos) {}

  std::string_view text() const { return text_; }
  std::size_t pos() const { return pos_; }
  bool at_end() const { return pos_ >= text_.size(); }
  /// The current character; call only when !at_end().
  char peek() const { return text_[pos_]; }
  bool at(char c) const { return !at_end() && text_[pos_] == c; }
  bool at(std::string_view s) const { return text_.substr(pos_).starts_with(s); }
  void advance(std::size_t n = 1) { pos_ += n; }
  void skip_space() {
    while (!at_end() && is_space(text_[pos_])) ++pos_;
  }

  /// Throws PatternError("expected <what>") pointing at `column`.
  [[noreturn]] void expected(const std::string& what, std::size_t column) const {
    throw PatternError(std::string(text_), column, what);
  }
  [[noreturn]] void expected(const std::string& what) const { expected(what, pos_); }
  /// Throws a PatternError whose message is `what` as it stands.
  [[noreturn]] void problem(const std::string& what, std::size_t column) const {
    throw PatternError::problem(std::string(text_), column, what);
  }

 private:
  std::string_view text_;
  std::size_t pos_;
};

}  // namespace trailwatch::pattern_detail
