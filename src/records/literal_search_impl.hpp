// The literal search of the prefilter: every occurrence of a few literals in a buffer, by vector compares of
// two bytes of each literal. Part of the record kernel (included by record_kernel_impl.hpp, once per
// instruction set, so that the search is compiled and inlined for each); not a normal header: no include
// guard on purpose.

namespace trailwatch::TW_KERNEL_NS {

namespace {

#if defined(__AVX2__) || defined(__SSE2__)
// Where byte 0 of a literal is at `at0` and its byte d at `atd`.
simdjson_inline ByteBlock block_pair(ByteBlock at0, ByteBlock atd, ByteBlock first, ByteBlock second) {
  return block_and(block_eq(at0, first), block_eq(atd, second));
}
#endif

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
    std::size_t i = 0;
#if defined(__AVX2__) || defined(__SSE2__)
    // The literal count as a template argument keeps every splatted byte in a register.
    switch (literals_.size()) {
      case 1:
        i = blocks<1>(shortest - 1);
        break;
      case 2:
        i = blocks<2>(shortest - 1);
        break;
      case 3:
        i = blocks<3>(shortest - 1);
        break;
      case 4:
        i = blocks<4>(shortest - 1);
        break;
      case 5:
        i = blocks<5>(shortest - 1);
        break;
      case 6:
        i = blocks<6>(shortest - 1);
        break;
      case 7:
        i = blocks<7>(shortest - 1);
        break;
      case 8:
        i = blocks<8>(shortest - 1);
        break;
      default:
        break;
    }
#endif
    for (; i < data_.size() && !found_; ++i) verify(i);
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

#if defined(__AVX2__) || defined(__SSE2__)
  // Vector compares of each literal's byte 0 and byte `d` (one offset for all, so two loads per block serve
  // every literal) find the few places worth a full compare. Returns where the scalar tail starts.
  template <std::size_t N>
  std::size_t blocks(std::size_t d) {
    ByteBlock firsts[N];
    ByteBlock seconds[N];
    for (std::size_t l = 0; l < N; ++l) {
      firsts[l] = block_splat(literals_[l][0]);
      seconds[l] = block_splat(literals_[l][d]);
    }
    const char* p = data_.data();
    std::size_t i = 0;
    // Two blocks per step: one test of both masks, usually zero, for every 2 x kByteBlockWidth bytes.
    for (; i + 2 * kByteBlockWidth + d <= data_.size(); i += 2 * kByteBlockWidth) {
      const ByteBlock a0 = block_load(p + i);
      const ByteBlock ad = block_load(p + i + d);
      const ByteBlock b0 = block_load(p + i + kByteBlockWidth);
      const ByteBlock bd = block_load(p + i + kByteBlockWidth + d);
      ByteBlock found_a = block_pair(a0, ad, firsts[0], seconds[0]);
      ByteBlock found_b = block_pair(b0, bd, firsts[0], seconds[0]);
      for (std::size_t l = 1; l < N; ++l) {
        found_a = block_or(found_a, block_pair(a0, ad, firsts[l], seconds[l]));
        found_b = block_or(found_b, block_pair(b0, bd, firsts[l], seconds[l]));
      }
      const std::uint64_t mask =
          block_bits(found_a) | (static_cast<std::uint64_t>(block_bits(found_b)) << kByteBlockWidth);
      // Said to be likely so that the compiler keeps the splatted bytes in registers for the loop and saves
      // them only around verify(): unsaid, it has kept them on the stack, reloading them every step (+15%).
      if (simdjson_likely(mask == 0)) continue;
      for (std::uint64_t m = mask; m != 0; m &= m - 1) {
        verify(i + static_cast<std::size_t>(__builtin_ctzll(m)));
        if (found_) return data_.size();
      }
    }
    for (; i + kByteBlockWidth + d <= data_.size(); i += kByteBlockWidth) {
      const ByteBlock at0 = block_load(p + i);
      const ByteBlock atd = block_load(p + i + d);
      ByteBlock found = block_pair(at0, atd, firsts[0], seconds[0]);
      for (std::size_t l = 1; l < N; ++l)
        found = block_or(found, block_pair(at0, atd, firsts[l], seconds[l]));
      for (std::uint32_t mask = block_bits(found); mask != 0; mask &= mask - 1) {
        verify(i + static_cast<std::size_t>(__builtin_ctz(mask)));
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
// The search as SearchPlan calls it: once per clause and once per buffer, so the call through a pointer costs
// nothing next to the search.
constexpr LiteralFinder kLiteralFinder{
    [](std::string_view data, const std::vector<std::string>& literals,
       std::vector<std::vector<std::size_t>>& hits) {
      return LiteralSearch(data, literals, hits, true).run();
    },
    [](std::string_view data, const std::vector<std::string>& literals,
       std::vector<std::vector<std::size_t>>& hits) { return LiteralSearch(data, literals, hits).run(); }};

}  // namespace

}  // namespace trailwatch::TW_KERNEL_NS
