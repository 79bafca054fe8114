#include "trailwatch/output_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace trailwatch {

namespace {

namespace fs = std::filesystem;

// The file a chain of symbolic links ends at (which may not exist yet: a dangling link names where to write).
std::string link_target(const std::string& path, std::string& error) {
  fs::path current = path;
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(current, ec))) return current.string();
    fs::path next = fs::read_symlink(current, ec);
    if (ec) {
      error = ec.message();
      return {};
    }
    current = next.is_absolute() ? next : current.parent_path() / next;
  }
  error = std::strerror(ELOOP);
  return {};
}

}  // namespace

OutputFile::OutputFile(const std::string& path) {
  if (path == "-") {
    stdout_ = true;
    return;
  }
  // Not a regular file (a FIFO, /dev/null, /dev/fd/63 of a process substitution, a terminal): written in
  // place. stat() follows links, so a link to such a file is one too.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) {
      error_ = "is a directory";
      return;
    }
    in_place_.open(path, std::ios::binary | std::ios::out);
    if (!in_place_) error_ = std::strerror(errno);
    return;
  }
  const std::string target = link_target(path, error_);
  if (!error_.empty()) return;
  atomic_ = std::make_unique<AtomicFile>(target);
  if (!atomic_->ok()) error_ = atomic_->error();
}

std::ostream& OutputFile::stream() {
  if (stdout_) return std::cout;
  if (atomic_) return atomic_->stream();
  return in_place_;
}

std::string OutputFile::commit() {
  if (stdout_) {
    std::cout.flush();
    return std::cout ? std::string() : std::string("write failed");
  }
  if (atomic_) return atomic_->commit();
  in_place_.flush();
  const bool written = static_cast<bool>(in_place_);
  in_place_.close();
  return written ? std::string() : std::string("write failed");
}

}  // namespace trailwatch
