// The literal searches of the prefilter: every occurrence of a few literals in a buffer, by vector compares
// of two bytes of each literal, and of many literals, by a Teddy-style bucket filter. Part of the record
// kernel (included by record_kernel_impl.hpp, once per instruction set, so that the search is compiled and
// inlined for each); not a normal header: no include guard on purpose.

namespace trailwatch::TW_KERNEL_NS {

namespace {

#if defined(__AVX512BW__) || defined(__AVX2__) || defined(__SSE2__)
// Where a literal's byte at one offset is at `at0` and its byte at the other at `atd`.
simdjson_inline ByteMatch block_pair(ByteBlock at0, ByteBlock atd, ByteBlock first, ByteBlock second) {
  return match_and(block_eq(at0, first), block_eq(atd, second));
}
#endif

#if defined(__AVX512VBMI__)
// Each of the 64 bytes from `p` looked up in a 64-entry table by its low six bits: one byte permute. (The
// zero-masked form with every lane kept: g++ 12 warns that the plain one reads an uninitialized value.)
simdjson_inline __m512i lookup(__m512i table, const char* p) {
  return _mm512_maskz_permutexvar_epi8(~__mmask64{0}, _mm512_loadu_si512(p), table);
}
#endif

// The literals of `table` keyed `key`, as [first, second) into its members; empty when none. Here, in each
// kernel's own copy, not inline in the header: the linker keeps one copy of an inline function, and the one
// compiled for AVX-512 could be the one the portable kernel calls.
std::pair<std::uint32_t, std::uint32_t> lookup_keyed(const LiteralBuckets::KeyedLiterals& table,
                                                     std::uint32_t key) {
  const auto last = static_cast<std::uint32_t>(table.slots.size() - 1);
  for (std::uint32_t s = LiteralBuckets::slot(key, table.shift);; s = (s + 1) & last) {
    if (table.slots[s].begin == table.slots[s].end) return {0, 0};
    if (table.slots[s].key == key) return {table.slots[s].begin, table.slots[s].end};
  }
}

// Every occurrence of every literal in a buffer, per literal, in order.
class LiteralSearch {
 public:
  /// `first_only`: stop at the first occurrence of any literal (a presence test).
  LiteralSearch(std::string_view data, const std::vector<std::string>& literals,
                std::vector<std::vector<std::size_t>>& hits, bool first_only = false)
      : data_(data), literals_(literals), hits_(hits), first_only_(first_only) {}

  /// True when some literal occurs.
  bool run() {
    scan();
    for (const auto& h : hits_)
      if (!h.empty()) return true;
    return false;
  }

 private:
  void scan() {
    hits_.resize(literals_.size());
    for (auto& h : hits_) h.clear();
    if (literals_.empty()) return;
    std::size_t shortest = SIZE_MAX;
    for (const std::string& literal : literals_) shortest = std::min(shortest, literal.size());
    if (shortest == 0) return;
#if defined(__AVX512VBMI__)
    if (literals_.size() <= 8) {
      bigram_search();
      return;
    }
    for (std::size_t i = 0; i < data_.size() && !found_; ++i) verify(i);
#else
    std::size_t i = 0;
#if defined(__AVX512BW__) || defined(__AVX2__) || defined(__SSE2__)
    const auto [a, b] = rarest_offsets(shortest);
    // The literal count as a template argument keeps every splatted byte in a register.
    switch (literals_.size()) {
      case 1:
        i = blocks<1>(a, b);
        break;
      case 2:
        i = blocks<2>(a, b);
        break;
      case 3:
        i = blocks<3>(a, b);
        break;
      case 4:
        i = blocks<4>(a, b);
        break;
      case 5:
        i = blocks<5>(a, b);
        break;
      case 6:
        i = blocks<6>(a, b);
        break;
      case 7:
        i = blocks<7>(a, b);
        break;
      case 8:
        i = blocks<8>(a, b);
        break;
      default:
        break;
    }
#endif
    for (; i < data_.size() && !found_; ++i) verify(i);
#endif
  }

