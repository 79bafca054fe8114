// The s3:// InputSource with its parts injected, so that tests can answer for S3.
#pragma once

#include <functional>
#include <memory>

#include "aws/credentials.hpp"
#include "aws/http_client.hpp"
#include "aws/retry_policy.hpp"
#include "trailwatch/s3.hpp"

namespace trailwatch::aws {

/// `credentials` resolves the credential chain: called at the first request, and again whenever the
/// temporary credentials it gave are about to expire (it may throw ApiError). `sleep` replaces the wait
/// between retries (default: a wait that ends early when the scan stops reading).
std::unique_ptr<InputSource> make_s3_source(const S3SourceOptions& options,
                                            std::function<Credentials()> credentials, Transport transport,
                                            RetryPolicy::Sleep sleep = {});

}  // namespace trailwatch::aws
