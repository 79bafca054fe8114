// UTC timestamps as CloudTrail writes them (eventTime "2024-03-01T12:34:56Z") and as users type them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trailwatch {

/// Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)" to Unix seconds (fractions dropped). With
/// `allow_short`, also "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" and a missing zone (taken as UTC), for command-line
/// use. Returns nullopt for anything else, including impossible dates.
std::optional<std::int64_t> parse_utc_time(std::string_view text, bool allow_short = false);

/// Formats Unix seconds as "YYYY-MM-DDTHH:MM:SSZ".
std::string format_utc_time(std::int64_t seconds);

}  // namespace trailwatch
