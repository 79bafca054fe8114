// The record kernel: envelope and NDJSON iteration and field extraction with simdjson On-Demand.
// Included by exactly one translation unit per instruction set, after <simdjson.h>, with TW_KERNEL_NS naming
// the namespace of that copy. Not a normal header: no include guard on purpose.

#include "records/byte_block_impl.hpp"

namespace trailwatch::TW_KERNEL_NS {

namespace od = simdjson::ondemand;

namespace {

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_json_blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string describe(simdjson::error_code error) {
  switch (error) {
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8 in JSON";
    case simdjson::DEPTH_ERROR:
      return "JSON nested deeper than the limit";
    case simdjson::UNCLOSED_STRING:
      return "JSON string not closed";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
    case simdjson::TAPE_ERROR:
      return "invalid or truncated JSON";
    default:
      return std::string("invalid JSON: ") + simdjson::error_message(error);
  }
}

// simdjson 3.0 has no document::at_end(): a location still in bounds after the root value means more follows.
bool has_trailing_content(od::document& doc) {
  const char* location = nullptr;
  return !doc.current_location().get(location);
}

// A key as written when it holds no escape (nearly always), else unescaped: copying every key into the
// parser's string buffer cost a fifth of the record walk. Stage 1 has checked that the key's string is
// closed, and the document is followed by kRecordPadding readable bytes, so 16-byte loads stay in bounds.
simdjson_inline simdjson::simdjson_result<std::string_view> key_of(od::field& field) {
  const char* begin = field.key().raw();
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (const char* p = begin;; p += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const unsigned quotes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quote)));
    const unsigned escapes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, backslash)));
    if (quotes == 0) {
      if (escapes != 0) return field.unescaped_key();
      continue;
    }
    const unsigned first_quote = static_cast<unsigned>(__builtin_ctz(quotes));
    if ((escapes & ((1u << first_quote) - 1)) != 0) return field.unescaped_key();
    return std::string_view(begin, static_cast<std::size_t>(p - begin) + first_quote);
  }
#else
  const char* end = begin;
  while (*end != '"') {
    if (*end == '\\') return field.unescaped_key();
    ++end;
  }
  return std::string_view(begin, static_cast<std::size_t>(end - begin));
#endif
}

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
      if (mask == 0) continue;
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

}  // namespace

}  // namespace trailwatch::TW_KERNEL_NS

#include "records/envelope_scanner_impl.hpp"

namespace trailwatch::TW_KERNEL_NS {

namespace {

class Kernel final : public RecordReader::Kernel {
 public:
  Kernel(const FieldTrie& trie, RecordLimits limits, const LiteralPrefilter* prefilter)
      : trie_(trie),
        limits_(limits),
        prefilter_(prefilter),
        clause_literals_(literals_by_clause(prefilter)),
        values_(trie.selectors),
        scratch_(trie.depth + 2),
        seen_(trie.depth + 2) {}

  const char* name() const override { return TW_KERNEL_NAME; }

  void use_envelope_scanner(bool use) override { use_envelope_scanner_ = use; }

  bool may_match(std::string_view data) override { return prefilter_ == nullptr || plan_search(data); }

  ReadResult read(std::string_view data, RecordSink& sink, bool skip_unmatchable, bool* skipped) override {
    ReadResult result;
    if (skipped != nullptr) *skipped = false;
    if (prefilter_ != nullptr) {
      // Where no record can match, every record is counted unread and no occurrence list is needed; with
      // skip_unmatchable (--fast) the buffer is not even parsed.
      buffer_may_match_ = plan_search(data);
      if (!buffer_may_match_ && skip_unmatchable) {
        if (skipped != nullptr) *skipped = true;
        return result;
      }
      searched_ = data;
      if (buffer_may_match_) LiteralSearch(data, anchor_literals_, hits_).run();
      cursors_.assign(hits_.size(), 0);
    }
    // Editors on Windows save UTF-8 with a byte order mark; JSON parsers must not see it.
    if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
    switch (detect_shape(data)) {
      case BufferShape::Blank:
        result.error = "no JSON content";
        return result;
      case BufferShape::BareArray:
        result.error = "a bare JSON array; expected {\"Records\":[...]} or one record per line";
        return result;
      case BufferShape::WrongEnvelopeKey:
        result.error = "envelope key is not \"Records\" (CloudTrail writes {\"Records\":[...]})";
        return result;
      case BufferShape::NotJson:
        result.error = "not JSON: expected {\"Records\":[...]} or one JSON record per line";
        return result;
      case BufferShape::Envelope:
        result.format = RecordFormat::Envelope;
        // Without a prefilter every record is walked anyway, which the On-Demand path does in one go.
        if (prefilter_ != nullptr && use_envelope_scanner_ && read_plain_envelope(data, sink, result))
          return result;
        read_envelope(data, sink, result);
        return result;
      case BufferShape::Ndjson:
        result.format = RecordFormat::Ndjson;
        read_ndjson(data, sink, result);
        return result;
    }
    return result;
  }

