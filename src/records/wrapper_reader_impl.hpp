// Reading what responders hold besides CloudTrail's own files (docs/design.md "What is a record"): the
// documents are taken apart into record texts outside the kernel (wrapper_documents.cpp: simdjson's DOM must
// not be instantiated here), and each record text is walked here without the prefilter (such files are
// exports, small next to an archive). Part of the record kernel (included by record_kernel_impl.hpp, once per
// instruction set); not a normal header: no include guard on purpose.

namespace trailwatch::TW_KERNEL_NS {

namespace {

class WrapperReader {
 public:
  explicit WrapperReader(ReaderCore& core) : core_(core) {}

  bool wraps(std::string_view data) { return first_line_is_a_wrapper(data); }

  /// Reads every JSON document of `data` (one, or several back to back) into `sink`.
  void read(std::string_view data, RecordSink& sink, ReadResult& result) {
    result.format = RecordFormat::Wrapper;
    result.error = unwrap_documents(
        data,
        [&](std::string text, const char* list) { read_record_text(std::move(text), list, sink, result); },
        [&](std::string reason) { fail(result, std::move(reason)); }, result.warnings);
  }

 private:
  // Parses one record's text and hands it over; its message is the text as written (what CloudWatch Logs
  // holds for lookup-events' and filter-log-events' strings).
  void read_record_text(std::string text, const char* what, RecordSink& sink, ReadResult& result) {
    const std::uint64_t number = result.records + result.records_failed + 1;
    if (core_.too_large(text.size(), what, number, result)) return;
    text_ = std::move(text);
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
  od::parser record_parser_;
  std::string text_;  // the record being read, with padding
};

}  // namespace

}  // namespace trailwatch::TW_KERNEL_NS
