// An output file that appears whole or not at all: written to a temporary beside it (same directory, so the
// rename stays on one file system), renamed into place on commit(), removed if the object dies uncommitted.
#pragma once

#include <fstream>
#include <string>

namespace trailwatch {

class AtomicFile {
 public:
  /// Opens the temporary `path`.tmp.<pid>; the directory must exist. On failure ok() is false.
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the temporary if commit() was not reached
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  bool ok() const { return error_.empty(); }
  /// Why the temporary could not be opened (strerror), empty when ok().
  const std::string& error() const { return error_; }
  /// The temporary's stream; valid until commit() or destruction.
  std::ofstream& stream() { return stream_; }
  /// Flushes, closes and renames into place. Returns an empty string or the reason it failed.
  std::string commit();

 private:
  std::string path_;
  std::string temp_path_;
  std::ofstream stream_;
  std::string error_;
  bool committed_ = false;
};

}  // namespace trailwatch