 private:
  static std::vector<std::vector<std::vector<std::string>>> literals_by_clause(
      const LiteralPrefilter* prefilter) {
    std::vector<std::vector<std::vector<std::string>>> out;
    if (prefilter == nullptr) return out;
    for (const auto& rule : prefilter->rules) {
      auto& clauses = out.emplace_back();
      for (const auto& clause : rule) {
        auto& literals = clauses.emplace_back();
        for (std::uint32_t l : clause) literals.push_back(prefilter->literals[l]);
      }
    }
    return out;
  }

  // A presence test per clause, each stopping at its first occurrence: a clause that is everywhere (an
  // eventSource) costs a few bytes of search, and only a clause that is absent is searched to the end. For
  // each rule every clause of which is present, the clause whose first occurrence comes last, likely the
  // rarest, becomes its anchor: only the anchors' literals are then searched in full (a clause that is in
  // every other record would make as many occurrences to list), and a record is a candidate only where an
  // anchor occurs. Returns whether some rule can match.
  bool plan_search(std::string_view data) {
    anchor_.assign(clause_literals_.size(), kNone);
    anchor_literals_.clear();
    anchor_slot_.assign(prefilter_->literals.size(), kNone);
    bool any_rule = false;
    for (std::size_t r = 0; r < clause_literals_.size(); ++r) {
      std::uint32_t anchor = kNone;
      std::size_t latest_first = 0;
      for (std::size_t c = 0; c < clause_literals_[r].size(); ++c) {
        const auto& clause = clause_literals_[r][c];
        if (clause.empty() || !LiteralSearch(data, clause, presence_hits_, true).run()) {
          anchor = kNone;
          break;
        }
        std::size_t first = SIZE_MAX;
        for (const auto& hits : presence_hits_)
          if (!hits.empty()) first = std::min(first, hits.front());
        if (anchor == kNone || first >= latest_first) {
          anchor = static_cast<std::uint32_t>(c);
          latest_first = first;
        }
      }
      if (anchor == kNone) continue;
      anchor_[r] = anchor;
      any_rule = true;
      for (std::uint32_t l : prefilter_->rules[r][anchor])
        if (anchor_slot_[l] == kNone) {
          anchor_slot_[l] = static_cast<std::uint32_t>(anchor_literals_.size());
          anchor_literals_.push_back(prefilter_->literals[l]);
        }
    }
    return any_rule;
  }

  // Whether the record at [begin, end) of the searched buffer holds, for some rule, a literal of every
  // clause: its anchor clause from the occurrence lists (records arrive in order, so each list is walked once
  // per buffer), the other clauses by searching the record's own text, which only records holding an anchor
  // pay for.
  bool candidate(const char* begin_ptr, const char* end_ptr) {
    if (!buffer_may_match_) return false;
    const auto begin = static_cast<std::size_t>(begin_ptr - searched_.data());
    const auto end = static_cast<std::size_t>(end_ptr - searched_.data());
    for (std::size_t r = 0; r < anchor_.size(); ++r) {
      if (anchor_[r] == kNone) continue;
      const auto& clauses = prefilter_->rules[r];
      bool anchored = false;
      for (std::uint32_t l : clauses[anchor_[r]]) {
        const std::uint32_t slot = anchor_slot_[l];
        const std::vector<std::size_t>& hits = hits_[slot];
        std::size_t& cursor = cursors_[slot];
        while (cursor < hits.size() && hits[cursor] < begin) ++cursor;
        if (cursor < hits.size() && hits[cursor] < end) {
          anchored = true;
          break;
        }
      }
      if (!anchored) continue;
      bool every_clause = true;
      for (std::size_t c = 0; c < clauses.size() && every_clause; ++c)
        if (c != anchor_[r]) every_clause = clause_starts_within(clauses[c], begin, end);
      if (every_clause) return true;
    }
    return false;
  }

