// libFuzzer target for the ingest layer's gzip handling: any bytes go to BufferLoader::load_bytes as a file
// named x.json.gz, and the same bytes are streamed through StreamChunker (as stdin would be) with a small
// chunk size. Nothing may crash, leak or hang; an error must come with no data; when the whole-file path
// succeeds, the stream must succeed too and hand out exactly the same bytes, in pieces.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "trailwatch/ingest.hpp"
#include "trailwatch/records.hpp"

namespace {

using trailwatch::BufferLoader;
using trailwatch::kRecordPadding;
using trailwatch::LoadedBuffer;
using trailwatch::StreamChunker;

constexpr std::size_t kChunkBytes = 64;
// Small enough that inputs of a few KiB reach it (deflate inflates up to ~1000x), so the limit's paths are
// fuzzed too; the whole-file and stream paths must still agree, since a file within it has no longer record.
const trailwatch::LoaderOptions kOptions{.max_inflated_bytes = 1 << 20};

void touch_padding(std::string_view data) {
  volatile unsigned sum = 0;
  for (std::size_t i = 0; i < kRecordPadding; ++i)
    sum = sum + static_cast<unsigned char>(data.data()[data.size() + i]);
}

int memory_file(std::string_view bytes) {
  int fd = ::memfd_create("gzip_fuzz", MFD_CLOEXEC);
  if (fd < 0) std::abort();
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) std::abort();
    done += static_cast<std::size_t>(n);
  }
  if (::lseek(fd, 0, SEEK_SET) != 0) std::abort();
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  static BufferLoader loader(kRecordPadding, kOptions);
  LoadedBuffer whole = loader.load_bytes("x.json.gz", bytes);
  if (whole.bytes_read != size) std::abort();
  if (!whole.error.empty() && !whole.data.empty()) std::abort();
  if (whole.error.empty()) touch_padding(whole.data);
  const std::string expected = whole.error.empty() ? std::string(whole.data) : std::string();

  const int fd = memory_file(bytes);
  std::string streamed;
  std::string stream_error;
  std::uint64_t stream_read = 0;
  {
    StreamChunker chunker(fd, kChunkBytes, kRecordPadding, kOptions);
    LoadedBuffer piece;
    for (;;) {
      const bool more = chunker.next(piece);
      stream_read += piece.bytes_read;  // also what the last call consumed to find the end
      if (!more) break;
      if (!piece.error.empty()) {
        if (!piece.data.empty()) std::abort();
        stream_error = piece.error;
        break;
      }
      if (piece.data.empty()) std::abort();  // a piece is never empty
      touch_padding(piece.data);
      streamed.append(piece.data);
    }
  }
  ::close(fd);
  if (stream_error.empty() && stream_read != size) std::abort();

  // The whole-file path and the stream agree on good input. (The stream does not reject an empty input, which
  // is an empty stdin, and it only hands out text that ends on a record boundary.)
  if (whole.error.empty() && size > 0) {
    if (!stream_error.empty()) std::abort();
    if (streamed != expected) std::abort();
  }
  return 0;
}
