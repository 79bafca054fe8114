// An output file that appears whole or not at all: written to a temporary beside it, renamed on commit.
#pragma once

#include <fstream>
#include <string>

namespace trailwatch::cli {

class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the temporary if commit() was not reached
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
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

}  // namespace trailwatch::cli
