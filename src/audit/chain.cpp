#include "audit/chain.hpp"

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

}  // namespace trailwatch::audit
