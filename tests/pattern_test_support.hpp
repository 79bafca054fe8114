// Helpers shared by the pattern tests that evaluate message-based patterns (terms, regexes, space-delimited).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "trailwatch/pattern.hpp"

namespace trailwatch::test {

inline PatternError parse_error(std::string_view text) {
  try {
    Pattern::parse(text);
  } catch (const PatternError& e) {
    return e;
  }
  ADD_FAILURE() << "parsed without error: " << text;
  return PatternError(std::string(text), 0, "an error");
}

/// Whether `pattern` matches the event whose text is `message` (and which is not a JSON object).
inline bool matches_message(std::string_view pattern, std::string_view message) {
  return Pattern::parse(pattern).matches(EventView{nullptr, message});
}

}  // namespace trailwatch::test

#define EXPECT_PATTERN_ERROR_AT(text, col, fragment)                                                  \
  do {                                                                                                \
    const ::trailwatch::PatternError e_ = ::trailwatch::test::parse_error(text);                      \
    EXPECT_EQ(e_.column(), static_cast<std::size_t>(col)) << (text) << "\n" << e_.caret_message();    \
    EXPECT_NE(e_.detail().find(fragment), std::string::npos) << (text) << "\n" << e_.caret_message(); \
  } while (0)
