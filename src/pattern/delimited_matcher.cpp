#include <span>

#include "pattern/delimited_pattern.hpp"
#include "pattern/event_fields.hpp"

namespace trailwatch::pattern_detail {

namespace {

// A field is a string value node to the JSON rules (docs/filter-patterns.md §6.3): `= 4*` globs its text,
// `> 1000` needs a plain decimal, and the numeric tests fail on a token such as Apache's "-".
bool holds(const DelimitedSlot& slot, std::string_view field) noexcept {
  if (slot.condition.conditions.empty()) return true;
  const JsonValue value{JsonKind::String, field};
  return slot.condition.matches_values(std::span<const JsonValue>(&value, 1));
}

void extract(ExtractedFields::Impl& out, const DelimitedSlot& slot, std::string_view field) {
  out.add_position(field);
  if (!slot.name.empty()) out.add_named(slot.name, field);
}

}  // namespace

bool DelimitedProgram::matches(std::string_view message, ExtractedFields::Impl* extracted) const {
  return ellipsis ? match_ellipsis(message, extracted) : match_fixed(message, extracted);
}

// Slot i takes field i; the last slot takes the rest of the line (docs/filter-patterns.md §6.2, A15).
bool DelimitedProgram::match_fixed(std::string_view message, ExtractedFields::Impl* extracted) const {
  const std::size_t k = slots.size();
  if (k == 0) return true;  // the parser never makes one, but slots[k - 1] below must not be reached
  EventFields fields(message);
  std::string_view text;
  std::size_t raw = 0;
  for (std::size_t i = 0; i + 1 < k; ++i)
    if (!fields.next(text, raw) || !holds(slots[i], text)) return false;
  if (!fields.next(text, raw)) return false;
  // One field left: the slot takes it as a field, without its delimiters. More: it takes the raw text.
  std::string_view after;
  std::size_t after_raw = 0;
  const std::string_view last = fields.next(after, after_raw) ? fields.rest_from(raw) : text;
  if (!holds(slots[k - 1], last)) return false;

  if (extracted != nullptr) {
    EventFields again(message);
    for (std::size_t i = 0; i + 1 < k; ++i) {
      again.next(text, raw);
      extract(*extracted, slots[i], text);
    }
    extract(*extracted, slots[k - 1], last);
  }
  return true;
}

// The slots before '...' align from the start, those after it from the end (docs/filter-patterns.md §6.2).
// The fields are counted in a first pass rather than stored, so that matching needs no memory for any number
// of fields.
bool DelimitedProgram::match_ellipsis(std::string_view message, ExtractedFields::Impl* extracted) const {
  const std::size_t suffix = slots.size() - prefix;
  std::size_t n = 0;
  std::string_view text;
  std::size_t raw = 0;
  {
    EventFields fields(message);
    for (; fields.next(text, raw); ++n)
      if (n < prefix && !holds(slots[n], text)) return false;
  }
  if (n < prefix + suffix) return false;
  const std::size_t first_suffix = n - suffix;
  if (suffix > 0) {
    EventFields fields(message);
    for (std::size_t i = 0; fields.next(text, raw); ++i)
      if (i >= first_suffix && !holds(slots[prefix + (i - first_suffix)], text)) return false;
  }

  if (extracted != nullptr) {
    EventFields fields(message);
    for (std::size_t i = 0; fields.next(text, raw); ++i) {
      if (i < prefix)
        extract(*extracted, slots[i], text);
      else if (i >= first_suffix)
        extract(*extracted, slots[prefix + (i - first_suffix)], text);
      else
        extracted->add_position(text);
    }
  }
  return true;
}

}  // namespace trailwatch::pattern_detail
