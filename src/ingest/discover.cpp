#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <filesystem>
#include <set>
#include <system_error>
#include <tuple>
#include <utility>

#include "ingest/civil_date.hpp"
#include "trailwatch/ingest.hpp"

namespace trailwatch {

namespace fs = std::filesystem;

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.ends_with(suffix);
}

// A file found, before duplicates are removed and shards chosen.
struct Found {
  InputFile file;
  std::size_t argument = 0;  // which command-line argument reached it
  // The file itself, whatever path reached it: device and inode for a local file.
  bool identified = false;
  dev_t device = 0;
  ino_t inode = 0;
};

// A directory being walked, listed with readdir(): the entry types come with the names (no lstat per entry)
// and files are asked stat() relative to it (fstatat), so that the kernel does not walk the whole path again
// for each of thousands of files. std::filesystem's iterator made a path object, with its parsed components,
// for every entry: with it the listing of 3,000 files took 9.5 ms, against 3.3 ms for the inflate-only
// baseline's whole walk.
class DirectoryListing {
 public:
  explicit DirectoryListing(const std::string& dir) : listing_(::opendir(dir.c_str())) {}
  ~DirectoryListing() {
    if (listing_ != nullptr) ::closedir(listing_);
  }
  DirectoryListing(const DirectoryListing&) = delete;
  DirectoryListing& operator=(const DirectoryListing&) = delete;

  bool is_open() const { return listing_ != nullptr; }
  int fd() const { return ::dirfd(listing_); }

  /// The next entry other than . and .., or nullptr at the end or on an error (errno then says which).
  const dirent* next() {
    for (;;) {
      errno = 0;
      const dirent* entry = ::readdir(listing_);
      if (entry == nullptr) return nullptr;
      const char* n = entry->d_name;
      if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'))) continue;
      return entry;
    }
  }

 private:
  DIR* listing_;
};

