// The chain the audit follows in each region: trail -> CloudWatch Logs delivery -> metric filter -> alarm ->
// SNS notification. Its links are named here once; everything that counts or names them derives from Link.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace trailwatch::audit {

/// The links of a chain, in the order it is walked.
enum class Link : std::uint8_t { Trail, Delivery, Filter, Alarm, Notification };
inline constexpr std::size_t kChainLinks = static_cast<std::size_t>(Link::Notification) + 1;

/// The link's name as a Finding's `check` ("trail", "cloudwatch-logs-delivery", ...); a static string.
std::string_view check_name(Link link);

}  // namespace trailwatch::audit
