// Reading a {"Records":[...]} envelope: with a prefilter, by the envelope scanner when the buffer is plainly
// written, re-reading only the candidate records; otherwise (or when the scanner gives up) with simdjson
// On-Demand, one document for a file and a document stream for envelopes back to back. Part of the record
// kernel (included by record_kernel_impl.hpp, once per instruction set); not a normal header: no include
// guard on purpose.

namespace trailwatch::TW_KERNEL_NS {

namespace {

class EnvelopeReader {
 public:
  explicit EnvelopeReader(ReaderCore& core) : core_(core) {}

  void use_scanner(bool use) { use_scanner_ = use; }

  /// Reads the envelope `data` (which has passed detect_shape) into `sink`.
  void read(std::string_view data, RecordSink& sink, ReadResult& result) {
    buffer_end_ = data.data() + data.size();
    // Without a prefilter every record is walked anyway, which the On-Demand path does in one go.
    if (core_.plan && use_scanner_ && read_plain_envelope(data, sink, result)) return;
    read_envelope(data, sink, result);
  }

 private:
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
      core_.plan->rewind();  // candidate() moved it on
      return false;
    }
    result.records_failed = scanned.records_failed;
    result.first_record_error = std::move(scanned.first_record_error);
    for (const PlainCandidate& record : plain_candidates_) {
      for (std::uint64_t i = 0; i < record.unmatchable_before; ++i) sink.on_unmatchable_record();
      result.records += record.unmatchable_before + 1;
      const std::string_view raw = data.substr(record.begin, record.end - record.begin);
      if (auto error = walk_record_text(raw); error) {
        result.error =
            describe_json_error(error) + " near byte " + std::to_string(skip_blanks(data, record.end));
        return true;
      }
      core_.deliver(sink, raw);
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
    if (depth + 2 > core_.limits.max_depth) return false;
    const std::size_t size = end - begin;
    if (core_.too_large(size, "Records element", scanned.records + scanned.records_failed + 1, scanned))
      return true;
    ++scanned.records;
    if (core_.candidate(data.data() + begin, data.data() + end)) {
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
    if (auto e = core_.ensure_capacity(data.size()); e) {
      result.error = std::string("cannot allocate the JSON parser: ") + simdjson::error_message(e);
      return;
    }
    od::document doc;
    auto error = core_.parser.iterate(data.data(), data.size(), data.size() + kRecordPadding).get(doc);
    if (!error) error = iterate_envelope(doc, sink, result);
    if (error) {
      // Nothing delivered yet (a stage-1 failure, or damage before the first record): the stream reader
      // says precisely where, and handles garbage after a complete envelope.
      if (result.records == 0 && result.records_failed == 0) return read_envelope_stream(data, sink, result);
      result.error = describe_json_error(error);
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
    if (auto e = core_.ensure_capacity(batch); e) {
      result.error = std::string("cannot allocate the JSON parser: ") + simdjson::error_message(e);
      return;
    }
    od::document_stream stream;
    auto error = core_.parser.iterate_many(data.data(), data.size(), batch).get(stream);
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
      result.error = describe_json_error(error);
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
        if (!core_.plan) {
          SIMDJSON_TRY(core_.walk.walk(object));
        }
        std::string_view raw;
        SIMDJSON_TRY(object.raw_json().get(raw));
        raw = trim_right(raw);
        // On-Demand skips an object by counting brackets, without checking its members: after an unquoted
        // key it can end the object early, before its brace, and read the rest as more records. An object's
        // text ends with its brace; one that does not is damage.
        if (raw.back() != '}') return simdjson::TAPE_ERROR;
        if (core_.too_deep(raw)) return simdjson::DEPTH_ERROR;
        if (core_.too_large(raw.size(), "Records element", result.records + result.records_failed + 1,
                            result))
          continue;
        ++result.records;
        if (core_.plan) {
          if (!core_.candidate(raw.data(), raw.data() + raw.size())) {
            sink.on_unmatchable_record();
            continue;
          }
          SIMDJSON_TRY(walk_record_text(raw));
        }
        core_.deliver(sink, raw);
      }
    }
    if (!seen_records && result.error.empty()) result.error = "no \"Records\" array in the envelope";
    return simdjson::SUCCESS;
  }

  // A candidate record of an envelope, already skipped over by the envelope's iteration, read again on its
  // own. Only candidates pay for this, and they are few.
  simdjson::error_code walk_record_text(std::string_view raw) {
    const std::size_t capacity = static_cast<std::size_t>(buffer_end_ - raw.data()) + kRecordPadding;
    if (record_parser_.capacity() < raw.size())
      SIMDJSON_TRY(
          record_parser_.allocate(std::max<std::size_t>(raw.size(), 1 << 16), core_.limits.max_depth));
    od::document doc;
    SIMDJSON_TRY(record_parser_.iterate(raw.data(), raw.size(), capacity).get(doc));
    od::object object;
    SIMDJSON_TRY(doc.get_object().get(object));
    return core_.walk.walk(object);
  }

  ReaderCore& core_;
  bool use_scanner_ = true;
  const char* buffer_end_ = nullptr;  // the end of the buffer being read: what follows it is padding
  od::parser record_parser_;          // re-reads candidate records
  struct PlainCandidate {
    std::size_t begin;
    std::size_t end;
    std::uint64_t unmatchable_before;  // records since the previous candidate that cannot match
  };
  std::vector<PlainCandidate> plain_candidates_;
};

}  // namespace

}  // namespace trailwatch::TW_KERNEL_NS
