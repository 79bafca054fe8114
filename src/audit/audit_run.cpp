#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "audit/audit_calls.hpp"
#include "audit/audit_region.hpp"
#include "audit/chain.hpp"
#include "trailwatch/audit.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::audit {

namespace {

// The link whose call failed.
std::string check_of(const aws::ApiCall& call) {
  if (call.service == "logs") return std::string(check_name(Link::Filter));
  if (call.service == "cloudwatch") return std::string(check_name(Link::Alarm));
  if (call.service == "sns") return std::string(check_name(Link::Notification));
  return std::string(check_name(Link::Trail));
}

RegionAudit failed_region(const std::string& region, const CallFailure& e) {
  const aws::ApiCall& c = e.call();
  std::string where = c.region == region ? "" : " in " + c.region;
  std::string detail;
  if (e.access_denied())
    detail = fmt::format("access denied: the audit needs {}{} ({}: {})", permission_for(c), where, e.code(),
                         e.what());
  else if (e.code() == "NotInExport")  // the message names the file, its folder and the line that writes it
    detail = e.what();
  else if (e.code() == "NetworkError")  // the message names the call, the endpoint and what failed
    detail = fmt::format("network error, nothing could be checked: {}", e.what());
  else
    detail = fmt::format("{} {}{} failed: {}: {}", c.service, c.operation, where, e.code(), e.what());
  std::vector<std::string> resources;
  if (!c.argument.empty()) resources.push_back(c.argument);
  // Not a FAIL of the link: the link could not be checked at all.
  return RegionAudit{
      region, RegionStatus::Error, {Finding{check_of(c), CheckStatus::Error, detail, resources}}, {}, {}};
}

}  // namespace

std::string_view to_string(CheckStatus s) {
  switch (s) {
    case CheckStatus::Pass:
      return "PASS";
    case CheckStatus::Fail:
      return "FAIL";
    case CheckStatus::Warn:
      return "WARN";
    case CheckStatus::Info:
      return "INFO";
    case CheckStatus::Error:
      return "ERROR";
  }
  return "?";
}

std::string_view to_string(RegionStatus s) {
  switch (s) {
    case RegionStatus::Pass:
      return "PASS";
    case RegionStatus::Fail:
      return "FAIL";
    case RegionStatus::Delegated:
      return "DELEGATED";
    case RegionStatus::Skipped:
      return "SKIPPED";
    case RegionStatus::Error:
      return "ERROR";
  }
  return "?";
}

RegionStatus overall_status(const std::vector<const RegionAudit*>& regions) {
  RegionStatus status = RegionStatus::Pass;
  for (const RegionAudit* r : regions) {
    if (r->status == RegionStatus::Error) status = RegionStatus::Error;
    if (r->status == RegionStatus::Fail && status != RegionStatus::Error) status = RegionStatus::Fail;
  }
  return status;
}

// Every rule shares one CachingSource: a region's trails, selectors, filters, alarms and topics are asked for
// once, whichever rules need them.
AuditReport run_audit(aws::ApiSource& source, const AuditRequest& request) {
  std::vector<const BuiltinRule*> rules = {&default_rule()};
  if (!request.rules.empty()) {
    std::string unknown;
    rules = select_builtin_rules(request.rules, unknown);
    if (!unknown.empty()) throw std::invalid_argument("not a built-in rule: " + unknown);
  }
  CachingSource cached(source);
  Calls calls(cached);
  AuditReport report;
  for (const BuiltinRule* rule : rules) report.rules.emplace_back(rule->id);
  // A verdict about the region as a whole (not enabled, a call that failed before any rule) holds for each
  // rule.
  auto for_each_rule = [&](RegionAudit r) {
    for (const BuiltinRule* rule : rules) {
      r.rule = std::string(rule->id);
      report.regions.push_back(r);
    }
  };

  std::vector<std::pair<std::string, bool>> regions;  // name, enabled
  if (request.all_regions) {
    try {
      for (const RegionInfo& r : calls.regions(request.listing_region))
        regions.emplace_back(r.name, r.enabled());
      std::sort(regions.begin(), regions.end());
      // An account always has regions: an empty listing audits nothing, which must not read as a PASS.
      if (regions.empty())
        for_each_rule(RegionAudit{request.listing_region,
                                  RegionStatus::Error,
                                  {Finding{std::string(check_name(Link::Trail)),
                                           CheckStatus::Error,
                                           "ec2 DescribeRegions listed no region: nothing was audited",
                                           {}}},
                                  {},
                                  {}});
    } catch (const CallFailure& e) {
      for_each_rule(failed_region(request.listing_region, e));
    }
  } else {
    for (const std::string& r : request.regions)
      if (std::none_of(regions.begin(), regions.end(), [&](const auto& x) { return x.first == r; }))
        regions.emplace_back(r, true);
  }

  for (const auto& [region, enabled] : regions) {
    if (!enabled) {
      for_each_rule(RegionAudit{
          region,
          RegionStatus::Skipped,
          {Finding{std::string(check_name(Link::Trail)),
                   CheckStatus::Info,
                   "region not enabled for this account (OptInStatus not-opted-in): nothing runs there",
                   {}}},
          {},
          {}});
      continue;
    }
    std::string account;
    try {
      // Asked in every region, so that each region's folder of a --save-dir export stands on its own.
      account = calls.account(region);
      if (report.account.empty()) report.account = account;
    } catch (const CallFailure& e) {
      for_each_rule(failed_region(region, e));
      continue;
    }
    for (const BuiltinRule* rule : rules) {
      try {
        report.regions.push_back(audit_region(cached, region, account, request.now, *rule));
      } catch (const CallFailure& e) {
        report.regions.push_back(failed_region(region, e));
        report.regions.back().rule = std::string(rule->id);
      }
    }
  }

  std::vector<const RegionAudit*> all;
  for (const RegionAudit& r : report.regions) all.push_back(&r);
  report.status = overall_status(all);
  return report;
}

}  // namespace trailwatch::audit