  // Whether a literal of `clause` starts in [begin, end) of the searched buffer (it may run past `end`, as an
  // occurrence list would count it).
  bool clause_starts_within(const std::vector<std::uint32_t>& clause, std::size_t begin,
                            std::size_t end) const {
    for (std::uint32_t l : clause) {
      const std::string& literal = prefilter_->literals[l];
      if (searched_.substr(begin, end - begin + literal.size() - 1).find(literal) != std::string_view::npos)
        return true;
    }
    return false;
  }

  // A candidate record of an envelope, already skipped over by the envelope's iteration, read again on its
  // own. Only candidates pay for this, and they are few.
  simdjson::error_code walk_record_text(std::string_view raw) {
    const std::size_t capacity =
        static_cast<std::size_t>(searched_.data() + searched_.size() - raw.data()) + kRecordPadding;
    if (record_parser_.capacity() < raw.size())
      SIMDJSON_TRY(record_parser_.allocate(std::max<std::size_t>(raw.size(), 1 << 16), limits_.max_depth));
    od::document doc;
    SIMDJSON_TRY(record_parser_.iterate(raw.data(), raw.size(), capacity).get(doc));
    od::object object;
    SIMDJSON_TRY(doc.get_object().get(object));
    values_.reset_all();
    return walk_object(object, root_, 0);
  }

  simdjson::error_code ensure_capacity(std::size_t len) {
    if (parser_.capacity() >= len && allocated_) return simdjson::SUCCESS;
    allocated_ = true;
    return parser_.allocate(std::max<std::size_t>(len, 1 << 16), limits_.max_depth);
  }

  // Scans the whole buffer before delivering anything, so that a buffer the scanner gives up on (returning
  // false) has had no effect and the On-Demand path can read it from the start. Records are then handed out
  // as that path would: the same counts, the same order, candidates walked, the others counted.
  bool read_plain_envelope(std::string_view data, RecordSink& sink, ReadResult& result) {
    plain_candidates_.clear();
    ReadResult scanned;
    std::uint64_t unmatchable = 0;
    const bool plain = scan_plain_envelope(data, [&](std::size_t begin, std::size_t end, std::size_t depth) {
      return on_plain_record(data, begin, end, depth, scanned, unmatchable);
    });
    if (!plain) {
      cursors_.assign(hits_.size(), 0);  // candidate() moved them on
      return false;
    }
    result.records_failed = scanned.records_failed;
    result.first_record_error = std::move(scanned.first_record_error);
    for (const PlainCandidate& record : plain_candidates_) {
      for (std::uint64_t i = 0; i < record.unmatchable_before; ++i) sink.on_unmatchable_record();
      result.records += record.unmatchable_before + 1;
      const std::string_view raw = data.substr(record.begin, record.end - record.begin);
      if (auto error = walk_record_text(raw); error) {
        result.error = describe(error) + " near byte " + std::to_string(skip_blanks(data, record.end));
        return true;
      }
      deliver(sink, raw);
    }
    for (std::uint64_t i = 0; i < unmatchable; ++i) sink.on_unmatchable_record();
    result.records += unmatchable;
    return true;
  }

  // A record the scanner found: counted, and kept for delivery when it can match. Once per record, so a call
  // (not inlined into the scanner's block loop) costs little.
  simdjson_never_inline bool on_plain_record(std::string_view data, std::size_t begin, std::size_t end,
                                             std::size_t depth, ReadResult& scanned,
                                             std::uint64_t& unmatchable) {
    // The envelope and its array are two levels more; the On-Demand path words a depth error.
    if (depth + 2 > limits_.max_depth) return false;
    const std::size_t size = end - begin;
    if (too_large(size, "Records element", scanned.records + scanned.records_failed + 1, scanned))
      return true;
    ++scanned.records;
    if (candidate(data.data() + begin, data.data() + end)) {
      plain_candidates_.push_back({begin, end, unmatchable});
      unmatchable = 0;
    } else {
      ++unmatchable;
    }
    return true;
  }

