// One scan worker: its own loader, parser and aggregator; reads the files it is handed and keeps what it
// learns until the scan merges all workers.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "trailwatch/ingest.hpp"
#include "trailwatch/metric.hpp"
#include "trailwatch/records.hpp"
#include "trailwatch/report.hpp"

namespace trailwatch::cli {

/// Writes --matches lines; shared by all workers.
class MatchesWriter {
 public:
  explicit MatchesWriter(std::ostream* out) : out_(out) {}
  bool enabled() const { return out_ != nullptr; }
  void write(const std::vector<MetricFilter>& filters, const std::string& path,
             const std::vector<MatchedRecord>& records);

 private:
  std::ostream* out_;
  std::mutex mutex_;
};

class ScanWorker {
 public:
  /// What every worker of a scan shares.
  struct Setup {
    const FieldPlan& plan;
    const MetricEngine& engine;
    /// May be null. Records that cannot match are counted without extracting their fields.
    const LiteralPrefilter* prefilter;
    bool fast;  // --fast: buffers that cannot match are not parsed at all
    LoaderOptions loader;
    RecordLimits limits;
  };

  /// `stop` is checked between the pieces of a stream.
  ScanWorker(const Setup& setup, MatchesWriter& matches, ScanProgress& progress,
             const std::atomic<bool>& stop);

  /// Reads one input: a file whole, or stdin piece by piece.
  void read(const InputFile& file);

  const ScanTally& tally() const { return aggregator_.tally(); }
  std::vector<PathMessage> warnings;
  std::vector<PathMessage> errors;
  std::uint64_t files_failed = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_inflated = 0;
  std::uint64_t buffers_skipped = 0;  // --fast: inflated, then proven unable to match
  std::uint64_t bytes_skipped = 0;

 private:
  /// Returns false if the buffer could not be used.
  bool read_buffer(const std::string& path, LoadedBuffer& buffer);
  void read_stream(const InputFile& file);

  const MetricEngine& engine_;
  bool fast_;
  MatchesWriter& matches_;
  ScanProgress& progress_;
  const std::atomic<bool>& stop_;
  LoaderOptions loader_options_;
  BufferLoader loader_;
  RecordReader reader_;
  MetricAggregator aggregator_;
};

}  // namespace trailwatch::cli
