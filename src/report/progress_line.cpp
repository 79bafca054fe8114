#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "trailwatch/report.hpp"

namespace trailwatch {

struct ProgressLine::Impl {
  const ScanProgress& progress;
  int fd;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::thread thread;

  Impl(const ScanProgress& p, int f) : progress(p), fd(f) {
    thread = std::thread([this] { run(); });
  }

  void draw() {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    double mib = static_cast<double>(progress.bytes_read.load()) / (1 << 20);
    double total_mib = static_cast<double>(progress.bytes_total) / (1 << 20);
    std::string line = fmt::format("\r\x1b[2K{}/{} files  {:.0f}/{:.0f} MiB  {} records  {:.1f} MiB/s read",
                                   progress.files_done.load(), progress.files_total, mib, total_mib,
                                   progress.records.load(), seconds > 0 ? mib / seconds : 0.0);
    [[maybe_unused]] auto ignored = ::write(fd, line.data(), line.size());
  }

  void run() {
    std::unique_lock lock(mutex);
    while (!wake.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping; })) draw();
    static constexpr char kErase[] = "\r\x1b[2K";
    [[maybe_unused]] auto ignored = ::write(fd, kErase, sizeof kErase - 1);
  }
};

ProgressLine::ProgressLine(const ScanProgress& progress, int fd) : impl_(new Impl(progress, fd)) {}

ProgressLine::~ProgressLine() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  impl_->thread.join();
  delete impl_;
}

}  // namespace trailwatch
