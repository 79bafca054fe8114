// Gzip compression for tests and benchmarks, which build their inputs in memory.
#pragma once

#include <zlib.h>

#include <string>

namespace trailwatch::testing_support {

/// One gzip member holding `text`.
inline std::string gzip(const std::string& text) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

/// One gzip member holding `text` whose header carries the optional header CRC (FHCRC), right or wrong.
inline std::string gzip_with_header_crc(const std::string& text, bool crc_right) {
  std::string member = gzip(text);
  constexpr std::size_t kFixedHeader = 10;
  member[3] = static_cast<char>(member[3] | 0x02);
  const auto crc =
      crc32(0L, reinterpret_cast<const Bytef*>(member.data()), kFixedHeader) ^ (crc_right ? 0 : 1);
  const char stored[2] = {static_cast<char>(crc & 0xff), static_cast<char>((crc >> 8) & 0xff)};
  member.insert(kFixedHeader, stored, 2);
  return member;
}

}  // namespace trailwatch::testing_support
