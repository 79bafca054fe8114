// Space-delimited patterns (docs/filter-patterns.md §6):
// `[ip, user, ..., status_code = 4* && status_code != 403, bytes]`. Each slot names one field of the event
// and may put conditions on it; one '...' stands for any number of fields.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pattern/extracted_fields.hpp"
#include "pattern/program.hpp"

namespace trailwatch::pattern_detail {

struct DelimitedSlot {
  std::string name;
  /// The slot's conditions, compiled like a JSON pattern whose every selector is the slot's field. Empty (it
  /// accepts every field) for a bare name.
  Program condition;
};

struct DelimitedProgram {
  std::vector<DelimitedSlot> slots;  // the '...' is not a slot
  std::size_t prefix = 0;            // slots before the '...'; all of them when there is none
  bool ellipsis = false;

  /// Aligns the slots with the fields of `message` (docs/filter-patterns.md §6.2) and checks their
  /// conditions. On a match, fills `extracted` (when not null) with every named slot and every field
  /// position.
  bool matches(std::string_view message, ExtractedFields::Impl* extracted) const;

 private:
  bool match_fixed(std::string_view message, ExtractedFields::Impl* extracted) const;
  bool match_ellipsis(std::string_view message, ExtractedFields::Impl* extracted) const;
};

/// Compiles the space-delimited pattern whose '[' is at offset `open` and whose closing ']' is at `close`,
/// the last character of the trimmed pattern. Throws PatternError.
DelimitedProgram parse_delimited_pattern(std::string_view text, std::size_t open, std::size_t close);

}  // namespace trailwatch::pattern_detail
