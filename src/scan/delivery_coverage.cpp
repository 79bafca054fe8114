// Delivery coverage (docs/design.md "Coverage"). A stream's free time is where it has no delivery: between
// two consecutive deliveries, before the first and after the last. A gap is a piece of free time, clipped to
// [--start or the stream's first delivery, --end or its last], longer than --gap. Times are open intervals,
// so two pieces that meet at a delivery stay two pieces.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "trailwatch/coverage.hpp"

namespace trailwatch {

namespace {

constexpr std::int64_t kMinusInfinity = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kPlusInfinity = std::numeric_limits<std::int64_t>::max();

// An open interval (from, to) of free time; kMinusInfinity and kPlusInfinity stand for no bound.
struct Interval {
  std::int64_t from = 0;
  std::int64_t to = 0;
};

using StreamKey = std::pair<std::string, std::string>;  // account, region

// to - from > gap, for any from < to (the difference may not fit an int64, but always fits a uint64).
bool longer_than(std::int64_t from, std::int64_t to, std::int64_t gap) {
  return static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from) > static_cast<std::uint64_t>(gap);
}

// The gaps in a stream's free time (sorted, pairwise disjoint), for the stream's first and last delivery.
void add_gaps(const StreamKey& stream, const std::vector<Interval>& free, std::int64_t first,
              std::int64_t last, const GapRule& rule, std::vector<DeliveryGap>& out) {
  const std::int64_t lo = rule.start.value_or(first);
  const std::int64_t hi = rule.end.value_or(last);
  for (const Interval& piece : free) {
    const std::int64_t from = std::max(piece.from, lo);
    const std::int64_t to = std::min(piece.to, hi);
    if (from < to && longer_than(from, to, rule.gap)) out.push_back({stream.first, stream.second, from, to});
  }
}

// Sorted, and pieces that overlap joined (pieces that only meet stay apart: the point between them is a
// delivery).
std::vector<Interval> normalized(std::vector<Interval> pieces) {
  std::sort(pieces.begin(), pieces.end(), [](const Interval& a, const Interval& b) {
    return a.from < b.from || (a.from == b.from && a.to < b.to);
  });
  std::vector<Interval> out;
  for (const Interval& piece : pieces) {
    if (piece.from >= piece.to) continue;
    if (!out.empty() && piece.from < out.back().to)
      out.back().to = std::max(out.back().to, piece.to);
    else
      out.push_back(piece);
  }
  return out;
}

// The intersection of two sets of free time, each sorted and pairwise disjoint.
std::vector<Interval> intersect(const std::vector<Interval>& a, const std::vector<Interval>& b) {
  std::vector<Interval> out;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const std::int64_t from = std::max(a[i].from, b[j].from);
    const std::int64_t to = std::min(a[i].to, b[j].to);
    if (from < to) out.push_back({from, to});
    if (a[i].to < b[j].to)
      ++i;
    else
      ++j;
  }
  return out;
}

}  // namespace

void DeliveryLog::add(const LogFileName& name) {
  times_[{name.account, name.region}].push_back(name.delivered);
}

void DeliveryLog::merge(const DeliveryLog& other) {
  for (const auto& [stream, times] : other.times_) {
    std::vector<std::int64_t>& into = times_[stream];
    into.insert(into.end(), times.begin(), times.end());
  }
}

std::optional<DeliveryCoverage> DeliveryLog::coverage(const GapRule& rule) const {
  if (times_.empty()) return std::nullopt;
  DeliveryCoverage out;
  out.gap = rule.gap;
  out.first = kPlusInfinity;
  out.last = kMinusInfinity;
  for (const auto& [stream, listed] : times_) {
    std::vector<std::int64_t> times = listed;
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    out.streams.push_back({stream.first, stream.second, times.front(), times.back(), listed.size()});
    out.first = std::min(out.first, times.front());
    out.last = std::max(out.last, times.back());
    std::vector<Interval> free;
    free.reserve(times.size() + 1);
    free.push_back({kMinusInfinity, times.front()});
    for (std::size_t i = 1; i < times.size(); ++i) free.push_back({times[i - 1], times[i]});
    free.push_back({times.back(), kPlusInfinity});
    add_gaps(stream, free, times.front(), times.back(), rule, out.gaps);
  }
  return out;
}

// A part's free time for a stream is (-inf, first) U its gaps U (last, +inf), or all time when it read no
// file of the stream; the merged free time is the intersection over the parts, and its pieces, clipped and
// longer than --gap, are the merged gaps. Exact: a true gap lies between consecutive deliveries of all files,
// so inside one free interval of each part that is at least as long (so reported), and the deliveries that
// bound it bound that part's free interval, so the intersection's piece is the gap itself, and every other
// piece lies between two deliveries that are closer than --gap.
std::optional<DeliveryCoverage> merge_delivery_coverage(
    const std::vector<std::optional<DeliveryCoverage>>& parts, const GapRule& rule) {
  std::map<StreamKey, DeliveryStream> streams;
  // Per part, the free time of each stream it read a file of.
  std::vector<std::map<StreamKey, std::vector<Interval>>> part_free(parts.size());
  for (std::size_t p = 0; p < parts.size(); ++p) {
    if (!parts[p]) continue;
    for (const DeliveryStream& s : parts[p]->streams) {
      const StreamKey key{s.account, s.region};
      part_free[p][key] = {{kMinusInfinity, s.first}, {s.last, kPlusInfinity}};
      auto [it, added] = streams.try_emplace(key, s);
      if (added) continue;
      it->second.first = std::min(it->second.first, s.first);
      it->second.last = std::max(it->second.last, s.last);
      it->second.files += s.files;
    }
    // A gap of a stream the part lists no delivery of says nothing about it (a report never has one).
    for (const DeliveryGap& g : parts[p]->gaps)
      if (auto it = part_free[p].find({g.account, g.region}); it != part_free[p].end())
        it->second.push_back({g.from, g.to});
  }
  if (streams.empty()) return std::nullopt;
  DeliveryCoverage out;
  out.gap = rule.gap;
  out.first = kPlusInfinity;
  out.last = kMinusInfinity;
  for (const auto& [key, stream] : streams) {
    out.streams.push_back(stream);
    out.first = std::min(out.first, stream.first);
    out.last = std::max(out.last, stream.last);
    std::vector<Interval> free{{kMinusInfinity, kPlusInfinity}};
    for (auto& by_stream : part_free)
      if (auto it = by_stream.find(key); it != by_stream.end())  // else all of the part's time is free
        free = intersect(free, normalized(std::move(it->second)));
    add_gaps(key, free, stream.first, stream.last, rule, out.gaps);
  }
  return out;
}

std::optional<EventCoverage> merge_event_coverage(const std::optional<EventCoverage>& a,
                                                  const std::optional<EventCoverage>& b) {
  if (!a) return b;
  if (!b) return a;
  return EventCoverage{std::min(a->first_event, b->first_event), std::max(a->last_event, b->last_event)};
}

std::string duration_text(std::int64_t seconds) {
  if (seconds <= 0) return "0s";
  const std::uint64_t total = static_cast<std::uint64_t>(seconds);
  const std::uint64_t parts[] = {total / 86400, total % 86400 / 3600, total % 3600 / 60, total % 60};
  static constexpr const char* kUnits[] = {"d", "h", "m", "s"};
  std::string out;
  for (std::size_t i = 0; i < 4; ++i)
    if (parts[i] > 0) out += fmt::format("{}{}", parts[i], kUnits[i]);
  return out;
}

}  // namespace trailwatch
