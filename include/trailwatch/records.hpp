// Records layer: iterates the CloudTrail records of an in-memory buffer (the {"Records":[...]} envelope or
// NDJSON, detected automatically) with simdjson On-Demand, and extracts only the fields that the loaded
// patterns name. Nothing here knows about patterns: callers register selectors in a FieldPlan and read the
// values back from FieldValues (trailwatch/fields.hpp, the vocabulary this layer shares with the patterns).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/fields.hpp"

namespace trailwatch {

/// Bytes that must be readable (any value) after the end of a buffer handed to RecordReader::read.
inline constexpr std::size_t kRecordPadding = 64;

/// What a sink sees of one record.
struct RecordView {
  const FieldValues& fields;
  /// The record's JSON text exactly as it stands in the input (for --matches and the 256 KB check).
  std::string_view raw;
  /// The record's JSON with insignificant whitespace removed: what CloudWatch Logs receives from CloudTrail.
  /// Empty unless the FieldPlan required it.
  std::string_view message;
};

/// A record's JSON text as CloudWatch Logs receives it from CloudTrail: without insignificant whitespace
/// (blanks between tokens dropped, strings kept byte for byte). `raw` is one JSON value, such as
/// RecordView::raw, and needs no padding. The compacted text is written into `scratch`, which only grows
/// (reuse one per thread to avoid allocations); the result views `scratch`, or `raw` itself when `raw` cannot
/// be compacted (a string never closed), so it is valid while both stay unchanged.
std::string_view compact_record_text(std::string_view raw, std::string& scratch);

/// Receives every record of a buffer, in order. Implementations must not throw.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void on_record(const RecordView& record) = 0;
  /// A record the prefilter proved cannot match any rule: read and counted, its fields not extracted.
  virtual void on_unmatchable_record() {}
};

/// Text that every record worth evaluating contains, so that a reader may skip field extraction for the
/// others (and `scan --fast` whole buffers). A record is a candidate when, for some rule, every clause of
/// that rule has at least one of its literals in the record's JSON text. build() adds to each clause the JSON
/// escape sequences that could spell one of its literals in a value (`\u0044isableKey`), so a candidate test
/// only ever rejects records that provably cannot match.
struct LiteralPrefilter {
  using Clause = std::vector<std::string>;
  /// `rules`: per rule, Pattern::required_literals(). nullopt when some rule requires nothing, or when there
  /// are too many literals for the search to be cheaper than parsing.
  static std::optional<LiteralPrefilter> build(const std::vector<std::vector<Clause>>& rules);

  std::vector<std::string> literals;  // distinct; escape sequences included
  /// Per rule, per clause: indexes into `literals`. An empty clause is never satisfied (a rule that matches
  /// nothing).
  std::vector<std::vector<std::vector<std::uint32_t>>> rules;
};

enum class RecordFormat : std::uint8_t { Envelope, Ndjson, Wrapper, Empty };

/// The outcome of reading one buffer.
struct ReadResult {
  RecordFormat format = RecordFormat::Empty;
  std::uint64_t records = 0;         // records handed to the sink
  std::uint64_t records_failed = 0;  // bad NDJSON lines, envelope elements that are not objects, records over
                                     // the size limit (the rest still read)
  std::string error;               // non-empty: the buffer as a whole is unusable (records must be discarded)
  std::string first_record_error;  // NDJSON: the first bad line's reason, for the report
  std::vector<std::string> warnings;  // read, but not quite as CloudTrail writes it
};

/// Limits that protect against hostile input.
struct RecordLimits {
  /// Deeper nesting fails the record (NDJSON) or the buffer (an envelope, which cannot be delimited past it).
  std::size_t max_depth = 1024;
  /// A larger record is counted as failed and passed over. CloudTrail's own records stay far below
  /// (CloudWatch Logs takes at most 256 KB); the limit is for inputs that are not what they claim to be.
  std::size_t max_record_size = std::size_t{128} << 20;
};

struct FieldTrie;

/// Reads records out of buffers. One per worker thread: it owns a simdjson parser and scratch space.
/// The SIMD kernel (AVX-512, AVX2 or portable) is chosen once, at construction, from what the CPU supports;
/// the environment variable TRAILWATCH_KERNEL=fallback forces the portable one, =haswell at most AVX2.
class RecordReader {
 public:
  /// `prefilter` (optional, must outlive the reader): records that cannot match are counted, not extracted.
  RecordReader(const FieldPlan& plan, RecordLimits limits = {}, const LiteralPrefilter* prefilter = nullptr);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  /// Reads every record of `data` into `sink`. `data.data()` must be followed by kRecordPadding readable
  /// bytes. A structural error in an envelope makes the whole buffer an error (result.error), because the
  /// records after it cannot be delimited with certainty; in NDJSON only the bad line fails.
  ReadResult read(std::string_view data, RecordSink& sink);

  /// `scan --fast`: as read(), except that a buffer in which the prefilter proves no record can match is not
  /// parsed at all: `skipped` is set and nothing is read or counted.
  ReadResult read_or_skip(std::string_view data, RecordSink& sink, bool& skipped);

  /// False when the prefilter proves that no record of `data` can match. True without a prefilter.
  bool may_match(std::string_view data);

  /// With a prefilter, a buffer holding one plainly written envelope is delimited by a scanner of
  /// trailwatch's own instead of simdjson's structural index (on by default; anything else goes to simdjson).
  /// For tests and benchmarks that compare the two: both must give the same results.
  void use_envelope_scanner(bool use);

  /// "icelake", "haswell" or "fallback": the simdjson kernel this reader runs.
  const char* kernel() const;

  class Kernel;

 private:
  std::unique_ptr<FieldTrie> trie_;
  std::unique_ptr<Kernel> kernel_;
};

/// The kernel a RecordReader would pick on this machine.
const char* preferred_record_kernel();
/// Whether this CPU has the instructions of the record kernel `name` ("icelake", "haswell"; "fallback"
/// always), whether or not the build holds it.
bool cpu_runs_record_kernel(std::string_view name);

}  // namespace trailwatch
