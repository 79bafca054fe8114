// Where a report or --matches goes (docs/design.md "Output"): "-" is stdout; a FIFO, a character device or
// any other file that is not regular is written in place, never replaced (as root, replacing /dev/null breaks
// the machine); a symbolic link is followed and its target replaced; a regular file (or a new one) appears
// whole or not at all (AtomicFile). Opened before any input is read, so a path that cannot be written fails
// first.
#pragma once

#include <fstream>
#include <memory>
#include <ostream>
#include <string>

#include "trailwatch/atomic_file.hpp"

namespace trailwatch {

class OutputFile {
 public:
  /// Opens `path` for writing as above. On failure ok() is false and error() says why.
  explicit OutputFile(const std::string& path);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::ostream& stream();
  /// Finishes the output (renames a regular file into place). Returns an empty string or why it failed.
  std::string commit();

 private:
  std::string error_;
  std::unique_ptr<AtomicFile> atomic_;  // a regular file
  std::ofstream in_place_;              // a FIFO, a device, a socket: written where it is
  bool stdout_ = false;
};

}  // namespace trailwatch
