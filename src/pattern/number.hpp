// Numbers in patterns and in record values. Both sides become IEEE doubles
// (docs/filter-patterns.md §5.3, A20).
#pragma once

#include <string_view>

namespace trailwatch::pattern_detail {

/// True when `text` is a whole number of the pattern grammar: [+-] (digits [. digits] | . digits), followed,
/// when `allow_exponent`, by an optional (e|E) [+-] digits.
bool is_decimal(std::string_view text, bool allow_exponent) noexcept;

/// The value of a `text` for which is_decimal(text, true) holds. Magnitudes beyond the double range become
/// infinity or zero rather than failing, so that "1e400" still orders above every finite number.
double decimal_value(std::string_view text) noexcept;

}  // namespace trailwatch::pattern_detail
