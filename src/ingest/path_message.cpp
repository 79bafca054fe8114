#include <algorithm>
#include <string_view>

#include "trailwatch/ingest.hpp"

namespace trailwatch {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Text compared byte by byte, except that runs of digits compare as the numbers they spell (leading zeros
// aside, a longer run is a larger number). Equal numbers spelled differently ("07", "7") fall back to the
// bytes, so the order stays total.
bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t a_end = i;
      std::size_t b_end = j;
      while (a_end < a.size() && is_digit(a[a_end])) ++a_end;
      while (b_end < b.size() && is_digit(b[b_end])) ++b_end;
      std::string_view x = a.substr(i, a_end - i);
      std::string_view y = b.substr(j, b_end - j);
      const std::size_t x_zeros = std::min(x.find_first_not_of('0'), x.size());
      const std::size_t y_zeros = std::min(y.find_first_not_of('0'), y.size());
      std::string_view x_value = x.substr(x_zeros);
      std::string_view y_value = y.substr(y_zeros);
      if (x_value.size() != y_value.size()) return x_value.size() < y_value.size();
      if (x_value != y_value) return x_value < y_value;
      i = a_end;
      j = b_end;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  if (i == a.size() && j == b.size()) return a < b;  // the same up to equal numbers: the bytes decide
  return i == a.size();                              // a prefix comes first
}

}  // namespace

bool PathMessage::operator<(const PathMessage& other) const {
  if (path != other.path) return path < other.path;
  return natural_less(message, other.message);
}

}  // namespace trailwatch