  // A file holds one envelope: it is read as one document, which costs one stage-1 pass. A buffer may also
  // hold several envelopes back to back (`zcat *.json.gz | trailwatch scan -`): what follows the first one is
  // read as a document stream. (A document stream over a whole file measured 4x slower than one document.)
  void read_envelope(std::string_view data, RecordSink& sink, ReadResult& result) {
    if (auto e = ensure_capacity(data.size()); e) {
      result.error = std::string("cannot allocate the JSON parser: ") + simdjson::error_message(e);
      return;
    }
    od::document doc;
    auto error = parser_.iterate(data.data(), data.size(), data.size() + kRecordPadding).get(doc);
    if (!error) error = iterate_envelope(doc, sink, result);
    if (error) {
      // Nothing delivered yet (a stage-1 failure, or damage before the first record): the stream reader
      // says precisely where, and handles garbage after a complete envelope.
      if (result.records == 0 && result.records_failed == 0) return read_envelope_stream(data, sink, result);
      result.error = describe(error);
      const char* location = nullptr;
      if (!doc.current_location().get(location))
        result.error += " near byte " + std::to_string(location - data.data());
      return;
    }
    if (!result.error.empty()) return;
    const char* location = nullptr;
    if (doc.current_location().get(location)) return;  // nothing after the envelope
    std::string_view rest = data.substr(static_cast<std::size_t>(location - data.data()));
    if (!starts_envelope(location, data)) {
      result.error = "trailing content after the {\"Records\":[...]} object, near byte " +
                     std::to_string(location - data.data());
      return;
    }
    read_envelope_stream(rest, sink, result, location - data.data());
  }

  void read_envelope_stream(std::string_view data, RecordSink& sink, ReadResult& result,
                            std::ptrdiff_t offset = 0) {
    std::size_t batch = std::max<std::size_t>(data.size(), 1 << 16);
    if (auto e = ensure_capacity(batch); e) {
      result.error = std::string("cannot allocate the JSON parser: ") + simdjson::error_message(e);
      return;
    }
    od::document_stream stream;
    auto error = parser_.iterate_many(data.data(), data.size(), batch).get(stream);
    std::size_t envelopes = 0;
    const char* stopped_at = nullptr;
    if (!error) {
      for (auto it = stream.begin(); it != stream.end(); ++it) {
        od::document_reference doc;
        error = (*it).get(doc);
        if (!error) {
          ++envelopes;
          const char* location = nullptr;
          if (envelopes > 1 && !doc.current_location().get(location) && !starts_envelope(location, data)) {
            result.error = "trailing content after the {\"Records\":[...]} object, near byte " +
                           std::to_string(location - data.data() + offset);
            return;
          }
          error = iterate_envelope(doc, sink, result);
        }
        if (error) {
          stopped_at = data.data() + it.current_index();
          break;
        }
        if (!result.error.empty()) return;
      }
    }
    if (!error && stream.truncated_bytes() > 0) {
      result.error = "invalid or truncated JSON: the last " + std::to_string(stream.truncated_bytes()) +
                     " bytes do not complete a JSON value";
      return;
    }
    if (!error && envelopes == 0) {
      result.error = "no JSON content";
      return;
    }
    if (error) {
      result.error = describe(error);
      if (stopped_at != nullptr)
        result.error += " near byte " + std::to_string(stopped_at - data.data() + offset);
    }
  }

  static bool starts_envelope(const char* location, std::string_view data) {
    return location != nullptr &&
           detect_shape(data.substr(static_cast<std::size_t>(location - data.data()))) ==
               BufferShape::Envelope;
  }