  void verify(std::size_t at) {
    for (std::size_t l = 0; l < literals_.size(); ++l) {
      const std::string& literal = literals_[l];
      if (at + literal.size() <= data_.size() && data_[at] == literal[0] &&
          std::memcmp(data_.data() + at, literal.data(), literal.size()) == 0) {
        hits_[l].push_back(at);
        found_ = first_only_;
      }
    }
  }

#if defined(__AVX512VBMI__)
  // Each literal is looked for by its own rarest pair of adjacent bytes (by the product of their folded
  // frequencies), at its own offset: two 64-entry tables, one for each byte of a pair, say which literals
  // have a byte with those low six bits there (bit l: literal l), and one permute per table looks 64
  // positions up at once. Where both agree, a literal's pair may sit; only that literal is compared in full,
  // at the pair's position less its offset. Two permutes per 64 bytes whatever the number of literals (up to
  // 8), where the compares of two bytes per literal cost two compares per literal: the presence test of the
  // default rule (3 literals) went from 17.8 to 27.8 GB/s (trailwatch_bench BM_MayMatchNoCandidate).
  void bigram_search() {
    alignas(64) std::uint8_t first_byte[64] = {};
    alignas(64) std::uint8_t second_byte[64] = {};
    std::size_t offsets[8] = {};
    for (std::size_t l = 0; l < literals_.size(); ++l) {
      const std::string& literal = literals_[l];
      const auto bit = static_cast<std::uint8_t>(1u << l);
      std::uint64_t best_cost = UINT64_MAX;
      for (std::size_t k = 0; k + 1 < literal.size(); ++k) {
        const std::uint64_t cost =
            std::uint64_t{folded_frequency(literal[k])} * folded_frequency(literal[k + 1]);
        if (cost < best_cost) {
          best_cost = cost;
          offsets[l] = k;
        }
      }
      first_byte[static_cast<unsigned char>(literal[offsets[l]]) & 0x3F] |= bit;
      if (literal.size() == 1) {
        for (std::uint8_t& entry : second_byte) entry |= bit;  // any byte may follow a literal of one byte
      } else {
        second_byte[static_cast<unsigned char>(literal[offsets[l] + 1]) & 0x3F] |= bit;
      }
    }
    const __m512i first_table = _mm512_load_si512(first_byte);
    const __m512i second_table = _mm512_load_si512(second_byte);
    const char* p = data_.data();
    // `at`: where a pair may start. The last position has no byte after it: only a literal of one byte can
    // sit there, and the scalar tail treats the missing byte as any.
    std::size_t at = 0;
    for (; at + 64 + 1 <= data_.size(); at += 64) {
      const __m512i firsts = lookup(first_table, p + at);
      const __m512i seconds = lookup(second_table, p + at + 1);
      const std::uint64_t mask = _mm512_test_epi8_mask(firsts, seconds);
      if (simdjson_likely(mask == 0)) continue;
      for (std::uint64_t m = mask; m != 0; m &= m - 1) {
        const std::size_t pair = at + static_cast<std::size_t>(__builtin_ctzll(m));
        verify_pair(pair,
                    first_byte[static_cast<unsigned char>(p[pair]) & 0x3F] &
                        second_byte[static_cast<unsigned char>(p[pair + 1]) & 0x3F],
                    offsets);
        if (found_) return;
      }
    }
    for (; at < data_.size() && !found_; ++at) {
      std::uint8_t literals = first_byte[static_cast<unsigned char>(p[at]) & 0x3F];
      if (at + 1 < data_.size()) literals &= second_byte[static_cast<unsigned char>(p[at + 1]) & 0x3F];
      if (literals != 0) verify_pair(at, literals, offsets);
    }
  }

