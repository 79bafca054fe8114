// A CloudTrail log file's name: `<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 alnum>.json.gz`. The time
// is when the file was delivered, to the minute (docs/design.md "Pruning by the layout"); pruning and the
// delivery coverage ("Coverage") read it.
#include "ingest/civil_date.hpp"
#include "trailwatch/layout.hpp"

namespace trailwatch {

namespace {

constexpr std::string_view kSuffix = ".json.gz";
constexpr std::size_t kUniqueLength = 16;

bool all_of(std::string_view text, bool (*accept)(char)) {
  for (const char c : text)
    if (!accept(c)) return false;
  return true;
}

bool digit(char c) {
  return c >= '0' && c <= '9';
}
bool alnum(char c) {
  return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// Region codes are lowercase words, digits and dashes (us-east-1, us-gov-west-1, cn-north-1).
bool region_char(char c) {
  return digit(c) || (c >= 'a' && c <= 'z') || c == '-';
}

// Takes the text up to the next '_' off the front of `rest`; nullopt when there is none.
std::optional<std::string_view> field(std::string_view& rest) {
  const std::size_t underscore = rest.find('_');
  if (underscore == std::string_view::npos) return std::nullopt;
  std::string_view value = rest.substr(0, underscore);
  rest.remove_prefix(underscore + 1);
  return value;
}

// "YYYYMMDDTHHMMZ" -> Unix seconds.
std::optional<std::int64_t> delivery_time(std::string_view text) {
  if (text.size() != 14 || text[8] != 'T' || text[13] != 'Z') return std::nullopt;
  const int year = ingest::fixed_digits(text.substr(0, 4), 4);
  const int month = ingest::fixed_digits(text.substr(4, 2), 2);
  const int day = ingest::fixed_digits(text.substr(6, 2), 2);
  const int hour = ingest::fixed_digits(text.substr(9, 2), 2);
  const int minute = ingest::fixed_digits(text.substr(11, 2), 2);
  if (!ingest::valid_date(year, month, day) || hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return std::nullopt;
  const std::int64_t days =
      ingest::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hour * 3600 + minute * 60;
}

}  // namespace

std::optional<LogFileName> parse_log_file_name(std::string_view name) {
  if (!name.ends_with(kSuffix)) return std::nullopt;
  std::string_view rest = name.substr(0, name.size() - kSuffix.size());
  const auto account = field(rest);
  const auto trail = field(rest);
  const auto region = field(rest);
  const auto time = field(rest);
  // What is left is the unique part, which holds no '_'.
  if (!time || rest.find('_') != std::string_view::npos) return std::nullopt;
  if (account->size() != 12 || !all_of(*account, digit) || *trail != "CloudTrail" || region->empty() ||
      !all_of(*region, region_char) || rest.size() != kUniqueLength || !all_of(rest, alnum))
    return std::nullopt;
  const std::optional<std::int64_t> delivered = delivery_time(*time);
  if (!delivered) return std::nullopt;
  return LogFileName{std::string(*account), std::string(*region), *delivered};
}

}  // namespace trailwatch
