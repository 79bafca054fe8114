#include <cctype>
#include <cstdlib>
#include <cstring>

#include "records/record_kernel.hpp"

namespace trailwatch {

namespace {

// TRAILWATCH_KERNEL=fallback or =haswell caps the kernel (to compare kernels on one machine, or to rule one
// out); the CPU's features always do.
bool kernel_allowed(const char* name) {
  const char* cap = std::getenv("TRAILWATCH_KERNEL");
  if (cap == nullptr || (std::strcmp(cap, "fallback") != 0 && std::strcmp(cap, "haswell") != 0)) return true;
  if (std::strcmp(cap, "fallback") == 0) return false;
  return std::strcmp(name, "haswell") == 0;
}

std::unique_ptr<RecordReader::Kernel> make_kernel(const FieldTrie& trie, RecordLimits limits,
                                                  const LiteralPrefilter* prefilter) {
  [[maybe_unused]] const std::string_view kernel = preferred_record_kernel();
#if TRAILWATCH_HAVE_ICELAKE_KERNEL
  if (kernel == "icelake") return kernel_icelake::make(trie, limits, prefilter);
#endif
#if TRAILWATCH_HAVE_HASWELL_KERNEL
  if (kernel == "haswell") return kernel_haswell::make(trie, limits, prefilter);
#endif
  return kernel_fallback::make(trie, limits, prefilter);
}

}  // namespace

BufferShape detect_shape(std::string_view data) {
  std::size_t i = 0;
  if (data.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // a UTF-8 byte order mark, as some editors save
  while (i < data.size() && is_json_blank(data[i])) ++i;
  if (i == data.size()) return BufferShape::Blank;
  if (data[i] == '[') return BufferShape::BareArray;
  // CloudWatch Logs' export to S3 writes "<ISO 8601 time> <message>" lines.
  if (data.size() - i > 20 && std::isdigit(static_cast<unsigned char>(data[i])) && data[i + 4] == '-' &&
      data[i + 10] == 'T')
    return BufferShape::ExportLines;
  if (data[i] != '{') return BufferShape::NotJson;
  // An envelope's first key is "Records"; a record's never is. Only the first key is looked at so that
  // detection costs nothing on large files.
  ++i;
  while (i < data.size() && is_json_blank(data[i])) ++i;
  std::string_view rest = data.substr(i);
  if (rest.starts_with("\"Records\"")) return BufferShape::Envelope;
  if (rest.size() >= 9 && rest[0] == '"' && rest[8] == '"') {
    std::string lowered(rest.substr(1, 7));
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered == "records") return BufferShape::WrongEnvelopeKey;
  }
  return BufferShape::Ndjson;
}

RecordReader::RecordReader(const FieldPlan& plan, RecordLimits limits, const LiteralPrefilter* prefilter)
    : trie_(std::make_unique<FieldTrie>(plan)), kernel_(make_kernel(*trie_, limits, prefilter)) {}

RecordReader::~RecordReader() = default;

ReadResult RecordReader::read(std::string_view data, RecordSink& sink) {
  return kernel_->read(data, sink, false, nullptr);
}

ReadResult RecordReader::read_or_skip(std::string_view data, RecordSink& sink, bool& skipped) {
  return kernel_->read(data, sink, true, &skipped);
}

bool RecordReader::may_match(std::string_view data) {
  return kernel_->may_match(data);
}

void RecordReader::use_envelope_scanner(bool use) {
  kernel_->use_envelope_scanner(use);
}

const char* RecordReader::kernel() const {
  return kernel_->name();
}

// The one place the kernel is chosen: make_kernel builds what this names.
const char* preferred_record_kernel() {
#if TRAILWATCH_HAVE_ICELAKE_KERNEL
  if (kernel_allowed("icelake") && kernel_icelake::supported_by_cpu()) return "icelake";
#endif
#if TRAILWATCH_HAVE_HASWELL_KERNEL
  if (kernel_allowed("haswell") && kernel_haswell::supported_by_cpu()) return "haswell";
#endif
  return "fallback";
}

}  // namespace trailwatch
