#include "pattern/extracted_fields.hpp"

namespace trailwatch {

std::optional<std::string_view> ExtractedFields::Impl::get(std::string_view name) const {
  // A slot may be named with digits only ("[7, ...]"): the name wins over the position it spells.
  for (std::size_t i = 0; i < named_count; ++i)
    if (named[i].first == name) return named[i].second;
  if (name.empty() || name.size() > 9 || name[0] == '0') return std::nullopt;
  std::size_t position = 0;
  for (const char c : name) {
    if (c < '0' || c > '9') return std::nullopt;
    position = position * 10 + static_cast<std::size_t>(c - '0');
  }
  if (position > position_count) return std::nullopt;
  return positions[position - 1];
}

ExtractedFields::ExtractedFields() : impl_(std::make_unique<Impl>()) {}
ExtractedFields::~ExtractedFields() = default;
ExtractedFields::ExtractedFields(ExtractedFields&&) noexcept = default;
ExtractedFields& ExtractedFields::operator=(ExtractedFields&&) noexcept = default;

std::optional<std::string_view> ExtractedFields::get(std::string_view name) const {
  return impl_ ? impl_->get(name) : std::nullopt;
}

}  // namespace trailwatch
