// One scan worker: its own loader, reader and aggregator; reads the inputs it is handed and keeps what it
// learns until the scanner merges all workers (WorkerCounts::add_to).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "scan/match_sequencer.hpp"
#include "trailwatch/ingest.hpp"
#include "trailwatch/metric.hpp"
#include "trailwatch/records.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch::scan {

/// What one worker counted besides the metric tally; merged into the report's input section in one place.
struct WorkerCounts {
  std::vector<PathMessage> warnings;
  std::vector<PathMessage> errors;
  std::uint64_t files_failed = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_inflated = 0;
  std::uint64_t buffers_skipped = 0;  // --fast: inflated, then proven unable to match
  std::uint64_t bytes_skipped = 0;
  /// The delivery times of the inputs this worker was handed, read whole or not (docs/design.md "Coverage").
  DeliveryLog deliveries;

  /// Adds these counts to `summary` (warnings and errors appended; the caller sorts).
  void add_to(InputSummary& summary) const;
};

class ScanWorker {
 public:
  /// `plan`, `progress`, `stop` and `matches` (may be null) must outlive the worker; `stop` is checked
  /// between the pieces of a stream. `keep_matches`: keep the matched records' text (--matches), for
  /// `matches` or, with --dedup-events, in the held-back publications.
  ScanWorker(const ScanPlan& plan, const ScanRunOptions& options, bool fast, bool keep_matches,
             MatchSequencer* matches, ScanProgress& progress, const std::atomic<bool>& stop);

  /// Reads one input (the `index`th of the scan): a file whole, or stdin piece by piece.
  void read(const InputFile& file, std::size_t index);

  const ScanTally& tally() const { return aggregator_.tally(); }

  /// --dedup-events: what each input this worker read published, by input index, in record order. Matches are
  /// not written by the worker then: only the first record of an event is, once the order is known.
  struct InputEvents {
    std::size_t index = 0;
    std::vector<EventPublication> events;
  };
  std::vector<InputEvents>& held_back() { return held_back_; }
  const WorkerCounts& counts() const { return counts_; }

 private:
  /// Returns false if the buffer could not be used.
  bool read_buffer(const std::string& path, LoadedBuffer& buffer);
  void hold_back_events(std::size_t index);
  void read_stream(const InputFile& file);

  const ScanPlan& plan_;
  bool fast_;
  MatchSequencer* matches_;
  std::vector<MatchedRecord> input_matches_;  // the matches of the input being read, for the sequencer
  ScanProgress& progress_;
  const std::atomic<bool>& stop_;
  LoaderOptions loader_options_;
  BufferLoader loader_;
  RecordReader reader_;
  MetricAggregator aggregator_;
  WorkerCounts counts_;
  std::vector<InputEvents> held_back_;
};

}  // namespace trailwatch::scan
