// The records layer's vocabulary, shared with the pattern layer: selectors (paths into a record), the set of
// them a scan reads (FieldPlan) and the values one record gave them (FieldValues). Holds no reader, so a
// pattern user does not pull in RecordReader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace trailwatch {

/// The JSON type of an extracted value.
enum class JsonKind : std::uint8_t { String, Number, True, False, Null, Array, Object };

/// One value reached by a selector in one record.
/// `text` is the unescaped string for String, the raw token for Number ("1e3" stays "1e3"), "true" or
/// "false" for booleans, and empty for Null, Array and Object. It points into the reader's buffers and is
/// valid until the next record.
struct JsonValue {
  JsonKind kind = JsonKind::Null;
  std::string_view text;
};

/// One step of a selector path such as $.a.b[0] or $.resources[*].ARN.
struct SelectorStep {
  enum class Kind : std::uint8_t { Member, Index, AnyMember, AnyElement };
  Kind kind = Kind::Member;
  std::string key;      // Member
  std::size_t index{};  // Index
  bool operator==(const SelectorStep&) const = default;
};

/// A path from the root object of a record. An empty path means the record itself.
using SelectorPath = std::vector<SelectorStep>;

using SelectorId = std::uint32_t;

/// The set of paths a scan reads from every record. Paths are deduplicated: adding the same path twice
/// returns the same id, so any number of rules share one extraction.
class FieldPlan {
 public:
  /// Returns the id under which the values of `path` appear in FieldValues.
  SelectorId add(const SelectorPath& path);
  std::size_t size() const { return paths_.size(); }
  const SelectorPath& path(SelectorId id) const { return paths_[id]; }

  /// Asks the reader to provide every record's message (its minified JSON text) in RecordView::message.
  void require_message() { message_ = true; }
  bool message_required() const { return message_; }

 private:
  std::vector<SelectorPath> paths_;
  bool message_ = false;
};

/// The values every selector of a FieldPlan reached in the current record. A selector without wildcards
/// reaches at most one value; one with a wildcard may reach several. A missing field reaches none.
class FieldValues {
 public:
  explicit FieldValues(std::size_t selectors = 0) : slots_(selectors) {}
  std::span<const JsonValue> get(SelectorId id) const { return slots_[id]; }
  /// The single value of a wildcard-free selector, or nullptr when the record lacks it.
  const JsonValue* first(SelectorId id) const { return slots_[id].empty() ? nullptr : &slots_[id].front(); }

  void clear(SelectorId id) { slots_[id].clear(); }
  void add(SelectorId id, JsonValue value) { slots_[id].push_back(value); }
  void reset_all() {
    for (auto& s : slots_) s.clear();
  }
  std::size_t size() const { return slots_.size(); }

 private:
  std::vector<std::vector<JsonValue>> slots_;
};

}  // namespace trailwatch
