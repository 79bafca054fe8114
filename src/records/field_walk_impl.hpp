// The field walk: extracts the values of a FieldPlan's selectors from one record with simdjson On-Demand,
// descending only where the field trie says some selector continues. Part of the record kernel (included by
// record_kernel_impl.hpp, once per instruction set: it is the core of the record parse); not a normal header:
// no include guard on purpose.

namespace trailwatch::TW_KERNEL_NS {

namespace {

class FieldWalk {
 public:
  explicit FieldWalk(const FieldTrie& trie)
      : trie_(trie), values_(trie.selectors), scratch_(trie.depth + 2), seen_(trie.depth + 2) {}

  /// The values the last walk reached; valid until the next walk.
  const FieldValues& values() const { return values_; }

  /// Replaces values() with those of the record `object`.
  simdjson::error_code walk(od::object& object) {
    values_.reset_all();
    return walk_object(object, root_, 0);
  }

 private:
  // Records the scalar (or container kind) `value` for every selector ending at one of `nodes`, then descends
  // into it for the selectors that continue below.
  simdjson::error_code walk_value(od::value value, std::span<const std::uint32_t> nodes, std::size_t depth) {
    od::json_type type;
    SIMDJSON_TRY(value.type().get(type));
    bool terminal = false;
    bool wants_object = false;
    bool wants_array = false;
    for (std::uint32_t n : nodes) {
      const FieldTrieNode& node = trie_.nodes[n];
      terminal |= !node.terminals.empty();
      wants_object |= node.wants_object();
      wants_array |= node.wants_array();
    }
    JsonValue found;
    switch (type) {
      case od::json_type::string:
        if (!terminal) return simdjson::SUCCESS;
        found.kind = JsonKind::String;
        SIMDJSON_TRY(value.get_string().get(found.text));
        break;
      case od::json_type::number:
        if (!terminal) return simdjson::SUCCESS;
        found.kind = JsonKind::Number;
        found.text = trim_right(value.raw_json_token());
        break;
      case od::json_type::boolean: {
        if (!terminal) return simdjson::SUCCESS;
        bool b = false;
        SIMDJSON_TRY(value.get_bool().get(b));
        found.kind = b ? JsonKind::True : JsonKind::False;
        found.text = b ? "true" : "false";
        break;
      }
      case od::json_type::null:
        found.kind = JsonKind::Null;
        break;
      case od::json_type::object:
        found.kind = JsonKind::Object;
        break;
      case od::json_type::array:
        found.kind = JsonKind::Array;
        break;
    }
    for (std::uint32_t n : nodes)
      for (SelectorId id : trie_.nodes[n].terminals) values_.add(id, found);
    if (type == od::json_type::object && wants_object) {
      od::object object;
      SIMDJSON_TRY(value.get_object().get(object));
      return walk_members(object, nodes, depth);
    }
    if (type == od::json_type::array && wants_array) {
      od::array array;
      SIMDJSON_TRY(value.get_array().get(array));
      return walk_elements(array, nodes, depth);
    }
    return simdjson::SUCCESS;
  }

  simdjson::error_code walk_object(od::object& object, std::uint32_t node, std::size_t depth) {
    const std::uint32_t nodes[1] = {node};
    return walk_members(object, nodes, depth);
  }

  simdjson::error_code walk_members(od::object& object, std::span<const std::uint32_t> nodes,
                                    std::size_t depth) {
    std::vector<std::uint32_t>& next = scratch_[depth + 1];
    std::vector<std::uint32_t>& seen = seen_[depth + 1];
    seen.clear();
    for (auto member : object) {
      od::field field;
      SIMDJSON_TRY(std::move(member).get(field));
      std::string_view key;
      SIMDJSON_TRY(key_of(field).get(key));
      next.clear();
      for (std::uint32_t n : nodes) {
        const FieldTrieNode& node = trie_.nodes[n];
        std::uint32_t child = node.member(key);
        if (child != FieldTrieNode::kNone) {
          // A key repeated in one object: the last one wins, as CloudWatch reads it. Below a wildcard the
          // selectors also hold values of sibling elements, so there the repeat is added, not substituted.
          if (std::find(seen.begin(), seen.end(), child) != seen.end()) {
            if (!trie_.nodes[child].under_wildcard)
              for (SelectorId id : trie_.nodes[child].subtree) values_.clear(id);
          } else {
            seen.push_back(child);
          }
          next.push_back(child);
        }
        if (node.any_member != FieldTrieNode::kNone) next.push_back(node.any_member);
      }
      if (next.empty()) continue;
      // walk_value reuses scratch_[depth + 2] and deeper, never this level.
      SIMDJSON_TRY(walk_value(field.value(), next, depth + 1));
    }
    return simdjson::SUCCESS;
  }

  simdjson::error_code walk_elements(od::array& array, std::span<const std::uint32_t> nodes,
                                     std::size_t depth) {
    std::vector<std::uint32_t>& next = scratch_[depth + 1];
    std::size_t index = 0;
    for (auto element : array) {
      od::value value;
      SIMDJSON_TRY(std::move(element).get(value));
      next.clear();
      for (std::uint32_t n : nodes) {
        const FieldTrieNode& node = trie_.nodes[n];
        for (const auto& edge : node.indexes)
          if (edge.index == index) next.push_back(edge.node);
        if (node.any_element != FieldTrieNode::kNone) next.push_back(node.any_element);
      }
      ++index;
      if (next.empty()) continue;
      SIMDJSON_TRY(walk_value(value, next, depth + 1));
    }
    return simdjson::SUCCESS;
  }

  static constexpr std::uint32_t root_ = 0;
  const FieldTrie& trie_;
  FieldValues values_;
  std::vector<std::vector<std::uint32_t>> scratch_;  // per depth: the trie nodes a value is reached by
  std::vector<std::vector<std::uint32_t>> seen_;     // per depth: member nodes already met in this object
};

}  // namespace

}  // namespace trailwatch::TW_KERNEL_NS