  // Compares in full each literal of `literals` (bits) whose pair may sit at `pair`.
  void verify_pair(std::size_t pair, std::uint8_t literals, const std::size_t (&offsets)[8]) {
    for (; literals != 0; literals &= static_cast<std::uint8_t>(literals - 1)) {
      const auto l = static_cast<std::size_t>(__builtin_ctz(literals));
      if (pair < offsets[l]) continue;
      const std::size_t at = pair - offsets[l];
      const std::string& literal = literals_[l];
      if (at + literal.size() <= data_.size() &&
          std::memcmp(data_.data() + at, literal.data(), literal.size()) == 0) {
        hits_[l].push_back(at);
        found_ = first_only_;
        if (found_) return;
      }
    }
  }
#elif defined(__AVX512BW__) || defined(__AVX2__) || defined(__SSE2__)
  // The two offsets, below `shortest`, whose bytes are rarest in CloudTrail's JSON summed over the literals:
  // where both match is where a literal may start. The first byte of "DisableKey" and "ScheduleKeyDeletion"
  // with their fifth match 2.5 times less often than with their tenth, in the corpora of bench/compare.py.
  std::pair<std::size_t, std::size_t> rarest_offsets(std::size_t shortest) const {
    if (shortest == 1) return {0, 0};
    std::size_t first = 0;
    std::size_t second = 1;
    std::uint64_t first_cost = UINT64_MAX;
    std::uint64_t second_cost = UINT64_MAX;
    for (std::size_t k = 0; k < shortest; ++k) {
      std::uint64_t cost = 0;
      for (const std::string& literal : literals_)
        cost += kCloudTrailByteFrequency[static_cast<unsigned char>(literal[k])];
      if (cost < first_cost) {
        second = first;
        second_cost = first_cost;
        first = k;
        first_cost = cost;
      } else if (cost < second_cost) {
        second = k;
        second_cost = cost;
      }
    }
    return {std::min(first, second), std::max(first, second)};
  }

  // Vector compares of each literal's bytes at offsets `a` and `b` (the same for all, so two loads per block
  // serve every literal) find the few places worth a full compare. Returns where the scalar tail starts.
  template <std::size_t N>
  std::size_t blocks(std::size_t a, std::size_t b) {
    ByteBlock firsts[N];
    ByteBlock seconds[N];
    for (std::size_t l = 0; l < N; ++l) {
      firsts[l] = block_splat(literals_[l][a]);
      seconds[l] = block_splat(literals_[l][b]);
    }
    const char* p = data_.data();
    std::size_t i = 0;
    // 64 bytes per step (one block with AVX-512, two with AVX2): one test of one mask, usually zero.
    for (; i + 64 + b <= data_.size(); i += 64) {
      std::uint64_t mask = 0;
      for (std::size_t part = 0; part < kBlocksPer64; ++part) {
        const std::size_t at = i + part * kByteBlockWidth;
        const ByteBlock at0 = block_load(p + at + a);
        const ByteBlock atd = block_load(p + at + b);
        ByteMatch found = block_pair(at0, atd, firsts[0], seconds[0]);
        for (std::size_t l = 1; l < N; ++l)
          found = match_or(found, block_pair(at0, atd, firsts[l], seconds[l]));
        mask |= std::uint64_t{match_bits(found)} << (part * kByteBlockWidth);
      }
      // Said to be likely so that the compiler keeps the splatted bytes in registers for the loop and saves
      // them only around verify(): unsaid, it has kept them on the stack, reloading them every step (+15%).
      if (simdjson_likely(mask == 0)) continue;
      for (std::uint64_t m = mask; m != 0; m &= m - 1) {
        verify(i + static_cast<std::size_t>(__builtin_ctzll(m)));
        if (found_) return data_.size();
      }
    }
    for (; i + kByteBlockWidth + b <= data_.size(); i += kByteBlockWidth) {
      const ByteBlock at0 = block_load(p + i + a);
      const ByteBlock atd = block_load(p + i + b);
      ByteMatch found = block_pair(at0, atd, firsts[0], seconds[0]);
      for (std::size_t l = 1; l < N; ++l)
        found = match_or(found, block_pair(at0, atd, firsts[l], seconds[l]));
      for (std::uint64_t mask = match_bits(found); mask != 0; mask &= mask - 1) {
        verify(i + static_cast<std::size_t>(__builtin_ctzll(mask)));
        if (found_) return data_.size();
      }
    }
    return i;
  }
#endif

