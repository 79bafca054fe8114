#include "audit/audit_calls.hpp"

#include <stdexcept>

namespace trailwatch::audit {

std::string permission_for(const aws::ApiCall& call) {
  return call.service + ":" + call.operation;
}

template <typename Parse>
auto Calls::get(aws::ApiCall call, Parse parse) {
  std::string body;
  try {
    body = source_.fetch(call);
  } catch (const CallFailure&) {
    throw;
  } catch (const aws::ApiError& e) {
    throw CallFailure(e, std::move(call));
  }
  try {
    return parse(body);
  } catch (const std::runtime_error& e) {
    throw CallFailure(aws::ApiError("InvalidResponse", 0, e.what()), std::move(call));
  }
}

std::vector<Trail> Calls::trails(const std::string& region) {
  return get(aws::ApiCall{region, "cloudtrail", "DescribeTrails", "", ""}, parse_trails);
}

TrailStatus Calls::status(const Trail& t) {
  return get(aws::ApiCall{t.home_region, "cloudtrail", "GetTrailStatus", t.arn, t.name}, parse_trail_status);
}

SelectorCoverage Calls::selectors(const Trail& t, const std::vector<RuleEvent>& events) {
  return get(aws::ApiCall{t.home_region, "cloudtrail", "GetEventSelectors", t.arn, t.name},
             [&](std::string_view body) { return parse_event_selectors(body, events); });
}

std::vector<ConfiguredFilter> Calls::filters(const std::string& region) {
  return get(aws::ApiCall{region, "logs", "DescribeMetricFilters", "", ""}, parse_metric_filters);
}

std::vector<AlarmDefinition> Calls::alarms(const std::string& region) {
  return get(aws::ApiCall{region, "cloudwatch", "DescribeAlarms", "", ""}, parse_alarms);
}

std::vector<Subscription> Calls::subscriptions(const Arn& topic, const std::string& topic_arn) {
  return get(aws::ApiCall{topic.region, "sns", "ListSubscriptionsByTopic", topic_arn, topic.resource},
             parse_subscriptions);
}

std::vector<RegionInfo> Calls::regions(const std::string& region) {
  return get(aws::ApiCall{region, "ec2", "DescribeRegions", "", ""}, parse_regions);
}

std::string Calls::account(const std::string& region) {
  return get(aws::ApiCall{region, "sts", "GetCallerIdentity", "", ""}, parse_caller_account);
}

std::string CachingSource::fetch(const aws::ApiCall& call) {
  std::string key = call.region + '\n' + call.service + '\n' + call.operation + '\n' + call.argument;
  auto found = answers_.find(key);
  if (found == answers_.end()) {
    Answer answer;
    try {
      answer.body = inner_.fetch(call);
    } catch (const aws::ApiError& e) {
      answer.error = e;
    }
    found = answers_.emplace(key, std::move(answer)).first;
  }
  if (found->second.error) throw *found->second.error;
  return found->second.body;
}

}  // namespace trailwatch::audit
