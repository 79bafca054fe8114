#include "records/literal_buckets.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <numeric>
#include <string_view>

#include "records/byte_frequency.hpp"

namespace trailwatch {

namespace {

// How many byte sequences of the fingerprint's length a bucket with these nibble tables admits: the product,
// over the fingerprint's bytes, of the low nibbles times the high nibbles it has there. A proxy for how often
// the bucket passes at a position that holds none of its literals.
double admitted(const std::uint16_t (&low)[LiteralBuckets::kMaxFingerprint],
                const std::uint16_t (&high)[LiteralBuckets::kMaxFingerprint], std::size_t fingerprint) {
  double product = 1;
  for (std::size_t k = 0; k < fingerprint; ++k)
    product *= static_cast<double>(__builtin_popcount(low[k]) * __builtin_popcount(high[k]));
  return product;
}

// The bytes a bucket of the wide filter admits at one fingerprint byte: bit c (of 64) for the bytes whose low
// six bits are c.
struct Admitted {
  std::uint64_t bits = 0;
  void add(unsigned char byte) { bits |= std::uint64_t{1} << (byte & 0x3F); }
  void add_all() { bits = ~std::uint64_t{0}; }
  bool has(unsigned value) const { return (bits >> (value & 0x3F)) & 1; }
};

// How often CloudTrail's JSON holds a byte the table admits there, as a share of all bytes.
double share_admitted(const Admitted& admitted) {
  // Per value of the low six bits: the share of CloudTrail's bytes that have it (computed once).
  static const std::array<double, 64> kShares = [] {
    std::array<double, 64> shares{};
    double total = 0;
    for (unsigned byte = 0; byte < 256; ++byte) total += kCloudTrailByteFrequency[byte];
    for (unsigned value = 0; value < 64; ++value)
      shares[value] = folded_frequency(static_cast<char>(value)) / total;
    return shares;
  }();
  double passing = 0;
  for (std::uint64_t bits = admitted.bits; bits != 0; bits &= bits - 1)
    passing += kShares[static_cast<unsigned>(__builtin_ctzll(bits))];
  return passing;
}

bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

// Where the wide filter looks at a literal: `width` bytes of it. A literal's first bytes are often a common
// word's ("Deta" of DetachRolePolicy is in every "tlsDetails", "Auth" of AuthorizeSecurityGroupIngress in
// "AuthHeader"), and each place they occur costs a lookup and compares for every literal sharing them: the
// CIS literals' first four bytes occurred 1,664 times per MB of the dense corpus (5,644 compares; 2,542
// places passed the filter). Bytes across the change from a lower-case letter to an upper-case one join two
// words of a name, which other names rarely do: with the upper-case letter third in the window ("chRo"), 96
// places and 222 compares per MB (604 passed the filter).
// Among such windows, the one whose bytes are rarest in CloudTrail's JSON; a literal without one keeps its
// first bytes (by byte frequencies alone the rarest bytes of "sts.amazonaws.com" would be "onaw", which every
// service name holds). The search alone, over 21 files of each corpus of bench/compare.py with the literals
// a scan searches once the common clauses are dropped: the CIS pack 8.8 -> 14.7 GB/s on the dense corpus,
// 9.2 -> 15.6 on the realistic; 40 account filters 7.9 -> 8.0 and 8.1 -> 8.1. With the upper-case letter
// first, second or last in the window the CIS pack gained less, the account filters no more.
std::size_t choose_window(const std::string& literal, std::size_t width) {
  if (width < 2) return 0;
  const std::size_t upper_at = std::min<std::size_t>(2, width - 1);  // the upper-case letter's place in it
  std::size_t best = 0;
  std::uint64_t best_cost = UINT64_MAX;
  for (std::size_t k = 0; k + width <= literal.size(); ++k) {
    const std::size_t upper = k + upper_at;
    if (!is_lower(literal[upper - 1]) || !is_upper(literal[upper])) continue;
    std::uint64_t cost = 1;
    for (std::size_t i = 0; i < width; ++i) cost *= folded_frequency(literal[k + i]);
    if (cost < best_cost) {
      best = k;
      best_cost = cost;
    }
  }
  return best;
}

// Groups the literals by `key_of` each (a word of at most `bytes` bytes) in an open-addressing table with at
// least four slots per literal, so that every probe ends at an empty slot.
template <typename KeyOf>
LiteralBuckets::KeyedLiterals keyed(std::size_t count, std::size_t bytes, KeyOf key_of) {
  LiteralBuckets::KeyedLiterals out;
  out.mask = bytes >= 4 ? 0xFFFFFFFFu : (1u << (8 * bytes)) - 1;
  out.members.resize(count);
  std::iota(out.members.begin(), out.members.end(), 0u);
  std::sort(out.members.begin(), out.members.end(),
            [&](std::uint32_t a, std::uint32_t b) { return key_of(a) < key_of(b); });
  std::size_t size = 16;
  unsigned shift = 28;
  while (size < 4 * count) size *= 2, --shift;
  out.shift = shift;
  out.slots.assign(size, LiteralBuckets::KeyedLiterals::Slot{});
  for (std::size_t i = 0; i < out.members.size();) {
    const std::uint32_t key = key_of(out.members[i]);
    std::size_t j = i;
    while (j < out.members.size() && key_of(out.members[j]) == key) ++j;
    std::uint32_t at = LiteralBuckets::slot(key, shift);
    while (out.slots[at].begin != out.slots[at].end) at = (at + 1) & static_cast<std::uint32_t>(size - 1);
    out.slots[at] = {key, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)};
    i = j;
  }
  return out;
}

// The little-endian word of the first `bytes` bytes of `text` (at most 4, and no more than it has).
std::uint32_t key_word(std::string_view text, std::size_t bytes) {
  std::uint32_t word = 0;
  for (std::size_t k = 0; k < bytes && k < text.size(); ++k)
    word |= static_cast<std::uint32_t>(static_cast<unsigned char>(text[k])) << (8 * k);
  return word;
}

// The wide filter's tables. Each literal goes to the bucket whose expected passes (per position of JSON, the
// product over the fingerprint bytes of the share admitted there) grow least, so that common bytes
// ('e', '"') and common words are admitted by few buckets.
void fill_wide_filter(LiteralBuckets& set, LiteralBuckets::Windows windows) {
  const std::vector<std::string>& literals = set.literals;
  std::size_t longest = 0;
  for (const std::string& literal : literals) longest = std::max(longest, literal.size());
  const std::size_t width = std::min(LiteralBuckets::kMaxWideFingerprint, longest);
  set.wide_fingerprint = width;
  std::vector<std::uint32_t> order(literals.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (literals[a].size() != literals[b].size()) return literals[a].size() < literals[b].size();
    return literals[a] < literals[b];
  });
  Admitted admitted[LiteralBuckets::kBuckets][LiteralBuckets::kMaxWideFingerprint];
  std::size_t members[LiteralBuckets::kBuckets] = {};
  set.window_offsets.assign(literals.size(), 0);
  if (windows == LiteralBuckets::Windows::JoinWords)
    for (std::size_t l = 0; l < literals.size(); ++l)
      set.window_offsets[l] = static_cast<std::uint32_t>(choose_window(literals[l], width));
  auto widen = [&](Admitted(&tables)[LiteralBuckets::kMaxWideFingerprint], std::uint32_t l) {
    const std::string_view window = std::string_view(literals[l]).substr(set.window_offsets[l]);
    for (std::size_t k = 0; k < width; ++k) {
      if (k < window.size())
        tables[k].add(static_cast<unsigned char>(window[k]));
      else
        tables[k].add_all();
    }
  };
  auto expected_passes = [&](const Admitted(&tables)[LiteralBuckets::kMaxWideFingerprint]) {
    double product = 1;
    for (std::size_t k = 0; k < width; ++k) product *= share_admitted(tables[k]);
    return product;
  };
  for (std::uint32_t l : order) {
    std::size_t best = 0;
    double best_growth = 0;
    for (std::size_t b = 0; b < LiteralBuckets::kBuckets; ++b) {
      Admitted after[LiteralBuckets::kMaxWideFingerprint];
      std::copy(std::begin(admitted[b]), std::end(admitted[b]), std::begin(after));
      widen(after, l);
      const double before = members[b] == 0 ? 0 : expected_passes(admitted[b]);
      const double growth = expected_passes(after) - before;
      if (b == 0 || growth < best_growth || (growth == best_growth && members[b] < members[best])) {
        best = b;
        best_growth = growth;
      }
    }
    widen(admitted[best], l);
    ++members[best];
  }
  for (std::size_t b = 0; b < LiteralBuckets::kBuckets; ++b)
    for (std::size_t k = 0; k < width; ++k)
      for (unsigned value = 0; value < 64; ++value)
        if (admitted[b][k].has(value)) set.wide_table[k][value] |= static_cast<std::uint8_t>(1u << b);
}

}  // namespace

