// Pattern layer: CloudWatch Logs filter patterns, parsed once into an AST and evaluated against the fields
// the records layer extracted. See docs/filter-patterns.md for the language.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/fields.hpp"

namespace trailwatch {

/// A malformed pattern. what() is one line; caret_message() shows the pattern with a caret under the
/// offending character and says what was expected, e.g.
///   invalid filter pattern: expected ')' at column 38
///     { ($.eventSource = kms.amazonaws.com }
///                                          ^
/// The column in these messages is 1-based and counts characters (UTF-8 code points) from the start of the
/// pattern, even when the pattern spans several lines (the caret message then shows only the offending line);
/// column() is the 0-based byte offset. When something is missing at the end, column() is the pattern's
/// length.
class PatternError : public std::runtime_error {
 public:
  /// what() reads "invalid filter pattern: expected <expected> at column <n>".
  PatternError(std::string pattern, std::size_t column, const std::string& expected);
  /// For errors that are not a missing token (a limit, an unsupported feature): what() reads
  /// "invalid filter pattern: <problem> at column <n>".
  static PatternError problem(std::string pattern, std::size_t column, const std::string& problem);

  /// 0-based offset into the pattern text of the offending character.
  std::size_t column() const { return column_; }
  const std::string& pattern() const { return pattern_; }
  /// The message without the "invalid filter pattern: " prefix and the column, e.g. "expected ')'".
  const std::string& detail() const { return detail_; }
  /// what(), then the line of the pattern that holds the error, then a caret under the offending character.
  std::string caret_message() const;

 private:
  struct Problem {};
  PatternError(std::string pattern, std::size_t column, std::string detail, Problem);

  std::string pattern_;
  std::size_t column_;
  std::string detail_;
};

/// Parses a selector such as "$.a.b[0]" or "$.['k.with.dots']". Throws PatternError.
SelectorPath parse_selector(std::string_view text);

/// What a pattern sees of one log event.
struct EventView {
  /// The fields the records layer extracted; nullptr when the event is not a JSON object (then no JSON
  /// pattern matches it).
  const FieldValues* fields = nullptr;
  /// The event's text, which term, regex and space-delimited patterns search. For a CloudTrail record: its
  /// JSON with insignificant whitespace removed (what CloudWatch Logs receives from CloudTrail).
  std::string_view message;
};

/// The values a space-delimited pattern extracted from a matching event, by slot name ("status_code") or by
/// 1-based field position ("7"), for metric values ($name, $7) and dimensions. Reused across events.
class ExtractedFields {
 public:
  ExtractedFields();
  ~ExtractedFields();
  ExtractedFields(ExtractedFields&&) noexcept;
  ExtractedFields& operator=(ExtractedFields&&) noexcept;
  /// The text of field `name` (a slot name, or a 1-based position written in decimal), if the last match
  /// extracted it. Views point into the event's message.
  std::optional<std::string_view> get(std::string_view name) const;

  /// Opaque: the pattern layer's own (src/pattern/extracted_fields.hpp).
  struct Impl;

 private:
  friend class Pattern;  // fills it on a match
  std::unique_ptr<Impl> impl_;
};

/// A compiled filter pattern, any of the four kinds: JSON (`{ ... }`, evaluated on extracted fields), term
/// (`ERROR -DEBUG "quoted phrase"`), standalone regex (`%...%`) and space-delimited (`[ip, user, ...,
/// code=4*]`), the last three evaluated on the message; plus the empty pattern, which matches every event.
/// Semantics follow docs/filter-patterns.md and its §10 choices: a missing field, null, array or object fails
/// every comparison (`!=` too); wildcard selectors are existential; `*` in a value is a wildcard anywhere;
/// regexes run on RE2 (linear time).
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
  /// Only for patterns that do not need the message (needs_message() is false).
  bool matches(const FieldValues& fields) const;

  /// True when `event` matches. A space-delimited pattern fills `extracted` (when given) on a match.
  /// Never throws; allocates only while `extracted` grows to its largest size.
  bool matches(const EventView& event, ExtractedFields* extracted = nullptr) const;

  /// True for term, regex and space-delimited patterns, which search the event's message rather than fields.
  bool needs_message() const;

  /// The pattern text as given.
  const std::string& text() const;

  /// Literal text every match holds in the decoded text of some value: clauses (all required) of literals
  /// (any one suffices). No clause: nothing can be said (term, regex and delimited patterns, negations). An
  /// empty clause: the pattern matches nothing. Feeds the prefilter (LiteralPrefilter), which must only ever
  /// skip records that cannot match.
  std::vector<std::vector<std::string>> required_literals() const;

  struct Impl;

 private:
  explicit Pattern(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace trailwatch
