// What the envelope and NDJSON readers of a kernel share: the parser for whole buffers, the field walk, the
// search plan (with a prefilter), the limits, and the hand-over of a record to the sink. Part of the record
// kernel (included by record_kernel_impl.hpp, once per instruction set); not a normal header: no include
// guard on purpose.

namespace trailwatch::TW_KERNEL_NS {

namespace {

class ReaderCore {
 public:
  ReaderCore(const FieldTrie& trie, RecordLimits limits, const LiteralPrefilter* prefilter)
      : limits(limits), walk(trie), message_required_(trie.message_required) {
    if (prefilter != nullptr) plan.emplace(*prefilter, kLiteralFinder);
  }

  const RecordLimits limits;
  std::optional<SearchPlan> plan;  // only with a prefilter
  // What plan() said of the buffer being read (read() sets it): when no rule can match in it, candidate()
  // answers without a call per record, on most buffers of most scans.
  bool buffer_may_match = true;

  /// Whether the record at [begin, end) of the buffer being read can match; with a plan only.
  bool candidate(const char* begin, const char* end) {
    return buffer_may_match && plan->candidate(begin, end);
  }
  FieldWalk walk;
  od::parser parser;

  simdjson::error_code ensure_capacity(std::size_t len) {
    if (parser.capacity() >= len && allocated_) return simdjson::SUCCESS;
    allocated_ = true;
    return parser.allocate(std::max<std::size_t>(len, 1 << 16), limits.max_depth);
  }

  // The limits' fast paths, inline here because they run for every record; the rest is record_limits.cpp.
  bool too_large(std::size_t size, const char* what, std::uint64_t number, ReadResult& result) const {
    return size > limits.max_record_size && record_too_large(limits, size, what, number, result);
  }
  bool too_deep(std::string_view raw) const {
    return raw.size() / 2 > limits.max_depth && record_too_deep(limits, raw);
  }

  /// Hands the sink a record whose fields walk.values() holds. Its message is compacted even though
  /// CloudTrail writes compactly, so that term and regex patterns see pretty-printed input as CloudWatch Logs
  /// would.
  void deliver(RecordSink& sink, std::string_view raw) {
    std::string_view message;
    if (message_required_) message = compact_record_text(raw, message_scratch_);
    sink.on_record(RecordView{walk.values(), raw, message});
  }

 private:
  bool allocated_ = false;
  bool message_required_;
  std::string message_scratch_;  // holds the message of the record being delivered
};

}  // namespace

}  // namespace trailwatch::TW_KERNEL_NS