  template <typename Document>
  simdjson::error_code iterate_envelope(Document& doc, RecordSink& sink, ReadResult& result) {
    od::object envelope;
    SIMDJSON_TRY(doc.get_object().get(envelope));
    bool seen_records = false;
    for (auto member : envelope) {
      od::field field;
      SIMDJSON_TRY(std::move(member).get(field));
      std::string_view key;
      SIMDJSON_TRY(key_of(field).get(key));
      if (key != "Records") continue;
      if (seen_records) {
        result.error = "two \"Records\" keys in the envelope";
        return simdjson::SUCCESS;
      }
      seen_records = true;
      od::array records;
      SIMDJSON_TRY(field.value().get_array().get(records));
      for (auto element : records) {
        od::value record;
        SIMDJSON_TRY(std::move(element).get(record));
        od::json_type type;
        SIMDJSON_TRY(record.type().get(type));
        if (type != od::json_type::object) {
          // Skipping the element keeps the envelope usable; the record itself is lost, so it is counted.
          ++result.records_failed;
          if (result.first_record_error.empty())
            result.first_record_error = "Records element " +
                                        std::to_string(result.records + result.records_failed) +
                                        " is not a JSON object";
          continue;
        }
        od::object object;
        SIMDJSON_TRY(record.get_object().get(object));
        // Without a prefilter the fields are extracted on the way through; with one, only a candidate's are,
        // by reading its text again once the object has been skipped over.
        if (prefilter_ == nullptr) {
          values_.reset_all();
          SIMDJSON_TRY(walk_object(object, root_, 0));
        }
        std::string_view raw;
        SIMDJSON_TRY(object.raw_json().get(raw));
        raw = trim_right(raw);
        if (too_deep(raw)) return simdjson::DEPTH_ERROR;
        if (too_large(raw.size(), "Records element", result.records + result.records_failed + 1, result))
          continue;
        ++result.records;
        if (prefilter_ != nullptr) {
          if (!candidate(raw.data(), raw.data() + raw.size())) {
            sink.on_unmatchable_record();
            continue;
          }
          SIMDJSON_TRY(walk_record_text(raw));
        }
        deliver(sink, raw);
      }
    }
    if (!seen_records && result.error.empty()) result.error = "no \"Records\" array in the envelope";
    return simdjson::SUCCESS;
  }

  void read_ndjson(std::string_view data, RecordSink& sink, ReadResult& result) {
    std::size_t line_number = 0;
    std::size_t pos = 0;
    while (pos < data.size()) {
      std::size_t eol = data.find('\n', pos);
      if (eol == std::string_view::npos) eol = data.size();
      std::string_view line = data.substr(pos, eol - pos);
      std::size_t remaining = data.size() - pos;
      pos = eol + 1;
      ++line_number;
      line = trim_right(line);
      std::size_t lead = 0;
      while (lead < line.size() && is_json_blank(line[lead])) ++lead;  // no '\n' within a line
      line.remove_prefix(lead);
      if (line.empty()) continue;
      if (too_large(line.size(), "line", line_number, result)) continue;
      // The rest of the buffer plus its padding stays readable after the line, which is all simdjson needs.
      std::size_t capacity = remaining - lead + kRecordPadding;
      auto error = read_line(line, capacity, sink, result);
      if (error) {
        ++result.records_failed;
        if (result.first_record_error.empty())
          result.first_record_error = "line " + std::to_string(line_number) + ": " + describe(error);
      }
    }
  }

  simdjson::error_code read_line(std::string_view line, std::size_t capacity, RecordSink& sink,
                                 ReadResult& result) {
    SIMDJSON_TRY(ensure_capacity(line.size()));
    od::document doc;
    SIMDJSON_TRY(parser_.iterate(line.data(), line.size(), capacity).get(doc));
    od::object object;
    SIMDJSON_TRY(doc.get_object().get(object));
    // A line whose text holds no literal a match needs is checked and counted, its fields not extracted.
    const bool extract = prefilter_ == nullptr || candidate(line.data(), line.data() + line.size());
    if (extract) {
      values_.reset_all();
      SIMDJSON_TRY(walk_object(object, root_, 0));
    } else {
      std::string_view skipped;
      SIMDJSON_TRY(object.raw_json().get(skipped));
    }
    if (has_trailing_content(doc)) return simdjson::TRAILING_CONTENT;
    if (too_deep(line)) return simdjson::DEPTH_ERROR;
    ++result.records;
    if (!extract) {
      sink.on_unmatchable_record();
      return simdjson::SUCCESS;
    }
    deliver(sink, line);
    return simdjson::SUCCESS;
  }

  // A record over the size limit is counted as failed and passed over; the records around it are read.
  // (Called for every record: the message is built only for a failure.)
  bool too_large(std::size_t size, const char* what, std::uint64_t number, ReadResult& result) const {
    if (size <= limits_.max_record_size) return false;
    ++result.records_failed;
    if (result.first_record_error.empty())
      result.first_record_error = std::string(what) + " " + std::to_string(number) + " is " +
                                  std::to_string(size) + " bytes, over the record size limit of " +
                                  std::to_string(limits_.max_record_size) + " (--max-record-size)";
    return true;
  }

