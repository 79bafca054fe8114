// The audit's API calls: one ApiCall each, fetched, parsed, and failures turned into CallFailure. Calls and
// CachingSource keep a reference to their source, which must outlive them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit_bodies.hpp"
#include "trailwatch/account_config.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::audit {

/// A call that failed (transport, AWS error, or a body of the wrong shape: code "InvalidResponse"), with the
/// call, so a report can say which permission or file was missing.
class CallFailure : public aws::ApiError {
 public:
  CallFailure(const aws::ApiError& error, aws::ApiCall call) : aws::ApiError(error), call_(std::move(call)) {}
  const aws::ApiCall& call() const { return call_; }

 private:
  aws::ApiCall call_;
};

/// The IAM action a call needs, e.g. "cloudtrail:DescribeTrails".
std::string permission_for(const aws::ApiCall& call);

class Calls {
 public:
  explicit Calls(aws::ApiSource& source) : source_(source) {}

  std::vector<Trail> trails(const std::string& region);
  /// In the trail's home region, which holds the trail itself rather than a shadow of it.
  TrailStatus status(const Trail& trail);
  /// Judged against `events`, the audited rule's.
  SelectorCoverage selectors(const Trail& trail, const std::vector<RuleEvent>& events);
  std::vector<ConfiguredFilter> filters(const std::string& region);
  std::vector<AlarmDefinition> alarms(const std::string& region);
  /// In the topic's region, taken from its ARN.
  std::vector<Subscription> subscriptions(const Arn& topic, const std::string& topic_arn);
  std::vector<RegionInfo> regions(const std::string& region);
  std::string account(const std::string& region);

 private:
  template <typename Parse>
  auto get(aws::ApiCall call, Parse parse);

  aws::ApiSource& source_;
};

/// Remembers every answer (and failure) by call, so a chain that several regions share is fetched once.
class CachingSource : public aws::ApiSource {
 public:
  explicit CachingSource(aws::ApiSource& inner) : inner_(inner) {}
  std::string fetch(const aws::ApiCall& call) override;

 private:
  struct Answer {
    std::string body;
    std::optional<aws::ApiError> error;
  };
  aws::ApiSource& inner_;
  std::map<std::string, Answer> answers_;
};

}  // namespace trailwatch::audit
