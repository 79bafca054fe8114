// Durations on the command line: `0`, `90s`, `30m`, `6h`, `1d` (--delivery-slack; later --gap).
#pragma once

#include <cstdint>
#include <string_view>

namespace trailwatch::cli {

/// Parses `text` as a whole number followed by s, m, h or d (or `0` alone) into seconds, at most
/// `max_seconds`. Throws UsageError naming `flag` and the forms it takes.
std::int64_t parse_duration(std::string_view flag, std::string_view text, std::int64_t max_seconds);

}  // namespace trailwatch::cli
