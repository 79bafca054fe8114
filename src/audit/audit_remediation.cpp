#include "audit/audit_remediation.hpp"

#include <fmt/format.h>

#include "trailwatch/rules.hpp"

namespace trailwatch::audit::fix {

std::string shell_quote(const std::string& text) {
  bool plain = !text.empty();
  for (char c : text) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("_./:=,@+-").find(c) != std::string_view::npos;
    plain = plain && safe;
  }
  if (plain) return text;
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

namespace {

// Text that goes inside an argument already in single quotes: a quote in it is closed, escaped and reopened.
std::string quoted_inside(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out;
}

}  // namespace

std::string create_trail(const std::string& region) {
  return fmt::format(
      "aws cloudtrail create-trail --name management-events --s3-bucket-name <bucket> "
      "--is-multi-region-trail "
      "--cloud-watch-logs-log-group-arn <log-group-arn> --cloud-watch-logs-role-arn <role-arn> --region {0} "
      "&& "
      "aws cloudtrail start-logging --name management-events --region {0}",
      shell_quote(region));
}

std::string start_logging(const Trail& t) {
  return fmt::format("aws cloudtrail start-logging --name {} --region {}", shell_quote(t.arn),
                     shell_quote(t.home_region));
}

std::string put_event_selectors(const Trail& t) {
  return fmt::format(
      "aws cloudtrail put-event-selectors --trail-name {} --event-selectors "
      "'[{{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}}]' --region {}",
      shell_quote(t.arn), shell_quote(t.home_region));
}

std::string send_to_logs(const Trail& t, const std::string& account) {
  return fmt::format(
      "aws cloudtrail update-trail --name {} --cloud-watch-logs-log-group-arn "
      "'arn:aws:logs:{}:{}:log-group:<log-group>:*' --cloud-watch-logs-role-arn "
      "arn:aws:iam::{}:role/<role-for-cloudtrail> --region {}",
      shell_quote(t.arn), quoted_inside(t.home_region),
      quoted_inside(account.empty() ? "<account>" : account),
      quoted_inside(account.empty() ? "<account>" : account), shell_quote(t.home_region));
}

std::string put_metric_filter(const std::string& region, const std::string& log_group,
                              const std::string& filter_name, const MetricTransformation& metric,
                              const BuiltinRule& rule) {
  return fmt::format(
      "aws logs put-metric-filter --log-group-name {} --filter-name {} --metric-transformations "
      "metricName={},metricNamespace={},metricValue=1 --filter-pattern '{}' --region {}",
      shell_quote(log_group), shell_quote(filter_name.empty() ? std::string(rule.metric_name) : filter_name),
      shell_quote(metric.name), shell_quote(metric.namespace_), rule.pattern, shell_quote(region));
}

std::string put_metric_alarm(const std::string& region, const MetricTransformation& metric,
                             const std::string& alarm_name, const std::string& topic_arn,
                             const BuiltinRule& rule) {
  return fmt::format(
      "aws cloudwatch put-metric-alarm --alarm-name {} --metric-name {} --namespace {} --statistic Sum "
      "--period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 "
      "--datapoints-to-alarm 1 --alarm-actions {} --region {}",
      shell_quote(alarm_name.empty() ? std::string(rule.metric_name) + "Alarm" : alarm_name),
      shell_quote(metric.name), shell_quote(metric.namespace_),
      topic_arn.empty() ? "<sns-topic-arn>" : shell_quote(topic_arn), shell_quote(region));
}

std::string enable_alarm_actions(const std::string& region, const std::string& alarm_name) {
  return fmt::format("aws cloudwatch enable-alarm-actions --alarm-names {} --region {}",
                     shell_quote(alarm_name), shell_quote(region));
}

std::string subscribe(const Arn& topic, const std::string& topic_arn) {
  return fmt::format(
      "aws sns subscribe --topic-arn {} --protocol email --notification-endpoint <address> --region {}",
      shell_quote(topic_arn), shell_quote(topic.region));
}

}  // namespace trailwatch::audit::fix
