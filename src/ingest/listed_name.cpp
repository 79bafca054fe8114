// The walk's name rules (docs/design.md "Which files are read") in one place, for the walk and for sources
// that list keys instead of walking folders.
#include "trailwatch/ingest.hpp"

namespace trailwatch {

NameVerdict folder_verdict(std::string_view folder_name) {
  if (folder_name == "CloudTrail-Digest") return NameVerdict::Digest;
  if (folder_name == "CloudTrail-Insight") return NameVerdict::Insight;
  if (folder_name == "CloudTrail-Lake") return NameVerdict::Lake;
  return NameVerdict::Read;
}

NameVerdict listed_name_verdict(std::string_view relative_name) {
  for (size_t slash = relative_name.find('/'); slash != std::string_view::npos;
       slash = relative_name.find('/')) {
    if (NameVerdict folder = folder_verdict(relative_name.substr(0, slash)); folder != NameVerdict::Read)
      return folder;
    relative_name.remove_prefix(slash + 1);
  }
  return is_log_file_name(relative_name) ? NameVerdict::Read : NameVerdict::OtherName;
}

std::uint64_t& skip_counter(SkipCounts& skipped, NameVerdict verdict) {
  switch (verdict) {
    case NameVerdict::Digest:
      return skipped.digest;
    case NameVerdict::Insight:
      return skipped.insight;
    case NameVerdict::Lake:
      return skipped.lake;
    default:
      return skipped.other_name;
  }
}

}  // namespace trailwatch
