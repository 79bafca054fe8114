#include "records/search_plan.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "records/record_kernel.hpp"

namespace trailwatch {

namespace {

std::vector<std::vector<std::vector<std::string>>> literals_by_clause(const LiteralPrefilter& prefilter) {
  std::vector<std::vector<std::vector<std::string>>> out;
  for (const auto& rule : prefilter.rules) {
    auto& clauses = out.emplace_back();
    for (const auto& clause : rule) {
      auto& literals = clauses.emplace_back();
      for (std::uint32_t l : clause) literals.push_back(prefilter.literals[l]);
    }
  }
  return out;
}

// Up to this many literals, the vector compares of two bytes per literal (the anchor plan) beat the bucket
// filter; past it, each literal would add two compares per byte, while the bucket filter costs the same for
// any count.
constexpr std::size_t kFewLiterals = 8;

// The occurrence list may hold up to one entry per this many bytes of the buffer, and a thousand more: a
// buffer denser in literals than that has every record read (its list would outgrow the buffer).
constexpr std::size_t kBytesPerHit = 16;

// After this many bytes, the clauses that occur in about every record (more than once per kCommonBytesPerHit)
// stop being searched for, where their rule has a rarer clause: as the anchor plan does for few literals, but
// judged once, on the first buffers. So do those that occur far more often than their rule's rarest clause
// (kFarMoreOften times, and more than once per kSomewhatCommonBytesPerHit): a record they would rule out
// holds the rarest clause, so dropping them adds at most that clause's few records to the candidates, where
// keeping them costs a listed occurrence each. In the CIS pack on realistic archives, kms.amazonaws.com,
// s3.amazonaws.com and config.amazonaws.com (one every 5 to 10 KB) made 489,000 of 507,000 occurrences per
// GB, for rules whose event names occur a dozen times.
constexpr std::uint64_t kJudgeCommonAfter = 4u << 20;
constexpr std::uint64_t kCommonBytesPerHit = 2048;
constexpr std::uint64_t kFarMoreOften = 16;
constexpr std::uint64_t kSomewhatCommonBytesPerHit = 64u << 10;

}  // namespace

std::vector<std::pair<std::string, LiteralFinder>> available_literal_finders() {
  std::vector<std::pair<std::string, LiteralFinder>> out;
  out.emplace_back("fallback", kernel_fallback::literal_finder());
#if TRAILWATCH_HAVE_HASWELL_KERNEL
  if (kernel_haswell::supported_by_cpu()) out.emplace_back("haswell", kernel_haswell::literal_finder());
#endif
#if TRAILWATCH_HAVE_ICELAKE_KERNEL
  if (kernel_icelake::supported_by_cpu()) out.emplace_back("icelake", kernel_icelake::literal_finder());
#endif
  return out;
}

SearchPlan::SearchPlan(const LiteralPrefilter& prefilter, LiteralFinder find)
    : prefilter_(prefilter), find_(find), clause_literals_(literals_by_clause(prefilter)) {
  bool empty_literal = false;
  for (const std::string& literal : prefilter.literals) empty_literal |= literal.empty();
  if (prefilter.literals.size() <= kFewLiterals || empty_literal) return;
  buckets_ = std::make_unique<LiteralBuckets>(prefilter.literals);
  listed_.resize(prefilter.literals.size());
  std::iota(listed_.begin(), listed_.end(), 0u);
  hit_counts_.assign(prefilter.literals.size(), 0);
  assumed_.assign(prefilter.rules.size(), 0);
  uses_.resize(prefilter.literals.size());
  every_clause_.assign(prefilter.rules.size(), 0);
  for (std::size_t r = 0; r < prefilter.rules.size(); ++r)
    // Past 64 clauses, the others are not tracked: dropping a clause only weakens the test.
    for (std::size_t c = 0; c < prefilter.rules[r].size() && c < 64; ++c) {
      const std::uint64_t bit = std::uint64_t{1} << c;
      every_clause_[r] |= bit;
      for (std::uint32_t l : prefilter.rules[r][c])
        uses_[l].push_back(Use{static_cast<std::uint32_t>(r), bit});
    }
  seen_.assign(prefilter.rules.size(), 0);
}

SearchPlan::~SearchPlan() = default;

// A presence test per clause, each stopping at its first occurrence: a clause that is everywhere (an
// eventSource) costs a few bytes of search, and only a clause that is absent is searched to the end. For each
// rule every clause of which is present, the clause whose first occurrence comes last, likely the rarest,
// becomes its anchor: only the anchors' literals are then searched in full (a clause that is in every other
// record would make as many occurrences to list), and a record is a candidate only where an anchor occurs.
bool SearchPlan::plan(std::string_view data) {
  if (buckets_) return plan_many(data);
  anchor_.assign(clause_literals_.size(), kNone);
  anchor_literals_.clear();
  anchor_slot_.assign(prefilter_.literals.size(), kNone);
  std::size_t earliest_anchor = SIZE_MAX;
  std::size_t longest_anchor_literal = 0;
  bool any_rule = false;
  for (std::size_t r = 0; r < clause_literals_.size(); ++r) {
    std::uint32_t anchor = kNone;
    std::size_t latest_first = 0;
    for (std::size_t c = 0; c < clause_literals_[r].size(); ++c) {
      const auto& clause = clause_literals_[r][c];
      if (clause.empty() || !find_.first(data, clause, presence_hits_)) {
        anchor = kNone;
        break;
      }
      std::size_t first = SIZE_MAX;
      for (const auto& hits : presence_hits_)
        if (!hits.empty()) first = std::min(first, hits.front());
      if (anchor == kNone || first >= latest_first) {
        anchor = static_cast<std::uint32_t>(c);
        latest_first = first;
      }
    }
    if (anchor == kNone) continue;
    anchor_[r] = anchor;
    any_rule = true;
    earliest_anchor = std::min(earliest_anchor, latest_first);
    for (std::uint32_t l : prefilter_.rules[r][anchor]) {
      longest_anchor_literal = std::max(longest_anchor_literal, prefilter_.literals[l].size());
      if (anchor_slot_[l] == kNone) {
        anchor_slot_[l] = static_cast<std::uint32_t>(anchor_literals_.size());
        anchor_literals_.push_back(prefilter_.literals[l]);
      }
    }
  }
  // The presence test reported its clause's first occurrence as soon as it found one, and it finds them in
  // the order of the positions it tests, which are within a literal of their starts: no occurrence of an
  // anchor literal starts a literal's length before the earliest anchor's first. The full search starts
  // there instead of reading the buffer's head twice (on the dense corpus the default rule's anchor first
  // occurs 10 to 76% into the files that hold it; record reading 5.9 -> 6.4 GB/s).
  anchors_from_ = any_rule ? earliest_anchor - std::min(earliest_anchor, longest_anchor_literal) : 0;
  buffer_may_match_ = any_rule;
  return any_rule;
}

// One pass lists every occurrence of every literal; a rule can match in the buffer when each of its clauses
// occurs somewhere.
bool SearchPlan::plan_many(std::string_view data) {
  searched_ = data;
  every_complete_ = find_.every(data, *buckets_, every_hits_, data.size() / kBytesPerHit + 1024);
  rule_possible_.assign(prefilter_.rules.size(), 0);
  std::fill(seen_.begin(), seen_.end(), 0);
  bool any_rule = !every_complete_;
  if (every_complete_) {
    for (LiteralHit& hit : every_hits_) {
      hit.literal = listed_[hit.literal];  // from the searched subset to the prefilter's literals
      ++hit_counts_[hit.literal];
      for (const Use& use : uses_[hit.literal]) seen_[use.rule] |= use.clause_bit;
    }
    for (std::size_t r = 0; r < seen_.size(); ++r) {
      rule_possible_[r] = (seen_[r] | assumed_[r]) == every_clause_[r] && !prefilter_.rules[r].empty();
      any_rule |= rule_possible_[r] != 0;
      seen_[r] = 0;
    }
  }
  buffer_may_match_ = any_rule;
  every_cursor_ = 0;
  bytes_searched_ += data.size();
  if (!judged_common_ && bytes_searched_ >= kJudgeCommonAfter) judge_common_clauses(data);
  return any_rule;
}

// Each rule keeps its rarest clause searched, and the others unless they are common (above); the common ones
// are assumed present from now on (dropping a clause only weakens the test), and the search is rebuilt for
// the literals still needed, looking at them the way that searches `sample` (the buffer just searched)
// faster (choose_windows).
void SearchPlan::judge_common_clauses(std::string_view sample) {
  judged_common_ = true;
  std::vector<bool> needed(prefilter_.literals.size(), false);
  bool dropped = false;
  for (std::size_t r = 0; r < prefilter_.rules.size(); ++r) {
    const auto& clauses = prefilter_.rules[r];
    std::vector<std::uint64_t> hits(clauses.size(), 0);
    std::size_t rarest = 0;
    for (std::size_t c = 0; c < clauses.size(); ++c) {
      for (std::uint32_t l : clauses[c]) hits[c] += hit_counts_[l];
      if (hits[c] < hits[rarest]) rarest = c;
    }
    for (std::size_t c = 0; c < clauses.size(); ++c) {
      const bool everywhere = hits[c] * kCommonBytesPerHit > bytes_searched_;
      const bool far_more_often = hits[c] > kFarMoreOften * (hits[rarest] + 1) &&
                                  hits[c] * kSomewhatCommonBytesPerHit > bytes_searched_;
      const bool common = c != rarest && c < 64 && (everywhere || far_more_often);
      if (common) {
        assumed_[r] |= std::uint64_t{1} << c;
        dropped = true;
      } else {
        for (std::uint32_t l : clauses[c]) needed[l] = true;
      }
    }
  }
  std::vector<std::string> subset;
  std::vector<std::uint32_t> listed;
  for (std::uint32_t l = 0; l < needed.size(); ++l)
    if (needed[l]) {
      listed.push_back(l);
      subset.push_back(prefilter_.literals[l]);
    }
  auto buckets = std::make_unique<LiteralBuckets>(subset);
  bool join = false;
  if (find_.looks_at_windows) {
    auto joining = std::make_unique<LiteralBuckets>(subset, LiteralBuckets::Windows::JoinWords);
    join = joining->has_inner_windows() && joins_words_faster(sample, *buckets, *joining);
    if (join) buckets = std::move(joining);
  }
  if (!join && !dropped) return;  // the search already looks at all of them by their first bytes
  buckets_ = std::move(buckets);
  listed_ = std::move(listed);
}

// Whether the search that looks at literals across two words of their names (`joining`) is faster on
// `sample` than the one that looks at their first bytes, by more than the noise of a timing: both find the
// same occurrences, and which makes fewer places to compare depends on the data (on the corpora of
// bench/compare.py the CIS pack searched 68% faster across words, 40 account filters as fast either way).
// Each is timed twice, alternately, on the same buffer: about a tenth of a millisecond, once per reader.
bool SearchPlan::joins_words_faster(std::string_view sample, const LiteralBuckets& first_bytes,
                                    const LiteralBuckets& joining) {
  std::vector<LiteralHit> scratch;  // every_hits_ still holds the sample's occurrences
  const std::size_t limit = sample.size() / kBytesPerHit + 1024;
  auto timed = [&](const LiteralBuckets& buckets) {
    const auto began = std::chrono::steady_clock::now();
    find_.every(sample, buckets, scratch, limit);
    return std::chrono::steady_clock::now() - began;
  };
  auto first_bytes_best = timed(first_bytes);
  auto joining_best = timed(joining);
  first_bytes_best = std::min(first_bytes_best, timed(first_bytes));
  joining_best = std::min(joining_best, timed(joining));
  return joining_best * 20 < first_bytes_best * 19;  // at least 5% faster
}

void SearchPlan::locate_anchors(std::string_view data) {
  if (buckets_) {
    rewind();  // plan() listed every occurrence already
    return;
  }
  searched_ = data;
  // Where no rule can match, no occurrence list is needed: candidate() answers no for every record.
  if (buffer_may_match_) {
    find_.all(data.substr(anchors_from_), anchor_literals_, hits_);
    if (anchors_from_ != 0)
      for (auto& offsets : hits_)
        for (std::size_t& offset : offsets) offset += anchors_from_;
  }
  rewind();
}

// Whether the record holds, for some rule, a literal of every clause: its anchor clause from the occurrence
// lists (records arrive in order, so each list is walked once per buffer), the other clauses by searching the
// record's own text, which only records holding an anchor pay for.
void SearchPlan::rewind() {
  cursors_.assign(hits_.size(), 0);
  every_cursor_ = 0;
}

bool SearchPlan::candidate(const char* begin_ptr, const char* end_ptr) {
  if (!buffer_may_match_) return false;
  const auto begin = static_cast<std::size_t>(begin_ptr - searched_.data());
  const auto end = static_cast<std::size_t>(end_ptr - searched_.data());
  if (buckets_) return candidate_many(begin, end);
  for (std::size_t r = 0; r < anchor_.size(); ++r) {
    if (anchor_[r] == kNone) continue;
    const auto& clauses = prefilter_.rules[r];
    bool anchored = false;
    for (std::uint32_t l : clauses[anchor_[r]]) {
      const std::uint32_t slot = anchor_slot_[l];
      const std::vector<std::size_t>& hits = hits_[slot];
      std::size_t& cursor = cursors_[slot];
      while (cursor < hits.size() && hits[cursor] < begin) ++cursor;
      if (cursor < hits.size() && hits[cursor] < end) {
        anchored = true;
        break;
      }
    }
    if (!anchored) continue;
    bool every_clause = true;
    for (std::size_t c = 0; c < clauses.size() && every_clause; ++c)
      if (c != anchor_[r]) every_clause = clause_starts_within(clauses[c], begin, end);
    if (every_clause) return true;
  }
  return false;
}

// The occurrences that start in the record mark the clauses they satisfy, rule by rule; a record with none
// costs one comparison.
bool SearchPlan::candidate_many(std::size_t begin, std::size_t end) {
  if (!every_complete_) return true;
  std::size_t& cursor = every_cursor_;
  while (cursor < every_hits_.size() && every_hits_[cursor].offset < begin) ++cursor;
  bool candidate = false;
  for (std::size_t h = cursor; h < every_hits_.size() && every_hits_[h].offset < end && !candidate; ++h)
    for (const Use& use : uses_[every_hits_[h].literal]) {
      if (rule_possible_[use.rule] == 0) continue;
      if (seen_[use.rule] == 0) touched_.push_back(use.rule);
      seen_[use.rule] |= use.clause_bit;
      if ((seen_[use.rule] | assumed_[use.rule]) == every_clause_[use.rule]) {
        candidate = true;
        break;
      }
    }
  for (std::uint32_t r : touched_) seen_[r] = 0;
  touched_.clear();
  return candidate;
}

// A literal that starts in [begin, end) may run past `end`, as an occurrence list would count it.
bool SearchPlan::clause_starts_within(const std::vector<std::uint32_t>& clause, std::size_t begin,
                                      std::size_t end) const {
  for (std::uint32_t l : clause) {
    const std::string& literal = prefilter_.literals[l];
    if (searched_.substr(begin, end - begin + literal.size() - 1).find(literal) != std::string_view::npos)
      return true;
  }
  return false;
}

}  // namespace trailwatch
