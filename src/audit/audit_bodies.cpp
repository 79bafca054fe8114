#include <stdexcept>

#include "audit/audit_bodies.hpp"
#include "audit/audit_body_json.hpp"

namespace trailwatch::audit {

namespace {

// Adds the operation and entry to a reason, so a bad hand-written export points at its file's content.
template <typename F>
auto with_context(std::string_view operation, F&& read) {
  try {
    return read();
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string(operation) + " response: " + e.what());
  }
}

// Parses `json` as an object and hands its root to `read`, naming `operation` in any error.
template <typename F>
auto read_body(std::string_view operation, std::string_view json, F&& read) {
  return with_context(operation, [&] {
    body::dom::parser parser;
    return read(body::parse_object(parser, json, "the body"));
  });
}

}  // namespace

std::optional<Arn> parse_arn(std::string_view text) {
  if (!text.starts_with("arn:")) return std::nullopt;
  Arn arn;
  std::string* parts[] = {&arn.partition, &arn.service, &arn.region, &arn.account};
  std::size_t pos = 4;
  for (std::string* part : parts) {
    std::size_t colon = text.find(':', pos);
    if (colon == std::string_view::npos) return std::nullopt;
    *part = std::string(text.substr(pos, colon - pos));
    pos = colon + 1;
  }
  arn.resource = std::string(text.substr(pos));
  if (arn.partition.empty() || arn.service.empty() || arn.resource.empty()) return std::nullopt;
  return arn;
}

std::vector<Trail> parse_trails(std::string_view json) {
  return read_body("DescribeTrails", json, [&](body::dom::element root) {
    std::vector<Trail> trails;
    for (body::dom::element e : body::list(root, "trailList")) {
      Trail t;
      t.name = body::text(e, "Name");
      t.arn = body::text(e, "TrailARN");
      t.home_region = body::text(e, "HomeRegion");
      t.multi_region = body::flag(e, "IsMultiRegionTrail", false);
      t.organization = body::flag(e, "IsOrganizationTrail", false);
      t.log_group_arn = body::text(e, "CloudWatchLogsLogGroupArn");
      t.logs_role_arn = body::text(e, "CloudWatchLogsRoleArn");
      t.has_custom_event_selectors = body::flag(e, "HasCustomEventSelectors", false);
      if (t.name.empty() || t.arn.empty())
        throw std::runtime_error("a trail without Name or TrailARN in trailList");
      if (t.home_region.empty()) {
        auto arn = parse_arn(t.arn);
        if (arn) t.home_region = arn->region;
      }
      trails.push_back(std::move(t));
    }
    return trails;
  });
}

TrailStatus parse_trail_status(std::string_view json) {
  return read_body("GetTrailStatus", json, [&](body::dom::element root) {
    TrailStatus s;
    s.is_logging = body::flag(root, "IsLogging", false);
    s.latest_logs_delivery = body::timestamp(root, "LatestCloudWatchLogsDeliveryTime");
    s.logs_delivery_error = body::text(root, "LatestCloudWatchLogsDeliveryError");
    return s;
  });
}

std::vector<ConfiguredFilter> parse_metric_filters(std::string_view json) {
  return with_context("DescribeMetricFilters", [&] {
    AccountConfig config;
    // An account without filters prints {"metricFilters": []}; a hand-made empty {} means the same.
    if (json.find("metricFilters") == std::string_view::npos) {
      body::dom::parser parser;
      body::parse_object(parser, json, "the body");
      return config.filters;
    }
    load_account_config(json, config);
    return config.filters;
  });
}

std::vector<AlarmDefinition> parse_alarms(std::string_view json) {
  return read_body("DescribeAlarms", json, [&](body::dom::element root) {
    std::vector<body::dom::element> entries = body::list(root, "MetricAlarms");
    std::vector<AlarmDefinition> alarms;
    if (entries.empty()) return alarms;
    // The replay settings come from the scan --config reader, so both commands read an alarm alike.
    AccountConfig config;
    load_account_config(json, config);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      body::dom::element e = entries[i];
      AlarmDefinition a;
      a.config = config.alarms.at(i);
      a.arn = body::text(e, "AlarmArn");
      a.actions_enabled = body::flag(e, "ActionsEnabled", true);
      a.alarm_actions = body::texts(e, "AlarmActions");
      a.unit = body::text(e, "Unit");
      for (body::dom::element m : body::list(e, "Metrics")) {
        body::dom::element stat;
        if (m["MetricStat"].get(stat) || stat.is_null()) continue;
        body::dom::element metric;
        if (stat["Metric"].get(metric)) continue;
        a.math_metrics.emplace_back(body::text(metric, "Namespace"), body::text(metric, "MetricName"));
      }
      alarms.push_back(std::move(a));
    }
    return alarms;
  });
}

std::vector<Subscription> parse_subscriptions(std::string_view json) {
  return read_body("ListSubscriptionsByTopic", json, [&](body::dom::element root) {
    std::vector<Subscription> subscriptions;
    for (body::dom::element e : body::list(root, "Subscriptions"))
      subscriptions.push_back(Subscription{body::text(e, "SubscriptionArn"), body::text(e, "Protocol"),
                                           body::text(e, "Endpoint")});
    return subscriptions;
  });
}

std::vector<RegionInfo> parse_regions(std::string_view json) {
  return read_body("DescribeRegions", json, [&](body::dom::element root) {
    std::vector<RegionInfo> regions;
    for (body::dom::element e : body::list(root, "Regions")) {
      RegionInfo r{body::text(e, "RegionName"), body::text(e, "OptInStatus")};
      if (r.name.empty()) throw std::runtime_error("a region without RegionName");
      regions.push_back(std::move(r));
    }
    return regions;
  });
}

std::string parse_caller_account(std::string_view json) {
  return read_body("GetCallerIdentity", json, [&](body::dom::element root) {
    std::string account = body::text(root, "Account");
    if (account.empty()) throw std::runtime_error("no \"Account\"");
    return account;
  });
}

}  // namespace trailwatch::audit
