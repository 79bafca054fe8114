// The selectors of a FieldPlan folded into a trie, so one pass over a record serves every selector.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/records.hpp"

namespace trailwatch {

struct FieldTrieNode {
  struct MemberEdge {
    std::string key;
    std::uint32_t node;
  };
  struct IndexEdge {
    std::size_t index;
    std::uint32_t node;
  };
  static constexpr std::uint32_t kNone = UINT32_MAX;

  std::vector<MemberEdge> members;
  std::vector<IndexEdge> indexes;
  std::uint32_t any_member = kNone;
  std::uint32_t any_element = kNone;
  std::vector<SelectorId> terminals;  // selectors that end at this node
  std::vector<SelectorId> subtree;  // selectors that end at or below it: cleared when a duplicate key recurs
  bool under_wildcard = false;      // reached through [*] or .*: values from sibling elements accumulate

  bool wants_object() const { return !members.empty() || any_member != kNone; }
  bool wants_array() const { return !indexes.empty() || any_element != kNone; }
  std::uint32_t member(std::string_view key) const {
    for (const auto& e : members)
      if (e.key == key) return e.node;
    return kNone;
  }
};

/// Node 0 is the record's root object.
struct FieldTrie {
  std::vector<FieldTrieNode> nodes;
  std::size_t depth = 0;  // the longest path
  std::size_t selectors = 0;
  bool message_required = false;

  explicit FieldTrie(const FieldPlan& plan);
};

}  // namespace trailwatch
