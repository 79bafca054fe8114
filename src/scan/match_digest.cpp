#include <algorithm>
#include <limits>
#include <tuple>

#include "scan/event_fields.hpp"
#include "trailwatch/matched_events.hpp"
#include "trailwatch/scan.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch {

namespace {

void add_counts(WhoCountMap& to, const WhoCountMap& from) {
  for (const auto& [key, n] : from) to[key] += n;
}

void count(WhoCountMap& counts, std::string_view key) {
  // A record without the field is counted too, so that each map adds up to the matched records.
  if (key.empty()) key = "(none)";
  auto at = counts.find(key);
  if (at == counts.end()) at = counts.emplace(std::string(key), 0).first;
  ++at->second;
}

}  // namespace

void WhoCounts::add(const WhoCounts& other) {
  add_counts(actors, other.actors);
  add_counts(source_ips, other.source_ips);
  add_counts(resources, other.resources);
}

bool MatchDigest::earlier(const Kept& a, const Kept& b) {
  return std::tie(a.time, a.arrival) < std::tie(b.time, b.arrival);
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
    : ids_(std::move(filter_ids)),
      limit_(limit),
      samples_(ids_.size()),
      kept_(ids_.size()),
      events_(ids_.size()) {}

// Every matched record is counted, but few are kept (the earliest `limit` per filter): a record's full
// description is made only when it is kept. Most are not (files come in time order, so later matches are
// not earlier than the latest kept), and making one was a dozen strings.
void MatchDigest::add(const std::string& path, const std::vector<MatchedRecord>& records) {
  for (const MatchedRecord& m : records) {
    MatchedEventSample& sample = samples_[m.filter];
    const EventFields fields = read_event_fields(m.raw, ids_[m.filter]);
    // Counted as matched_events counts: a record without a usable eventTime is in no datapoint, and not here.
    if (m.time_error.empty()) {
      if (!fields.arn.empty() || fields.invoked_by.empty())
        count(sample.who.actors, fields.arn.empty() ? fields.identity_type : fields.arn);
      else
        count(sample.who.actors, fields.actor());
      count(sample.who.source_ips, fields.source_ip);
      count(sample.who.resources, fields.resource);
    }
    ++sample.total;
    const std::optional<std::int64_t> epoch = fields.valid ? parse_utc_time(fields.time) : std::nullopt;
    const std::int64_t time = epoch.value_or(std::numeric_limits<std::int64_t>::max());
    const std::uint64_t arrival = arrivals_++;
    if (limit_ == 0) continue;
    std::vector<Kept>& heap = kept_[m.filter];
    std::vector<MatchedEvent>& events = events_[m.filter];
    if (heap.size() == limit_) {
      // The order of earlier(), asked before a MatchedEvent is made for the record.
      if (std::tie(time, arrival) >= std::tie(heap.front().time, heap.front().arrival)) continue;
      std::pop_heap(heap.begin(), heap.end(), earlier);
      heap.back().time = time;
      heap.back().arrival = arrival;
      events[heap.back().slot] = describe_matched_event(fields, path);  // in the slot of the one it replaces
    } else {
      heap.push_back(Kept{time, arrival, events.size()});
      events.push_back(describe_matched_event(fields, path));
    }
    std::push_heap(heap.begin(), heap.end(), earlier);
  }
}

// The kept events are put in time order where they are, following each cycle of the permutation, and the
// vector handed over: moving them into a new one touched a megabyte of fresh memory at the end of a CIS scan
// (4,000 events), a page fault for every 4 KB.
std::vector<MatchedEventSample> MatchDigest::take() {
  for (std::size_t f = 0; f < kept_.size(); ++f) {
    std::vector<Kept>& heap = kept_[f];
    std::vector<MatchedEvent>& events = events_[f];
    std::sort_heap(heap.begin(), heap.end(), earlier);
    // Position i takes the event of slot heap[i].slot: each cycle of that permutation is followed once, its
    // first event held aside until the cycle closes.
    std::vector<bool> placed(heap.size(), false);
    for (std::size_t i = 0; i < heap.size(); ++i) {
      if (placed[i]) continue;
      MatchedEvent held = std::move(events[i]);
      std::size_t to = i;
      for (std::size_t from = heap[to].slot; from != i; from = heap[to].slot) {
        events[to] = std::move(events[from]);
        placed[to] = true;
        to = from;
      }
      events[to] = std::move(held);
      placed[to] = true;
    }
    samples_[f].earliest = std::move(events);
    events.clear();
    heap.clear();
  }
  std::vector<MatchedEventSample> out = std::move(samples_);
  samples_.assign(kept_.size(), {});
  return out;
}

}  // namespace trailwatch
