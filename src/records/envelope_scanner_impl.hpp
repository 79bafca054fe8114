// The envelope scanner: finds the records of a buffer that holds exactly one plainly written
// {"Records":[{...},{...}]} in one pass over 64-byte blocks, without simdjson's stage 1 or its skip loop.
// Part of the record kernel (included by record_kernel_impl.hpp, once per instruction set); not a normal
// header: no include guard on purpose.
//
// Why: with a prefilter, the reader only needs each record's extent and a count for the records that cannot
// match, and simdjson's structural index plus its skip loop cost a third of a scan's time for that. This
// scanner tracks strings (escapes included) and bracket depth only, with the same checks simdjson's path
// applies to a skipped record: UTF-8, closed strings, no control characters in strings, balanced brackets,
// records separated by commas. It vouches for a buffer only when it is sure the On-Demand path would accept
// it and delimit the same records; on anything else it gives up before a record is delivered, and that path
// reads the buffer and words the error.

namespace trailwatch::TW_KERNEL_NS {

namespace {

// One bit per byte of a 64-byte block. Backslashes, control characters and non-ASCII bytes are rare in
// CloudTrail's JSON: one test says whether a block has any (`rare`), and only then are their masks made.
struct BlockMasks {
  std::uint64_t quote = 0;
  std::uint64_t open = 0;   // '{' or '['
  std::uint64_t close = 0;  // '}' or ']'
  bool rare = false;
  std::uint64_t backslash = 0;  // these three only when `rare`
  std::uint64_t control = 0;    // below 0x20
  std::uint64_t high = 0;       // not ASCII
};

#if defined(__AVX512BW__) || defined(__AVX2__) || defined(__SSE2__)
simdjson_inline BlockMasks classify(const char* p) {
  const ByteBlock quote = block_splat('"');
  const ByteBlock backslash = block_splat('\\');
  // '[' and ']' are '{' and '}' with bit 5 clear.
  const ByteBlock case_bit = block_splat(0x20);
  const ByteBlock open = block_splat('{');
  const ByteBlock close = block_splat('}');
  // As signed bytes, control characters and non-ASCII bytes are both below 0x20.
  const ByteBlock space = block_splat(0x20);
  ByteBlock bytes[kBlocksPer64];
  ByteMatch backslashes[kBlocksPer64];
  ByteMatch lows[kBlocksPer64];
  ByteMatch rare = match_none();
  BlockMasks m;
  for (std::size_t part = 0; part < kBlocksPer64; ++part) {
    const std::size_t shift = part * kByteBlockWidth;
    bytes[part] = block_load(p + shift);
    const ByteBlock folded = block_or(bytes[part], case_bit);
    m.quote |= std::uint64_t{match_bits(block_eq(bytes[part], quote))} << shift;
    m.open |= std::uint64_t{match_bits(block_eq(folded, open))} << shift;
    m.close |= std::uint64_t{match_bits(block_eq(folded, close))} << shift;
    backslashes[part] = block_eq(bytes[part], backslash);
    lows[part] = block_signed_less(bytes[part], space);
    rare = match_or(rare, match_or(backslashes[part], lows[part]));
  }
  if (!match_any(rare)) return m;
  m.rare = true;
  for (std::size_t part = 0; part < kBlocksPer64; ++part) {
    const std::size_t shift = part * kByteBlockWidth;
    m.backslash |= std::uint64_t{match_bits(backslashes[part])} << shift;
    m.high |= std::uint64_t{block_top_bits(bytes[part])} << shift;
    m.control |= std::uint64_t{match_bits(lows[part])} << shift;
  }
  m.control &= ~m.high;
  return m;
}
#else
simdjson_inline BlockMasks classify(const char* p) {
  BlockMasks m;
  for (int i = 0; i < 64; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (c == '"') m.quote |= bit;
    if (c == '\\') m.backslash |= bit;
    if ((c | 0x20) == '{') m.open |= bit;
    if ((c | 0x20) == '}') m.close |= bit;
    if (c < 0x20) m.control |= bit;
    if (c >= 0x80) m.high |= bit;
  }
  m.rare = (m.backslash | m.control | m.high) != 0;
  return m;
}
#endif

// Bit i of the result is the XOR of bits 0..i: from an opening quote up to (not including) its closing one.
simdjson_inline std::uint64_t prefix_xor(std::uint64_t bits) {
#if defined(__PCLMUL__)
  return static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_clmulepi64_si128(
      _mm_set_epi64x(0, static_cast<long long>(bits)), _mm_set1_epi8(static_cast<char>(0xFF)), 0)));
#else
  for (int shift = 1; shift < 64; shift *= 2) bits ^= bits << shift;
  return bits;
#endif
}

