#include <algorithm>
#include <filesystem>
#include <system_error>

#include "trailwatch/ingest.hpp"

namespace trailwatch {

namespace fs = std::filesystem;

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.ends_with(suffix);
}

enum class SkippedTree { None, Digest, Insight, Lake };

SkippedTree skipped_tree(const fs::path& dir) {
  const std::string name = dir.filename().string();
  if (name == "CloudTrail-Digest") return SkippedTree::Digest;
  if (name == "CloudTrail-Insight") return SkippedTree::Insight;
  if (name == "CloudTrail-Lake") return SkippedTree::Lake;
  return SkippedTree::None;
}

std::uint64_t& counter_for(SkipCounts& skipped, SkippedTree tree) {
  switch (tree) {
    case SkippedTree::Digest:
      return skipped.digest;
    case SkippedTree::Insight:
      return skipped.insight;
    default:
      return skipped.lake;
  }
}

// Counts the regular files of a tree we do not read, so the report says how much was passed over.
void count_skipped_tree(const fs::path& dir, std::uint64_t& counter) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec)) ++counter;
  }
}

void walk(const fs::path& root, Discovery& out) {
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) {
    out.errors.push_back({root.string(), "cannot read directory: " + ec.message()});
    return;
  }
  for (fs::recursive_directory_iterator end; it != end;) {
    const fs::directory_entry& entry = *it;
    std::error_code status_ec;
    fs::file_status link_status = entry.symlink_status(status_ec);
    if (status_ec) {
      out.errors.push_back({entry.path().string(), "cannot stat: " + status_ec.message()});
    } else if (fs::is_symlink(link_status)) {
      std::error_code target_ec;
      fs::file_status target = fs::status(entry.path(), target_ec);
      if (target_ec || !fs::exists(target)) {
        out.errors.push_back({entry.path().string(), "dangling symbolic link"});
      } else if (fs::is_directory(target)) {
        ++out.skipped.symlink;
      } else if (!fs::is_regular_file(target)) {
        ++out.skipped.not_regular;
      } else if (is_log_file_name(entry.path().filename().string())) {
        out.files.push_back(
            {entry.path().string(), static_cast<std::uint64_t>(fs::file_size(entry.path(), target_ec))});
      } else {
        ++out.skipped.other_name;
      }
    } else if (fs::is_directory(link_status)) {
      SkippedTree tree = skipped_tree(entry.path());
      if (tree != SkippedTree::None) {
        count_skipped_tree(entry.path(), counter_for(out.skipped, tree));
        it.disable_recursion_pending();
      }
    } else if (!fs::is_regular_file(link_status)) {
      ++out.skipped.not_regular;
    } else if (is_log_file_name(entry.path().filename().string())) {
      std::error_code size_ec;
      auto size = entry.file_size(size_ec);
      out.files.push_back({entry.path().string(), size_ec ? 0 : static_cast<std::uint64_t>(size)});
    } else {
      ++out.skipped.other_name;
    }
    it.increment(ec);
    if (ec) {
      // A directory we cannot enter: report it and carry on with its siblings.
      out.errors.push_back({entry.path().string(), "cannot read directory: " + ec.message()});
      ec.clear();
    }
  }
}

}  // namespace

bool is_log_file_name(std::string_view name) {
  return ends_with(name, ".json.gz") || ends_with(name, ".json") || ends_with(name, ".jsonl") ||
         ends_with(name, ".ndjson") || ends_with(name, ".gz");
}

Discovery discover_inputs(const std::vector<std::string>& arguments,
                          const std::vector<const InputSource*>& sources) {
  Discovery out;
  for (const std::string& argument : arguments) {
    auto source = std::find_if(sources.begin(), sources.end(),
                               [&](const InputSource* s) { return s != nullptr && s->handles(argument); });
    if (source != sources.end()) {
      (*source)->list(argument, out);
      continue;
    }
    if (argument == "-") {
      out.files.push_back({"-", 0});
      continue;
    }
    std::error_code ec;
    fs::file_status status = fs::status(argument, ec);
    if (ec || !fs::exists(status)) {
      out.errors.push_back({argument, "no such file or directory"});
    } else if (fs::is_directory(status)) {
      walk(argument, out);
    } else if (fs::is_regular_file(status)) {
      out.files.push_back({argument, static_cast<std::uint64_t>(fs::file_size(argument, ec))});
    } else if (fs::is_fifo(status)) {
      // Named on the command line, a FIFO is what the user wants read (e.g. <(zcat ...)).
      out.files.push_back({argument, 0});
    } else {
      out.errors.push_back({argument, "not a regular file or directory"});
    }
  }
  std::stable_sort(out.files.begin(), out.files.end(),
                   [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
  return out;
}

}  // namespace trailwatch
