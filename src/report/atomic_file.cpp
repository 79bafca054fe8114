#include "trailwatch/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace trailwatch {

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)), temp_path_(path_ + ".tmp." + std::to_string(::getpid())) {
  stream_.open(temp_path_, std::ios::binary | std::ios::trunc);
  if (!stream_) error_ = std::strerror(errno);
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    stream_.close();
    std::remove(temp_path_.c_str());
  }
}

std::string AtomicFile::commit() {
  stream_.flush();
  bool written = static_cast<bool>(stream_);
  stream_.close();
  if (!written) return "write failed";
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) return std::strerror(errno);
  committed_ = true;
  return {};
}

}  // namespace trailwatch
