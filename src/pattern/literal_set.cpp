#include "pattern/literal_set.hpp"

namespace trailwatch::pattern_detail {

void LiteralSet::finish() {
  std::sort(literals_.begin(), literals_.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  literals_.erase(std::unique(literals_.begin(), literals_.end()), literals_.end());
}

}  // namespace trailwatch::pattern_detail
