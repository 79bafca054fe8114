#include <atomic>

#include "trailwatch/ingest.hpp"

namespace trailwatch {

namespace {

// Atomic so that a loader built on a worker thread reads a whole value; the CLI sets it before workers start.
std::atomic<std::uint64_t> g_max_inflated_bytes{LoaderOptions{}.max_inflated_bytes};

}  // namespace

LoaderOptions default_loader_options() {
  LoaderOptions options;
  options.max_inflated_bytes = g_max_inflated_bytes.load(std::memory_order_relaxed);
  return options;
}

void set_default_loader_options(const LoaderOptions& options) {
  g_max_inflated_bytes.store(options.max_inflated_bytes, std::memory_order_relaxed);
}

std::string byte_size_text(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  std::size_t unit = 0;
  while (unit + 1 < std::size(kUnits) && bytes >= 1024 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++unit;
  }
  std::string text = std::to_string(bytes);
  text += ' ';
  text += kUnits[unit];
  return text;
}

}  // namespace trailwatch
