// Several literal alternatives for one selector (`($.eventName = A) || ($.eventName = B) || ...`), the shape
// of nearly every CIS pattern. One membership test replaces a chain of conditions that a non-matching record
// (the usual case) would otherwise walk to the end.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "pattern/glob.hpp"

namespace trailwatch::pattern_detail {

class LiteralSet {
 public:
  void add(std::string_view literal) { literals_.emplace_back(literal); }
  /// Call after the last add().
  void finish();
  bool contains(std::string_view text) const noexcept;
  std::size_t size() const { return literals_.size(); }
  const std::vector<std::string>& literals() const { return literals_; }

 private:
  std::vector<std::string>
      literals_;  // sorted by length, then bytes, so a lookup skips other lengths at once
};

inline bool LiteralSet::contains(std::string_view text) const noexcept {
  auto it = std::partition_point(literals_.begin(), literals_.end(),
                                 [&](const std::string& s) { return s.size() < text.size(); });
  for (; it != literals_.end() && it->size() == text.size(); ++it)
    if (bytes_equal(it->data(), text.data(), text.size())) return true;
  return false;
}

}  // namespace trailwatch::pattern_detail
