#include "aws/credential_provider.hpp"

#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

std::time_t system_clock_now() {
  return std::time(nullptr);
}

bool fresh(const Credentials& c, std::time_t now) {
  return !c.expiration || *c.expiration - now > kRefreshBeforeExpirySeconds;
}

bool still_valid(const Credentials& c, std::time_t now) {
  return !c.expiration || *c.expiration > now;
}

}  // namespace

CredentialProvider::CredentialProvider(Resolve resolve, Clock clock)
    : resolve_(std::move(resolve)), clock_(clock ? std::move(clock) : Clock(system_clock_now)) {}

std::shared_ptr<CredentialProvider> CredentialProvider::fixed(Credentials credentials) {
  credentials.expiration.reset();  // nothing could replace them
  return std::make_shared<CredentialProvider>([credentials] { return credentials; });
}

Credentials CredentialProvider::get() {
  std::lock_guard lock(mutex_);
  const std::time_t now = clock_();
  if (held_ && fresh(*held_, now)) return *held_;
  if (held_ && still_valid(*held_, now) && now < next_try_) return *held_;
  try {
    Credentials resolved = resolve_();
    // A source may hand out credentials that are themselves close to expiry (an instance metadata service
    // that cannot reach IAM extends the old ones by minutes): use them, and ask again only after a pause.
    next_try_ = fresh(resolved, now) ? 0 : now + kRefreshRetrySeconds;
    held_ = std::move(resolved);
    return *held_;
  } catch (const ApiError&) {
    if (held_ && still_valid(*held_, now)) {
      next_try_ = now + kRefreshRetrySeconds;
      return *held_;
    }
    throw;
  }
}

}  // namespace trailwatch::aws
