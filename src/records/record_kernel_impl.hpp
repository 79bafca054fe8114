// The record kernel: envelope and NDJSON iteration and field extraction with simdjson On-Demand.
// Included by exactly one translation unit per instruction set, after <simdjson.h>, with TW_KERNEL_NS naming
// the namespace of that copy. Not a normal header: no include guard on purpose.

namespace trailwatch::TW_KERNEL_NS {

namespace od = simdjson::ondemand;

namespace {

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
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

class Kernel final : public RecordReader::Kernel {
 public:
  Kernel(const FieldTrie& trie, RecordLimits limits)
      : trie_(trie),
        limits_(limits),
        values_(trie.selectors),
        scratch_(trie.depth + 2),
        seen_(trie.depth + 2) {}

  const char* name() const override { return TW_KERNEL_NAME; }

  ReadResult read(std::string_view data, RecordSink& sink) override {
    ReadResult result;
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
  simdjson::error_code ensure_capacity(std::size_t len) {
    if (parser_.capacity() >= len && allocated_) return simdjson::SUCCESS;
    allocated_ = true;
    return parser_.allocate(std::max<std::size_t>(len, 1 << 16), limits_.max_depth);
  }

  // A buffer may hold several envelopes back to back (`zcat *.json.gz | trailwatch scan -`), so envelopes are
  // read as a document stream; one stage-1 pass covers the whole buffer.
  void read_envelope(std::string_view data, RecordSink& sink, ReadResult& result) {
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
                           std::to_string(location - data.data());
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
      if (stopped_at != nullptr) result.error += " near byte " + std::to_string(stopped_at - data.data());
    }
  }

  static bool starts_envelope(const char* location, std::string_view data) {
    return location != nullptr &&
           detect_shape(data.substr(static_cast<std::size_t>(location - data.data()))) ==
               BufferShape::Envelope;
  }

  simdjson::error_code iterate_envelope(od::document_reference& doc, RecordSink& sink, ReadResult& result) {
    od::object envelope;
    SIMDJSON_TRY(doc.get_object().get(envelope));
    bool seen_records = false;
    for (auto member : envelope) {
      od::field field;
      SIMDJSON_TRY(std::move(member).get(field));
      std::string_view key;
      SIMDJSON_TRY(field.unescaped_key().get(key));
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
        values_.reset_all();
        SIMDJSON_TRY(walk_object(object, root_, 0));
        std::string_view raw;
        SIMDJSON_TRY(object.raw_json().get(raw));
        if (too_deep(raw)) return simdjson::DEPTH_ERROR;
        ++result.records;
        deliver(sink, trim_right(raw));
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
      while (lead < line.size() && (line[lead] == ' ' || line[lead] == '\t' || line[lead] == '\r')) ++lead;
      line.remove_prefix(lead);
      if (line.empty()) continue;
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
    values_.reset_all();
    SIMDJSON_TRY(walk_object(object, root_, 0));
    if (has_trailing_content(doc)) return simdjson::TRAILING_CONTENT;
    if (too_deep(line)) return simdjson::DEPTH_ERROR;
    ++result.records;
    deliver(sink, line);
    return simdjson::SUCCESS;
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
      SIMDJSON_TRY(field.unescaped_key().get(key));
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
  od::parser parser_;
  bool allocated_ = false;
  FieldValues values_;
  std::vector<std::vector<std::uint32_t>> scratch_;  // per depth: the trie nodes a value is reached by
  std::vector<std::vector<std::uint32_t>> seen_;     // per depth: member nodes already met in this object
  std::unique_ptr<char[]> message_buffer_;
  std::size_t message_capacity_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader::Kernel> make(const FieldTrie& trie, RecordLimits limits) {
  return std::make_unique<Kernel>(trie, limits);
}

}  // namespace trailwatch::TW_KERNEL_NS
