// Who did what: the matched records of a scan described for a person (time, event, actor, source IP, user
// agent, account, region, resource, error) and counted per actor, source IP and resource. Part of the scan
// unit: the scanner feeds every matched record through a MatchDigest whatever the output, so that the JSON
// report's "who" and the HTML report's event table come from the same records --matches writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/metric.hpp"

namespace trailwatch {

class ScanPlan;

/// Counts per actor, source IP and resource of one rule's matched records (docs/design.md "who"). Counts
/// add, so shards merge by adding.
/// Counts by name, looked up by string_view without making a string (a match's name usually is counted).
using WhoCountMap = std::map<std::string, std::uint64_t, std::less<>>;

struct WhoCounts {
  WhoCountMap actors;
  WhoCountMap source_ips;
  WhoCountMap resources;

  void add(const WhoCounts& other);
  bool empty() const { return actors.empty() && source_ips.empty() && resources.empty(); }
};

/// One matched record as a person reads it. Fields the record lacks are empty; `time` is the record's
/// eventTime as written (empty when it has none).
struct MatchedEvent {
  std::string time;
  std::optional<std::int64_t> epoch;  // eventTime in Unix seconds; nullopt when unusable
  std::string event_name;
  std::string event_source;
  std::string actor;
  std::string source_ip;
  std::string user_agent;
  std::string account;
  std::string region;
  std::string resource;
  std::string error_code;
  std::string file;  // the input it came from
};

/// Reads what MatchedEvent holds from a record's JSON text. The actor is userIdentity.arn, else
/// "AWSService " + invokedBy, else userIdentity.type; the resource is requestParameters.keyId for the KMS
/// rule, else the first resources[].ARN, else the first of a fixed list of request parameters (docs/design.md
/// "who"). Never throws: a record that is not a JSON object gives an event with only `file` set.
MatchedEvent describe_matched_event(std::string_view record_json, std::string_view rule_id, std::string file);

/// What a report keeps of one rule's matched records: the who-counts over all of them, and the earliest
/// `limit` in time order (records without a usable time last), with the total.
struct MatchedEventSample {
  WhoCounts who;
  std::vector<MatchedEvent> earliest;
  std::uint64_t total = 0;
};

/// Describes and counts the matched records of a scan, keeping the earliest of each rule. Not thread-safe by
/// itself: the scanner hands it inputs one at a time, in input order, so that ties in time keep input order
/// whatever the thread count.
class MatchDigest {
 public:
  static constexpr std::size_t kDefaultLimit = 1000;
  MatchDigest(const ScanPlan& plan, std::size_t limit = kDefaultLimit);
  /// For records read back from --matches lines (merge): `filter_ids` names the filters by index.
  explicit MatchDigest(std::vector<std::string> filter_ids, std::size_t limit = kDefaultLimit);

  void add(const std::string& path, const std::vector<MatchedRecord>& records);
  /// Per filter of the plan (same index), its sample; the digest is empty afterwards.
  std::vector<MatchedEventSample> take();

 private:
  // The heap orders small keys; the events (a dozen strings each) stay in their slots, so that sorting a
  // thousand of them per rule moves no strings (it was 3 ms of serial time at the end of a CIS scan).
  struct Kept {
    std::int64_t time;      // eventTime, or the largest value when unusable (those sort last)
    std::uint64_t arrival;  // ties keep input order
    std::size_t slot;       // its event in events_ of its filter
  };
  /// The order of the kept events (the heap keeps its latest on top).
  static bool earlier(const Kept& a, const Kept& b);
  std::vector<std::string> ids_;  // per filter: its rule id
  std::size_t limit_;
  std::vector<MatchedEventSample> samples_;        // `earliest` filled by take()
  std::vector<std::vector<Kept>> kept_;            // per filter: a max-heap of the earliest events so far
  std::vector<std::vector<MatchedEvent>> events_;  // per filter: the kept events, by slot
  std::uint64_t arrivals_ = 0;
};

}  // namespace trailwatch
