// The prepared form of many literals for the multi-literal search (a Teddy-style filter, as in Hyperscan and
// the aho-corasick crate): the literals are split into 8 buckets, and tables say, for each of the first bytes
// of a literal, which buckets have a literal with that byte there. The search (literal_search_impl.hpp, per
// SIMD kernel) looks those bytes up for every position of the buffer at once and compares in full only the
// literals of the buckets that pass. Scalar code, built once per reader in the library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace trailwatch {

/// One occurrence: `literal` (an index into the searched literals) starts at `offset`.
struct LiteralHit {
  std::size_t offset;
  std::uint32_t literal;
};

struct LiteralBuckets {
  static constexpr std::size_t kBuckets = 8;
  static constexpr std::size_t kMaxFingerprint = 4;

  /// Where the AVX-512 filter looks at each literal: its first bytes, or across two words of its name where
  /// it has them (choose_window in the .cpp). Either finds the same occurrences; which is faster depends on
  /// the data (SearchPlan measures both once it has read a few MB).
  enum class Windows { FirstBytes, JoinWords };

  /// `literals` must all be non-empty.
  explicit LiteralBuckets(const std::vector<std::string>& literals, Windows windows = Windows::FirstBytes);
  ~LiteralBuckets();

  /// Whether some literal's window is not its first bytes.
  bool has_inner_windows() const;

  std::vector<std::string> literals;
  /// How many leading bytes of every literal the tables describe: min(4, the shortest literal's length).
  std::size_t fingerprint = 0;
  /// Per fingerprint byte, per value of its low (high) nibble: the buckets (bit b: bucket b) with a literal
  /// whose byte has that nibble. Both nibbles must agree, so a byte passes for a bucket slightly more often
  /// than its exact value would (the AVX2 search looks nibbles up with one shuffle each).
  std::uint8_t low_nibble[kMaxFingerprint][16] = {};
  std::uint8_t high_nibble[kMaxFingerprint][16] = {};
  /// Per fingerprint byte, per byte value: the buckets with a literal having exactly that byte there (the
  /// scalar search).
  std::uint8_t exact[kMaxFingerprint][256] = {};
  /// The AVX-512 filter's own tables. It looks each byte up by its low six bits (one byte permute over a
  /// 64-entry table per fingerprint byte), where nibbles admit byte sequences no literal has, and it looks at
  /// each literal's window of `wide_fingerprint` bytes (min(kMaxWideFingerprint, the longest literal)): its
  /// first bytes, or with Windows::JoinWords those `window_offsets` says. A bucket admits every byte past its
  /// shortest literal's end. 4 bytes and 6 measured the same (CPU time within 3% either way over the CIS pack
  /// and 40 account filters on both corpora; 3 slower): each more byte costs a load that straddles two cache
  /// lines and a permute for every 64 bytes. A byte shares its entry with the three that differ from it in
  /// the top two bits: an upper-case letter with control characters and non-ASCII bytes (rare in JSON), a
  /// lower-case one with punctuation or a digit, so buckets are filled by expected passes over those folded
  /// frequencies, shortest literal first, so that the short ones, which admit everything past their end,
  /// share buckets. Per window byte, per value of a byte's low six bits: the buckets whose literals have a
  /// byte there with those bits.
  static constexpr std::size_t kMaxWideFingerprint = 4;
  std::size_t wide_fingerprint = 0;
  std::uint8_t wide_table[kMaxWideFingerprint][64] = {};
  /// Per literal: where its window starts in it.
  std::vector<std::uint32_t> window_offsets;

  /// Literals grouped by a key of up to 4 of their bytes (a little-endian word, `mask` its bytes), in an
  /// open-addressing table: a position that passes a filter looks its own bytes up, and compares in full
  /// only the literals keyed by exactly those bytes.
  struct KeyedLiterals {
    struct Slot {
      std::uint32_t key = 0;
      std::uint32_t begin = 0;  // into members; begin == end: an empty slot
      std::uint32_t end = 0;
    };
    std::uint32_t mask = 0;
    unsigned shift = 32;  // 32 - log2 of the table's size
    std::vector<Slot> slots;
    std::vector<std::uint32_t> members;  // literal indexes, grouped by key (probed by the search's keyed())
  };
  /// By their first `fingerprint` bytes (the AVX2 and scalar searches).
  KeyedLiterals by_prefix;
  /// By the first `window_key` bytes of their windows (the AVX-512 search): min(wide_fingerprint, the
  /// shortest literal's length).
  KeyedLiterals by_window;
  std::size_t window_key = 0;
  /// Per literal: its first 8 bytes as a little-endian word (zeros past its end) and the mask of those it
  /// has. Most prefixes are shared ("Dele" by 26 literals of the CIS pack): a word compare tells most of
  /// them apart before any call to memcmp.
  std::vector<std::uint64_t> heads;
  std::vector<std::uint64_t> head_masks;
  static std::uint32_t slot(std::uint32_t key, unsigned shift) { return (key * 0x9E3779B1u) >> shift; }
};

}  // namespace trailwatch
