// The retry policy shared by every AWS call: what the AWS SDKs' standard mode retries, how long it waits,
// when it gives up.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aws/retry_policy.hpp"

namespace trailwatch::aws {
namespace {

TEST(RetryPolicy, RetriesWhatTheSdksRetryAndNothingElse) {
  std::vector<double> sleeps;
  RetryPolicy policy(
      4, [&](double s) { sleeps.push_back(s); }, [] { return 1.0; });
  int calls = 0;
  EXPECT_EQ(policy.run([&](int n) {
    ++calls;
    if (n == 1) throw ApiError("SlowDown", 503, "slow");
    if (n == 2) throw ApiError("NetworkError", 0, "reset");
    if (n == 3) throw ApiError("InternalError", 500, "oops");
    return n;
  }),
            4);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(sleeps, (std::vector<double>{1.0, 2.0, 4.0}));
  for (const char* code : {"AccessDenied", "NoSuchKey", "NoSuchBucket", "Cancelled", "ResponseTooLarge"}) {
    calls = 0;
    EXPECT_THROW(policy.run([&](int) -> int {
      ++calls;
      throw ApiError(code, code == std::string("NoSuchKey") ? 404 : 0, code);
    }),
                 ApiError);
    EXPECT_EQ(calls, 1) << code;
  }
  calls = 0;
  EXPECT_THROW(policy.run([&](int) -> int {
    ++calls;
    throw ApiError("ServiceUnavailable", 503, "down");
  }),
               ApiError);
  EXPECT_EQ(calls, 4);
}

}  // namespace
}  // namespace trailwatch::aws
