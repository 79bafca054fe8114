#include "records/record_limits.hpp"

#include <algorithm>
#include <string>

namespace trailwatch {

// Called for every record: the message is built only for a failure.
bool record_too_large(const RecordLimits& limits, std::size_t size, const char* what, std::uint64_t number,
                      ReadResult& result) {
  if (size <= limits.max_record_size) return false;
  ++result.records_failed;
  if (result.first_record_error.empty())
    result.first_record_error = std::string(what) + " " + std::to_string(number) + " is " +
                                std::to_string(size) + " bytes, over the record size limit of " +
                                std::to_string(limits.max_record_size) + " (--max-record-size)";
  return true;
}

// Cheaply by counting opening brackets (any record with no more of them than the limit passes), and
// precisely, outside strings, only when there are more.
bool record_too_deep(const RecordLimits& limits, std::string_view raw) {
  if (raw.size() / 2 <= limits.max_depth) return false;  // too short to be that deep
  std::size_t opens = 0;
  for (std::size_t block = 0; block < raw.size(); block += 255) {
    // Byte-wide counters over blocks of 255 vectorise well; '[' is '{' with bit 5 clear.
    std::uint8_t in_block = 0;
    const std::size_t end = std::min(raw.size(), block + 255);
    for (std::size_t i = block; i < end; ++i) in_block += (raw[i] | 0x20) == '{';
    opens += in_block;
  }
  if (opens <= limits.max_depth) return false;
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if ((c | 0x20) == '{') {
      if (++depth > limits.max_depth) return true;
    } else if ((c | 0x20) == '}' && depth > 0) {  // ']' is '}' with bit 5 clear
      --depth;
    }
  }
  return false;
}

}  // namespace trailwatch
