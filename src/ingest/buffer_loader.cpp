#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "ingest/byte_buffer.hpp"
#include "ingest/gzip_inflater.hpp"
#include "trailwatch/ingest.hpp"

namespace trailwatch {

namespace {

bool has_gzip_magic(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

bool named_gzip(std::string_view name) {
  return name.ends_with(".gz");
}

std::string too_large(std::uint64_t max_bytes) {
  return "larger than the " + byte_size_text(max_bytes) + " limit (--max-inflated-size)";
}

// Reads the whole file into `buffer`, but no more than `max_bytes`: a FIFO may never end, and a plain file
// is held whole. Returns an empty string or the reason it failed.
std::string read_whole(int fd, std::uint64_t size_hint, std::uint64_t max_bytes, ByteBuffer& buffer) {
  if (size_hint > max_bytes) return too_large(max_bytes);
  // One byte past the limit tells a file of exactly `max_bytes` from a longer one.
  const std::size_t cap = static_cast<std::size_t>(std::min<std::uint64_t>(max_bytes, SIZE_MAX - 1)) + 1;
  buffer.clear();
  buffer.reserve(std::min<std::size_t>(size_hint > 0 ? size_hint : 1 << 16, cap));
  for (;;) {
    // A large buffer's capacity is rounded up to whole pages, past `cap` maybe: never read past `cap`.
    const std::size_t room_end = std::min(buffer.capacity(), cap);
    if (buffer.size() == room_end) {
      if (buffer.size() >= cap) return too_large(max_bytes);
      buffer.reserve(buffer.capacity() <= cap / 2 ? buffer.capacity() * 2 : cap);
      continue;
    }
    ssize_t n = ::read(fd, buffer.data() + buffer.size(), room_end - buffer.size());
    if (n == 0) return {};
    if (n < 0) {
      // The scan installs its SIGINT handler without SA_RESTART so that a read blocked on a pipe returns
      // here.
      if (errno == EINTR) return "interrupted while reading";
      return std::string("read failed: ") + std::strerror(errno);
    }
    buffer.resize(buffer.size() + static_cast<std::size_t>(n));
  }
}

}  // namespace

struct BufferLoader::Impl {
  Impl(std::size_t padding, const LoaderOptions& o) : options(o), raw(padding), inflated(padding) {}
  LoaderOptions options;
  ByteBuffer raw;
  ByteBuffer inflated;
  std::string fetched;  // an InputSource's bytes
  GzipInflater inflater;
};

BufferLoader::BufferLoader(std::size_t padding, const LoaderOptions& options)
    : impl_(std::make_unique<Impl>(padding, options)) {}
BufferLoader::~BufferLoader() = default;

LoadedBuffer BufferLoader::load(const InputFile& file) {
  LoadedBuffer out;
  if (file.source != nullptr) {
    // The size a source listed is known before anything is fetched, as a local file's is before it is read.
    if (file.size > impl_->options.max_inflated_bytes) {
      out.error = too_large(impl_->options.max_inflated_bytes);
      return out;
    }
    // A source that fails may leave `fetched` as the previous input left it: nothing of it was read now.
    impl_->fetched.clear();
    std::string failure = file.source->read(file, impl_->options.max_inflated_bytes, impl_->fetched);
    if (!failure.empty()) {
      out.error = failure;
      return out;
    }
    return load_bytes(file.path, impl_->fetched);
  }
  int fd = file.is_stdin() ? STDIN_FILENO : ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    out.error = std::string("cannot open: ") + std::strerror(errno);
    return out;
  }
  std::string failure = read_whole(fd, file.size, impl_->options.max_inflated_bytes, impl_->raw);
  if (!file.is_stdin()) ::close(fd);
  if (!failure.empty()) {
    out.error = failure;
    return out;
  }
  return load_bytes(file.path, impl_->raw.view());
}

LoadedBuffer BufferLoader::load_bytes(std::string_view name, std::string_view bytes) {
  LoadedBuffer out;
  out.bytes_read = bytes.size();
  if (bytes.empty()) {
    // A download cut at zero bytes is damage, not an empty log: CloudTrail never writes an empty file.
    out.error = "empty file (0 bytes)";
    return out;
  }
  if (!has_gzip_magic(bytes)) {
    if (bytes.size() > impl_->options.max_inflated_bytes) {
      out.error = too_large(impl_->options.max_inflated_bytes);
      return out;
    }
    if (named_gzip(name) && name != "-")
      out.warnings.push_back("not gzip-compressed despite its name; read as plain text");
    if (bytes.data() != impl_->raw.data()) {
      impl_->raw.assign(bytes);
      bytes = impl_->raw.view();
    }
    out.data = bytes;
    return out;
  }
  out.gzip = true;
  InflateResult inflated = impl_->inflater.inflate(bytes, impl_->inflated, impl_->options.max_inflated_bytes);
  if (!inflated.error.empty()) {
    out.error = inflated.error;
    return out;
  }
  if (inflated.members > 1)
    out.warnings.push_back(
        std::to_string(inflated.members) +
        " gzip members; CloudTrail writes exactly one, so the file may have been appended to");
  out.bytes_inflated = impl_->inflated.size();
  out.data = impl_->inflated.view();
  return out;
}

}  // namespace trailwatch
