// A growable byte buffer that never zero-fills and always keeps `padding` spare bytes after its end, so SIMD
// code may read past the data. Its bytes start on a 64-byte boundary: the record kernels' loads then fall
// within one cache line each (a 64-byte load that straddles two costs the envelope scanner 18%).
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>

namespace trailwatch {

class ByteBuffer {
 public:
  explicit ByteBuffer(std::size_t padding) : padding_(padding) {}

  char* data() { return storage_.get(); }
  const char* data() const { return storage_.get(); }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  std::string_view view() const { return {storage_.get(), size_}; }

  void clear() { size_ = 0; }
  /// Sets the size; `n` must not exceed capacity().
  void resize(std::size_t n) {
    size_ = n;
    std::memset(storage_.get() + size_, 0, padding_);
  }
  /// Grows the capacity to at least `n`, keeping the contents.
  void reserve(std::size_t n) {
    if (n <= capacity_ && storage_) return;
    Storage grown(static_cast<char*>(::operator new[](n + padding_, kAlignment)));
    if (size_ > 0) std::memcpy(grown.get(), storage_.get(), size_);
    storage_ = std::move(grown);
    capacity_ = n;
    std::memset(storage_.get() + size_, 0, padding_);
  }
  void assign(std::string_view bytes) {
    clear();
    reserve(bytes.size());
    if (!bytes.empty()) std::memcpy(storage_.get(), bytes.data(), bytes.size());
    resize(bytes.size());
  }

 private:
  static constexpr std::align_val_t kAlignment{64};
  struct AlignedDelete {
    void operator()(char* p) const { ::operator delete[](p, kAlignment); }
  };
  using Storage = std::unique_ptr<char[], AlignedDelete>;

  std::size_t padding_;
  Storage storage_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace trailwatch
