// Reading what responders hold besides CloudTrail's own files (docs/design.md "What is a record"): a bare
// array of records, `aws cloudtrail lookup-events` output (one page or several, compact or pretty; the record
// is the CloudTrailEvent string parsed), `aws logs filter-log-events` / `get-log-events` output (the record
// is the message parsed), one pretty-printed record, and an envelope whose "Records" is not its first key
// (read, with a warning). Such files are exports, small next to an archive, so each document is parsed whole
// (DOM) and every record is walked: no prefilter. Part of the record kernel (included by
// record_kernel_impl.hpp, once per instruction set); not a normal header: no include guard on purpose.

namespace trailwatch::TW_KERNEL_NS {

namespace {

namespace dom = simdjson::dom;

class WrapperReader {
 public:
  explicit WrapperReader(ReaderCore& core) : core_(core) {}

  /// True when `data`, which detect_shape took for NDJSON, is rather one of the wrappers: its first line is
  /// not a whole object (a pretty-printed document), or is an object with a wrapper's key. Only the first
  /// line is parsed, so NDJSON pays one line's parse per buffer.
  bool wraps(std::string_view data) {
    std::size_t begin = 0;
    while (begin < data.size() && is_json_blank(data[begin])) ++begin;
    std::size_t end = data.find('\n', begin);
    if (end == std::string_view::npos) end = data.size();
    const std::string_view line = trim_right(data.substr(begin, end - begin));
    if (line.empty() || line.back() != '}') return true;
    dom::element root;
    // Parsed from a padded copy: the line is inside the caller's buffer, which is padded only at its end.
    if (line_parser_.parse(line.data(), line.size(), true).get(root)) return false;
    dom::object object;
    if (root.get(object)) return false;
    for (auto [key, value] : object)
      if (key == "Records" || key == "Events" || key == "events") return true;
    return false;
  }

  /// Reads every JSON document of `data` (one, or several back to back) into `sink`.
  void read(std::string_view data, RecordSink& sink, ReadResult& result) {
    result.format = RecordFormat::Wrapper;
    dom::document_stream documents;
    if (auto e = parser_.parse_many(data.data(), data.size(), std::max<std::size_t>(data.size(), 1 << 16))
                     .get(documents);
        e) {
      result.error = describe_json_error(e);
      return;
    }
    std::size_t count = 0;
    for (auto it = documents.begin(); it != documents.end(); ++it) {
      dom::element root;
      if (auto e = (*it).get(root); e) {
        result.error = describe_json_error(e) + " near byte " + std::to_string(it.current_index());
        return;
      }
      ++count;
      if (!read_document(root, sink, result)) return;
    }
    if (documents.truncated_bytes() > 0) {
      result.error = "invalid or truncated JSON: the last " + std::to_string(documents.truncated_bytes()) +
                     " bytes do not complete a JSON value";
      return;
    }
    if (count == 0) result.error = "no JSON content";
  }

 private:
  // One document: returns false when it is not something trailwatch reads (result.error says what it is).
  bool read_document(const dom::element& root, RecordSink& sink, ReadResult& result) {
    dom::array array;
    if (!root.get(array)) {
      for (dom::element element : array) read_object(element, "array element", sink, result);
      return true;
    }
    dom::object object;
    if (root.get(object)) {
      result.error = "a JSON document that is neither an object nor an array";
      return false;
    }
    dom::array items;
    if (!object["Records"].get(items)) {
      std::string others;
      for (auto [key, value] : object)
        if (key != "Records") others += (others.empty() ? "" : ", ") + std::string(key);
      if (!others.empty())
        result.warnings.push_back("the envelope has keys besides \"Records\" (" + others +
                                  "); only its records are read");
      for (dom::element element : items) read_object(element, "Records element", sink, result);
      return true;
    }
    if (!object["Events"].get(items) && holds_strings(items, "CloudTrailEvent")) {
      for (dom::element element : items)
        read_string_member(element, "CloudTrailEvent", "Events", sink, result);
      return true;
    }
    if (!object["events"].get(items) && holds_strings(items, "message")) {
      for (dom::element element : items) read_string_member(element, "message", "events", sink, result);
      return true;
    }
    if (has(object, "eventVersion") || (has(object, "eventTime") && has(object, "eventName"))) {
      read_object(root, "record", sink, result);
      return true;
    }
    std::string keys;
    std::size_t shown = 0;
    for (auto [key, value] : object) {
      if (shown++ == 5) {
        keys += ", ...";
        break;
      }
      keys += (keys.empty() ? "" : ", ") + std::string(key);
    }
    result.error =
        "a JSON object with keys " + (keys.empty() ? std::string("(none)") : keys) +
        " is not CloudTrail input; trailwatch reads {\"Records\":[...]}, one record per line, a bare "
        "array of records, one record, and the output of 'aws cloudtrail lookup-events' and 'aws logs "
        "filter-log-events'";
    return false;
  }

