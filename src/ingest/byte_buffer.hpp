// A growable byte buffer that never zero-fills and always keeps `padding` spare bytes after its end, so SIMD
// code may read past the data. Its bytes start on a 64-byte boundary: the record kernels' loads then fall
// within one cache line each (a 64-byte load that straddles two costs the envelope scanner 18%). The boundary
// is found inside a plain allocation 63 bytes larger: aligned operator new made glibc keep 4 to 8 MB more
// resident over a scan. A large buffer is whole huge pages (BufferMemory), and its capacity all of them, so
// that the files after the one that grew it fit without growing it again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include "ingest/buffer_memory.hpp"

namespace trailwatch {

class ByteBuffer {
 public:
  explicit ByteBuffer(std::size_t padding) : padding_(padding) {}

  char* data() { return data_; }
  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  std::string_view view() const { return {data_, size_}; }

  void clear() { size_ = 0; }
  /// Sets the size; `n` must not exceed capacity().
  void resize(std::size_t n) {
    size_ = n;
    std::memset(data_ + size_, 0, padding_);
  }
  /// Grows the capacity to at least `n`, keeping the contents.
  void reserve(std::size_t n) {
    if (n <= capacity_ && storage_.data() != nullptr) return;
    BufferMemory grown(n + padding_ + kAlignment - 1);
    char* aligned = grown.data() +
                    (kAlignment - reinterpret_cast<std::uintptr_t>(grown.data()) % kAlignment) % kAlignment;
    if (size_ > 0) std::memcpy(aligned, data_, size_);
    capacity_ = grown.size() - static_cast<std::size_t>(aligned - grown.data()) - padding_;
    storage_ = std::move(grown);
    data_ = aligned;
    std::memset(data_ + size_, 0, padding_);
  }
  void assign(std::string_view bytes) {
    clear();
    reserve(bytes.size());
    if (!bytes.empty()) std::memcpy(data_, bytes.data(), bytes.size());
    resize(bytes.size());
  }

 private:
  static constexpr std::size_t kAlignment = 64;

  std::size_t padding_;
  BufferMemory storage_;
  char* data_ = nullptr;  // the first 64-byte boundary in storage_
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace trailwatch