// For skim(), which wants only the quotes and brackets of a block without rare bytes: false (and `m` not
// filled) when the block has a backslash, a control character or a non-ASCII byte. With AVX-512 the test of
// the two masks is one kortest, where classify() moves both to general registers to OR them: with the two
// ANDNs of outside(), 4 to 5% more record-reading throughput (bench: 21 files of each corpus).
simdjson_inline bool classify_plain(const char* p, BlockMasks& m) {
#if defined(__AVX512BW__)
  const __m512i bytes = _mm512_loadu_si512(p);
  if (!_kortestz_mask64_u8(_mm512_cmpeq_epi8_mask(bytes, _mm512_set1_epi8('\\')),
                           _mm512_cmplt_epi8_mask(bytes, _mm512_set1_epi8(0x20))))
    return false;
  const __m512i folded = _mm512_or_si512(bytes, _mm512_set1_epi8(0x20));  // '[' and ']' as '{' and '}'
  m.quote = _mm512_cmpeq_epi8_mask(bytes, _mm512_set1_epi8('"'));
  m.open = _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('{'));
  m.close = _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('}'));
  return true;
#else
  m = classify(p);
  return !m.rare;
#endif
}

// The bits of `bits` outside strings. With BMI1, one ANDN each: the compiler computes ~in_string once and
// ANDs it twice (three instructions and a move), which the block loop, short of instruction slots, feels.
simdjson_inline std::uint64_t outside(std::uint64_t in_string, std::uint64_t bits) {
#if defined(__BMI__) && (defined(__x86_64__) || defined(_M_X64))
  std::uint64_t out;
  asm("andn %1, %2, %0" : "=r"(out) : "rm"(bits), "r"(in_string));  // out = ~in_string & bits
  return out;
#else
  return bits & ~in_string;
#endif
}

// Which bytes a backslash escapes, carried across blocks: simdjson's method (a run of backslashes escapes
// the byte after it when the run's length is odd).
class EscapeTracker {
 public:
  /// Whether the next block's first byte is escaped.
  simdjson_inline bool pending() const { return escaped_next_ != 0; }

  simdjson_inline std::uint64_t escaped(std::uint64_t backslash) {
    if (backslash == 0) {
      const std::uint64_t escaped = escaped_next_;
      escaped_next_ = 0;
      return escaped;
    }
    backslash &= ~escaped_next_;
    const std::uint64_t follows_escape = backslash << 1 | escaped_next_;
    constexpr std::uint64_t kEvenBits = 0x5555555555555555ULL;
    const std::uint64_t odd_sequence_starts = backslash & ~kEvenBits & ~follows_escape;
    std::uint64_t sequences_starting_on_even_bits = 0;
    escaped_next_ =
        __builtin_add_overflow(odd_sequence_starts, backslash, &sequences_starting_on_even_bits) ? 1 : 0;
    const std::uint64_t invert_mask = sequences_starting_on_even_bits << 1;
    return (kEvenBits ^ invert_mask) & follows_escape;
  }

 private:
  std::uint64_t escaped_next_ = 0;
};

std::size_t skip_blanks(std::string_view data, std::size_t at) {
  while (at < data.size() && is_json_blank(data[at])) ++at;
  return at;
}

// Where the first record starts, just past `{"Records":[` (blanks allowed between tokens); npos when the
// buffer does not start so. `empty` is set for `{"Records":[]}`.
std::size_t first_record_offset(std::string_view data, bool& empty) {
  std::size_t at = skip_blanks(data, 0);
  if (at == data.size() || data[at] != '{') return std::string_view::npos;
  at = skip_blanks(data, at + 1);
  if (data.substr(at, 9) != "\"Records\"") return std::string_view::npos;
  at = skip_blanks(data, at + 9);
  if (at == data.size() || data[at] != ':') return std::string_view::npos;
  at = skip_blanks(data, at + 1);
  if (at == data.size() || data[at] != '[') return std::string_view::npos;
  at = skip_blanks(data, at + 1);
  if (at == data.size()) return std::string_view::npos;
  empty = data[at] == ']';
  return empty || data[at] == '{' ? at : std::string_view::npos;
}

// After a record ends at `at`: the next record's offset, or npos when the buffer does not go on plainly;
// `last` is set when `]}` and blanks end the buffer.
std::size_t next_record_offset(std::string_view data, std::size_t at, bool& last) {
  at = skip_blanks(data, at);
  if (at == data.size()) return std::string_view::npos;
  if (data[at] == ',') {
    at = skip_blanks(data, at + 1);
    return at < data.size() && data[at] == '{' ? at : std::string_view::npos;
  }
  if (data[at] != ']') return std::string_view::npos;
  at = skip_blanks(data, at + 1);
  if (at == data.size() || data[at] != '}') return std::string_view::npos;
  if (skip_blanks(data, at + 1) != data.size()) return std::string_view::npos;
  last = true;
  return at;
}

