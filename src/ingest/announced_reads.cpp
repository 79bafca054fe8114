#include <algorithm>

#include "trailwatch/ingest.hpp"

namespace trailwatch {

AnnouncedReads::AnnouncedReads(const Discovery& inputs, std::uint64_t max_bytes) {
  std::vector<std::vector<const InputFile*>> by_source;
  for (const InputFile& file : inputs.files) {
    if (file.source == nullptr) continue;
    auto it = std::find(sources_.begin(), sources_.end(), file.source);
    if (it == sources_.end()) {
      sources_.push_back(file.source);
      by_source.emplace_back();
      it = sources_.end() - 1;
    }
    by_source[static_cast<std::size_t>(it - sources_.begin())].push_back(&file);
  }
  for (std::size_t s = 0; s < sources_.size(); ++s) sources_[s]->will_read(by_source[s], max_bytes);
}

AnnouncedReads::~AnnouncedReads() {
  for (const InputSource* source : sources_) source->done_reading();
}

}  // namespace trailwatch
