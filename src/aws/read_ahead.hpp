// Fetching ahead of the workers: items (S3 objects) are fetched by a few threads of their own, in the order
// the workers will ask for them, while the workers inflate and evaluate what was fetched before. Memory stays
// bounded: at most `window` items are being fetched or wait fetched, whatever the number of items.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace trailwatch::aws {

class ReadAhead {
 public:
  /// Fetches item `item` into `bytes`; returns an empty string or why it could not. Should give up soon
  /// once `cancel` is set. Called from the fetcher threads, several at once.
  using Fetch =
      std::function<std::string(std::size_t item, std::string& bytes, const std::atomic<bool>& cancel)>;

  /// Starts `fetchers` threads (at least 1) over items 0..count-1. `window` (at least 1) bounds the items
  /// fetched or being fetched that no take() has collected yet.
  ReadAhead(std::size_t count, unsigned fetchers, std::size_t window, Fetch fetch);
  /// Cancels what is still being fetched and waits for the fetcher threads.
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  /// Waits until `item` is fetched, then moves its bytes into `bytes` and returns its error (empty when it
  /// was read). Each item is taken at most once. Items must be taken roughly in order: the window moves on
  /// only as items are taken, and an item beyond it is fetched once the items before it are taken. Any
  /// number of threads may wait at once, so workers waiting on items 0..k-1 never keep item k from being
  /// fetched when k < window.
  std::string take(std::size_t item, std::string& bytes);

  /// Stops fetching: fetches under way are cancelled, items not fetched are never fetched, and take() of
  /// such an item returns "interrupted".
  void cancel();

 private:
  enum class State { Waiting, Fetching, Ready, Taken };
  struct Item {
    State state = State::Waiting;
    std::string bytes;
    std::string error;
  };

  void fetcher();

  Fetch fetch_;
  std::size_t window_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Item> items_;
  std::size_t next_ = 0;         // the first item no fetcher has started
  std::size_t outstanding_ = 0;  // fetching or fetched, not taken
  std::atomic<bool> cancelled_{false};
  std::vector<std::thread> threads_;
};

}  // namespace trailwatch::aws
