// The checks of RecordLimits on one record's text. Plain scalar code, compiled once in the library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "trailwatch/records.hpp"

namespace trailwatch {

/// True when a record of `size` bytes is over the size limit: it is then counted as failed in `result`, the
/// first such failure described as `what` `number` ("line 7"), and passed over; the records around it are
/// read.
bool record_too_large(const RecordLimits& limits, std::size_t size, const char* what, std::uint64_t number,
                      ReadResult& result);

/// True when `raw`, one record's JSON text, nests deeper than the limit. simdjson On-Demand does not apply
/// the parser's depth limit to the values it skips, so the readers check each record with this.
bool record_too_deep(const RecordLimits& limits, std::string_view raw);

}  // namespace trailwatch
