// One region's verdict: the best chain trail -> delivery -> filter -> alarm -> notification that records it.
// Every link of that chain is reported, failing ones with the command that fixes them, so one run lists all
// the work rather than the first problem. The links themselves are judged in chain*.cpp.
#include "audit/audit_region.hpp"

#include <fmt/format.h>

#include "audit/audit_calls.hpp"
#include "audit/audit_remediation.hpp"
#include "audit/chain.hpp"

namespace trailwatch::audit {

namespace {

// The trails that record `region`: its own (multi-region, or homed there), and organization trails of another
// account, which make the region that account's to monitor.
struct RecordingTrails {
  std::vector<const Trail*> own;
  std::vector<const Trail*> delegated;
};

RecordingTrails recording_trails(const std::vector<Trail>& trails, const std::string& region,
                                 const std::string& account) {
  RecordingTrails out;
  for (const Trail& t : trails) {
    if (!t.multi_region && t.home_region != region) continue;
    auto arn = parse_arn(t.arn);
    if (t.organization && arn && !account.empty() && arn->account != account)
      out.delegated.push_back(&t);
    else
      out.own.push_back(&t);
  }
  return out;
}

// Region-level findings keep their resources as they are (a trail without an ARN still shows one).
Finding trail_finding(CheckStatus status, std::string detail, std::vector<std::string> resources) {
  return Finding{std::string(check_name(Link::Trail)), status, std::move(detail), std::move(resources)};
}

}  // namespace

RegionAudit audit_region(aws::ApiSource& source, const std::string& region, const std::string& account,
                         std::int64_t now, const BuiltinRule& rule) {
  Calls calls(source);
  std::vector<Trail> trails = calls.trails(region);
  RecordingTrails recording = recording_trails(trails, region, account);

  std::vector<ChainFacts> chains;
  for (const Trail* t : recording.own) chains.push_back(walk_chain(calls, *t, region, account, now, rule));
  const ChainFacts* best = nullptr;
  for (const ChainFacts& c : chains)
    if (!best || c.links_holding() > best->links_holding()) best = &c;

  RegionAudit out;
  out.region = region;
  out.rule = std::string(rule.id);
  if (best && best->links_holding() == kChainLinks) {
    out.status = RegionStatus::Pass;
    out.findings = say_chain(*best).findings;
    return out;
  }
  if (!recording.delegated.empty()) {
    const Trail& t = *recording.delegated.front();
    out.status = RegionStatus::Delegated;
    out.findings.push_back(trail_finding(
        CheckStatus::Info,
        fmt::format(
            "organization {} belongs to account {}: monitoring of {} is expected in that (management) "
            "account",
            trail_text(t), parse_arn(t.arn)->account, region),
        {t.arn}));
    return out;
  }
  out.status = RegionStatus::Fail;
  if (!best) {
    out.findings.push_back(trail_finding(
        CheckStatus::Fail,
        trails.empty() ? fmt::format("no trail records {}", region)
                       : fmt::format("no trail records {}: {} listed, none multi-region or homed here",
                                     region, plural(trails.size(), "trail")),
        {}));
    out.remediation.push_back(fix::create_trail(region));
    return out;
  }
  ChainReport report = say_chain(*best);
  out.findings = std::move(report.findings);
  out.remediation = std::move(report.remediation);
  for (const ChainFacts& c : chains)
    if (&c != best)
      out.findings.push_back(
          trail_finding(CheckStatus::Info,
                        fmt::format("{} also records {}; {} of its {} links hold", trail_text(*c.trail.trail),
                                    region, c.links_holding(), kChainLinks),
                        {c.trail.trail->arn}));
  return out;
}

}  // namespace trailwatch::audit
