// What the memory tuning of ours (huge-page buffers in ingest, the malloc heap in cli) shares: the size of a
// transparent huge page on x86-64, and whether a sanitizer's allocator replaces malloc in this build. There
// the tuning is left out, so that the sanitizer sees each block's true end and owns every setting.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TRAILWATCH_SANITIZER_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define TRAILWATCH_SANITIZER_ALLOCATOR 1
#endif
#endif

namespace trailwatch {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

#ifdef TRAILWATCH_SANITIZER_ALLOCATOR
inline constexpr bool kSanitizerAllocator = true;
#else
inline constexpr bool kSanitizerAllocator = false;
#endif

}  // namespace trailwatch
