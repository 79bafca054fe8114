#include "ingest/buffer_memory.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

namespace trailwatch {

namespace {

std::size_t round_up(std::size_t n, std::size_t unit) {
  return (n + unit - 1) / unit * unit;
}

// Maps `size` bytes (a multiple of kHugePage) on a kHugePage boundary: the kernel gives a huge page only for
// a whole aligned 2 MiB inside the mapping, so the mapping is made one huge page larger and the unaligned
// ends are handed back.
char* map_aligned(std::size_t size) {
  const std::size_t unit = BufferMemory::kHugePage;
  void* mapped = ::mmap(nullptr, size + unit, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  char* start = static_cast<char*>(mapped);
  char* aligned = reinterpret_cast<char*>(round_up(reinterpret_cast<std::uintptr_t>(start), unit));
  if (aligned > start) ::munmap(start, static_cast<std::size_t>(aligned - start));
  if (char* end = aligned + size; end < start + size + unit)
    ::munmap(end, static_cast<std::size_t>(start + size + unit - end));
  // Only advice: a kernel without transparent huge pages (or with them off) maps 4 KiB pages as before.
  ::madvise(aligned, size, MADV_HUGEPAGE);
  return aligned;
}

}  // namespace

BufferMemory::BufferMemory(std::size_t bytes) {
  if (bytes >= kLargeBlock && kMapsLargeBlocks) {
    if (bytes > SIZE_MAX - 2 * kHugePage) throw std::bad_alloc();
    size_ = round_up(bytes, kHugePage);
    data_ = map_aligned(size_);
    mapped_ = true;
    return;
  }
  data_ = static_cast<char*>(std::malloc(bytes > 0 ? bytes : 1));
  if (data_ == nullptr) throw std::bad_alloc();
  size_ = bytes;
}

BufferMemory::~BufferMemory() {
  release();
}

BufferMemory::BufferMemory(BufferMemory&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, false)) {}

BufferMemory& BufferMemory::operator=(BufferMemory&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_ = std::exchange(other.mapped_, false);
  }
  return *this;
}

void BufferMemory::release() noexcept {
  if (data_ == nullptr) return;
  if (mapped_)
    ::munmap(data_, size_);
  else
    std::free(data_);
  data_ = nullptr;
}

}  // namespace trailwatch
