#include <algorithm>

#include "trailwatch/records.hpp"

namespace trailwatch {

namespace {

// The multi-literal search costs the same per byte for any count, but its 8 buckets admit more false
// candidates, each compared with more literals, as the count grows; past this many it would cost as much as
// the parsing it saves.
constexpr std::size_t kMaxLiterals = 256;

// The escape sequences JSON allows that could write one of `clause`'s literals differently, added as
// alternatives; nullopt when the clause's text cannot be searched for soundly (quotes, backslashes and
// control characters have several spellings each, and no literal pattern needs them).
std::optional<LiteralPrefilter::Clause> with_escapes(const LiteralPrefilter::Clause& clause) {
  LiteralPrefilter::Clause out = clause;
  bool non_ascii = false;
  bool slash = false;
  for (const std::string& literal : clause)
    for (char c : literal) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\' || byte < 0x20) return std::nullopt;
      non_ascii |= byte >= 0x80;
      slash |= c == '/';
    }
  // An ASCII character can only be escaped as \u00XX; any other code point as \uXXXX (or a surrogate pair).
  out.push_back(non_ascii ? "\\u" : "\\u00");
  if (slash) out.push_back("\\/");
  return out;
}

}  // namespace

std::optional<LiteralPrefilter> LiteralPrefilter::build(const std::vector<std::vector<Clause>>& rules) {
  LiteralPrefilter prefilter;
  auto index_of = [&](const std::string& literal) {
    auto it = std::find(prefilter.literals.begin(), prefilter.literals.end(), literal);
    if (it != prefilter.literals.end()) return static_cast<std::uint32_t>(it - prefilter.literals.begin());
    prefilter.literals.push_back(literal);
    return static_cast<std::uint32_t>(prefilter.literals.size() - 1);
  };
  for (const std::vector<Clause>& clauses : rules) {
    std::vector<std::vector<std::uint32_t>> indexed;
    bool never_matches = false;
    for (const Clause& clause : clauses) {
      if (clause.empty()) {
        never_matches = true;
        break;
      }
      std::optional<Clause> searchable = with_escapes(clause);
      if (!searchable) continue;  // dropping a clause only weakens the test
      std::vector<std::uint32_t> ids;
      for (const std::string& literal : *searchable) ids.push_back(index_of(literal));
      indexed.push_back(std::move(ids));
    }
    if (never_matches) indexed.assign(1, {});
    if (indexed.empty()) return std::nullopt;  // this rule may match any record
    prefilter.rules.push_back(std::move(indexed));
  }
  if (prefilter.rules.empty() || prefilter.literals.size() > kMaxLiterals) return std::nullopt;
  return prefilter;
}

}  // namespace trailwatch
