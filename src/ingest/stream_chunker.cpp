#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ingest/byte_buffer.hpp"
#include "trailwatch/ingest.hpp"

namespace trailwatch {

namespace {

constexpr std::size_t kReadSize = 1 << 20;
constexpr std::string_view kEnvelopeStart = "{\"Records\"";

enum class StreamShape { Unknown, Ndjson, Envelopes };

}  // namespace

struct StreamChunker::Impl {
  Impl(int f, std::size_t chunk, std::size_t padding) : fd(f), chunk_bytes(chunk), pending(padding), raw(0) {
    raw.reserve(kReadSize);
  }
  ~Impl() {
    if (inflating) inflateEnd(&zs);
  }

  int fd;
  std::size_t chunk_bytes;
  ByteBuffer pending;  // plain text not yet handed out; [0, handed) is the piece handed out last time
  std::size_t handed = 0;
  ByteBuffer raw;  // bytes read but not yet inflated
  std::size_t raw_offset = 0;
  bool eof = false;
  bool started = false;
  bool gzip = false;
  bool inflating = false;
  bool member_done = false;
  z_stream zs{};
  StreamShape shape = StreamShape::Unknown;
  std::uint64_t read_since_last = 0;
  std::uint64_t inflated_since_last = 0;
  std::string error;
  bool finished = false;  // an error was handed out: nothing follows it

  // Reads more input; returns false at the end of the input or on error.
  bool read_raw() {
    if (raw_offset > 0) {
      std::size_t left = raw.size() - raw_offset;
      std::memmove(raw.data(), raw.data() + raw_offset, left);
      raw.resize(left);
      raw_offset = 0;
    }
    if (raw.size() == raw.capacity()) raw.reserve(raw.capacity() * 2);
    ssize_t n = ::read(fd, raw.data() + raw.size(), raw.capacity() - raw.size());
    if (n < 0) {
      // The scan's SIGINT handler is installed without SA_RESTART so that a read blocked on a pipe ends here.
      error = errno == EINTR ? std::string("interrupted while reading")
                             : std::string("read failed: ") + std::strerror(errno);
      return false;
    }
    if (n == 0) return false;
    raw.resize(raw.size() + static_cast<std::size_t>(n));
    read_since_last += static_cast<std::uint64_t>(n);
    return true;
  }

  void append_plain(const char* data, std::size_t n) {
    if (pending.size() + n > pending.capacity())
      pending.reserve(std::max(pending.capacity() * 2, pending.size() + n));
    std::memcpy(pending.data() + pending.size(), data, n);
    pending.resize(pending.size() + n);
  }

  // Moves what is available from `raw` into `pending`, inflating if needed.
  bool pump() {
    if (raw_offset == raw.size()) {
      if (!read_raw()) {
        if (error.empty() && gzip && inflating && !member_done)
          error = "truncated gzip data (the stream ends inside the compressed data)";
        eof = true;
        return false;
      }
    }
    if (!started) {
      started = true;
      gzip = raw.size() >= 2 && static_cast<unsigned char>(raw.data()[0]) == 0x1f &&
             static_cast<unsigned char>(raw.data()[1]) == 0x8b;
    }
    if (!gzip) {
      append_plain(raw.data() + raw_offset, raw.size() - raw_offset);
      raw_offset = raw.size();
      return true;
    }
    if (!inflating || member_done) {
      // A new member starts here: make sure both magic bytes are in memory before looking at them.
      if (raw.size() - raw_offset < 2 && !read_raw()) {
        eof = true;
        if (error.empty() && raw.size() > raw_offset) error = "trailing bytes after the gzip data";
        return false;
      }
      std::string_view rest(raw.data() + raw_offset, raw.size() - raw_offset);
      if (!(static_cast<unsigned char>(rest[0]) == 0x1f && static_cast<unsigned char>(rest[1]) == 0x8b)) {
        error = "trailing bytes after the gzip data";
        eof = true;
        return false;
      }
      if (member_done) {
        inflateReset(&zs);
        member_done = false;
      } else {
        if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
          error = "cannot initialise zlib";
          eof = true;
          return false;
        }
        inflating = true;
      }
    }
    zs.next_in = reinterpret_cast<Bytef*>(raw.data() + raw_offset);
    zs.avail_in = static_cast<uInt>(raw.size() - raw_offset);
    while (zs.avail_in > 0) {
      if (pending.capacity() - pending.size() < kReadSize)
        pending.reserve(pending.capacity() * 2 + kReadSize);
      zs.next_out = reinterpret_cast<Bytef*>(pending.data() + pending.size());
      zs.avail_out = static_cast<uInt>(pending.capacity() - pending.size());
      int status = ::inflate(&zs, Z_NO_FLUSH);
      std::size_t produced = pending.capacity() - pending.size() - zs.avail_out;
      pending.resize(pending.size() + produced);
      inflated_since_last += produced;
      if (status == Z_STREAM_END) {
        member_done = true;
        break;
      }
      if (status != Z_OK && status != Z_BUF_ERROR) {
        std::string msg = zs.msg != nullptr ? zs.msg : "corrupt data";
        error = msg == "incorrect data check" ? "bad gzip CRC (the data does not match its checksum)"
                                              : "corrupt gzip data: " + msg;
        eof = true;
        return false;
      }
      if (status == Z_BUF_ERROR) break;
    }
    raw_offset = raw.size() - zs.avail_in;
    return true;
  }

