// The head of the chain: does a trail record the rule's events, and does it deliver them to a CloudWatch Logs
// log group whose filters and alarms this account can see?
#include <fmt/format.h>

#include "audit/audit_remediation.hpp"
#include "audit/chain.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch::audit {

namespace {

constexpr std::int64_t kStaleDelivery = 24 * 3600;
constexpr std::string_view kLogGroupPrefix = "log-group:";

}  // namespace

std::string trail_text(const Trail& t) {
  return fmt::format("{}trail {} (home {})", t.multi_region ? "multi-region " : "", t.name, t.home_region);
}

// ---- trail ------------------------------------------------------------------------------------------------

TrailFacts check_trail(Calls& calls, const Trail& trail, const BuiltinRule& rule) {
  TrailFacts facts;
  facts.trail = &trail;
  facts.status = calls.status(trail);
  facts.coverage = calls.selectors(trail, rule_events(rule));
  // The default applies only to a trail never given selectors; one that has some but whose selectors did not
  // come back records something unknown.
  if (facts.coverage.none_given && trail.has_custom_event_selectors)
    facts.coverage = {
        false,
        "DescribeTrails says it has custom event selectors, but GetEventSelectors returned none: what it "
        "records is unknown",
        true};
  return facts;
}

void trail_findings(const ChainFacts& chain, std::vector<Finding>& out) {
  const TrailFacts& f = chain.trail;
  const Trail& t = *f.trail;
  if (!f.status.is_logging)
    add_finding(out, Link::Trail, CheckStatus::Fail, trail_text(t) + " is not logging", {t.arn});
  if (!f.coverage.covered)
    add_finding(out, Link::Trail, CheckStatus::Fail, trail_text(t) + ": " + f.coverage.description, {t.arn});
  if (f.holds())
    add_finding(out, Link::Trail, CheckStatus::Pass, trail_text(t) + " is logging; " + f.coverage.description,
                {t.arn});
}

void trail_fixes(const ChainFacts& chain, std::vector<std::string>& out) {
  const TrailFacts& f = chain.trail;
  if (!f.status.is_logging) out.push_back(fix::start_logging(*f.trail));
  if (!f.coverage.covered) out.push_back(fix::put_event_selectors(*f.trail));
}

// ---- CloudWatch Logs delivery -----------------------------------------------------------------------------

DeliveryFacts check_delivery(const TrailFacts& trail, const std::string& account, std::int64_t now) {
  const Trail& t = *trail.trail;
  DeliveryFacts facts;
  if (t.log_group_arn.empty()) return facts;
  auto arn = parse_arn(t.log_group_arn);
  if (!arn || arn->service != "logs" || !arn->resource.starts_with(kLogGroupPrefix)) {
    facts.verdict = Delivery::NotALogGroup;
    return facts;
  }
  LogGroup& lg = facts.log_group;
  lg = {t.log_group_arn, arn->resource.substr(kLogGroupPrefix.size()), arn->region, arn->account};
  // CloudTrail names the log group's streams: "...:log-group:NAME:*".
  if (lg.name.ends_with(":*")) lg.name.resize(lg.name.size() - 2);
  if (!account.empty() && lg.account != account) {
    facts.verdict = Delivery::OtherAccount;
    return facts;
  }
  facts.verdict = Delivery::Delivers;
  const TrailStatus& s = trail.status;
  if (!s.logs_delivery_error.empty())
    facts.health = DeliveryHealth::Error;
  else if (!s.latest_logs_delivery)
    facts.health = DeliveryHealth::NoneYet;
  else if (now - *s.latest_logs_delivery > kStaleDelivery)
    facts.health = DeliveryHealth::Stale;
  return facts;
}

void delivery_findings(const ChainFacts& chain, std::vector<Finding>& out) {
  const DeliveryFacts& f = chain.delivery;
  const Trail& t = *chain.trail.trail;
  const LogGroup& lg = f.log_group;
  switch (f.verdict) {
    case Delivery::None:
      add_finding(out, Link::Delivery, CheckStatus::Fail,
                  trail_text(t) + " does not send its events to CloudWatch Logs", {t.arn});
      return;
    case Delivery::NotALogGroup:
      add_finding(out, Link::Delivery, CheckStatus::Fail,
                  fmt::format("{} names {} as its log group, which is not a log group ARN", trail_text(t),
                              t.log_group_arn),
                  {t.arn});
      return;
    case Delivery::OtherAccount:
      add_finding(
          out, Link::Delivery, CheckStatus::Fail,
          fmt::format("{} sends to log group {} ({}) in account {}, not this account ({}): its filters "
                      "and alarms cannot be checked from here; audit that account",
                      trail_text(t), lg.name, lg.region, lg.account, chain.account),
          {t.arn, lg.arn});
      return;
    case Delivery::Delivers:
      break;
  }
  add_finding(out, Link::Delivery, CheckStatus::Pass,
              fmt::format("{} sends to log group {} ({})", trail_text(t), lg.name, lg.region),
              {lg.arn, t.logs_role_arn});
  const TrailStatus& s = chain.trail.status;
  switch (f.health) {
    case DeliveryHealth::Recent:
      break;
    case DeliveryHealth::Error:
      add_finding(out, Link::Delivery, CheckStatus::Warn,
                  fmt::format("{} reports a CloudWatch Logs delivery error: {}", trail_text(t),
                              s.logs_delivery_error),
                  {t.arn});
      break;
    case DeliveryHealth::NoneYet:
      add_finding(
          out, Link::Delivery, CheckStatus::Warn,
          fmt::format("{} reports no CloudWatch Logs delivery yet (a new trail, or a server that does "
                      "not say)",
                      trail_text(t)),
          {t.arn});
      break;
    case DeliveryHealth::Stale:
      add_finding(out, Link::Delivery, CheckStatus::Warn,
                  fmt::format("{} last delivered to CloudWatch Logs at {}, over a day ago", trail_text(t),
                              format_utc_time(*s.latest_logs_delivery)),
                  {t.arn});
      break;
  }
}

void delivery_fixes(const ChainFacts& chain, std::vector<std::string>& out) {
  Delivery v = chain.delivery.verdict;
  // A log group of another account is not wrong: that account's audit says whether its chain holds.
  if (v == Delivery::None || v == Delivery::NotALogGroup)
    out.push_back(fix::send_to_logs(*chain.trail.trail, chain.account));
}

}  // namespace trailwatch::audit