// Each literal goes to the bucket whose tables it widens least (a literal whose first bytes a bucket already
// admits, such as CreateRouteTable next to CreateRoute, costs nothing there), so that each bucket admits few
// byte sequences besides its own literals'. Literals are placed in sorted order, so that similar ones meet.
LiteralBuckets::LiteralBuckets(const std::vector<std::string>& list, Windows windows) : literals(list) {
  if (literals.empty()) return;
  std::size_t shortest = SIZE_MAX;
  for (const std::string& literal : literals) shortest = std::min(shortest, literal.size());
  fingerprint = std::min(kMaxFingerprint, shortest);
  std::vector<std::uint32_t> order(literals.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return literals[a] < literals[b]; });
  std::vector<std::uint32_t> members[kBuckets];       // per bucket: its literals, as indexes into `literals`
  std::uint16_t low[kBuckets][kMaxFingerprint] = {};  // per bucket, per byte: the nibbles it admits, as bits
  std::uint16_t high[kBuckets][kMaxFingerprint] = {};
  for (std::uint32_t l : order) {
    std::size_t best = 0;
    double best_growth = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      std::uint16_t low_after[kMaxFingerprint];
      std::uint16_t high_after[kMaxFingerprint];
      for (std::size_t k = 0; k < fingerprint; ++k) {
        const auto byte = static_cast<unsigned char>(literals[l][k]);
        low_after[k] = static_cast<std::uint16_t>(low[b][k] | (1u << (byte & 0x0F)));
        high_after[k] = static_cast<std::uint16_t>(high[b][k] | (1u << (byte >> 4)));
      }
      const double before = members[b].empty() ? 0 : admitted(low[b], high[b], fingerprint);
      const double growth = admitted(low_after, high_after, fingerprint) - before;
      if (b == 0 || growth < best_growth ||
          (growth == best_growth && members[b].size() < members[best].size())) {
        best = b;
        best_growth = growth;
      }
    }
    for (std::size_t k = 0; k < fingerprint; ++k) {
      const auto byte = static_cast<unsigned char>(literals[l][k]);
      low[best][k] = static_cast<std::uint16_t>(low[best][k] | (1u << (byte & 0x0F)));
      high[best][k] = static_cast<std::uint16_t>(high[best][k] | (1u << (byte >> 4)));
    }
    members[best].push_back(l);
  }
  by_prefix = keyed(literals.size(), fingerprint,
                    [&](std::uint32_t l) { return key_word(literals[l], fingerprint); });
  for (std::size_t b = 0; b < kBuckets; ++b)
    for (std::uint32_t l : members[b])
      for (std::size_t k = 0; k < fingerprint; ++k) {
        const auto byte = static_cast<unsigned char>(literals[l][k]);
        const auto bit = static_cast<std::uint8_t>(1u << b);
        low_nibble[k][byte & 0x0F] |= bit;
        high_nibble[k][byte >> 4] |= bit;
        exact[k][byte] |= bit;
      }
  heads.resize(literals.size());
  head_masks.resize(literals.size());
  for (std::size_t l = 0; l < literals.size(); ++l) {
    const std::size_t n = std::min<std::size_t>(8, literals[l].size());
    std::memcpy(&heads[l], literals[l].data(), n);
    head_masks[l] = n == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
  }
  fill_wide_filter(*this, windows);
  window_key = std::min(wide_fingerprint, shortest);
  by_window = keyed(literals.size(), window_key, [&](std::uint32_t l) {
    return key_word(std::string_view(literals[l]).substr(window_offsets[l]), window_key);
  });
}

LiteralBuckets::~LiteralBuckets() = default;

bool LiteralBuckets::has_inner_windows() const {
  return std::any_of(window_offsets.begin(), window_offsets.end(), [](std::uint32_t k) { return k != 0; });
}

}  // namespace trailwatch
