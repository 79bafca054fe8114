#include <algorithm>

#include <simdjson.h>

#include "trailwatch/records.hpp"

namespace trailwatch {

// simdjson's minifier runs the CPU's best kernel whichever translation unit calls it (it dispatches at run
// time), so this one portable definition serves the record kernels and the metric layer alike.
std::string_view compact_record_text(std::string_view raw, std::string& scratch) {
  // The minifier may write a block past the text. Growing only, and geometrically, keeps std::string from
  // clearing the new bytes for every record.
  const std::size_t needed = raw.size() + simdjson::SIMDJSON_PADDING;
  if (scratch.size() < needed) scratch.resize(std::max(needed, scratch.size() * 2));
  std::size_t length = 0;
  if (simdjson::minify(raw.data(), raw.size(), scratch.data(), length) != simdjson::SUCCESS) return raw;
  return {scratch.data(), length};
}

}  // namespace trailwatch