  std::string_view data_;
  const std::vector<std::string>& literals_;
  std::vector<std::vector<std::size_t>>& hits_;
  bool first_only_;
  bool found_ = false;
};
// Every occurrence of many literals (LiteralBuckets: dozens to hundreds) in one pass, in order of offset: a
// filter on each position's first bytes says which buckets may start there, and only their literals are
// compared in full. With AVX2 or AVX-512 the filter is Teddy's: each of the first bytes is split into its
// nibbles, and one shuffle per nibble looks up, for 32 or 64 positions at once, the buckets that have a
// literal with that nibble there; the buckets of a position are the AND over its bytes. Without it (the
// portable kernel has no byte shuffle before SSSE3), a scalar loop looks each byte up in the exact per-byte
// tables.
class MultiLiteralSearch {
 public:
  /// Gives up (returns false, hits incomplete) once `hits` holds `limit` occurrences: a buffer made of one
  /// literal repeated must not make a list many times its size.
  MultiLiteralSearch(std::string_view data, const LiteralBuckets& set, std::vector<LiteralHit>& hits,
                     std::size_t limit)
      : data_(data), set_(set), hits_(hits), limit_(limit) {}

  bool run() {
    hits_.clear();
    if (set_.fingerprint == 0) return true;
#if defined(__AVX512VBMI__)
    return windows();
#else
    switch (set_.fingerprint) {
      case 1:
        return scan<1>();
      case 2:
        return scan<2>();
      case 3:
        return scan<3>();
      default:
        return scan<4>();
    }
#endif
  }

 private:
#if defined(__AVX512VBMI__)
  // The wide filter finds the places of the literals' windows; each literal starts its window's offset
  // before. The last places (fewer than a block and a window) are looked up directly. Hits come in the order
  // of their windows, which is not that of their starts when offsets differ: sorted once at the end (the
  // occurrence lists are walked in order of offset).
  bool windows() {
    std::size_t at = wide_blocks();
    if (at == SIZE_MAX) return false;
    for (; at < data_.size(); ++at)
      if (!verify_window(at)) return false;
    const auto by_offset = [](const LiteralHit& a, const LiteralHit& b) { return a.offset < b.offset; };
    if (!std::is_sorted(hits_.begin(), hits_.end(), by_offset))
      std::sort(hits_.begin(), hits_.end(), [](const LiteralHit& a, const LiteralHit& b) {
        return a.offset != b.offset ? a.offset < b.offset : a.literal < b.literal;
      });
    return true;
  }

  // Compares in full the literals whose window may start at `at` (looked up by its first bytes, the
  // window's key); false when the list is full.
  bool verify_window(std::size_t at) {
    const std::size_t room = data_.size() - at;
    if (room < set_.window_key) return true;
    std::uint32_t word = 0;
    if (room >= 4) {
      std::memcpy(&word, data_.data() + at, 4);
    } else {
      for (std::size_t k = 0; k < room; ++k)
        word |= std::uint32_t{static_cast<unsigned char>(data_[at + k])} << (8 * k);
    }
    const LiteralBuckets::KeyedLiterals& table = set_.by_window;
    const auto [first, last] = lookup_keyed(table, word & table.mask);
    for (std::uint32_t i = first; i < last; ++i) {
      const std::uint32_t l = table.members[i];
      const std::size_t offset = set_.window_offsets[l];
      if (offset > at) continue;
      const std::size_t start = at - offset;
      const std::string& literal = set_.literals[l];
      if (literal.size() > data_.size() - start ||
          std::memcmp(data_.data() + start, literal.data(), literal.size()) != 0)
        continue;
      if (hits_.size() >= limit_) return false;
      hits_.push_back(LiteralHit{start, l});
    }
    return true;
  }
#endif

