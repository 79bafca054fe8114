// Memory for the buffers a worker reuses from input to input. A large block comes straight from the kernel,
// rounded up to whole 2 MiB pages, aligned to them and offered for transparent huge pages: on the virtual
// machines we run on, the first touch of each 4 KiB page costs about 10 microseconds, so a buffer grown to
// hold a 700 KB file cost 1.7 ms of page faults every time it grew, where one 2 MiB page costs about 0.1 ms.
// A small block comes from malloc. Where the kernel gives no huge pages, a large block is still correct,
// only faulted in 4 KiB at a time.
#pragma once

#include <cstddef>

#include "ingest/memory_tuning.hpp"

namespace trailwatch {

class BufferMemory {
 public:
  /// From this size on, a block is mapped whole from the kernel.
  static constexpr std::size_t kLargeBlock = std::size_t{256} << 10;
  static constexpr std::size_t kHugePage = kHugePageBytes;
  /// False under a sanitizer: every block is then an exact malloc, whose end the sanitizer guards (a read
  /// past a buffer's data and padding must be reported, not lost in the rest of a 2 MiB page).
  static constexpr bool kMapsLargeBlocks = !kSanitizerAllocator;

  BufferMemory() = default;
  /// At least `bytes` usable bytes (throws std::bad_alloc when there is no memory for them).
  explicit BufferMemory(std::size_t bytes);
  ~BufferMemory();
  BufferMemory(BufferMemory&& other) noexcept;
  BufferMemory& operator=(BufferMemory&& other) noexcept;
  BufferMemory(const BufferMemory&) = delete;
  BufferMemory& operator=(const BufferMemory&) = delete;

  char* data() const { return data_; }
  /// The usable bytes: what was asked for, or more where it was rounded up to whole pages.
  std::size_t size() const { return size_; }
  /// True when the block was mapped from the kernel (kLargeBlock and up, where kMapsLargeBlocks).
  bool mapped() const { return mapped_; }

 private:
  void release() noexcept;

  char* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
};

}  // namespace trailwatch
