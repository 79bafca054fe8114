// Which records of a buffer the prefilter lets through. Plain scalar code, compiled once in the library: only
// the literal search it calls differs per SIMD kernel, and the kernel hands that in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "records/literal_buckets.hpp"
#include "trailwatch/records.hpp"

namespace trailwatch {

/// The literal searches, which each SIMD kernel supplies. For a few literals: lists in `hits`, per literal of
/// `literals`, the offsets in `data` where it occurs, in order, and returns whether some literal occurs (two
/// entry points, so that each is compiled with its mode fixed). For many: lists every occurrence of every
/// literal of `set` in one list, in order of offset, and returns false if it stopped at `limit` occurrences.
struct LiteralFinder {
  using Search = bool (*)(std::string_view data, const std::vector<std::string>& literals,
                          std::vector<std::vector<std::size_t>>& hits);
  using SearchMany = bool (*)(std::string_view data, const LiteralBuckets& set, std::vector<LiteralHit>& hits,
                              std::size_t limit);
  Search first;      // a presence test: stops at the first occurrence of any literal
  Search all;        // every occurrence
  SearchMany every;  // every occurrence of many literals, in one pass
  // Whether `every` looks at LiteralBuckets' windows (the AVX-512 filter); the others look at first bytes
  // whatever the buckets say, so there is nothing to choose between.
  bool looks_at_windows = false;
};

/// The searches of every kernel this CPU can run, by kernel name (for the tests).
std::vector<std::pair<std::string, LiteralFinder>> available_literal_finders();

/// A buffer's search plan: which records of it can match. One per reader, reused for every buffer. With a few
/// literals (the usual single rule), for each rule its anchor clause (the one searched in full), and then,
/// record by record, whether the record can match. With more, one pass lists every literal's occurrences
/// and a record is judged from those that start in it.
class SearchPlan {
 public:
  /// `prefilter` must outlive the plan.
  SearchPlan(const LiteralPrefilter& prefilter, LiteralFinder find);
  // Out of line, as every member: the AVX2 kernel includes this header, and an inline member compiled there
  // could become the copy that portable code calls.
  ~SearchPlan();

  /// Chooses the anchors for `data`; returns whether some rule can match in it.
  bool plan(std::string_view data);

  /// After plan() on `data`: lists the anchors' occurrences, so that candidate() can judge its records.
  void locate_anchors(std::string_view data);

  /// Back to the first record, for a reader that starts the buffer over.
  void rewind();

  /// Whether the record at [begin, end) of the located buffer can match. Records must be asked in order.
  bool candidate(const char* begin, const char* end);

 private:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  bool clause_starts_within(const std::vector<std::uint32_t>& clause, std::size_t begin,
                            std::size_t end) const;
  bool plan_many(std::string_view data);
  bool candidate_many(std::size_t begin, std::size_t end);
  void judge_common_clauses(std::string_view sample);
  bool joins_words_faster(std::string_view sample, const LiteralBuckets& first_bytes,
                          const LiteralBuckets& joining);

  const LiteralPrefilter& prefilter_;
  LiteralFinder find_;
  std::vector<std::vector<std::vector<std::string>>> clause_literals_;  // per rule, per clause: its literals
  std::vector<std::vector<std::size_t>> presence_hits_;
  bool buffer_may_match_ = true;
  std::string_view searched_;                 // the buffer hits_ describe
  std::vector<std::uint32_t> anchor_;         // per rule: its anchor clause in this buffer, or kNone
  std::vector<std::string> anchor_literals_;  // the anchor clauses' literals, searched in full
  std::size_t anchors_from_ = 0;              // no anchor literal starts before this offset
  std::vector<std::uint32_t> anchor_slot_;  // per prefilter literal: its index in anchor_literals_, or kNone
  std::vector<std::vector<std::size_t>> hits_;  // per anchor literal: offsets into searched_
  std::vector<std::size_t> cursors_;            // per anchor literal: the first hit not before the record

  // With many literals (buckets_ set): one list of every occurrence.
  struct Use {
    std::uint32_t rule;
    std::uint64_t clause_bit;
  };
  std::unique_ptr<LiteralBuckets> buckets_;  // the literals searched for
  std::vector<std::uint32_t> listed_;        // per literal of buckets_: its index in the prefilter
  std::vector<std::uint64_t> hit_counts_;    // per prefilter literal: occurrences so far
  std::uint64_t bytes_searched_ = 0;
  bool judged_common_ = false;
  std::vector<std::uint64_t> assumed_;       // per rule: the clauses no longer searched for, taken as present
  std::vector<std::vector<Use>> uses_;       // per literal: the clauses it satisfies
  std::vector<std::uint64_t> every_clause_;  // per rule: the bits of all its clauses (at most 64 tracked)
  std::vector<std::uint8_t> rule_possible_;  // per rule: each clause occurs somewhere in the buffer
  std::vector<std::uint64_t> seen_;          // per rule: the clauses seen in the current record
  std::vector<std::uint32_t> touched_;       // the rules whose seen_ is not zero
  std::vector<LiteralHit> every_hits_;
  bool every_complete_ = true;  // false: the list was cut short, and every record is a candidate
  std::size_t every_cursor_ = 0;
};

}  // namespace trailwatch