  template <std::size_t M>
  bool scan() {
    std::size_t i = 0;
#if defined(__AVX2__) && !defined(__AVX512VBMI__)
    i = blocks<M>();
#endif
    if (i == SIZE_MAX) return false;
    const auto* p = reinterpret_cast<const unsigned char*>(data_.data());
    for (; i + M <= data_.size(); ++i) {
      std::uint8_t buckets = set_.exact[0][p[i]];
      if (simdjson_likely(buckets == 0)) continue;
      if constexpr (M > 1) buckets &= set_.exact[1][p[i + 1]];
      if constexpr (M > 2) buckets &= set_.exact[2][p[i + 2]];
      if constexpr (M > 3) buckets &= set_.exact[3][p[i + 3]];
      if (buckets != 0 && !verify(i)) return false;
    }
    return true;
  }

  // Compares in full, at `at`, the literals that start with its first fingerprint bytes (looked up in the
  // table of prefixes: most candidates share only a bucket's nibbles, and miss); false when the list is full.
  bool verify(std::size_t at) {
    const std::size_t room = data_.size() - at;
    const char* here = data_.data() + at;
    std::uint64_t word = 0;  // the next 8 bytes, zeros past the end
    if (room >= 8) {
      std::memcpy(&word, here, 8);
    } else {
      for (std::size_t k = 0; k < room; ++k)
        word |= std::uint64_t{static_cast<unsigned char>(here[k])} << (8 * k);
    }
    const LiteralBuckets::KeyedLiterals& table = set_.by_prefix;
    const auto [first, last] = lookup_keyed(table, static_cast<std::uint32_t>(word) & table.mask);
    for (std::uint32_t i = first; i < last; ++i) {
      const std::uint32_t l = table.members[i];
      if ((word & set_.head_masks[l]) != set_.heads[l]) continue;
      const std::string& literal = set_.literals[l];
      if (literal.size() > room) continue;
      if (literal.size() > 8 && std::memcmp(here + 8, literal.data() + 8, literal.size() - 8) != 0) continue;
      if (hits_.size() >= limit_) return false;
      hits_.push_back(LiteralHit{at, l});
    }
    return true;
  }

#if defined(__AVX512VBMI__)
  std::size_t wide_blocks() {
    switch (set_.wide_fingerprint) {
      case 1:
        return wide_blocks<1>();
      case 2:
        return wide_blocks<2>();
      case 3:
        return wide_blocks<3>();
      default:
        return wide_blocks<4>();
    }
  }

