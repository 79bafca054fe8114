// Where a path stands in the layout a trail delivers to (docs/design.md "Pruning by the layout"):
// `[prefix/]AWSLogs/[o-orgid/]<account>/CloudTrail/<region>/YYYY/MM/DD/<log file>`. Strict on purpose: only
// what certainly follows the layout may be pruned, so anything else is not the layout.
#include "ingest/civil_date.hpp"
#include "trailwatch/layout.hpp"

namespace trailwatch {

namespace {

std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (!part.empty()) parts.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

bool lower_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

// "o-" and 10 to 32 lowercase letters or digits.
bool organization_id(std::string_view part) {
  if (!part.starts_with("o-") || part.size() < 12 || part.size() > 34) return false;
  for (const char c : part.substr(2))
    if (!lower_alnum(c)) return false;
  return true;
}

bool account_id(std::string_view part) {
  return part.size() == 12 && part.find_first_not_of("0123456789") == std::string_view::npos;
}

bool region_name(std::string_view part) {
  return !part.empty() &&
         part.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos;
}

std::int64_t floor_days(std::int64_t seconds) {
  return seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
}

// The file must say what its folders say: a name that disagrees is not where CloudTrail put it.
bool agrees(const LogFileName& name, const LayoutPath& where) {
  return name.account == where.account && name.region == where.region &&
         floor_days(name.delivered) == ingest::days_from_civil(where.year, static_cast<unsigned>(where.month),
                                                               static_cast<unsigned>(where.day));
}

}  // namespace

std::optional<LayoutPath> parse_layout_path(std::string_view path, bool is_file) {
  const std::vector<std::string_view> parts = components(path);
  if (is_file && parts.empty()) return std::nullopt;
  const std::size_t folders = is_file ? parts.size() - 1 : parts.size();
  // The last AWSLogs folder: a prefix may itself hold anything, even another AWSLogs.
  std::size_t logs = folders;
  for (std::size_t i = folders; i-- > 0;) {
    if (parts[i] == "AWSLogs") {
      logs = i;
      break;
    }
  }
  if (logs == folders) return std::nullopt;

  LayoutPath where;
  for (std::size_t i = 0; i < logs; ++i) {
    if (i > 0) where.prefix += '/';
    where.prefix += parts[i];
  }
  using Level = LayoutPath::Level;
  std::size_t k = logs + 1;
  if (k < folders && organization_id(parts[k])) {
    where.organization = parts[k++];
    where.level = Level::Organization;
  }
  // Each folder below must be the next one of the layout.
  for (; k < folders; ++k) {
    const std::string_view part = parts[k];
    switch (where.level) {
      case Level::Logs:
      case Level::Organization:
        if (!account_id(part)) return std::nullopt;
        where.account = part;
        where.level = Level::Account;
        break;
      case Level::Account:
        if (part != "CloudTrail") return std::nullopt;
        where.level = Level::Trail;
        break;
      case Level::Trail:
        if (!region_name(part)) return std::nullopt;
        where.region = part;
        where.level = Level::Region;
        break;
      case Level::Region:
        where.year = ingest::fixed_digits(part, 4);
        if (where.year < 1) return std::nullopt;
        where.level = Level::Year;
        break;
      case Level::Year:
        where.month = ingest::fixed_digits(part, 2);
        if (where.month < 1 || where.month > 12) return std::nullopt;
        where.level = Level::Month;
        break;
      case Level::Month:
        where.day = ingest::fixed_digits(part, 2);
        if (!ingest::valid_date(where.year, where.month, where.day)) return std::nullopt;
        where.level = Level::Day;
        break;
      default:  // a folder below a day's: the layout has none
        return std::nullopt;
    }
  }
  if (!is_file) return where;
  if (where.level != Level::Day) return std::nullopt;
  where.file = parse_log_file_name(parts.back());
  if (!where.file || !agrees(*where.file, where)) return std::nullopt;
  where.level = Level::File;
  return where;
}

}  // namespace trailwatch
