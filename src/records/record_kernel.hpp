// The interface between RecordReader and its SIMD-specific kernels. Each kernel is the same code
// (record_kernel_impl.hpp) compiled for a different instruction set.
#pragma once

#include <memory>
#include <string_view>

#include "records/field_trie.hpp"
#include "trailwatch/records.hpp"

namespace trailwatch {

class RecordReader::Kernel {
 public:
  virtual ~Kernel() = default;
  virtual ReadResult read(std::string_view data, RecordSink& sink, bool skip_unmatchable, bool* skipped) = 0;
  virtual bool may_match(std::string_view data) = 0;
  virtual const char* name() const = 0;
  virtual void use_envelope_scanner(bool use) = 0;
};

/// JSON's insignificant whitespace.
inline bool is_json_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// Where the first non-blank byte says what the buffer holds.
enum class BufferShape { Blank, Envelope, Ndjson, BareArray, WrongEnvelopeKey, ExportLines, NotJson };
BufferShape detect_shape(std::string_view data);

struct LiteralFinder;

namespace kernel_fallback {
std::unique_ptr<RecordReader::Kernel> make(const FieldTrie& trie, RecordLimits limits,
                                           const LiteralPrefilter* prefilter);
LiteralFinder literal_finder();
}  // namespace kernel_fallback
#if TRAILWATCH_HAVE_HASWELL_KERNEL
namespace kernel_haswell {
std::unique_ptr<RecordReader::Kernel> make(const FieldTrie& trie, RecordLimits limits,
                                           const LiteralPrefilter* prefilter);
LiteralFinder literal_finder();
bool supported_by_cpu();
}  // namespace kernel_haswell
#endif
#if TRAILWATCH_HAVE_ICELAKE_KERNEL
namespace kernel_icelake {
std::unique_ptr<RecordReader::Kernel> make(const FieldTrie& trie, RecordLimits limits,
                                           const LiteralPrefilter* prefilter);
LiteralFinder literal_finder();
bool supported_by_cpu();
}  // namespace kernel_icelake
#endif

}  // namespace trailwatch
