#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "trailwatch/ingest.hpp"

namespace trailwatch {

void run_workers(unsigned threads, std::size_t count, const std::function<void(unsigned, std::size_t)>& work,
                 const std::atomic<bool>* stop) {
  threads = std::max(1u, threads);
  std::atomic<std::size_t> next{0};
  auto loop = [&](unsigned worker) {
    for (;;) {
      if (stop != nullptr && stop->load(std::memory_order_relaxed)) return;
      std::size_t item = next.fetch_add(1, std::memory_order_relaxed);
      if (item >= count) return;
      work(worker, item);
    }
  };
  if (threads == 1) {
    loop(0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned w = 0; w < threads; ++w) pool.emplace_back(loop, w);
  for (auto& t : pool) t.join();
}

unsigned default_thread_count() {
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace trailwatch
