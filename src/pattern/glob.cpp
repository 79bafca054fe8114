#include "pattern/glob.hpp"

namespace trailwatch::pattern_detail {

Glob Glob::compile(std::string_view value, bool middle_star_is_wildcard) {
  Glob glob;
  // Split into the pieces between wildcards; pieces.size() is the number of wildcards plus one.
  std::vector<std::string_view> pieces;
  if (middle_star_is_wildcard) {
    std::size_t start = 0;
    for (std::size_t star = value.find('*'); star != std::string_view::npos; star = value.find('*', start)) {
      pieces.push_back(value.substr(start, star - start));
      start = star + 1;
    }
    pieces.push_back(value.substr(start));
  } else {
    const bool leading = value.starts_with('*');
    const bool trailing = value.size() > (leading ? 1u : 0u) && value.ends_with('*');
    std::string_view core = value.substr(leading ? 1 : 0);
    if (trailing) core.remove_suffix(1);
    if (leading) pieces.emplace_back();
    pieces.push_back(core);
    if (trailing) pieces.emplace_back();
  }

  glob.has_star_ = pieces.size() > 1;
  if (!glob.has_star_) {
    glob.chars_ = std::string(value);
    return glob;
  }
  glob.prefix_ = static_cast<std::uint32_t>(pieces.front().size());
  glob.suffix_ = static_cast<std::uint32_t>(pieces.back().size());
  glob.chars_ = std::string(pieces.front());
  for (std::size_t i = 1; i + 1 < pieces.size(); ++i) {
    if (pieces[i].empty()) continue;  // "**" is one wildcard
    glob.middle_.emplace_back(static_cast<std::uint32_t>(glob.chars_.size()),
                              static_cast<std::uint32_t>(pieces[i].size()));
    glob.chars_ += pieces[i];
  }
  glob.chars_ += pieces.back();
  return glob;
}

std::string_view Glob::longest_piece() const {
  if (!has_star_) return chars_;
  std::string_view chars = chars_;
  std::string_view best = chars.substr(0, prefix_);
  for (const auto& [offset, length] : middle_)
    if (length > best.size()) best = chars.substr(offset, length);
  if (suffix_ > best.size()) best = chars.substr(chars.size() - suffix_);
  return best;
}

bool Glob::matches_wildcard(std::string_view text) const noexcept {
  const char* chars = chars_.data();
  const std::size_t size = text.size();
  // From here on the prefix and the suffix cannot overlap, nor the pieces between them.
  if (size < chars_.size()) return false;
  if (!bytes_equal(text.data(), chars, prefix_)) return false;
  if (!bytes_equal(text.data() + size - suffix_, chars + chars_.size() - suffix_, suffix_)) return false;
  // Taking the leftmost occurrence of each middle piece is enough: it leaves the most room for the next ones.
  std::size_t pos = prefix_;
  const std::size_t end = size - suffix_;
  for (const auto& [offset, length] : middle_) {
    const std::string_view rest(text.data() + pos, end - pos);
    const std::size_t found = rest.find(std::string_view(chars + offset, length));
    if (found == std::string_view::npos) return false;
    pos += found + length;
  }
  return true;
}

}  // namespace trailwatch::pattern_detail
