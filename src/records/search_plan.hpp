// Which records of a buffer the prefilter lets through. Plain scalar code, compiled once in the library: only
// the literal search it calls differs per SIMD kernel, and the kernel hands that in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/records.hpp"

namespace trailwatch {

/// The literal search, which each SIMD kernel supplies: lists in `hits`, per literal of `literals`, the
/// offsets in `data` where it occurs, in order, and returns whether some literal occurs. Two entry points, so
/// that each is compiled with its mode fixed.
struct LiteralFinder {
  using Search = bool (*)(std::string_view data, const std::vector<std::string>& literals,
                          std::vector<std::vector<std::size_t>>& hits);
  Search first;  // a presence test: stops at the first occurrence of any literal
  Search all;    // every occurrence
};

/// A buffer's search plan: for each rule, its anchor clause (the one searched in full), and then, record by
/// record, whether the record can match. One per reader, reused for every buffer.
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

  const LiteralPrefilter& prefilter_;
  LiteralFinder find_;
  std::vector<std::vector<std::vector<std::string>>> clause_literals_;  // per rule, per clause: its literals
  std::vector<std::vector<std::size_t>> presence_hits_;
  bool buffer_may_match_ = true;
  std::string_view searched_;                 // the buffer hits_ describe
  std::vector<std::uint32_t> anchor_;         // per rule: its anchor clause in this buffer, or kNone
  std::vector<std::string> anchor_literals_;  // the anchor clauses' literals, searched in full
  std::vector<std::uint32_t> anchor_slot_;  // per prefilter literal: its index in anchor_literals_, or kNone
  std::vector<std::vector<std::size_t>> hits_;  // per anchor literal: offsets into searched_
  std::vector<std::size_t> cursors_;            // per anchor literal: the first hit not before the record
};

}  // namespace trailwatch
