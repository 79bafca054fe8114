#include "records/field_trie.hpp"

#include <algorithm>

namespace trailwatch {

namespace {

std::uint32_t child_for(std::vector<FieldTrieNode>& nodes, std::uint32_t parent, const SelectorStep& step) {
  auto make = [&nodes]() {
    nodes.emplace_back();
    return static_cast<std::uint32_t>(nodes.size() - 1);
  };
  switch (step.kind) {
    case SelectorStep::Kind::Member: {
      std::uint32_t found = nodes[parent].member(step.key);
      if (found != FieldTrieNode::kNone) return found;
      std::uint32_t n = make();
      nodes[parent].members.push_back({step.key, n});
      return n;
    }
    case SelectorStep::Kind::Index: {
      for (const auto& e : nodes[parent].indexes)
        if (e.index == step.index) return e.node;
      std::uint32_t n = make();
      nodes[parent].indexes.push_back({step.index, n});
      return n;
    }
    case SelectorStep::Kind::AnyMember:
      if (nodes[parent].any_member == FieldTrieNode::kNone) {
        std::uint32_t n = make();
        nodes[parent].any_member = n;
      }
      return nodes[parent].any_member;
    case SelectorStep::Kind::AnyElement:
      if (nodes[parent].any_element == FieldTrieNode::kNone) {
        std::uint32_t n = make();
        nodes[parent].any_element = n;
      }
      return nodes[parent].any_element;
  }
  return FieldTrieNode::kNone;
}

}  // namespace

FieldTrie::FieldTrie(const FieldPlan& plan)
    : selectors(plan.size()), message_required(plan.message_required()) {
  nodes.emplace_back();
  for (SelectorId id = 0; id < plan.size(); ++id) {
    const SelectorPath& path = plan.path(id);
    depth = std::max(depth, path.size());
    std::uint32_t node = 0;
    nodes[0].subtree.push_back(id);
    bool wildcard = false;
    for (const SelectorStep& step : path) {
      wildcard |= step.kind == SelectorStep::Kind::AnyMember || step.kind == SelectorStep::Kind::AnyElement;
      node = child_for(nodes, node, step);
      nodes[node].subtree.push_back(id);
      nodes[node].under_wildcard |= wildcard;
    }
    nodes[node].terminals.push_back(id);
  }
}

}  // namespace trailwatch
