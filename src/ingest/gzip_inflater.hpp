// Inflates a whole gzip file (one or more members) into a ByteBuffer and says precisely why it could not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/byte_buffer.hpp"

struct libdeflate_decompressor;

namespace trailwatch {

struct InflateResult {
  std::size_t members = 0;
  std::string error;  // empty on success
};

class GzipInflater {
 public:
  GzipInflater();
  ~GzipInflater();
  GzipInflater(const GzipInflater&) = delete;
  GzipInflater& operator=(const GzipInflater&) = delete;

  /// Inflates `gzip` (which starts with the gzip magic) into `out`, replacing its contents. Every member's
  /// CRC and length are checked. Bytes after the last member that are not another member, truncated or
  /// corrupt members, and output past `max_bytes` (all members together) are errors.
  InflateResult inflate(std::string_view gzip, ByteBuffer& out, std::uint64_t max_bytes);

 private:
  libdeflate_decompressor* decompressor_;
};

/// Why zlib rejects this gzip member: used only to explain a failure, since libdeflate says just "bad data".
std::string explain_gzip_failure(std::string_view member);

/// The one-line reason for zlib's error message `zlib_msg` (null when zlib gave none), worded alike whether
/// the file was read whole or streamed.
std::string gzip_error_reason(const char* zlib_msg);

}  // namespace trailwatch