  // simdjson On-Demand does not apply the parser's depth limit to the values it skips, so a record is checked
  // here: cheaply by counting opening brackets (any record with no more of them than the limit passes), and
  // precisely, outside strings, only when there are more.
  bool too_deep(std::string_view raw) const {
    if (raw.size() / 2 <= limits_.max_depth) return false;  // too short to be that deep
    std::size_t opens = 0;
    for (std::size_t block = 0; block < raw.size(); block += 255) {
      // Byte-wide counters over blocks of 255 vectorise well; '[' is '{' with bit 5 clear.
      std::uint8_t in_block = 0;
      const std::size_t end = std::min(raw.size(), block + 255);
      for (std::size_t i = block; i < end; ++i) in_block += (raw[i] | 0x20) == '{';
      opens += in_block;
    }
    if (opens <= limits_.max_depth) return false;
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
        if (++depth > limits_.max_depth) return true;
      } else if ((c | 0x20) == '}' && depth > 0) {  // ']' is '}' with bit 5 clear
        --depth;
      }
    }
    return false;
  }

  void deliver(RecordSink& sink, std::string_view raw) {
    std::string_view message;
    if (trie_.message_required) message = minify(raw);
    sink.on_record(RecordView{values_, raw, message});
  }

  // CloudTrail writes records compactly, so the message usually equals the raw text; pretty-printed input is
  // minified so that term and regex patterns see what CloudWatch Logs would.
  std::string_view minify(std::string_view raw) {
    if (message_capacity_ < raw.size() + kRecordPadding) {
      message_capacity_ = std::max(raw.size() + kRecordPadding, message_capacity_ * 2);
      message_buffer_ = std::make_unique<char[]>(message_capacity_);
    }
    std::size_t length = 0;
    if (simdjson::minify(raw.data(), raw.size(), message_buffer_.get(), length) != simdjson::SUCCESS)
      return raw;
    return {message_buffer_.get(), length};
  }

  // Records the scalar (or container kind) `value` for every selector ending at one of `nodes`, then descends
  // into it for the selectors that continue below.
  simdjson::error_code walk_value(od::value value, std::span<const std::uint32_t> nodes, std::size_t depth) {
    od::json_type type;
    SIMDJSON_TRY(value.type().get(type));
    bool terminal = false;
    bool wants_object = false;
    bool wants_array = false;
    for (std::uint32_t n : nodes) {
      const FieldTrieNode& node = trie_.nodes[n];
      terminal |= !node.terminals.empty();
      wants_object |= node.wants_object();
      wants_array |= node.wants_array();
    }
    JsonValue found;
    switch (type) {
      case od::json_type::string:
        if (!terminal) return simdjson::SUCCESS;
        found.kind = JsonKind::String;
        SIMDJSON_TRY(value.get_string().get(found.text));
        break;
      case od::json_type::number:
        if (!terminal) return simdjson::SUCCESS;
        found.kind = JsonKind::Number;
        found.text = trim_right(value.raw_json_token());
        break;
      case od::json_type::boolean: {
        if (!terminal) return simdjson::SUCCESS;
        bool b = false;
        SIMDJSON_TRY(value.get_bool().get(b));
        found.kind = b ? JsonKind::True : JsonKind::False;
        found.text = b ? "true" : "false";
        break;
      }
      case od::json_type::null:
        found.kind = JsonKind::Null;
        break;
      case od::json_type::object:
        found.kind = JsonKind::Object;
        break;
      case od::json_type::array:
        found.kind = JsonKind::Array;
        break;
    }
    for (std::uint32_t n : nodes)
      for (SelectorId id : trie_.nodes[n].terminals) values_.add(id, found);
    if (type == od::json_type::object && wants_object) {
      od::object object;
      SIMDJSON_TRY(value.get_object().get(object));
      return walk_members(object, nodes, depth);
    }
    if (type == od::json_type::array && wants_array) {
      od::array array;
      SIMDJSON_TRY(value.get_array().get(array));
      return walk_elements(array, nodes, depth);
    }
    return simdjson::SUCCESS;
  }

  simdjson::error_code walk_object(od::object& object, std::uint32_t node, std::size_t depth) {
    const std::uint32_t nodes[1] = {node};
    return walk_members(object, nodes, depth);
  }

