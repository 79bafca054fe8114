#include <algorithm>

#include "trailwatch/records.hpp"

namespace trailwatch {

SelectorId FieldPlan::add(const SelectorPath& path) {
  auto it = std::find(paths_.begin(), paths_.end(), path);
  if (it != paths_.end()) return static_cast<SelectorId>(it - paths_.begin());
  paths_.push_back(path);
  return static_cast<SelectorId>(paths_.size() - 1);
}

}  // namespace trailwatch
