#include "report/who_text.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace trailwatch::report {

namespace {

// Enough to name who did it in an incident (a handful of actors), few enough that a rule matching thousands
// of records from hundreds of IPs keeps to one line each; the JSON report holds every count.
constexpr std::size_t kShown = 3;

std::string line(std::string_view label, const WhoCountMap& counts) {
  std::string s = fmt::format("  {:<10}", label);
  const auto top = top_counts(counts, kShown);
  for (std::size_t i = 0; i < top.size(); ++i)
    s += fmt::format("{}{} ({})", i == 0 ? "" : ", ", top[i].first, top[i].second);
  if (counts.size() > top.size()) s += fmt::format(" and {} more", counts.size() - top.size());
  return s + '\n';
}

}  // namespace

std::vector<std::pair<std::string, std::uint64_t>> top_counts(const WhoCountMap& counts, std::size_t limit) {
  std::vector<std::pair<std::string, std::uint64_t>> all(counts.begin(), counts.end());
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (all.size() > limit) all.resize(limit);
  return all;
}

std::string who_text(const WhoCounts& who) {
  if (who.empty()) return {};
  return "who\n" + line("actors", who.actors) + line("from", who.source_ips) +
         line("resources", who.resources);
}

}  // namespace trailwatch::report
