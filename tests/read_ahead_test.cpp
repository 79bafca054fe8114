// The window of objects fetched ahead of the workers: each fetched once, in order, never more than `window`
// waiting, and an interrupted scan never waits on what was not fetched.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "aws/read_ahead.hpp"

namespace trailwatch::aws {
namespace {

using namespace std::chrono_literals;

// Counts what the fetchers did.
struct Log {
  std::mutex mutex;
  std::vector<std::size_t> started;
  std::size_t size() {
    std::lock_guard lock(mutex);
    return started.size();
  }
};

ReadAhead::Fetch fetch_into(Log& log) {
  return [&log](std::size_t item, std::string& bytes, const std::atomic<bool>&) {
    {
      std::lock_guard lock(log.mutex);
      log.started.push_back(item);
    }
    bytes = "item " + std::to_string(item);
    return item == 3 ? std::string("gone") : std::string();
  };
}

// Waits (a little) for the fetchers to reach `count` items; they stop there when the window is full.
void settle(Log& log, std::size_t count) {
  for (int i = 0; i < 200 && log.size() < count; ++i) std::this_thread::sleep_for(5ms);
  std::this_thread::sleep_for(20ms);  // time to overshoot, were the bound broken
}

TEST(ReadAhead, EveryItemIsFetchedOnceAndTakenWithItsError) {
  Log log;
  ReadAhead ahead(20, 3, 4, fetch_into(log));
  for (std::size_t i = 0; i < 20; ++i) {
    std::string bytes;
    std::string error = ahead.take(i, bytes);
    EXPECT_EQ(bytes, "item " + std::to_string(i));
    EXPECT_EQ(error, i == 3 ? "gone" : "");
  }
  std::lock_guard lock(log.mutex);
  EXPECT_EQ(std::set<std::size_t>(log.started.begin(), log.started.end()).size(), 20u);
  EXPECT_EQ(log.started.size(), 20u);
}

TEST(ReadAhead, NoMoreThanTheWindowWaitsUntaken) {
  Log log;
  ReadAhead ahead(10, 4, 3, fetch_into(log));
  settle(log, 3);
  EXPECT_EQ(log.size(), 3u);  // memory holds 3 objects, not the bucket
  std::string bytes;
  ahead.take(0, bytes);
  settle(log, 4);
  EXPECT_EQ(log.size(), 4u);
  // The first items announced, whichever fetcher logged first.
  std::lock_guard lock(log.mutex);
  EXPECT_EQ(std::set<std::size_t>(log.started.begin(), log.started.end()),
            (std::set<std::size_t>{0, 1, 2, 3}));
}

TEST(ReadAhead, WorkersWaitingOnMoreItemsThanTheWindowStillProgress) {
  // Eight workers, a window of two: items are taken as the window moves, whoever waits first.
  Log log;
  ReadAhead ahead(64, 2, 2, fetch_into(log));
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> taken{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 8; ++w)
    workers.emplace_back([&] {
      for (std::size_t item; (item = next.fetch_add(1)) < 64;) {
        std::string bytes;
        ahead.take(item, bytes);
        if (bytes == "item " + std::to_string(item)) taken.fetch_add(1);
      }
    });
  for (std::thread& t : workers) t.join();
  EXPECT_EQ(taken.load(), 64u);
}

TEST(ReadAhead, CancelEndsFetchesAndWaits) {
  std::atomic<int> cancelled_fetches{0};
  ReadAhead::Fetch slow = [&](std::size_t, std::string&, const std::atomic<bool>& cancel) {
    while (!cancel.load()) std::this_thread::sleep_for(1ms);
    cancelled_fetches.fetch_add(1);
    return std::string("interrupted");
  };
  auto ahead = std::make_unique<ReadAhead>(100, 2, 2, slow);
  std::thread worker([&] {
    std::string bytes;
    EXPECT_EQ(ahead->take(50, bytes), "interrupted");  // never fetched: not waited for forever
  });
  std::this_thread::sleep_for(20ms);
  ahead->cancel();
  worker.join();
  std::string bytes;
  EXPECT_EQ(ahead->take(0, bytes), "interrupted");  // the fetch under way ended with the cancel
  ahead.reset();                                    // joins the fetchers
  EXPECT_EQ(cancelled_fetches.load(), 2);
}

}  // namespace
}  // namespace trailwatch::aws