  simdjson::error_code walk_members(od::object& object, std::span<const std::uint32_t> nodes,
                                    std::size_t depth) {
    std::vector<std::uint32_t>& next = scratch_[depth + 1];
    std::vector<std::uint32_t>& seen = seen_[depth + 1];
    seen.clear();
    for (auto member : object) {
      od::field field;
      SIMDJSON_TRY(std::move(member).get(field));
      std::string_view key;
      SIMDJSON_TRY(key_of(field).get(key));
      next.clear();
      for (std::uint32_t n : nodes) {
        const FieldTrieNode& node = trie_.nodes[n];
        std::uint32_t child = node.member(key);
        if (child != FieldTrieNode::kNone) {
          // A key repeated in one object: the last one wins, as CloudWatch reads it. Below a wildcard the
          // selectors also hold values of sibling elements, so there the repeat is added, not substituted.
          if (std::find(seen.begin(), seen.end(), child) != seen.end()) {
            if (!trie_.nodes[child].under_wildcard)
              for (SelectorId id : trie_.nodes[child].subtree) values_.clear(id);
          } else {
            seen.push_back(child);
          }
          next.push_back(child);
        }
        if (node.any_member != FieldTrieNode::kNone) next.push_back(node.any_member);
      }
      if (next.empty()) continue;
      // walk_value reuses scratch_[depth + 2] and deeper, never this level.
      SIMDJSON_TRY(walk_value(field.value(), next, depth + 1));
    }
    return simdjson::SUCCESS;
  }

  simdjson::error_code walk_elements(od::array& array, std::span<const std::uint32_t> nodes,
                                     std::size_t depth) {
    std::vector<std::uint32_t>& next = scratch_[depth + 1];
    std::size_t index = 0;
    for (auto element : array) {
      od::value value;
      SIMDJSON_TRY(std::move(element).get(value));
      next.clear();
      for (std::uint32_t n : nodes) {
        const FieldTrieNode& node = trie_.nodes[n];
        for (const auto& edge : node.indexes)
          if (edge.index == index) next.push_back(edge.node);
        if (node.any_element != FieldTrieNode::kNone) next.push_back(node.any_element);
      }
      ++index;
      if (next.empty()) continue;
      SIMDJSON_TRY(walk_value(value, next, depth + 1));
    }
    return simdjson::SUCCESS;
  }

  static constexpr std::uint32_t root_ = 0;
  const FieldTrie& trie_;
  RecordLimits limits_;
  const LiteralPrefilter* prefilter_;
  std::vector<std::vector<std::vector<std::string>>> clause_literals_;  // per rule, per clause: its literals
  std::vector<std::vector<std::size_t>> presence_hits_;
  bool buffer_may_match_ = true;
  std::string_view searched_;  // the buffer hits_ describe
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> anchor_;         // per rule: its anchor clause in this buffer, or kNone
  std::vector<std::string> anchor_literals_;  // the anchor clauses' literals, searched in full
  std::vector<std::uint32_t> anchor_slot_;  // per prefilter literal: its index in anchor_literals_, or kNone
  std::vector<std::vector<std::size_t>> hits_;  // per anchor literal: offsets into searched_
  std::vector<std::size_t> cursors_;            // per anchor literal: the first hit not before the record
  od::parser record_parser_;                    // re-reads candidate records of an envelope
  bool use_envelope_scanner_ = true;
  struct PlainCandidate {
    std::size_t begin;
    std::size_t end;
    std::uint64_t unmatchable_before;  // records since the previous candidate that cannot match
  };
  std::vector<PlainCandidate> plain_candidates_;
  od::parser parser_;
  bool allocated_ = false;
  FieldValues values_;
  std::vector<std::vector<std::uint32_t>> scratch_;  // per depth: the trie nodes a value is reached by
  std::vector<std::vector<std::uint32_t>> seen_;     // per depth: member nodes already met in this object
  std::unique_ptr<char[]> message_buffer_;
  std::size_t message_capacity_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader::Kernel> make(const FieldTrie& trie, RecordLimits limits,
                                           const LiteralPrefilter* prefilter) {
  return std::make_unique<Kernel>(trie, limits, prefilter);
}

}  // namespace trailwatch::TW_KERNEL_NS
