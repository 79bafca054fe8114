// Pattern layer: CloudWatch Logs filter patterns, parsed once into an AST and evaluated against the fields the
// records layer extracted. See ../shared/research/filter-pattern-spec.md for the language.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "trailwatch/records.hpp"

namespace trailwatch {

/// A malformed pattern. what() is one line; caret_message() shows the pattern with a caret under the offending
/// character and says what was expected, e.g.
///   invalid filter pattern: expected ')' at column 31
///     { ($.eventSource = kms.amazonaws.com }
///                                          ^
class PatternError : public std::runtime_error {
 public:
  PatternError(std::string pattern, std::size_t column, const std::string& expected);
  /// 0-based offset into the pattern text of the offending character.
  std::size_t column() const { return column_; }
  const std::string& pattern() const { return pattern_; }
  std::string caret_message() const;

 private:
  std::string pattern_;
  std::size_t column_;
};

/// Parses a selector such as "$.a.b[0]" or "$.['k.with.dots']". Throws PatternError.
SelectorPath parse_selector(std::string_view text);

/// A compiled filter pattern.
class Pattern {
 public:
  /// Parses `text`. Throws PatternError when it is malformed.
  static Pattern parse(std::string_view text);

  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;
  ~Pattern();

  /// Registers every selector the pattern reads in `plan`. Call once, before matches().
  void bind(FieldPlan& plan);

  /// True when the record whose extracted fields are `fields` matches. Never throws, never allocates.
  bool matches(const FieldValues& fields) const;

  /// The pattern text as given.
  const std::string& text() const;

  struct Impl;

 private:
  explicit Pattern(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace trailwatch
