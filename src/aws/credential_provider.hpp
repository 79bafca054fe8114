// Credentials for a whole run: resolved once, and again before temporary ones expire, so that a scan of a
// large bucket or an audit of many regions outlives the hour a role session lasts. Shared by every request,
// from every thread.
#pragma once

#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "aws/credentials.hpp"

namespace trailwatch::aws {

/// Temporary credentials with fewer seconds than this left are replaced before the next request is signed
/// (a request signed with them may still be in flight, or retried, minutes later).
inline constexpr std::time_t kRefreshBeforeExpirySeconds = 5 * 60;

/// After a failed refresh, credentials that still work are used for this long before trying again, so that
/// concurrent requests do not each ask the source.
inline constexpr std::time_t kRefreshRetrySeconds = 30;

class CredentialProvider {
 public:
  using Resolve = std::function<Credentials()>;
  using Clock = std::function<std::time_t()>;

  /// `resolve` finds credentials (resolve_credentials, for the live chain); called at the first get() and
  /// whenever the held ones are about to expire. `clock` defaults to the system clock.
  explicit CredentialProvider(Resolve resolve, Clock clock = {});

  /// Credentials that never change (tests, and sources resolved elsewhere).
  static std::shared_ptr<CredentialProvider> fixed(Credentials credentials);

  /// Credentials to sign a request with: those held while more than kRefreshBeforeExpirySeconds are left,
  /// else freshly resolved ones. When resolving fails, held credentials that have not expired yet are
  /// returned (and resolving is tried again after kRefreshRetrySeconds); otherwise the ApiError is thrown.
  /// Safe to call from several threads at once: one resolves while the others wait.
  Credentials get();

 private:
  Resolve resolve_;
  Clock clock_;
  std::mutex mutex_;
  std::optional<Credentials> held_;
  std::time_t next_try_ = 0;  // after a failed refresh: no new attempt before this
};

}  // namespace trailwatch::aws
