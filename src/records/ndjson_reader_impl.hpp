// Reading NDJSON, one record per line: a bad line fails alone, the lines around it are read. Part of the
// record kernel (included by record_kernel_impl.hpp, once per instruction set); not a normal header: no
// include guard on purpose.

namespace trailwatch::TW_KERNEL_NS {

namespace {

class NdjsonReader {
 public:
  explicit NdjsonReader(ReaderCore& core) : core_(core) {}

  /// Reads the NDJSON `data` into `sink`. `timestamped`: each line is "<time> <record>" (CloudWatch Logs'
  /// export to S3); the time is passed over.
  void read(std::string_view data, RecordSink& sink, ReadResult& result, bool timestamped = false) {
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
      if (timestamped) {
        // "<time> <record>": a line without a time before its first space fails alone, like a bad record.
        const std::size_t space = line.find(' ');
        if (space == std::string_view::npos || !parse_utc_time(line.substr(0, space))) {
          ++result.records_failed;
          if (result.first_record_error.empty())
            result.first_record_error = "line " + std::to_string(line_number) +
                                        ": not '<ISO 8601 time> <record>' (CloudWatch Logs export)";
          continue;
        }
        std::size_t skip = space + 1;
        while (skip < line.size() && is_json_blank(line[skip])) ++skip;
        lead += skip;
        line.remove_prefix(skip);
        if (line.empty()) continue;
      }
      if (core_.too_large(line.size(), "line", line_number, result)) continue;
      // The rest of the buffer plus its padding stays readable after the line, which is all simdjson needs.
      std::size_t capacity = remaining - lead + kRecordPadding;
      auto error = read_line(line, capacity, sink, result);
      if (error) {
        ++result.records_failed;
        if (result.first_record_error.empty())
          result.first_record_error =
              "line " + std::to_string(line_number) + ": " + describe_json_error(error);
      }
    }
  }

 private:
  simdjson::error_code read_line(std::string_view line, std::size_t capacity, RecordSink& sink,
                                 ReadResult& result) {
    SIMDJSON_TRY(core_.ensure_capacity(line.size()));
    od::document doc;
    SIMDJSON_TRY(core_.parser.iterate(line.data(), line.size(), capacity).get(doc));
    od::object object;
    SIMDJSON_TRY(doc.get_object().get(object));
    // A line whose text holds no literal a match needs is checked and counted, its fields not extracted.
    const bool extract = !core_.plan || core_.candidate(line.data(), line.data() + line.size());
    if (extract) {
      SIMDJSON_TRY(core_.walk.walk(object));
    } else {
      std::string_view skipped;
      SIMDJSON_TRY(object.raw_json().get(skipped));
    }
    if (has_trailing_content(doc)) return simdjson::TRAILING_CONTENT;
    if (core_.too_deep(line)) return simdjson::DEPTH_ERROR;
    ++result.records;
    if (!extract) {
      sink.on_unmatchable_record();
      return simdjson::SUCCESS;
    }
    core_.deliver(sink, line);
    return simdjson::SUCCESS;
  }

  ReaderCore& core_;
};

}  // namespace

}  // namespace trailwatch::TW_KERNEL_NS