  // The wide filter: for each of 64 positions at once, each of its first W bytes looked up in its 64-entry
  // table by its low six bits (one permute); a bucket passes where every byte admits it. Returns where the
  // scalar tail starts, or SIZE_MAX when the list is full.
  template <std::size_t W>
  std::size_t wide_blocks() {
    static_assert(W <= LiteralBuckets::kMaxWideFingerprint);
    __m512i tables[W];
    for (std::size_t k = 0; k < W; ++k) tables[k] = _mm512_loadu_si512(set_.wide_table[k]);
    const char* p = data_.data();
    std::size_t i = 0;
    for (; i + 64 + W - 1 <= data_.size(); i += 64) {
      __m512i buckets = lookup(tables[0], p + i);
      for (std::size_t k = 1; k < W; ++k) buckets = _mm512_and_si512(buckets, lookup(tables[k], p + i + k));
      const std::uint64_t mask = _mm512_test_epi8_mask(buckets, buckets);
      if (simdjson_likely(mask == 0)) continue;
      for (std::uint64_t m = mask; m != 0; m &= m - 1)
        if (!verify_window(i + static_cast<std::size_t>(__builtin_ctzll(m)))) return SIZE_MAX;
    }
    return i;
  }
#elif defined(__AVX2__)
  // The buckets that may start at each of the 32 positions from `p`, as a byte each.
  template <std::size_t M>
  static simdjson_inline __m256i candidates(const char* p, const __m256i* low, const __m256i* high) {
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    __m256i buckets = _mm256_set1_epi8(static_cast<char>(0xFF));
    for (std::size_t k = 0; k < M; ++k) {
      const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + k));
      const __m256i lo = _mm256_shuffle_epi8(low[k], _mm256_and_si256(bytes, nibble));
      const __m256i hi = _mm256_shuffle_epi8(high[k], _mm256_and_si256(_mm256_srli_epi16(bytes, 4), nibble));
      buckets = _mm256_and_si256(buckets, _mm256_and_si256(lo, hi));
    }
    return buckets;
  }

  // Returns where the scalar tail starts, or SIZE_MAX when the list is full.
  template <std::size_t M>
  std::size_t blocks() {
    __m256i low[M];
    __m256i high[M];
    for (std::size_t k = 0; k < M; ++k) {
      // Shuffles look up within each 128-bit half: the 16-entry table in both.
      low[k] =
          _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(set_.low_nibble[k])));
      high[k] =
          _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(set_.high_nibble[k])));
    }
    const __m256i zero = _mm256_setzero_si256();
    const char* p = data_.data();
    std::size_t i = 0;
    // Two blocks per step, one test for both: most steps have no candidate at all.
    for (; i + 64 + M - 1 <= data_.size(); i += 64) {
      const __m256i a = candidates<M>(p + i, low, high);
      const __m256i b = candidates<M>(p + i + 32, low, high);
      if (simdjson_likely(_mm256_testz_si256(_mm256_or_si256(a, b), _mm256_or_si256(a, b)))) continue;
      if (!verify_block(i, a, zero) || !verify_block(i + 32, b, zero)) return SIZE_MAX;
    }
    for (; i + 32 + M - 1 <= data_.size(); i += 32)
      if (!verify_block(i, candidates<M>(p + i, low, high), zero)) return SIZE_MAX;
    return i;
  }

  bool verify_block(std::size_t at, __m256i buckets, __m256i zero) {
    auto mask = ~static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(buckets, zero)));
    if (mask == 0) return true;
    for (; mask != 0; mask &= mask - 1)
      if (!verify(at + static_cast<unsigned>(__builtin_ctz(mask)))) return false;
    return true;
  }
#endif

  std::string_view data_;
  const LiteralBuckets& set_;
  std::vector<LiteralHit>& hits_;
  std::size_t limit_;
};

// The search as SearchPlan calls it: once per clause and once per buffer, so the call through a pointer costs
// nothing next to the search.
constexpr LiteralFinder kLiteralFinder {
  [](std::string_view data, const std::vector<std::string>& literals,
     std::vector<std::vector<std::size_t>>& hits) { return LiteralSearch(data, literals, hits, true).run(); },
      [](std::string_view data, const std::vector<std::string>& literals,
         std::vector<std::vector<std::size_t>>& hits) { return LiteralSearch(data, literals, hits).run(); },
      [](std::string_view data, const LiteralBuckets& set, std::vector<LiteralHit>& hits, std::size_t limit) {
        return MultiLiteralSearch(data, set, hits, limit).run();
      },
#if defined(__AVX512VBMI__)
      true,
#else
      false,
#endif
};

}  // namespace

// For the tests, which compare each kernel's search with a naive one.
LiteralFinder literal_finder() {
  return kLiteralFinder;
}

}  // namespace trailwatch::TW_KERNEL_NS