// Control characters are allowed only as blanks between tokens (simdjson rejects them in strings).
bool controls_are_blanks(const char* block, std::uint64_t controls, std::uint64_t in_string) {
  if ((controls & in_string) != 0) return false;
  for (; controls != 0; controls &= controls - 1) {
    const char c = block[__builtin_ctzll(controls)];
    if (c != '\n' && c != '\r' && c != '\t') return false;
  }
  return true;
}

// The state of a scan between 64-byte blocks.
class EnvelopeScan {
 public:
  enum class Step { More, Done, Fail };

  EnvelopeScan(std::string_view data, std::size_t first_record) : data_(data), expected_(first_record) {}

  /// Passes over the blocks from `base` that need nothing but their depth and string state moved: plain
  /// ASCII without escapes or control characters, inside a record deeper than the block closes. That is
  /// almost every block, and this loop makes no call (block() may: UTF-8 checks, records), so that its
  /// constants stay in registers instead of being made again for every block. Returns the offset of the first
  /// block it did not pass over, for block() to scan.
  simdjson_inline std::size_t skim(const char* data, std::size_t base, std::size_t size) {
    if (non_ascii_from_ != std::string_view::npos || escapes_.pending()) return base;
    for (; size - base >= 64; base += 64) {
      BlockMasks m;
      if (!classify_plain(data + base, m)) return base;
      const std::uint64_t in_string = prefix_xor(m.quote) ^ in_string_carry_;
      const std::uint64_t opens = outside(in_string, m.open);
      const std::uint64_t closes = outside(in_string, m.close);
      if (!passes_over(opens, closes)) return base;
      in_string_carry_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(in_string) >> 63);
    }
    return base;
  }

  /// For a block whose brackets outside strings are `opens` and `closes`: when no record can start or end in
  /// it (the depth stays above zero throughout), moves the depth by the counts alone and returns true; the
  /// deepest level is bounded by all opening brackets coming first. Otherwise changes nothing.
  simdjson_inline bool passes_over(std::uint64_t opens, std::uint64_t closes) {
    const std::int64_t close_count = __builtin_popcountll(closes);
    if (depth_ <= close_count && depth_ <= lowest_depth_bound(opens, closes, close_count)) return false;
    const std::int64_t open_count = __builtin_popcountll(opens);
    deepest_ = std::max(deepest_, depth_ + open_count);
    depth_ = depth_ + open_count - close_count;
    return true;
  }

  /// How far below the depth at its start a block can go, at most: the closing brackets before its first
  /// opening one, then the rest less one (after an opening bracket, all the rest could close at once). A
  /// block at a record's top level that closes a member object (`"userIdentity":{...}`) is then seen not to
  /// end the record, where the count of its closing brackets alone said it might: 14% of the blocks that
  /// left the loop on both corpora (the rest start or end a record).
  static simdjson_inline std::int64_t lowest_depth_bound(std::uint64_t opens, std::uint64_t closes,
                                                         std::int64_t close_count) {
    const std::uint64_t before_first_open = (opens & (0 - opens)) - 1;  // all ones without an opening bracket
    const std::int64_t leading = __builtin_popcountll(closes & before_first_open);
    const std::int64_t rest = close_count - leading;
    return leading + (rest > 0 ? rest - 1 : 0);
  }

  /// Scans the block at offset `base` whose bytes are `block` (the data's own, or a copy of its last bytes
  /// followed by blanks).
  template <typename OnRecord>
  simdjson_inline Step block(const char* block, std::size_t base, OnRecord& on_record) {
    const BlockMasks m = classify(block);
    std::uint64_t quotes = m.quote;
    if (m.rare) {
      if (!rare_bytes(m, base)) return Step::Fail;
      quotes &= ~escapes_.escaped(m.backslash);
    } else {
      quotes &= ~escapes_.escaped(0);
      if (!flush_non_ascii(base)) return Step::Fail;
    }
    const std::uint64_t in_string = prefix_xor(quotes) ^ in_string_carry_;
    in_string_carry_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(in_string) >> 63);
    if (m.control != 0 && !controls_are_blanks(block, m.control, in_string)) return Step::Fail;
    const std::uint64_t opens = outside(in_string, m.open);
    const std::uint64_t closes = outside(in_string, m.close);
    if (passes_over(opens, closes)) return Step::More;
    // Whether a bracket opens or closes is data the branch predictor cannot guess: the depth moves without a
    // branch, and only a record's start and end (or damage) take one, which is rare and so well predicted.
    for (std::uint64_t brackets = opens | closes; brackets != 0; brackets &= brackets - 1) {
      const auto bit = static_cast<unsigned>(__builtin_ctzll(brackets));
      const auto open = static_cast<std::int64_t>((opens >> bit) & 1);
      depth_ += 2 * open - 1;
      deepest_ = std::max(deepest_, depth_);
      if (simdjson_likely(depth_ > 1 || (depth_ == 1 && open == 0))) continue;
      const std::size_t at = base + bit;
      // The array's `]` is found by next_record_offset: nothing else may close at the top.
      if (depth_ < 0) return Step::Fail;
      if (depth_ == 1) {  // a record starts
        if (at != expected_) return Step::Fail;
        record_begin_ = at;
        deepest_ = 1;
        continue;
      }
      if (!on_record(record_begin_, at + 1, static_cast<std::size_t>(deepest_))) return Step::Fail;
      bool last = false;
      expected_ = next_record_offset(data_, at + 1, last);
      if (expected_ == std::string_view::npos) return Step::Fail;
      // Blanks and `]}` follow: a pending non-ASCII run is all before them.
      if (last) return flush_non_ascii(at + 1) ? Step::Done : Step::Fail;
    }
    return Step::More;
  }

 private:
  // UTF-8 is checked over each run of blocks holding non-ASCII bytes: the all-ASCII bytes around a run
  // cannot hold part of one of its characters.
  simdjson_inline bool rare_bytes(const BlockMasks& m, std::size_t base) {
    if (m.high != 0) {
      if (non_ascii_from_ == std::string_view::npos) non_ascii_from_ = base;
      return true;
    }
    return flush_non_ascii(base);
  }

  simdjson_inline bool flush_non_ascii(std::size_t end) {
    if (non_ascii_from_ == std::string_view::npos) return true;
    const bool valid = simdjson::validate_utf8(data_.data() + non_ascii_from_, end - non_ascii_from_);
    non_ascii_from_ = std::string_view::npos;
    return valid;
  }

  std::string_view data_;
  std::size_t expected_;  // where the next record must start
  EscapeTracker escapes_;
  std::uint64_t in_string_carry_ = 0;  // all ones when a block ends inside a string
  std::size_t non_ascii_from_ = std::string_view::npos;
  std::int64_t depth_ = 0;  // 0 between records, 1 in a record's top level
  std::int64_t deepest_ = 0;
  std::size_t record_begin_ = 0;
};

