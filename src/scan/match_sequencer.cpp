#include "scan/match_sequencer.hpp"

namespace trailwatch::scan {

void MatchSequencer::write(const std::string& path, const std::vector<MatchedRecord>& matches) {
  if (!matches.empty()) sink_.write(plan_, path, matches);
}

void MatchSequencer::finish(std::size_t index, const std::string& path, std::vector<MatchedRecord> matches) {
  // Held while writing, so that the sink sees inputs one at a time and in order.
  std::lock_guard lock(mutex_);
  if (index != next_) {
    waiting_[index] = {path, std::move(matches)};
    return;
  }
  write(path, matches);
  ++next_;
  for (auto it = waiting_.begin(); it != waiting_.end() && it->first == next_; it = waiting_.erase(it)) {
    write(it->second.path, it->second.matches);
    ++next_;
  }
}

void MatchSequencer::flush() {
  std::lock_guard lock(mutex_);
  for (auto& [index, input] : waiting_) write(input.path, input.matches);
  waiting_.clear();
}

}  // namespace trailwatch::scan
