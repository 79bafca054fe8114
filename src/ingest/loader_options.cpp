#include <iterator>

#include "trailwatch/ingest.hpp"

namespace trailwatch {

std::string byte_size_text(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  std::size_t unit = 0;
  while (unit + 1 < std::size(kUnits) && bytes >= 1024 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++unit;
  }
  std::string text = std::to_string(bytes);
  text += ' ';
  text += kUnits[unit];
  return text;
}

}  // namespace trailwatch
