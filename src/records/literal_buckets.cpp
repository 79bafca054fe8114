#include "records/literal_buckets.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <numeric>

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

// The wide filter's tables. Each literal goes to the bucket whose expected passes (per position of JSON, the
// product over the fingerprint bytes of the share admitted there) grow least, so that common bytes
// ('e', '"') and common words are admitted by few buckets.
void fill_wide_filter(LiteralBuckets& set) {
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
  auto widen = [&](Admitted(&tables)[LiteralBuckets::kMaxWideFingerprint], const std::string& literal) {
    for (std::size_t k = 0; k < width; ++k) {
      if (k < literal.size())
        tables[k].add(static_cast<unsigned char>(literal[k]));
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
      widen(after, literals[l]);
      const double before = members[b] == 0 ? 0 : expected_passes(admitted[b]);
      const double growth = expected_passes(after) - before;
      if (b == 0 || growth < best_growth || (growth == best_growth && members[b] < members[best])) {
        best = b;
        best_growth = growth;
      }
    }
    widen(admitted[best], literals[l]);
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
LiteralBuckets::LiteralBuckets(const std::vector<std::string>& list) : literals(list) {
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
  auto key_of = [&](const std::string& literal) {
    std::uint32_t word = 0;
    for (std::size_t k = 0; k < fingerprint; ++k)
      word |= static_cast<std::uint32_t>(static_cast<unsigned char>(literal[k])) << (8 * k);
    return word;
  };
  prefix_mask = fingerprint >= 4 ? 0xFFFFFFFFu : (1u << (8 * fingerprint)) - 1;
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return key_of(literals[a]) < key_of(literals[b]); });
  by_prefix = order;
  std::size_t size = 16;
  unsigned shift = 28;
  while (size < 4 * literals.size()) size *= 2, --shift;
  prefix_shift = shift;
  prefixes.assign(size, Prefix{});
  for (std::size_t i = 0; i < by_prefix.size();) {
    const std::uint32_t key = key_of(literals[by_prefix[i]]);
    std::size_t j = i;
    while (j < by_prefix.size() && key_of(literals[by_prefix[j]]) == key) ++j;
    std::uint32_t at = slot(key, prefix_shift);
    while (prefixes[at].begin != prefixes[at].end) at = (at + 1) & static_cast<std::uint32_t>(size - 1);
    prefixes[at] = Prefix{key, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)};
    i = j;
  }
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
  fill_wide_filter(*this);
}

LiteralBuckets::~LiteralBuckets() = default;

}  // namespace trailwatch
