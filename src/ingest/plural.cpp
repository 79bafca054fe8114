#include "trailwatch/plural.hpp"

#include <fmt/format.h>

namespace trailwatch {

std::string count_of(std::uint64_t count, std::string_view noun, std::string_view plural) {
  if (count == 1) return fmt::format("1 {}", noun);
  return plural.empty() ? fmt::format("{} {}s", count, noun) : fmt::format("{} {}", count, plural);
}

}  // namespace trailwatch
