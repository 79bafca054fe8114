#include "pattern/number.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <system_error>

namespace trailwatch::pattern_detail {

namespace {

constexpr bool digit(char c) {
  return c >= '0' && c <= '9';
}

// Reached only when from_chars reports an out-of-range result, so the decimal exponent of the first
// significant digit tells overflow (positive) from underflow (negative) without ambiguity.
double saturated_value(std::string_view text) {
  std::size_t i = 0;
  const bool negative = text[0] == '-';
  if (text[0] == '-' || text[0] == '+') ++i;
  std::int64_t order = 0;
  bool significant = false;
  bool fraction = false;
  for (; i < text.size() && (digit(text[i]) || text[i] == '.'); ++i) {
    if (text[i] == '.') {
      fraction = true;
    } else if (!fraction) {
      if (significant || text[i] != '0') {
        significant = true;
        ++order;
      }
    } else if (!significant) {
      --order;
      if (text[i] != '0') significant = true;
    }
  }
  std::int64_t exponent = 0;
  if (i < text.size()) {  // the exponent
    ++i;
    const bool exponent_negative = text[i] == '-';
    if (text[i] == '-' || text[i] == '+') ++i;
    for (; i < text.size(); ++i)
      if (exponent < 1'000'000'000) exponent = exponent * 10 + (text[i] - '0');
    if (exponent_negative) exponent = -exponent;
  }
  const double magnitude = order + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  return negative ? -magnitude : magnitude;
}

}  // namespace

bool is_decimal(std::string_view text, bool allow_exponent) noexcept {
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t digits = 0;
  for (; i < n && digit(text[i]); ++i) ++digits;
  if (i < n && text[i] == '.') {
    ++i;
    for (; i < n && digit(text[i]); ++i) ++digits;
  }
  if (digits == 0) return false;
  if (i < n && allow_exponent && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    for (; i < n && digit(text[i]); ++i) ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == n;
}

double decimal_value(std::string_view text) noexcept {
  // from_chars takes no leading '+'.
  const char* first = text.data() + (text[0] == '+' ? 1 : 0);
  double value = 0;
  const auto [ptr, ec] = std::from_chars(first, text.data() + text.size(), value, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) return saturated_value(text);
  (void)ptr;
  return value;
}

}  // namespace trailwatch::pattern_detail