std::string errno_text(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// Lists the arguments, keeping what is found in the caller's shard (all of it without one) and what pruning
// keeps.
class Lister {
 public:
  Lister(Discovery& out, std::optional<Shard> shard, const Pruning& pruning)
      : out_(out), shard_(shard), pruning_(pruning) {}

  bool mine(std::string_view name) const { return !shard_ || fnv1a64(name) % shard_->count == shard_->index; }

  // A file: its size and identity come from one stat(), which follows a symbolic link to its target; asked
  // relative to its directory (`directory`, an open descriptor, with the file's own name `leaf`) where the
  // walk has one, so that the kernel does not walk the whole path again for each of thousands of files (a
  // fifth of the listing's time). `where`: its place in the layout, when its path follows it.
  void add_file(std::string path, std::string name, std::size_t argument, std::optional<LayoutPath> where,
                int directory = -1, const char* leaf = nullptr) {
    Found found;
    found.file.path = std::move(path);
    found.file.name = std::move(name);
    if (where) found.file.delivery = std::move(where->file);
    found.argument = argument;
    struct stat st {};
    const int status =
        directory >= 0 ? ::fstatat(directory, leaf, &st, 0) : ::stat(found.file.path.c_str(), &st);
    if (status == 0) {
      found.file.size = S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
      found.identified = true;
      found.device = st.st_dev;
      found.inode = st.st_ino;
    }
    found_.push_back(std::move(found));
  }

  void add_source_files(Discovery& listed, std::size_t argument) {
    for (InputFile& file : listed.files) {
      if (file.name.empty()) file.name = file.path;
      // A source names its inputs by URL-like paths (s3://bucket/key) in which the layout is found as in a
      // local path. The same key listed twice is counted once, as a local file is. Parsed once, for pruning
      // and for the delivery coverage.
      const std::optional<LayoutPath> where = parse_layout_path(file.path, true);
      if (where && !pruning_.keeps(*where)) {
        if (seen_paths_.insert(file.path).second && mine(file.name)) ++out_.pruned.files;
        out_.seen.add(*where);
        continue;
      }
      if (where) file.delivery = where->file;
      Found found;
      found.file = std::move(file);
      found.argument = argument;
      found_.push_back(std::move(found));
    }
    // A source lists no local paths; what it passed over is counted by shard 0 alone, so the counts still
    // add up across shards.
    if (!shard_ || shard_->index == 0) {
      add_counts(listed.skipped);
      out_.pruned.prefixes += listed.pruned.prefixes;
      out_.pruned.files += listed.pruned.files;
    }
    out_.errors.insert(out_.errors.end(), listed.errors.begin(), listed.errors.end());
    out_.seen.merge(listed.seen);
  }

  void walk(const fs::path& root, std::size_t argument) {
    std::error_code ec;
    // Pruning finds the layout in the whole path, so that a walk from inside the layout (~/AWSLogs, or one
    // account's folder) knows where it stands.
    fs::path absolute = fs::absolute(root, ec);
    layout_root_ = (ec ? root : absolute.lexically_normal()).native();
    while (layout_root_.size() > 1 && layout_root_.ends_with('/')) layout_root_.pop_back();
    DirectoryListing listing(root.native());
    if (!listing.is_open()) {
      out_.errors.push_back({root.string(), "cannot read directory: " + errno_text(errno)});
      return;
    }
    walk_directory(listing, root.native(), {}, root, argument);
  }

  // A directory argument that holds no log file at all is an error: a typo'd path or a wrong folder must not
  // read as "nothing happened". Decided over the whole listing, so every shard says it. One whose log files
  // pruning passed over holds what the scope leaves out, as a tree of records outside --start/--end does.
  void walked_directory(const std::string& argument, std::size_t index) {
    const bool holds_files =
        std::any_of(found_.begin(), found_.end(), [&](const Found& f) { return f.argument == index; });
    if (!holds_files && !pruned_arguments_.contains(index))
      out_.errors.push_back({argument, "holds no log file (.json.gz, .json, .jsonl, .ndjson or .gz)"});
  }

  // Keeps one copy of each file, then the shard's files, sorted by path. The found files are ordered through
  // their indexes, and the last sort is skipped when one argument's order is already the answer: moving
  // thousands of files' records through two sorts was a tenth of the listing's time.
  void finish() {
    std::vector<std::uint32_t> order(found_.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      const Found& x = found_[a];
      const Found& y = found_[b];
      return x.argument != y.argument ? x.argument < y.argument : x.file.path < y.file.path;
    });
    std::set<std::pair<dev_t, ino_t>> seen_files;
    std::set<std::string> seen_paths;  // inputs without an identity: the same path is the same input
    out_.files.reserve(out_.files.size() + found_.size());
    for (std::uint32_t index : order) {
      Found& found = found_[index];
      const bool first = found.identified ? seen_files.emplace(found.device, found.inode).second
                                          : seen_paths.insert(found.file.path).second;
      if (!mine(found.file.name)) continue;
      if (!first)
        ++out_.skipped.duplicate;
      else
        out_.files.push_back(std::move(found.file));
    }
    const auto by_path = [](const InputFile& a, const InputFile& b) { return a.path < b.path; };
    if (!std::is_sorted(out_.files.begin(), out_.files.end(), by_path))
      std::stable_sort(out_.files.begin(), out_.files.end(), by_path);
  }

 private:
  static std::string relative_name(const fs::path& path, const fs::path& root) {
    std::string_view p = path.native();
    const std::string_view r = root.native();
    if (p.starts_with(r)) p.remove_prefix(r.size());
    while (p.starts_with('/')) p.remove_prefix(1);
    return std::string(p);
  }

  // One directory level at a time (std::filesystem's recursive iterator ends the whole walk at the first
  // directory it cannot open): a directory that cannot be read is named, and its siblings are still walked.
  // `dir` is the directory's path as the walk reached it, `below_root` its name below the argument.
  void walk_directory(DirectoryListing& listing, const std::string& dir, const std::string& below_root,
                      const fs::path& root, std::size_t argument) {
    const std::string prefix = dir.ends_with('/') ? dir : dir + '/';
    while (const dirent* entry = listing.next()) {
      const char* leaf = entry->d_name;
      std::string name = below_root.empty() ? std::string(leaf) : below_root + '/' + leaf;
      int stat_error = 0;
      const fs::file_status status = own_status(entry->d_type, listing.fd(), leaf, stat_error);
      if (!visit(prefix + leaf, leaf, name, status, stat_error, root, argument, listing.fd())) continue;
      const std::string path = prefix + leaf;
      DirectoryListing below(path);
      if (!below.is_open()) {
        error(path, root, "cannot read directory: " + errno_text(errno));
        continue;
      }
      walk_directory(below, path, name, root, argument);
    }
    if (const int list_error = errno; list_error != 0)
      error(dir, root, "cannot list the rest of the directory: " + errno_text(list_error));
  }

  // Counts or adds one entry: `path` as the walk reached it, `leaf` its own name in the open directory
  // `directory`, `name` its name below the argument, `link_status` its own type (a symbolic link as such).
  // Returns true for a directory to walk into. A log file listed as a regular file, nearly every entry, makes
  // no path object on the way.
  bool visit(std::string path, const char* leaf, const std::string& name, fs::file_status link_status,
             int stat_error, const fs::path& root, std::size_t argument, int directory) {
    fs::file_type type = link_status.type();
    if (type == fs::file_type::none) {
      error(path, root, "cannot stat: " + errno_text(stat_error));
      return false;
    }
    if (type == fs::file_type::symlink) {  // read as what it points to, unless that is a directory
      std::error_code target_ec;
      const fs::file_status target = fs::status(path, target_ec);
      if (target_ec || !fs::exists(target)) {
        error(path, root, "dangling symbolic link");
        return false;
      }
      if (fs::is_directory(target)) {
        count(out_.skipped.symlink, path, root);
        return false;
      }
      type = target.type();
    } else if (type == fs::file_type::directory) {
      if (NameVerdict tree = folder_verdict(leaf); tree != NameVerdict::Read) {
        count_skipped_tree(path, root, skip_counter(out_.skipped, tree));
        return false;
      }
      // Not entered at all, so nothing below is counted anywhere else (skipped trees included).
      if (const std::string in_layout = layout_path(name); !pruning_.enter_directory(in_layout)) {
        prune(out_.pruned.prefixes, path, root, argument);
        if (const std::optional<LayoutPath> where = parse_layout_path(in_layout, false))
          note_passed_over(path, in_layout, *where);
        return false;
      }
      return true;
    }
    if (type != fs::file_type::regular)
      count(out_.skipped.not_regular, path, root);
    else if (is_log_file_name(leaf))
      add_or_prune(std::move(path), name, root, argument, directory, leaf);
    else
      count(out_.skipped.other_name, path, root);
    return false;
  }

  // The entry's own type (a symbolic link as such), from the directory listing where the file system gives
  // it: an lstat() per entry was a third of the listing's time. Asked of the file system only where the
  // listing does not say (DT_UNKNOWN); a type of `none` when that fails, with its errno in `error`.
  static fs::file_status own_status(unsigned char listed_type, int directory, const char* leaf, int& error) {
    switch (listed_type) {
      case DT_REG:
        return fs::file_status(fs::file_type::regular);
      case DT_DIR:
        return fs::file_status(fs::file_type::directory);
      case DT_LNK:
        return fs::file_status(fs::file_type::symlink);
      case DT_UNKNOWN:
        break;
      default:
        return fs::file_status(fs::file_type::unknown);  // a FIFO, socket or device: not a regular file
    }
    struct stat st {};
    if (::fstatat(directory, leaf, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      error = errno;
      return fs::file_status(fs::file_type::none);
    }
    if (S_ISLNK(st.st_mode)) return fs::file_status(fs::file_type::symlink);
    if (S_ISDIR(st.st_mode)) return fs::file_status(fs::file_type::directory);
    if (S_ISREG(st.st_mode)) return fs::file_status(fs::file_type::regular);
    return fs::file_status(fs::file_type::unknown);
  }

  // A directory inside another directory argument is walked twice: what the walk passes over or cannot read
  // counts once, at its first encounter (arguments are walked in order, so every shard decides alike), by the
  // shard of the name it had then.
  bool first_encounter(const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return seen_paths_.insert(path.string()).second;
    return seen_entries_.emplace(st.st_dev, st.st_ino).second;
  }

  void count(std::uint64_t& counter, const fs::path& path, const fs::path& root) {
    if (first_encounter(path) && mine(relative_name(path, root))) ++counter;
  }

  // The path pruning judges: the walk's root made absolute, then the name below it.
  std::string layout_path(const std::string& name) const { return layout_root_ + '/' + name; }

  void prune(std::uint64_t& counter, const fs::path& path, const fs::path& root, std::size_t argument) {
    pruned_arguments_.insert(argument);
    count(counter, path, root);
  }

  // The path is parsed once, for pruning and for the delivery coverage. `leaf` is the file's own name in the
  // open directory `directory`.
  void add_or_prune(std::string path, const std::string& name, const fs::path& root, std::size_t argument,
                    int directory, const char* leaf) {
    std::optional<LayoutPath> where = parse_layout_path(layout_path(name), true);
    if (!where || pruning_.keeps(*where)) {
      add_file(std::move(path), name, argument, std::move(where), directory, leaf);
    } else {
      prune(out_.pruned.files, path, root, argument);
      out_.seen.add(*where);
    }
  }

  // What a folder pruning did not enter holds, in outline, for the message of a run that reads nothing in
  // scope (docs/design.md "Nothing in scope"): the regions below another account's folder, the first and the
  // last day below a year's or a month's out of the window. A few directory listings per folder not entered;
  // no file is opened, and nothing here is counted.
  void note_passed_over(const fs::path& dir, const std::string& in_layout, const LayoutPath& where) {
    using Level = LayoutPath::Level;
    out_.seen.add(where);
    if (where.level == Level::Account || where.level == Level::Trail) {
      const bool account = where.level == Level::Account;
      for (auto& [below, folder] :
           layout_folders(account ? dir / "CloudTrail" : dir, account ? in_layout + "/CloudTrail" : in_layout,
                          Level::Region))
        out_.seen.add(below);
    } else if ((where.level == Level::Year || where.level == Level::Month) && !within_days_seen(where)) {
      std::vector<std::pair<LayoutPath, fs::path>> below =
          layout_folders(dir, in_layout, where.level == Level::Year ? Level::Month : Level::Day);
      if (below.empty()) return;
      const auto earlier = [](const auto& a, const auto& b) {
        return std::tie(a.first.year, a.first.month, a.first.day) <
               std::tie(b.first.year, b.first.month, b.first.day);
      };
      std::sort(below.begin(), below.end(), earlier);
      note_passed_over(below.front().second, in_layout + '/' + below.front().second.filename().string(),
                       below.front().first);
      if (below.size() > 1)
        note_passed_over(below.back().second, in_layout + '/' + below.back().second.filename().string(),
                         below.back().first);
    }
  }

  // True when every day of a year's or month's folder is within the days already seen: its first and last day
  // cannot widen them, so it is not listed (a narrow window over years of logs lists a few folders, not every
  // year and month of every account and region).
  bool within_days_seen(const LayoutPath& where) const {
    const SeenScope& seen = out_.seen;
    if (!seen.first_day || !seen.last_day) return false;
    const bool year = where.level == LayoutPath::Level::Year;
    const unsigned month = year ? 1 : static_cast<unsigned>(where.month);
    const unsigned last_month = year ? 12 : month;
    const std::int64_t first = ingest::days_from_civil(where.year, month, 1) * 86400;
    const std::int64_t last =
        ingest::days_from_civil(where.year, last_month, ingest::days_in_month(where.year, last_month)) *
        86400;
    return *seen.first_day <= first && last <= *seen.last_day;
  }

  // The folders (not symbolic links, which the walk does not follow) right below `dir` that are the layout's
  // `level`, with their places in it.
  static std::vector<std::pair<LayoutPath, fs::path>> layout_folders(const fs::path& dir,
                                                                     const std::string& in_layout,
                                                                     LayoutPath::Level level) {
    std::vector<std::pair<LayoutPath, fs::path>> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      if (!it->is_directory(type_ec) || it->is_symlink(type_ec)) continue;
      std::optional<LayoutPath> where =
          parse_layout_path(in_layout + '/' + it->path().filename().string(), false);
      if (where && where->level == level) out.emplace_back(std::move(*where), it->path());
    }
    return out;
  }

  void error(const fs::path& path, const fs::path& root, std::string message) {
    if (first_encounter(path) && mine(relative_name(path, root)))
      out_.errors.push_back({path.string(), std::move(message)});
  }

  // Counts the regular files of a tree we do not read, so the report says how much was passed over.
  void count_skipped_tree(const fs::path& dir, const fs::path& root, std::uint64_t& counter) {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      if (it->is_regular_file(type_ec)) count(counter, it->path(), root);
    }
  }

  void add_counts(const SkipCounts& c) {
    SkipCounts& s = out_.skipped;
    s.digest += c.digest;
    s.insight += c.insight;
    s.lake += c.lake;
    s.symlink += c.symlink;
    s.not_regular += c.not_regular;
    s.other_name += c.other_name;
    s.duplicate += c.duplicate;
  }

  Discovery& out_;
  std::optional<Shard> shard_;
  const Pruning& pruning_;
  std::string layout_root_;                         // the root being walked, absolute (layout_path)
  std::set<std::size_t> pruned_arguments_;          // arguments under which pruning passed over something
  std::set<std::pair<dev_t, ino_t>> seen_entries_;  // passed over or failed, by identity (first_encounter)
  std::set<std::string> seen_paths_;                // ... or by path when lstat fails
  // A deque: growing never copies what was found (a vector grew through 1.6 MB for 3,000 files, each new
  // page a fault, which costs microseconds on a virtual machine).
  std::deque<Found> found_;
};

}  // namespace

