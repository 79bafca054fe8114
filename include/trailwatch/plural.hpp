// "1 file", "2 files": counts in messages and reports read as a person writes them, never "file(s)". In the
// lowest unit (ingest) so that every unit above, up to the CLI, says it the same way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace trailwatch {

/// `count` and the noun, with the plural the count needs: "1 file", "0 files", "2 files". `plural` defaults
/// to noun + "s" ("1 entry", "3 entries" need it given).
std::string count_of(std::uint64_t count, std::string_view noun, std::string_view plural = {});

}  // namespace trailwatch
