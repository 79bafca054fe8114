// The hash that splits inputs into shards. FNV-1a is tiny, fast on short names and fully specified, so the
// split can be reproduced by any tool, in any language, forever.
#include "trailwatch/ingest.hpp"

namespace trailwatch {

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace trailwatch
