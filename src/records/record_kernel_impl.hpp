// The record kernel: reads a buffer's records, envelope or NDJSON, with simdjson On-Demand and extracts their
// fields. Included by exactly one translation unit per instruction set, after kernel_prelude.hpp and
// <simdjson.h>, with TW_KERNEL_NS naming the namespace of that copy. Not a normal header: no include guard on
// purpose. The parts that are SIMD code (or inline into it) are the *_impl.hpp headers below, each in
// TW_KERNEL_NS; the scalar parts (search_plan, record_limits, json_error) are compiled once in the library.

#include "records/byte_frequency.hpp"
#include "records/json_error.hpp"
#include "records/record_limits.hpp"
#include "records/search_plan.hpp"
#include "records/wrapper_documents.hpp"
#include "trailwatch/time.hpp"

// Each part uses those before it (these headers have no includes of their own), so the order is kept.
// clang-format off
#include "records/byte_block_impl.hpp"
#include "records/literal_search_impl.hpp"
#include "records/envelope_scanner_impl.hpp"
#include "records/json_text_impl.hpp"
#include "records/field_walk_impl.hpp"
#include "records/reader_core_impl.hpp"
#include "records/envelope_reader_impl.hpp"
#include "records/ndjson_reader_impl.hpp"
#include "records/wrapper_reader_impl.hpp"
// clang-format on

namespace trailwatch::TW_KERNEL_NS {

namespace {

class Kernel final : public RecordReader::Kernel {
 public:
  Kernel(const FieldTrie& trie, RecordLimits limits, const LiteralPrefilter* prefilter)
      : core_(trie, limits, prefilter), envelope_(core_), ndjson_(core_), wrapper_(core_) {}

  const char* name() const override { return TW_KERNEL_NAME; }

  void use_envelope_scanner(bool use) override { envelope_.use_scanner(use); }

  bool may_match(std::string_view data) override { return !core_.plan || core_.plan->plan(data); }

  ReadResult read(std::string_view data, RecordSink& sink, bool skip_unmatchable, bool* skipped) override {
    ReadResult result;
    if (skipped != nullptr) *skipped = false;
    if (core_.plan) {
      // Where no record can match, every record is counted unread and no occurrence list is needed; with
      // skip_unmatchable (--fast) the buffer is not even parsed.
      core_.buffer_may_match = core_.plan->plan(data);
      if (!core_.buffer_may_match && skip_unmatchable) {
        if (skipped != nullptr) *skipped = true;
        return result;
      }
      core_.plan->locate_anchors(data);
    }
    // Editors on Windows save UTF-8 with a byte order mark; JSON parsers must not see it.
    if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
    switch (detect_shape(data)) {
      case BufferShape::Blank:
        result.error = "no JSON content";
        return result;
      case BufferShape::BareArray:
        wrapper_.read(data, sink, result);
        return result;
      case BufferShape::ExportLines:
        result.format = RecordFormat::Ndjson;
        ndjson_.read(data, sink, result, true);
        return result;
      case BufferShape::WrongEnvelopeKey:
        result.error = "envelope key is not \"Records\" (CloudTrail writes {\"Records\":[...]})";
        return result;
      case BufferShape::NotJson:
        result.error =
            "not JSON: expected {\"Records\":[...]}, one JSON record per line, or CloudWatch Logs export "
            "lines "
            "(<time> <record>)";
        return result;
      case BufferShape::Envelope:
        result.format = RecordFormat::Envelope;
        envelope_.read(data, sink, result);
        return result;
      case BufferShape::Ndjson:
        if (wrapper_.wraps(data)) {
          wrapper_.read(data, sink, result);
          return result;
        }
        result.format = RecordFormat::Ndjson;
        ndjson_.read(data, sink, result);
        return result;
    }
    return result;
  }

 private:
  ReaderCore core_;
  EnvelopeReader envelope_;
  NdjsonReader ndjson_;
  WrapperReader wrapper_;
};

}  // namespace

std::unique_ptr<RecordReader::Kernel> make(const FieldTrie& trie, RecordLimits limits,
                                           const LiteralPrefilter* prefilter) {
  return std::make_unique<Kernel>(trie, limits, prefilter);
}

}  // namespace trailwatch::TW_KERNEL_NS