  // Where the plain text may be cut: after the last newline (NDJSON) or before the last envelope start.
  std::size_t cut_point() const {
    std::string_view text = pending.view();
    if (shape == StreamShape::Ndjson) {
      std::size_t nl = text.rfind('\n');
      return nl == std::string_view::npos ? 0 : nl + 1;
    }
    // A record may hold an object whose first key is "Records" (`"requestParameters":{"Records":...}`): in
    // valid JSON an envelope that starts a new document follows the `}` of the previous one, while a nested
    // object follows `:`, `,` or `[`. Cutting at a nested one would split an envelope in two.
    for (std::size_t at = text.rfind(kEnvelopeStart); at != std::string_view::npos && at > 0;
         at = text.rfind(kEnvelopeStart, at - 1)) {
      std::size_t before = text.find_last_not_of(" \t\r\n", at - 1);
      if (before == std::string_view::npos) return 0;  // only blanks before it: a blank piece is no use
      if (text[before] == '}') return at;
    }
    return 0;
  }
};

StreamChunker::StreamChunker(int fd, std::size_t chunk_bytes, std::size_t padding)
    : impl_(std::make_unique<Impl>(fd, chunk_bytes, padding)) {
  impl_->pending.reserve(std::min<std::size_t>(chunk_bytes, 64 << 20) + kReadSize);
}

StreamChunker::~StreamChunker() = default;

bool StreamChunker::next(LoadedBuffer& out) {
  Impl& s = *impl_;
  out = LoadedBuffer{};
  if (s.finished) return false;
  if (s.handed > 0) {
    std::size_t left = s.pending.size() - s.handed;
    std::memmove(s.pending.data(), s.pending.data() + s.handed, left);
    s.pending.resize(left);
    s.handed = 0;
  }
  std::size_t cut = 0;
  for (;;) {
    while (!s.eof && s.pending.size() < s.chunk_bytes) s.pump();
    if (s.shape == StreamShape::Unknown && s.pending.size() > 0) {
      std::string_view text = s.pending.view();
      std::size_t first = text.find_first_not_of(" \t\r\n");
      if (first != std::string_view::npos)
        s.shape =
            text.substr(first).starts_with(kEnvelopeStart) ? StreamShape::Envelopes : StreamShape::Ndjson;
    }
    if (s.eof) {
      cut = s.pending.size();
      break;
    }
    cut = s.cut_point();
    if (cut > 0) break;
    // One record or envelope larger than a chunk: keep reading until it ends.
    std::size_t before = s.pending.size();
    while (!s.eof && s.pending.size() < before + s.chunk_bytes) s.pump();
  }
  out.gzip = s.gzip;
  out.bytes_read = s.read_since_last;
  out.bytes_inflated = s.gzip ? s.inflated_since_last : 0;
  s.read_since_last = 0;
  s.inflated_since_last = 0;
  if (!s.error.empty() && cut == s.pending.size()) {
    // The text before the damage in this piece cannot be trusted to end on a record: it goes with the error.
    out.error = s.error;
    s.pending.clear();
    s.finished = true;
    return true;
  }
  if (cut == 0) return false;
  s.handed = cut;
  out.data = std::string_view(s.pending.data(), cut);
  return true;
}

}  // namespace trailwatch