/// Calls `on_record(begin, end, depth)` for each record of `data` (offsets; `depth` the record's deepest
/// nesting, 1 for a flat object) in order, and returns true, when `data` is exactly one plainly written
/// envelope with valid UTF-8. Returns false, possibly after some calls, otherwise, or as soon as `on_record`
/// does. Kept out of its caller so that the block loop has the registers to itself.
template <typename OnRecord>
simdjson_never_inline bool scan_plain_envelope(std::string_view data, OnRecord&& on_record) {
  bool empty = false;
  const std::size_t first = first_record_offset(data, empty);
  if (first == std::string_view::npos) return false;
  if (empty) return next_record_offset(data, first, empty) != std::string_view::npos;
  EnvelopeScan scan(data, first);
  std::size_t base = first;
  // Blocks start on 64-byte boundaries of memory where the buffer allows it (the loader's do): a load that
  // straddles two cache lines costs the block loop 18%. The first block is then a copy with the envelope's
  // opening (`{"Records":[`, before `first`) made blanks, which are neither quotes, brackets nor rare.
  const std::size_t misalignment = reinterpret_cast<std::uintptr_t>(data.data() + first) % 64;
  if (misalignment != 0 && misalignment <= first && data.size() - first >= 64 - misalignment) {
    base = first - misalignment;
    char head[64];
    std::memset(head, ' ', misalignment);
    std::memcpy(head + misalignment, data.data() + first, 64 - misalignment);
    const auto step = scan.block(head, base, on_record);
    if (step != EnvelopeScan::Step::More) return step == EnvelopeScan::Step::Done;
    base += 64;
  }
  while (data.size() - base >= 64) {
    base = scan.skim(data.data(), base, data.size());
    if (data.size() - base < 64) break;
    const auto step = scan.block(data.data() + base, base, on_record);
    if (step != EnvelopeScan::Step::More) return step == EnvelopeScan::Step::Done;
    base += 64;
  }
  if (base == data.size()) return false;  // the buffer ended inside the array
  // The last bytes, followed by blanks, which are neither quotes nor brackets nor anything rare.
  char tail[64];
  std::memset(tail, ' ', sizeof tail);
  std::memcpy(tail, data.data() + base, data.size() - base);
  return scan.block(tail, base, on_record) == EnvelopeScan::Step::Done;
}

}  // namespace

}  // namespace trailwatch::TW_KERNEL_NS
