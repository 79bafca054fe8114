// The whole chain: walked link by link, then said link by link, so findings and fixes come in chain order.
#include "audit/chain.hpp"

#include <fmt/format.h>

namespace trailwatch::audit {

std::string_view check_name(Link link) {
  switch (link) {
    case Link::Trail:
      return "trail";
    case Link::Delivery:
      return "cloudwatch-logs-delivery";
    case Link::Filter:
      return "metric-filter";
    case Link::Alarm:
      return "alarm";
    case Link::Notification:
      return "notification";
  }
  return "?";
}

void add_finding(std::vector<Finding>& out, Link link, CheckStatus status, std::string detail,
                 std::vector<std::string> resources) {
  std::erase(resources, std::string());
  out.push_back(Finding{std::string(check_name(link)), status, std::move(detail), std::move(resources)});
}

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

ChainFacts walk_chain(Calls& calls, const Trail& trail, const std::string& region, const std::string& account,
                      std::int64_t now, const BuiltinRule& rule) {
  ChainFacts chain;
  chain.region = region;
  chain.account = account;
  chain.rule = &rule;
  chain.trail = check_trail(calls, trail, rule);
  chain.delivery = check_delivery(chain.trail, account, now);
  if (chain.delivery.holds()) check_filter(calls, chain);
  return chain;
}

bool ChainFacts::holds(Link link) const {
  switch (link) {
    case Link::Trail:
      return trail.holds();
    case Link::Delivery:
      return delivery.holds();
    case Link::Filter:
      return filter && filter->holds();
    case Link::Alarm:
      return alarm && alarm->holds();
    case Link::Notification:
      return notification && notification->holds();
  }
  return false;
}

std::size_t ChainFacts::links_holding() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < kChainLinks; ++i) n += holds(static_cast<Link>(i));
  return n;
}

ChainReport say_chain(const ChainFacts& chain) {
  ChainReport out;
  trail_findings(chain, out.findings);
  delivery_findings(chain, out.findings);
  if (chain.filter) filter_findings(chain, out.findings);
  if (chain.alarm) alarm_findings(chain, out.findings);
  if (chain.notification) notification_findings(chain, out.findings);

  trail_fixes(chain, out.remediation);
  delivery_fixes(chain, out.remediation);
  if (chain.filter) filter_fixes(chain, out.remediation);
  if (chain.alarm) alarm_fixes(chain, out.remediation);
  if (chain.notification) notification_fixes(chain, out.remediation);
  return out;
}

}  // namespace trailwatch::audit
