#include "aws/read_ahead.hpp"

#include <algorithm>

namespace trailwatch::aws {

ReadAhead::ReadAhead(std::size_t count, unsigned fetchers, std::size_t window, Fetch fetch)
    : fetch_(std::move(fetch)), window_(std::max<std::size_t>(1, window)), items_(count) {
  const std::size_t threads = std::min<std::size_t>(std::max(1u, fetchers), count);
  threads_.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) threads_.emplace_back([this] { fetcher(); });
}

ReadAhead::~ReadAhead() {
  cancel();
  for (std::thread& t : threads_) t.join();
}

void ReadAhead::cancel() {
  std::lock_guard lock(mutex_);
  cancelled_.store(true);
  changed_.notify_all();
}

void ReadAhead::fetcher() {
  for (;;) {
    std::size_t item = 0;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock,
                    [&] { return cancelled_.load() || next_ >= items_.size() || outstanding_ < window_; });
      if (cancelled_.load() || next_ >= items_.size()) return;
      item = next_++;
      ++outstanding_;
      items_[item].state = State::Fetching;
    }
    std::string bytes;
    std::string error = fetch_(item, bytes, cancelled_);
    std::lock_guard lock(mutex_);
    Item& slot = items_[item];
    slot.bytes = std::move(bytes);
    slot.error = std::move(error);
    slot.state = State::Ready;
    changed_.notify_all();
  }
}

std::string ReadAhead::take(std::size_t item, std::string& bytes) {
  std::unique_lock lock(mutex_);
  if (item >= items_.size()) return "not announced";
  Item& slot = items_[item];
  changed_.wait(lock, [&] {
    return slot.state == State::Ready || slot.state == State::Taken ||
           (cancelled_.load() && slot.state == State::Waiting);
  });
  if (slot.state != State::Ready) return slot.state == State::Taken ? "read twice" : "interrupted";
  bytes = std::move(slot.bytes);
  std::string error = std::move(slot.error);
  // libstdc++'s move assignment swaps buffers: the item now holds the taker's previous one. Freed here, or
  // every item taken would keep one object's worth of memory until the scan ends.
  std::string().swap(slot.bytes);
  slot.state = State::Taken;
  --outstanding_;
  changed_.notify_all();
  return error;
}

}  // namespace trailwatch::aws
