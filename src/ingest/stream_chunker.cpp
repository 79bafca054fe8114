#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "ingest/byte_buffer.hpp"
#include "ingest/gzip_inflater.hpp"
#include "trailwatch/ingest.hpp"

namespace trailwatch {

namespace {

constexpr std::size_t kReadSize = 1 << 20;
constexpr std::string_view kEnvelopeStart = "{\"Records\"";

enum class StreamShape { Unknown, Ndjson, Envelopes };

}  // namespace

struct StreamChunker::Impl {
  Impl(int f, std::size_t chunk, std::size_t padding, std::uint64_t max_record)
      : fd(f),
        max_record_bytes(static_cast<std::size_t>(std::min<std::uint64_t>(max_record, SIZE_MAX / 2))),
        chunk_bytes(std::max<std::size_t>(1, std::min(chunk, max_record_bytes))),
        pending(padding),
        raw(0) {
    raw.reserve(kReadSize);
  }
  ~Impl() {
    if (inflating) inflateEnd(&zs);
  }

  int fd;
  std::size_t max_record_bytes;  // the most one piece may grow to while a record or envelope has not ended
  std::size_t chunk_bytes;       // what a piece is filled to before looking for a cut
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
  bool skipping = false;  // an NDJSON line was too long: its rest is dropped up to its newline

  // Reads more input; returns false at the end of the input or on error.
  bool read_raw() {
    if (raw_offset > 0) {
      std::size_t left = raw.size() - raw_offset;
      std::memmove(raw.data(), raw.data() + raw_offset, left);
      raw.resize(left);
      raw_offset = 0;
    }
    if (raw.size() == raw.capacity()) raw.reserve(raw.capacity() * 2);
    // No more than kReadSize at a time, though a large buffer's capacity is whole 2 MiB pages: what one pump
    // moves on is bounded by it.
    ssize_t n = ::read(fd, raw.data() + raw.size(), std::min(raw.capacity() - raw.size(), kReadSize));
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

  // Moves what is available from `raw` into `pending`, inflating if needed, at most about kReadSize bytes
  // at a time: a gzip bomb on stdin must not inflate past the piece being filled.
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
    std::size_t pumped = 0;
    while (zs.avail_in > 0 && pumped < kReadSize) {
      if (pending.capacity() - pending.size() < kReadSize)
        pending.reserve(pending.capacity() * 2 + kReadSize);
      const std::size_t room = std::min(pending.capacity() - pending.size(), kReadSize);
      zs.next_out = reinterpret_cast<Bytef*>(pending.data() + pending.size());
      zs.avail_out = static_cast<uInt>(room);
      int status = ::inflate(&zs, Z_NO_FLUSH);
      std::size_t produced = room - zs.avail_out;
      pending.resize(pending.size() + produced);
      inflated_since_last += produced;
      pumped += produced;
      if (status == Z_STREAM_END) {
        member_done = true;
        break;
      }
      if (status != Z_OK && status != Z_BUF_ERROR) {
        error = gzip_error_reason(zs.msg);
        eof = true;
        return false;
      }
      if (status == Z_BUF_ERROR) break;
    }
    raw_offset = raw.size() - zs.avail_in;
    return true;
  }

  // Drops the rest of the line that was too long, through its newline, holding no more than a pump's output.
  void skip_long_line() {
    for (;;) {
      std::size_t nl = pending.view().find('\n');
      if (nl != std::string_view::npos) {
        std::size_t left = pending.size() - nl - 1;
        std::memmove(pending.data(), pending.data() + nl + 1, left);
        pending.resize(left);
        skipping = false;
        return;
      }
      pending.clear();
      if (eof) {
        skipping = false;
        return;
      }
      pump();
    }
  }

  // A record or envelope runs past the limit from the start of `pending`: report it rather than hold it.
  std::string overflow() {
    std::string limit = byte_size_text(max_record_bytes);
    pending.clear();
    if (shape == StreamShape::Ndjson) {
      skipping = true;
      return "a line longer than the " + limit + " limit (--max-inflated-size); skipped";
    }
    finished = true;
    return "an envelope larger than the " + limit +
           " limit (--max-inflated-size); the rest of the stream is not read";
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

StreamChunker::StreamChunker(int fd, std::size_t chunk_bytes, std::size_t padding,
                             const LoaderOptions& options)
    : impl_(std::make_unique<Impl>(fd, chunk_bytes, padding, options.max_inflated_bytes)) {
  impl_->pending.reserve(std::min<std::size_t>(impl_->chunk_bytes, 64 << 20) + kReadSize);
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
  if (s.skipping) s.skip_long_line();
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
    if (s.eof && s.pending.size() <= s.max_record_bytes) {
      cut = s.pending.size();
      break;
    }
    cut = s.cut_point();
    if (cut > 0) break;
    if (s.pending.size() > s.max_record_bytes) {
      out.gzip = s.gzip;
      out.bytes_read = std::exchange(s.read_since_last, 0);
      out.bytes_inflated = std::exchange(s.inflated_since_last, 0);  // only gzip input inflates
      out.error = s.overflow();
      return true;
    }
    // One record or envelope larger than a chunk: keep reading until it ends, or passes the limit.
    const std::size_t goal = std::min(s.pending.size() + s.chunk_bytes, s.max_record_bytes + 1);
    while (!s.eof && s.pending.size() < goal) s.pump();
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
