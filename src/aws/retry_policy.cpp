#include "aws/retry_policy.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>

namespace trailwatch::aws {
namespace {

void real_sleep(double seconds) {
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

// One generator per thread: S3 reads retry from several threads at once.
double real_random() {
  thread_local std::mt19937_64 generator(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace

double backoff_seconds(int retry, double random01) {
  double cap = std::min(20.0, std::pow(2.0, std::max(0, retry - 1)));
  return std::clamp(random01, 0.0, 1.0) * cap;
}

RetryPolicy::RetryPolicy(int max_attempts, Sleep sleep, Random random)
    : max_attempts_(std::max(1, max_attempts)),
      sleep_(sleep ? std::move(sleep) : Sleep(real_sleep)),
      random_(random ? std::move(random) : Random(real_random)) {}

}  // namespace trailwatch::aws
