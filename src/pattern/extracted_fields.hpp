// The storage behind ExtractedFields. A space-delimited match overwrites it in place: the vectors only grow,
// so once they have reached the size of the largest event a match no longer allocates.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trailwatch/pattern.hpp"

namespace trailwatch {

struct ExtractedFields::Impl {
  std::vector<std::string_view> positions;  // positions[i] is $(i+1)
  std::size_t position_count = 0;
  std::vector<std::pair<std::string, std::string_view>> named;  // slot name, value
  std::size_t named_count = 0;

  void clear() {
    position_count = 0;
    named_count = 0;
  }
  void add_position(std::string_view value) {
    if (position_count == positions.size()) positions.emplace_back();
    positions[position_count++] = value;
  }
  void add_named(std::string_view name, std::string_view value) {
    if (named_count == named.size()) named.emplace_back();
    // assign() reuses the string's buffer, and slot names are short enough for the small-string buffer.
    named[named_count].first.assign(name);
    named[named_count].second = value;
    ++named_count;
  }
  std::optional<std::string_view> get(std::string_view name) const;
};

}  // namespace trailwatch
