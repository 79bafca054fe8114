#include "ingest/gzip_inflater.hpp"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <new>

#include "trailwatch/ingest.hpp"

namespace trailwatch {

namespace {

constexpr std::size_t kGzipMinimumMember = 18;  // 10-byte header, empty deflate stream, 8-byte trailer
// The most a trailer is believed: CloudTrail JSON inflates 10-30 times. A truncated or corrupt file ends in
// arbitrary bytes, whose "ISIZE" would otherwise reserve up to 4 GiB up front; past this the buffer just
// grows.
constexpr std::size_t kTrustedRatio = 64;

bool starts_member(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

// The ISIZE field of the last member: the inflated size modulo 2^32, a good first guess for the buffer.
std::size_t trailer_size_hint(std::string_view gzip) {
  if (gzip.size() < kGzipMinimumMember) return 0;
  const auto* tail = reinterpret_cast<const unsigned char*>(gzip.data() + gzip.size() - 4);
  return static_cast<std::size_t>(tail[0]) | static_cast<std::size_t>(tail[1]) << 8 |
         static_cast<std::size_t>(tail[2]) << 16 | static_cast<std::size_t>(tail[3]) << 24;
}

// libdeflate skips a member's optional header CRC (FHCRC) while zlib, which reads streams, checks it: without
// this check one file would be accepted as a whole and rejected when piped in. A header cut short is left to
// the inflater, which reports it as truncated.
bool header_crc_matches(std::string_view member) {
  constexpr unsigned char kFhcrc = 0x02, kFextra = 0x04, kFname = 0x08, kFcomment = 0x10;
  constexpr std::size_t kFixedHeader = 10;
  if (member.size() < kFixedHeader) return true;
  const auto* bytes = reinterpret_cast<const unsigned char*>(member.data());
  const unsigned char flags = bytes[3];
  if ((flags & kFhcrc) == 0) return true;
  std::size_t at = kFixedHeader;
  if (flags & kFextra) {
    if (member.size() < at + 2) return true;
    at += 2 + (static_cast<std::size_t>(bytes[at]) | static_cast<std::size_t>(bytes[at + 1]) << 8);
  }
  for (unsigned char text_field : {kFname, kFcomment}) {
    if ((flags & text_field) == 0) continue;
    while (at < member.size() && bytes[at] != 0) ++at;
    ++at;  // the terminating NUL
  }
  if (member.size() < at + 2) return true;
  const std::uint32_t crc = static_cast<std::uint32_t>(crc32(0L, bytes, static_cast<uInt>(at)));
  const unsigned stored = static_cast<unsigned>(bytes[at]) | static_cast<unsigned>(bytes[at + 1]) << 8;
  return (crc & 0xffffu) == stored;
}

}  // namespace

GzipInflater::GzipInflater() : decompressor_(libdeflate_alloc_decompressor()) {
  if (decompressor_ == nullptr) throw std::bad_alloc();
}

GzipInflater::~GzipInflater() {
  libdeflate_free_decompressor(decompressor_);
}

InflateResult GzipInflater::inflate(std::string_view gzip, ByteBuffer& out, std::uint64_t max_bytes) {
  InflateResult result;
  out.clear();
  // libdeflate inflates into one buffer given up front, so the limit is the most that buffer may grow to: a
  // gzip bomb stops there, having cost at most `max_bytes` of memory (rounded up to whole 2 MiB pages).
  const std::size_t limit = static_cast<std::size_t>(std::min<std::uint64_t>(max_bytes, SIZE_MAX - 4096));
  const std::size_t hint = std::min(trailer_size_hint(gzip), gzip.size() * kTrustedRatio);
  out.reserve(std::min(std::max<std::size_t>(hint, gzip.size() * 4) + 4096, limit));
  std::size_t offset = 0;
  while (offset < gzip.size()) {
    std::string_view member = gzip.substr(offset);
    if (!starts_member(member)) {
      result.error = std::to_string(member.size()) + " trailing bytes after the gzip data";
      return result;
    }
    auto fail_member = [&] {
      result.error = explain_gzip_failure(member);
      if (result.members > 0)
        result.error = "gzip member " + std::to_string(result.members + 1) + ": " + result.error;
      return result;
    };
    if (!header_crc_matches(member)) return fail_member();
    for (;;) {
      std::size_t consumed = 0;
      std::size_t produced = 0;
      // A large buffer's capacity is rounded up to whole pages, past `limit` maybe: never inflate past it.
      const std::size_t room = std::min(out.capacity(), limit) - out.size();
      libdeflate_result status = libdeflate_gzip_decompress_ex(
          decompressor_, member.data(), member.size(), out.data() + out.size(), room, &consumed, &produced);
      if (status == LIBDEFLATE_SUCCESS) {
        out.resize(out.size() + produced);
        offset += consumed;
        ++result.members;
        break;
      }
      if (status == LIBDEFLATE_INSUFFICIENT_SPACE) {
        if (out.capacity() >= limit) {
          result.error = "inflates past the " + byte_size_text(max_bytes) + " limit (--max-inflated-size)";
          return result;
        }
        out.reserve(out.capacity() <= limit / 2 ? out.capacity() * 2 : limit);
        continue;
      }
      return fail_member();
    }
  }
  return result;
}

std::string explain_gzip_failure(std::string_view member) {
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return "corrupt gzip data";
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(member.data()));
  stream.avail_in = static_cast<uInt>(std::min<std::size_t>(member.size(), UINT32_MAX));
  unsigned char sink[1 << 15];
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = sink;
    stream.avail_out = sizeof sink;
    status = ::inflate(&stream, Z_NO_FLUSH);
    if (status == Z_BUF_ERROR || (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0)) {
      inflateEnd(&stream);
      return "truncated gzip data (the file ends inside the compressed stream)";
    }
  }
  std::string reason = status == Z_STREAM_END ? "corrupt gzip data" : gzip_error_reason(stream.msg);
  inflateEnd(&stream);
  return reason;
}

std::string gzip_error_reason(const char* zlib_msg) {
  if (zlib_msg == nullptr) return "corrupt gzip data";
  const std::string_view msg = zlib_msg;
  if (msg == "incorrect data check") return "bad gzip CRC (the data does not match its checksum)";
  if (msg == "incorrect length check") return "bad gzip length trailer";
  if (msg == "header crc mismatch") return "bad gzip header CRC";
  return "corrupt gzip data: " + std::string(msg);
}

}  // namespace trailwatch
