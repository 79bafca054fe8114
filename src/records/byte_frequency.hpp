// How often each byte value occurs in CloudTrail's JSON, per 100,000 bytes (at least 1): the literal search
// compares two bytes of each literal at every position, and picking the two rarest makes fewer places that
// need a full compare. Measured once on a generated 1 GB archive and on real public CloudTrail events (the
// average of the two). A wrong guess costs speed, never an answer: every place found is compared in full.
#pragma once

#include <array>
#include <cstdint>

namespace trailwatch {

inline constexpr std::array<std::uint16_t, 256> kCloudTrailByteFrequency = {
    1,    1,    1,    1,    1,    1,   1,    1,    1,    1,    1475, 1,    1,    1,    1,    1,    1,    1,
    1,    1,    1,    1,    1,    1,   1,    1,    1,    1,    1,    1,    1,    1,    6800, 1,    9163, 31,
    2,    39,   1,    5,    8,    8,   5,    49,   2219, 1978, 895,  448,  1979, 1773, 1791, 1899, 1647, 1003,
    930,  1102, 1066, 1034, 3994, 4,   1,    11,   1,    1,    13,   1310, 189,  477,  539,  500,  198,  212,
    300,  1117, 131,  291,  288,  397, 389,  338,  379,  121,  505,  814,  568,  189,  257,  233,  152,  153,
    242,  64,   108,  64,   1,    320, 1,    4311, 814,  2344, 2013, 7119, 706,  628,  393,  2151, 94,   355,
    1506, 1575, 3349, 2437, 1113, 205, 3123, 3879, 3897, 1747, 825,  707,  211,  822,  284,  538,  1,    538,
    1,    1,    1,    1,    2,    5,   1,    1,    1,    1,    1,    1,    2,    1,    1,    1,    1,    1,
    1,    2,    1,    1,    1,    1,   1,    1,    2,    1,    1,    2,    1,    1,    1,    1,    2,    1,
    1,    1,    1,    1,    2,    1,   1,    9,    1,    1,    1,    1,    1,    1,    1,    2,    1,    6,
    6,    1,    2,    1,    2,    1,   1,    1,    4,    1,    1,    1,    1,    1,    1,    25,   1,    1,
    1,    1,    1,    1,    1,    1,   1,    1,    1,    1,    1,    1,    1,    1,    1,    1,    1,    1,
    1,    1,    1,    1,    1,    1,   1,    1,    1,    1,    1,    7,    1,    3,    2,    1,    1,    1,
    1,    1,    1,    1,    1,    1,   1,    1,    1,    1,    1,    1,    1,    1,    1,    1,    1,    1,
    1,    1,    1,    1,
};

/// How often a byte with the same low six bits as `byte` occurs: what a lookup by those bits (one AVX-512
/// byte permute over a 64-entry table) admits when it admits `byte`.
constexpr std::uint32_t folded_frequency(char byte) {
  const unsigned low = static_cast<unsigned char>(byte) & 0x3F;
  std::uint32_t sum = 0;
  for (unsigned high = 0; high < 4; ++high) sum += kCloudTrailByteFrequency[low | high << 6];
  return sum;
}

}  // namespace trailwatch
