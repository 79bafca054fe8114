// Splits a log event into the fields a space-delimited pattern sees (docs/filter-patterns.md §6.1, A10): runs
// of spaces and tabs separate fields; a field that starts with '"' runs to the next '"', one that starts with
// '[' to the next ']', and either is the text between its delimiters. There are no escapes; an unterminated
// field runs to the end of the message. Text right after a closing delimiter starts the next field.
#pragma once

#include <cstddef>
#include <string_view>

namespace trailwatch::pattern_detail {

constexpr bool is_field_separator(char c) {
  return c == ' ' || c == '\t';
}

class EventFields {
 public:
  explicit EventFields(std::string_view message) : message_(message) {}

  /// Moves to the next field: `text` is its content, `raw_begin` the offset of its first character
  /// (its opening delimiter, if any) in the message. False when no field is left.
  bool next(std::string_view& text, std::size_t& raw_begin) noexcept {
    const std::size_t n = message_.size();
    while (pos_ < n && is_field_separator(message_[pos_])) ++pos_;
    if (pos_ == n) return false;
    raw_begin = pos_;
    const char first = message_[pos_];
    if (first == '"' || first == '[') {
      const std::size_t close = message_.find(first == '"' ? '"' : ']', pos_ + 1);
      const std::size_t end = close == std::string_view::npos ? n : close;
      text = message_.substr(pos_ + 1, end - pos_ - 1);
      pos_ = close == std::string_view::npos ? n : close + 1;
      return true;
    }
    while (pos_ < n && !is_field_separator(message_[pos_])) ++pos_;
    text = message_.substr(raw_begin, pos_ - raw_begin);
    return true;
  }

  /// The message from `raw_begin` to its end, without trailing separators: what the last slot of a pattern
  /// without '...' takes when more than one field is left for it.
  std::string_view rest_from(std::size_t raw_begin) const noexcept {
    std::size_t end = message_.size();
    while (end > raw_begin && is_field_separator(message_[end - 1])) --end;
    return message_.substr(raw_begin, end - raw_begin);
  }

 private:
  std::string_view message_;
  std::size_t pos_ = 0;
};

}  // namespace trailwatch::pattern_detail
