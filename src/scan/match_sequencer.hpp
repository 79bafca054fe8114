// Puts --matches in input order whatever thread read each input (docs/design.md "Matched records"): inputs
// are finished out of order by the workers, so each input's matches wait until every input before it is
// written. Memory: the matches of inputs finished ahead of a slower one.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "trailwatch/metric.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch::scan {

class MatchSequencer {
 public:
  /// `sink` and `plan` must outlive the sequencer.
  MatchSequencer(const ScanPlan& plan, MatchSink& sink) : plan_(plan), sink_(sink) {}

  /// The input with this index is finished; its matches (maybe none) are written once all before it are.
  /// Called from several workers at once.
  void finish(std::size_t index, const std::string& path, std::vector<MatchedRecord> matches);
  /// Writes what still waits (inputs after one that was never read: an interrupted scan), in order.
  void flush();

 private:
  struct Waiting {
    std::string path;
    std::vector<MatchedRecord> matches;
  };
  void write(const std::string& path, const std::vector<MatchedRecord>& matches);

  const ScanPlan& plan_;
  MatchSink& sink_;
  std::mutex mutex_;
  std::size_t next_ = 0;
  std::map<std::size_t, Waiting> waiting_;
};

}  // namespace trailwatch::scan
