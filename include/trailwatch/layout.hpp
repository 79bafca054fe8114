// The CloudTrail layout of an archive, and pruning by it (docs/design.md "Pruning by the layout"): a trail
// delivers to `[prefix/]AWSLogs/[o-orgid/]<account>/CloudTrail/<region>/YYYY/MM/DD/` files named
// `<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 alnum>.json.gz`, the time being the delivery's, to the
// minute. A scan limited to some accounts, regions or a time window need not list or read what that layout
// places outside them. Everything here works on text ('/'-separated paths, S3 keys), so the local walk and an
// object store's listing prune alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trailwatch {

/// What a CloudTrail log file's name says.
struct LogFileName {
  std::string account;  // 12 digits
  std::string region;
  std::int64_t delivered = 0;  // Unix seconds, a whole minute: when CloudTrail delivered the file
};

/// Parses a base name `<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 alnum>.json.gz`. Returns nullopt
/// for any other name, including an impossible date or time: such a file says nothing about when it was
/// delivered.
std::optional<LogFileName> parse_log_file_name(std::string_view name);

/// Where a path stands in the layout. A path that leaves it (a folder the layout has no place for, a bad
/// date, a file name that does not agree with its folders) has no LayoutPath.
struct LayoutPath {
  /// The deepest part of the layout the path names: the AWSLogs folder itself, an organization's folder, an
  /// account's, its CloudTrail folder, a region's, a year's, a month's, a day's folder, or a log file.
  enum class Level { Logs, Organization, Account, Trail, Region, Year, Month, Day, File };
  Level level = Level::Logs;
  std::string prefix;        // what comes before AWSLogs/, without the trailing '/'; may be empty
  std::string organization;  // "o-..." for an organization trail, else empty
  std::string account;
  std::string region;
  int year = 0;  // 0 until the path reaches the year; likewise month and day
  int month = 0;
  int day = 0;
  std::optional<LogFileName> file;  // Level::File

  bool reaches(Level l) const { return level >= l; }
};

/// Parses a '/'-separated path (absolute, relative, an S3 key or s3://bucket/key; empty components are
/// ignored) that names a directory or, with `is_file`, a file. The layout starts at the last AWSLogs folder
/// of the path, so a prefix may hold anything.
std::optional<LayoutPath> parse_layout_path(std::string_view path, bool is_file);

/// How long after the end of a window a log file may still hold its records, by default: CloudTrail delivers
/// within minutes, but late deliveries of hours happen.
inline constexpr std::int64_t kDefaultDeliverySlack = 86400;
/// The longest slack taken: ten years is past any delivery delay, and keeps the arithmetic far from overflow.
inline constexpr std::int64_t kMaxDeliverySlack = 3650 * std::int64_t{86400};
/// Events precede their delivery, and a file's name is cut to the minute and stamped by another clock: a file
/// delivered this long before the window's start may still hold records of it.
inline constexpr std::int64_t kDeliveryLead = 15 * 60;

/// Which folders and log files of the layout a scan must look at, given its scope. A default Pruning (or one
/// built disabled, --no-prune) looks at everything. Paths that do not follow the layout are always looked at.
class Pruning {
 public:
  Pruning() = default;
  /// `accounts`, `regions`: empty means all. A log file is read iff it was delivered in
  /// [start - kDeliveryLead, end + delivery_slack); a missing bound does not limit.
  Pruning(std::vector<std::string> accounts, std::vector<std::string> regions,
          std::optional<std::int64_t> start, std::optional<std::int64_t> end, std::int64_t delivery_slack,
          bool enabled);

  bool enabled() const { return enabled_; }
  /// True when it can leave anything out: enabled, and the scope names accounts, regions or a time. A lister
  /// that pays for every folder it lists (S3 with a delimiter) lists folder by folder only then.
  bool limits() const { return limits_; }
  /// False when nothing under the directory `path` (as parse_layout_path takes it) can be read: another
  /// account's or region's folder, a year, month or day whose files were all delivered outside the window.
  bool enter_directory(std::string_view path) const;
  /// False when the log file `path` is in the layout and the scope leaves it out (by its folders or by the
  /// delivery time its name gives).
  bool read_file(std::string_view path) const;
  /// The answer of either for a path already parsed.
  bool keeps(const LayoutPath& where) const;

 private:
  bool kept_account(const LayoutPath& where) const;
  bool kept_region(const LayoutPath& where) const;
  // True when some whole minute in [from, to) is a delivery time the window reads.
  bool can_hold(std::int64_t from, std::int64_t to) const;

  bool enabled_ = false;
  bool limits_ = false;  // enabled, and the scope limits something: else nothing is parsed
  std::vector<std::string> accounts_;
  std::vector<std::string> regions_;
  std::optional<std::int64_t> first_;  // the earliest delivery read, inclusive
  std::optional<std::int64_t> last_;   // the latest, exclusive
};

}  // namespace trailwatch
