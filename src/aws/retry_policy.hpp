// When and how often a failed AWS call is tried again: the AWS SDKs' standard retry mode. Shared by the
// JSON and Query calls of the audit and by S3 listing and reading.
#pragma once

#include <functional>
#include <utility>

#include "aws/aws_errors.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {

/// The delay before retry number `retry` (1 for the first retry): full jitter, `random01` * min(20,
/// 2^(retry-1)) seconds, as the AWS SDKs' standard retry mode.
double backoff_seconds(int retry, double random01);

class RetryPolicy {
 public:
  using Sleep = std::function<void(double seconds)>;
  using Random = std::function<double()>;  // uniform in [0, 1)

  /// `sleep` defaults to sleeping, `random` to a per-thread generator; tests pass their own.
  explicit RetryPolicy(int max_attempts, Sleep sleep = {}, Random random = {});

  int max_attempts() const { return max_attempts_; }

  /// Calls `attempt(n)` for n = 1, 2, ... until it returns. An ApiError that is_retryable() is tried again
  /// after backoff_seconds(n); any other error, or the error of the last allowed attempt, is rethrown.
  template <typename Attempt>
  auto run(Attempt&& attempt) const -> decltype(attempt(1)) {
    for (int n = 1;; ++n) {
      try {
        return attempt(n);
      } catch (const ApiError& error) {
        if (n >= max_attempts_ || !is_retryable(error)) throw;
      }
      sleep_(backoff_seconds(n, random_()));
    }
  }

 private:
  int max_attempts_;
  Sleep sleep_;
  Random random_;
};

}  // namespace trailwatch::aws
