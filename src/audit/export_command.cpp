// The AWS CLI line for each call of an export: a folder that lacks a file says exactly how to add it, so a
// hand-written folder can be completed without reading the source (README "audit", docs/audit.md).
#include <fmt/format.h>

#include "audit/audit_remediation.hpp"
#include "audit/export_path.hpp"

namespace trailwatch::audit {

namespace {

// The CLI's spelling of an operation: DescribeMetricFilters -> describe-metric-filters.
std::string kebab(const std::string& operation) {
  std::string out;
  for (char c : operation) {
    if (c >= 'A' && c <= 'Z') {
      if (!out.empty()) out += '-';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

// The one request argument each call takes, as the CLI names it (trailwatch/aws.hpp lists the calls).
std::string argument_option(const aws::ApiCall& call) {
  if (call.operation == "GetTrailStatus") return "--name";
  if (call.operation == "GetEventSelectors") return "--trail-name";
  if (call.operation == "ListSubscriptionsByTopic") return "--topic-arn";
  return {};
}

}  // namespace

std::string export_command(const std::string& dir, const aws::ApiCall& call) {
  std::string line = "aws " + call.service + " " + kebab(call.operation);
  if (std::string option = argument_option(call); !option.empty() && !call.argument.empty())
    line += " " + option + " " + fix::shell_quote(call.argument);
  // The export holds every region, opted in or not (trailwatch/aws.hpp: AllRegions = true).
  if (call.operation == "DescribeRegions") line += " --all-regions";
  return fmt::format("{} --region {} --output json > {}", line, fix::shell_quote(call.region),
                     fix::shell_quote(export_path(dir, call)));
}

std::string export_region_reason(const aws::ApiCall& call) {
  if (call.service == "logs")
    return fmt::format("metric filters are read from the log group's region, {}", call.region);
  if (call.service == "cloudwatch")
    return fmt::format("alarms are read from the log group's region, {}", call.region);
  if (call.service == "sns") return fmt::format("a topic is read from its own region, {}", call.region);
  if (call.operation == "GetTrailStatus" || call.operation == "GetEventSelectors")
    return fmt::format("a trail is read from its home region, {}", call.region);
  return {};
}

}  // namespace trailwatch::audit
