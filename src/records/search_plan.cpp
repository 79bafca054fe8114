#include "records/search_plan.hpp"

#include <algorithm>

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

}  // namespace

SearchPlan::SearchPlan(const LiteralPrefilter& prefilter, LiteralFinder find)
    : prefilter_(prefilter), find_(find), clause_literals_(literals_by_clause(prefilter)) {}

SearchPlan::~SearchPlan() = default;

// A presence test per clause, each stopping at its first occurrence: a clause that is everywhere (an
// eventSource) costs a few bytes of search, and only a clause that is absent is searched to the end. For each
// rule every clause of which is present, the clause whose first occurrence comes last, likely the rarest,
// becomes its anchor: only the anchors' literals are then searched in full (a clause that is in every other
// record would make as many occurrences to list), and a record is a candidate only where an anchor occurs.
bool SearchPlan::plan(std::string_view data) {
  anchor_.assign(clause_literals_.size(), kNone);
  anchor_literals_.clear();
  anchor_slot_.assign(prefilter_.literals.size(), kNone);
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
    for (std::uint32_t l : prefilter_.rules[r][anchor])
      if (anchor_slot_[l] == kNone) {
        anchor_slot_[l] = static_cast<std::uint32_t>(anchor_literals_.size());
        anchor_literals_.push_back(prefilter_.literals[l]);
      }
  }
  buffer_may_match_ = any_rule;
  return any_rule;
}

void SearchPlan::locate_anchors(std::string_view data) {
  searched_ = data;
  // Where no rule can match, no occurrence list is needed: candidate() answers no for every record.
  if (buffer_may_match_) find_.all(data, anchor_literals_, hits_);
  rewind();
}

// Whether the record holds, for some rule, a literal of every clause: its anchor clause from the occurrence
// lists (records arrive in order, so each list is walked once per buffer), the other clauses by searching the
// record's own text, which only records holding an anchor pay for.
void SearchPlan::rewind() {
  cursors_.assign(hits_.size(), 0);
}

bool SearchPlan::candidate(const char* begin_ptr, const char* end_ptr) {
  if (!buffer_may_match_) return false;
  const auto begin = static_cast<std::size_t>(begin_ptr - searched_.data());
  const auto end = static_cast<std::size_t>(end_ptr - searched_.data());
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