bool is_log_file_name(std::string_view name) {
  return ends_with(name, ".json.gz") || ends_with(name, ".json") || ends_with(name, ".jsonl") ||
         ends_with(name, ".ndjson") || ends_with(name, ".gz");
}

Discovery discover_inputs(const std::vector<std::string>& arguments,
                          const std::vector<const InputSource*>& sources, std::optional<Shard> shard,
                          const Pruning& pruning) {
  Discovery out;
  Lister lister(out, shard, pruning);
  for (std::size_t a = 0; a < arguments.size(); ++a) {
    const std::string& argument = arguments[a];
    auto source = std::find_if(sources.begin(), sources.end(),
                               [&](const InputSource* s) { return s != nullptr && s->handles(argument); });
    if (source != sources.end()) {
      Discovery listed;
      (*source)->list(argument, listed);
      lister.add_source_files(listed, a);
      continue;
    }
    if (argument == "-") {
      out.files.push_back({"-", 0, nullptr, "-"});
      continue;
    }
    std::error_code ec;
    fs::file_status status = fs::status(argument, ec);
    const std::string base_name = fs::path(argument).filename().string();
    if (ec || !fs::exists(status)) {
      out.errors.push_back({argument, "no such file or directory"});
    } else if (fs::is_directory(status)) {
      lister.walk(argument, a);
      lister.walked_directory(argument, a);
    } else if (fs::is_regular_file(status) || fs::is_fifo(status)) {
      // Named on the command line, a FIFO is what the user wants read (e.g. <(zcat ...)). Read whatever its
      // name (not pruned), it still gives its delivery when its path, made absolute as a walk's root is,
      // follows the layout.
      std::error_code absolute_ec;
      const fs::path absolute = fs::absolute(argument, absolute_ec);
      lister.add_file(
          argument, base_name, a,
          parse_layout_path((absolute_ec ? fs::path(argument) : absolute.lexically_normal()).native(), true));
    } else {
      out.errors.push_back({argument, "not a regular file or directory"});
    }
  }
  lister.finish();
  return out;
}

}  // namespace trailwatch