  static bool has(const dom::object& object, std::string_view key) {
    dom::element value;
    return !object[key].get(value);
  }

  // A list is of this wrapper when its first item has the member as a string (an empty list is of any).
  static bool holds_strings(const dom::array& items, std::string_view member) {
    for (dom::element item : items) {
      std::string_view text;
      return !item[member].get(text);
    }
    return true;
  }

  void read_object(const dom::element& element, const char* what, RecordSink& sink, ReadResult& result) {
    if (!element.is_object()) {
      fail(result, std::string(what) + " " + std::to_string(result.records + result.records_failed + 1) +
                       " is not a JSON object");
      return;
    }
    text_ = simdjson::minify(element);
    read_record_text(what, sink, result);
  }

  void read_string_member(const dom::element& element, std::string_view member, const char* list,
                          RecordSink& sink, ReadResult& result) {
    std::string_view text;
    if (element[member].get(text)) {
      fail(result, std::string(list) + " element " +
                       std::to_string(result.records + result.records_failed + 1) + " has no \"" +
                       std::string(member) + "\" string");
      return;
    }
    text_.assign(text);
    read_record_text(list, sink, result);
  }

  // Parses text_ as one record and hands it over; its message is the text as written (what CloudWatch Logs
  // holds for lookup-events' and filter-log-events' strings).
  void read_record_text(const char* what, RecordSink& sink, ReadResult& result) {
    const std::uint64_t number = result.records + result.records_failed + 1;
    if (core_.too_large(text_.size(), what, number, result)) return;
    const std::size_t size = text_.size();
    text_.append(kRecordPadding, '\0');
    const std::string_view raw(text_.data(), size);
    auto error = walk_text(raw);
    if (!error && core_.too_deep(raw)) error = simdjson::DEPTH_ERROR;
    if (error) {
      fail(result, std::string(what) + " " + std::to_string(number) + ": " + describe_json_error(error));
      return;
    }
    ++result.records;
    core_.deliver(sink, raw);
  }

  simdjson::error_code walk_text(std::string_view raw) {
    if (record_parser_.capacity() < raw.size())
      SIMDJSON_TRY(
          record_parser_.allocate(std::max<std::size_t>(raw.size(), 1 << 16), core_.limits.max_depth));
    od::document doc;
    SIMDJSON_TRY(record_parser_.iterate(raw.data(), raw.size(), raw.size() + kRecordPadding).get(doc));
    od::object object;
    SIMDJSON_TRY(doc.get_object().get(object));
    SIMDJSON_TRY(core_.walk.walk(object));
    if (has_trailing_content(doc)) return simdjson::TRAILING_CONTENT;
    return simdjson::SUCCESS;
  }

  static void fail(ReadResult& result, std::string reason) {
    ++result.records_failed;
    if (result.first_record_error.empty()) result.first_record_error = std::move(reason);
  }

  ReaderCore& core_;
  dom::parser parser_;       // whole documents
  dom::parser line_parser_;  // the first line, in wraps()
  od::parser record_parser_;
  std::string text_;  // the record being read, with padding
};

}  // namespace

}  // namespace trailwatch::TW_KERNEL_NS
