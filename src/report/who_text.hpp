// The "who" lines of the table: the most frequent actors, source IPs and resources of a rule's matches.
// Internal to the report unit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "trailwatch/matched_events.hpp"

namespace trailwatch::report {

/// The `limit` largest counts, largest first, ties by name.
std::vector<std::pair<std::string, std::uint64_t>> top_counts(const WhoCountMap& counts, std::size_t limit);

/// Three lines ("actors", "from", "resources"), each its top entries with their counts and how many more.
std::string who_text(const WhoCounts& who);

}  // namespace trailwatch::report
