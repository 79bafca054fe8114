// Runs a plan over inputs: workers pull inputs in order, each keeps its own tally and counts, and the report
// is assembled here, in one place, once every worker has stopped.
#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>

#include "scan/scan_worker.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch {

namespace {

// --dedup-events: the held-back publications of every input, taken in input order (sorted paths, then record
// order), whatever thread read them; a record whose event was already counted adds nothing and is not
// written to --matches. Returns the number of such records.
std::uint64_t count_events_once(const std::vector<std::unique_ptr<scan::ScanWorker>>& workers,
                                const Discovery& inputs, ScanTally& tally, MatchSink* matches,
                                const ScanPlan& plan) {
  std::vector<scan::ScanWorker::InputEvents*> by_input;
  for (const auto& worker : workers)
    if (worker)
      for (scan::ScanWorker::InputEvents& input : worker->held_back()) by_input.push_back(&input);
  std::sort(by_input.begin(), by_input.end(),
            [](const auto* a, const auto* b) { return a->index < b->index; });
  std::unordered_set<std::string> seen;
  std::uint64_t duplicates = 0;
  for (scan::ScanWorker::InputEvents* input : by_input) {
    std::vector<MatchedRecord> kept;
    for (EventPublication& event : input->events) {
      if (!event.key.empty() && !seen.insert(event.key).second) {
        ++duplicates;
        continue;
      }
      event.add_to(tally);
      for (MatchedRecord& m : event.matches) kept.push_back(std::move(m));
    }
    if (matches != nullptr && !kept.empty()) matches->write(plan, inputs.files[input->index].path, kept);
    input->events.clear();
  }
  return duplicates;
}

// Every matched record goes through the digest (the report's who-counts and earliest events), then on to the
// caller's sink, if any. Called for one input at a time, in input order (MatchSequencer, count_events_once).
class DigestingSink : public MatchSink {
 public:
  DigestingSink(MatchDigest& digest, MatchSink* next) : digest_(digest), next_(next) {}
  void write(const ScanPlan& plan, const std::string& path,
             const std::vector<MatchedRecord>& records) override {
    digest_.add(path, records);
    if (next_ != nullptr) next_->write(plan, path, records);
  }

 private:
  MatchDigest& digest_;
  MatchSink* next_;
};

}  // namespace

Scanner::Scanner(const ScanPlan& plan, ScanRunOptions options) : plan_(plan), options_(std::move(options)) {}

bool Scanner::fast() const {
  return options_.fast && plan_.prefilter() != nullptr;
}

ScanReport Scanner::run(const Discovery& inputs, ScanProgress& progress, const std::atomic<bool>& stop,
                        MatchSink* caller_matches) const {
  MatchDigest digest(plan_);
  DigestingSink digesting(digest, caller_matches);
  MatchSink* matches = &digesting;
  const auto started = std::chrono::steady_clock::now();
  unsigned threads = options_.threads > 0 ? options_.threads : default_thread_count();
  threads =
      static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, inputs.files.size())));
  progress.files_total = inputs.files.size();
  progress.bytes_total = 0;
  for (const InputFile& f : inputs.files) progress.bytes_total += f.size;

  const bool fast = this->fast();
  std::optional<scan::MatchSequencer> sequencer;
  // With --dedup-events the matches are written once every input is read, in order (count_events_once).
  if (matches != nullptr && !plan_.dedup_events()) sequencer.emplace(plan_, *matches);
  std::vector<std::unique_ptr<scan::ScanWorker>> workers(threads);
  {
    // A source that reads over the network fetches ahead, in the order the workers will ask for its inputs.
    const AnnouncedReads announced(inputs, options_.loader.max_inflated_bytes);
    run_workers(
        threads, inputs.files.size(),
        [&](unsigned w, std::size_t item) {
          // Built on the worker's own thread, the first time it runs, so its buffers stay local to it.
          if (!workers[w])
            workers[w] = std::make_unique<scan::ScanWorker>(
                plan_, options_, fast, matches != nullptr, sequencer ? &*sequencer : nullptr, progress, stop);
          workers[w]->read(inputs.files[item], item);
        },
        &stop);
  }
  if (sequencer) sequencer->flush();

  ScanReport report;
  report.plan = {plan_.fingerprint(), std::string(trailwatch_version()), plan_.settings()};
  InputSummary& in = report.input;
  in.kernel = preferred_record_kernel();
  in.mode = fast ? "fast" : "full";
  in.threads = threads;
  in.files = progress.files_done.load();  // fewer than listed when interrupted
  in.skipped = inputs.skipped;
  in.pruned = inputs.pruned;
  in.errors = inputs.errors;
  ScanTally tally;
  tally.filters.resize(plan_.filters().size());
  DeliveryLog deliveries;
  for (const auto& worker : workers) {
    if (!worker) continue;
    tally.merge(worker->tally());
    worker->counts().add_to(in);
    deliveries.merge(worker->counts().deliveries);
  }
  if (plan_.dedup_events()) in.duplicate_events = count_events_once(workers, inputs, tally, matches, plan_);
  in.delivery = deliveries.coverage(plan_.gap_rule());
  if (tally.first_match && tally.last_match)
    in.coverage = EventCoverage{*tally.first_match, *tally.last_match};
  std::sort(in.warnings.begin(), in.warnings.end());
  std::sort(in.errors.begin(), in.errors.end());
  in.records = tally.records;
  in.records_failed = tally.records_failed;
  in.records_out_of_range = tally.records_out_of_range;
  in.records_out_of_scope = tally.records_out_of_scope;
  in.seen = inputs.seen;
  in.seen.merge(tally.seen);
  in.interrupted = stop.load();
  in.partial = !in.errors.empty() || in.interrupted;
  report.rules = plan_.results(tally);
  report.period = plan_.period();
  report.scope = plan_.scope();
  std::vector<MatchedEventSample> samples = digest.take();
  for (std::size_t i = 0; i < report.rules.size() && i < samples.size(); ++i) {
    report.rules[i].who = std::move(samples[i].who);
    report.rules[i].earliest_events = std::move(samples[i].earliest);
  }
  report.unreplayable_alarms = plan_.unreplayable();
  in.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace trailwatch
