#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ingest/buffer_memory.hpp"
#include "ingest/byte_buffer.hpp"

namespace trailwatch {
namespace {

std::uintptr_t address(const char* p) {
  return reinterpret_cast<std::uintptr_t>(p);
}

TEST(BufferMemory, ASmallBlockIsWhatWasAskedFor) {
  BufferMemory m(1000);
  ASSERT_NE(m.data(), nullptr);
  EXPECT_EQ(m.size(), 1000u);
  EXPECT_FALSE(m.mapped());
  std::memset(m.data(), 7, m.size());
}

// Under AddressSanitizer large blocks are exact mallocs too (buffer_memory.hpp).
#define SKIP_WITHOUT_MAPPED_BLOCKS() \
  if (!BufferMemory::kMapsLargeBlocks) GTEST_SKIP() << "an AddressSanitizer build: every block is a malloc"

TEST(BufferMemory, ALargeBlockIsWholeAlignedHugePages) {
  SKIP_WITHOUT_MAPPED_BLOCKS();
  for (std::size_t asked :
       {BufferMemory::kLargeBlock, BufferMemory::kHugePage, BufferMemory::kHugePage + 1}) {
    BufferMemory m(asked);
    EXPECT_TRUE(m.mapped());
    EXPECT_GE(m.size(), asked);
    EXPECT_EQ(m.size() % BufferMemory::kHugePage, 0u);
    EXPECT_LT(m.size() - asked, BufferMemory::kHugePage);
    EXPECT_EQ(address(m.data()) % BufferMemory::kHugePage, 0u);
    // Every byte is usable.
    std::memset(m.data(), 1, m.size());
  }
}

TEST(BufferMemory, MovingHandsTheBlockOver) {
  SKIP_WITHOUT_MAPPED_BLOCKS();
  BufferMemory a(BufferMemory::kLargeBlock);
  char* block = a.data();
  BufferMemory b(std::move(a));
  EXPECT_EQ(b.data(), block);
  EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move): a moved-from block is empty
  BufferMemory c(10);
  c = std::move(b);
  EXPECT_EQ(c.data(), block);
  EXPECT_TRUE(c.mapped());
}

// The flags of the mapping that holds `p`, from /proc/self/smaps ("hg": offered for huge pages).
std::string mapping_flags(const char* p) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t start = 0;
    std::uintptr_t end = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> start >> dash >> end && dash == '-' && line.find(':') > line.find(' ')) {
      inside = start <= address(p) && address(p) < end;
      continue;
    }
    if (inside && line.starts_with("VmFlags:")) return line;
  }
  return {};
}

TEST(BufferMemory, ALargeBlockIsOfferedForHugePages) {
  if (!std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled"))
    GTEST_SKIP() << "this kernel has no transparent huge pages";
  SKIP_WITHOUT_MAPPED_BLOCKS();
  BufferMemory large(BufferMemory::kLargeBlock);
  BufferMemory small(1000);
  const std::string large_flags = mapping_flags(large.data());
  ASSERT_FALSE(large_flags.empty());
  EXPECT_NE(large_flags.find(" hg"), std::string::npos) << large_flags;
  EXPECT_EQ(mapping_flags(small.data()).find(" hg"), std::string::npos);
}

TEST(ByteBuffer, GrowingIntoHugePagesKeepsTheBytesAndThePadding) {
  SKIP_WITHOUT_MAPPED_BLOCKS();
  ByteBuffer b(64);
  b.assign("abc");
  EXPECT_GE(b.capacity(), 3u);
  b.reserve(BufferMemory::kLargeBlock);
  EXPECT_EQ(b.view(), "abc");
  EXPECT_EQ(address(b.data()) % 64, 0u);
  // The capacity is every whole page less the padding, so that a somewhat larger file fits as it is.
  EXPECT_EQ(b.capacity(), BufferMemory::kHugePage - 64);
  const char* before = b.data();
  b.reserve(BufferMemory::kHugePage - 64);
  EXPECT_EQ(b.data(), before);
  b.resize(b.capacity());
  for (std::size_t i = 0; i < 64; ++i) EXPECT_EQ(b.data()[b.size() + i], '\0');
}

}  // namespace
}  // namespace trailwatch
