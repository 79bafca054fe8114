#include <algorithm>
#include <limits>

#include "trailwatch/matched_events.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch {

namespace {

void add_counts(std::map<std::string, std::uint64_t>& to, const std::map<std::string, std::uint64_t>& from) {
  for (const auto& [key, n] : from) to[key] += n;
}

void count(std::map<std::string, std::uint64_t>& counts, const std::string& key) {
  // A record without the field is counted too, so that each map adds up to the matched records.
  ++counts[key.empty() ? "(none)" : key];
}

}  // namespace

void WhoCounts::add(const WhoCounts& other) {
  add_counts(actors, other.actors);
  add_counts(source_ips, other.source_ips);
  add_counts(resources, other.resources);
}

bool MatchDigest::earlier(const Kept& a, const Kept& b) {
  return a.time != b.time ? a.time < b.time : a.arrival < b.arrival;
}

namespace {

std::vector<std::string> ids_of(const ScanPlan& plan) {
  std::vector<std::string> ids;
  for (const MetricFilter& filter : plan.filters()) ids.push_back(filter.id);
  return ids;
}

}  // namespace

MatchDigest::MatchDigest(const ScanPlan& plan, std::size_t limit) : MatchDigest(ids_of(plan), limit) {}

MatchDigest::MatchDigest(std::vector<std::string> filter_ids, std::size_t limit)
    : ids_(std::move(filter_ids)), limit_(limit), samples_(ids_.size()), kept_(ids_.size()) {}

void MatchDigest::add(const std::string& path, const std::vector<MatchedRecord>& records) {
  for (const MatchedRecord& m : records) {
    MatchedEventSample& sample = samples_[m.filter];
    MatchedEvent event = describe_matched_event(m.raw, ids_[m.filter], path);
    // Counted as matched_events counts: a record without a usable eventTime is in no datapoint, and not here.
    if (m.time_error.empty()) {
      count(sample.who.actors, event.actor);
      count(sample.who.source_ips, event.source_ip);
      count(sample.who.resources, event.resource);
    }
    ++sample.total;
    std::vector<Kept>& heap = kept_[m.filter];
    const std::int64_t time = event.epoch.value_or(std::numeric_limits<std::int64_t>::max());
    Kept kept{time, arrivals_++, std::move(event)};
    if (limit_ == 0) continue;
    if (heap.size() == limit_) {
      if (!earlier(kept, heap.front())) continue;  // not earlier than the latest kept
      std::pop_heap(heap.begin(), heap.end(), earlier);
      heap.back() = std::move(kept);
    } else {
      heap.push_back(std::move(kept));
    }
    std::push_heap(heap.begin(), heap.end(), earlier);
  }
}

std::vector<MatchedEventSample> MatchDigest::take() {
  for (std::size_t f = 0; f < kept_.size(); ++f) {
    std::vector<Kept>& heap = kept_[f];
    std::sort_heap(heap.begin(), heap.end(), earlier);
    for (Kept& k : heap) samples_[f].earliest.push_back(std::move(k.event));
    heap.clear();
  }
  std::vector<MatchedEventSample> out = std::move(samples_);
  samples_.assign(kept_.size(), {});
  return out;
}

}  // namespace trailwatch
