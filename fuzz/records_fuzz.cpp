// libFuzzer target for the records layer: any bytes go to RecordReader::read (envelope or NDJSON, chosen by
// the reader from the first key) with a FieldPlan holding plain selectors, an index, wildcards and the
// message. The buffer is followed by kRecordPadding readable bytes, as the ingest layer guarantees. Nothing
// may crash, leak or hang; every view handed to the sink must point into the input or the reader's own
// buffers, and a buffer-level error must come without records being kept.
// The same bytes also go to two readers with the CIS CMK rule's literal prefilter, one delimiting envelopes
// with trailwatch's scanner and one with simdjson: on valid JSON, and wherever simdjson's reader reports no
// error (for the buffer or a record), both must hand over the same records in the same order
// (tests/envelope_scanner_test.cpp says why only there).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include <optional>
#include <string>

#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"

namespace {

using trailwatch::FieldPlan;
using trailwatch::JsonKind;
using trailwatch::JsonValue;
using trailwatch::kRecordPadding;
using trailwatch::ReadResult;
using trailwatch::RecordReader;
using trailwatch::RecordSink;
using trailwatch::RecordView;
using trailwatch::SelectorPath;
using trailwatch::SelectorStep;

SelectorStep member(const char* key) {
  return SelectorStep{SelectorStep::Kind::Member, key, 0};
}
SelectorStep index(std::size_t i) {
  return SelectorStep{SelectorStep::Kind::Index, {}, i};
}
SelectorStep any_element() {
  return SelectorStep{SelectorStep::Kind::AnyElement, {}, 0};
}
SelectorStep any_member() {
  return SelectorStep{SelectorStep::Kind::AnyMember, {}, 0};
}

FieldPlan make_plan() {
  FieldPlan plan;
  plan.add(SelectorPath{member("eventSource")});
  plan.add(SelectorPath{member("eventName")});
  plan.add(SelectorPath{member("eventTime")});
  plan.add(SelectorPath{member("userIdentity"), member("type")});
  plan.add(SelectorPath{member("resources"), any_element(), member("ARN")});
  plan.add(SelectorPath{member("resources"), index(0), member("type")});
  plan.add(SelectorPath{member("requestParameters"), any_member()});
  plan.add(SelectorPath{member("a"), any_element(), any_element(), member("b")});
  plan.add(SelectorPath{});  // the record itself
  plan.require_message();
  return plan;
}

// Checks every view of every record: they are read, byte by byte, so that ASan sees any dangling one.
class CheckingSink final : public RecordSink {
 public:
  explicit CheckingSink(std::size_t selectors) : selectors_(selectors) {}
  void on_record(const RecordView& record) override {
    ++records;
    if (record.raw.empty()) std::abort();
    if (record.raw.front() != '{') std::abort();
    if (record.message.empty()) std::abort();  // the plan asked for the message
    touch(record.raw);
    touch(record.message);
    if (record.fields.size() != selectors_) std::abort();
    for (std::size_t id = 0; id < selectors_; ++id) {
      for (const JsonValue& v : record.fields.get(static_cast<trailwatch::SelectorId>(id))) {
        touch(v.text);
        if ((v.kind == JsonKind::True && v.text != "true") ||
            (v.kind == JsonKind::False && v.text != "false"))
          std::abort();
        if (v.kind == JsonKind::Number && v.text.empty()) std::abort();
      }
    }
  }
  std::uint64_t records = 0;

 private:
  void touch(std::string_view s) {
    for (char c : s) sum_ = sum_ + static_cast<unsigned char>(c);
  }
  std::size_t selectors_;
  volatile std::uint64_t sum_ = 0;
};

// Every call a reader makes, as text.
class TranscriptSink final : public RecordSink {
 public:
  void on_record(const RecordView& record) override {
    transcript += "record ";
    transcript += record.raw;
    for (std::size_t id = 0; id < record.fields.size(); ++id)
      for (const JsonValue& value : record.fields.get(static_cast<trailwatch::SelectorId>(id))) {
        transcript += ' ';
        transcript += value.text;
      }
    transcript += '\n';
  }
  void on_unmatchable_record() override { transcript += "unmatchable\n"; }
  std::string transcript;
};

struct PrefilteredReaders {
  PrefilteredReaders()
      : pattern(trailwatch::Pattern::parse(
            "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
            "($.eventName = ScheduleKeyDeletion)) }")) {
    pattern.bind(plan);
    prefilter = trailwatch::LiteralPrefilter::build({pattern.required_literals()});
    if (!prefilter) std::abort();
    scanning.emplace(plan, trailwatch::RecordLimits{}, &*prefilter);
    plain.emplace(plan, trailwatch::RecordLimits{}, &*prefilter);
    plain->use_envelope_scanner(false);
  }
  trailwatch::Pattern pattern;
  FieldPlan plan;
  std::optional<trailwatch::LiteralPrefilter> prefilter;
  std::optional<RecordReader> scanning;
  std::optional<RecordReader> plain;
};

std::string outcome(RecordReader& reader, std::string_view data, bool& error) {
  TranscriptSink sink;
  const ReadResult result = reader.read(data, sink);
  error = !result.error.empty() || result.records_failed > 0;
  return sink.transcript + std::to_string(result.records) + " " + std::to_string(result.records_failed) +
         " " + result.error + " " + result.first_record_error;
}

bool valid_json(std::string_view data) {
  static simdjson::dom::parser parser;
  simdjson::dom::element root;
  return parser.parse(data.data(), data.size()).get(root) == simdjson::SUCCESS;
}

void scanner_agrees_with_simdjson(std::string_view data) {
  static PrefilteredReaders readers;
  bool scanned_error = false;
  bool plain_error = false;
  const std::string scanned = outcome(*readers.scanning, data, scanned_error);
  const std::string plain = outcome(*readers.plain, data, plain_error);
  // Where the comparison below is waived, the damage the scanner itself checks must still be reported.
  if (!scanned_error && !simdjson::validate_utf8(data.data(), data.size())) std::abort();
  if (plain_error && !valid_json(data)) return;
  if (scanned != plain) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const FieldPlan plan = make_plan();
  static RecordReader reader(plan);
  // An exactly sized heap copy, so that a read past data + size + kRecordPadding is an ASan report.
  std::unique_ptr<char[]> copy(new char[size + kRecordPadding]);
  if (size > 0) std::memcpy(copy.get(), data, size);
  std::memset(copy.get() + size, 0, kRecordPadding);
  CheckingSink sink(plan.size());
  const ReadResult result = reader.read(std::string_view(copy.get(), size), sink);
  if (result.records != sink.records) std::abort();
  if (result.records_failed > 0 && result.first_record_error.empty()) std::abort();
  scanner_agrees_with_simdjson(std::string_view(copy.get(), size));
  return 0;
}
