#include <fmt/format.h>

#include <algorithm>

#include "audit/audit_calls.hpp"
#include "audit/audit_region.hpp"
#include "audit/chain.hpp"
#include "trailwatch/audit.hpp"

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
  else if (e.code() == "NetworkError")  // the message names the call, the endpoint and what failed
    detail = fmt::format("network error, nothing could be checked: {}", e.what());
  else
    detail = fmt::format("{} {}{} failed: {}: {}", c.service, c.operation, where, e.code(), e.what());
  std::vector<std::string> resources;
  if (!c.argument.empty()) resources.push_back(c.argument);
  // Not a FAIL of the link: the link could not be checked at all.
  return RegionAudit{
      region, RegionStatus::Error, {Finding{check_of(c), CheckStatus::Error, detail, resources}}, {}};
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

AuditReport run_audit(aws::ApiSource& source, const AuditRequest& request) {
  CachingSource cached(source);
  Calls calls(cached);
  AuditReport report;

  std::vector<std::pair<std::string, bool>> regions;  // name, enabled
  if (request.all_regions) {
    try {
      for (const RegionInfo& r : calls.regions(request.listing_region))
        regions.emplace_back(r.name, r.enabled());
      std::sort(regions.begin(), regions.end());
      // An account always has regions: an empty listing audits nothing, which must not read as a PASS.
      if (regions.empty())
        report.regions.push_back(
            RegionAudit{request.listing_region,
                        RegionStatus::Error,
                        {Finding{std::string(check_name(Link::Trail)),
                                 CheckStatus::Error,
                                 "ec2 DescribeRegions listed no region: nothing was audited",
                                 {}}},
                        {}});
    } catch (const CallFailure& e) {
      report.regions.push_back(failed_region(request.listing_region, e));
    }
  } else {
    for (const std::string& r : request.regions)
      if (std::none_of(regions.begin(), regions.end(), [&](const auto& x) { return x.first == r; }))
        regions.emplace_back(r, true);
  }

  for (const auto& [region, enabled] : regions) {
    if (!enabled) {
      report.regions.push_back(RegionAudit{
          region,
          RegionStatus::Skipped,
          {Finding{std::string(check_name(Link::Trail)),
                   CheckStatus::Info,
                   "region not enabled for this account (OptInStatus not-opted-in): nothing runs there",
                   {}}},
          {}});
      continue;
    }
    try {
      // Asked in every region, so that each region's folder of a --save-dir export stands on its own.
      std::string account = calls.account(region);
      if (report.account.empty()) report.account = account;
      report.regions.push_back(audit_region(cached, region, account, request.now));
    } catch (const CallFailure& e) {
      report.regions.push_back(failed_region(region, e));
    }
  }

  report.status = RegionStatus::Pass;
  for (const RegionAudit& r : report.regions) {
    if (r.status == RegionStatus::Error) report.status = RegionStatus::Error;
    if (r.status == RegionStatus::Fail && report.status != RegionStatus::Error)
      report.status = RegionStatus::Fail;
  }
  return report;
}

}  // namespace trailwatch::audit
