#include <initializer_list>
#include <string>
#include <string_view>

#include "trailwatch/pattern.hpp"

namespace trailwatch {

namespace {

constexpr bool is_utf8_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Users count characters, not bytes: a multi-byte character before the error must not shift the column.
std::size_t display_column(const std::string& pattern, std::size_t offset) {
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i)
    if (i >= pattern.size() || !is_utf8_continuation(pattern[i])) ++column;
  return column;
}

// Built by appending: `"literal" + std::string` trips a false -Wrestrict in GCC 12 at -O3.
std::string concat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out += part;
  return out;
}

std::string format(const std::string& pattern, std::size_t column, const std::string& detail) {
  return concat(
      {"invalid filter pattern: ", detail, " at column ", std::to_string(display_column(pattern, column))});
}

}  // namespace

PatternError::PatternError(std::string pattern, std::size_t column, const std::string& expected)
    : PatternError(std::move(pattern), column, concat({"expected ", expected}), Problem{}) {}

PatternError::PatternError(std::string pattern, std::size_t column, std::string detail, Problem)
    : std::runtime_error(format(pattern, column, detail)),
      pattern_(std::move(pattern)),
      column_(column),
      detail_(std::move(detail)) {}

PatternError PatternError::problem(std::string pattern, std::size_t column, const std::string& problem) {
  return PatternError(std::move(pattern), column, problem, Problem{});
}

std::string PatternError::caret_message() const {
  // Show only the line that holds the error, so a pattern folded over several lines keeps the caret aligned.
  const std::size_t at = column_ < pattern_.size() ? column_ : pattern_.size();
  std::size_t begin = 0;
  if (at > 0) {
    const std::size_t newline = pattern_.rfind('\n', at - 1);
    if (newline != std::string::npos) begin = newline + 1;
  }
  std::size_t end = pattern_.find('\n', at);
  if (end == std::string::npos) end = pattern_.size();
  if (end > begin && pattern_[end - 1] == '\r') --end;

  std::string message = what();
  message += "\n  ";
  message.append(pattern_, begin, end - begin);
  message += "\n  ";
  // Tabs are copied so that the caret lands under the same column whatever the terminal's tab width.
  for (std::size_t i = begin; i < at; ++i) {
    if (is_utf8_continuation(pattern_[i])) continue;
    message += pattern_[i] == '\t' ? '\t' : ' ';
  }
  message.append(column_ > pattern_.size() ? column_ - pattern_.size() : 0, ' ');
  message += '^';
  return message;
}

}  // namespace trailwatch
