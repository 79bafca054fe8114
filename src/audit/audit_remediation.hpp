// The aws CLI line that fixes each failing link. Values trailwatch cannot know (a bucket, an e-mail address)
// are written as <placeholders>, so a line is never run by accident with a guess in it.
#pragma once

#include <string>

#include "audit/audit_bodies.hpp"
#include "trailwatch/metric.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::audit::fix {

/// `text` quoted for a POSIX shell when it needs it.
std::string shell_quote(const std::string& text);

std::string create_trail(const std::string& region);
std::string start_logging(const Trail& trail);
std::string put_event_selectors(const Trail& trail);
std::string send_to_logs(const Trail& trail, const std::string& account);
/// Creates `rule`'s filter, or gives `filter_name` the rule's pattern (keeping its metric).
std::string put_metric_filter(const std::string& region, const std::string& log_group,
                              const std::string& filter_name, const MetricTransformation& metric,
                              const BuiltinRule& rule);
/// An alarm that fires on one event of `metric`; `alarm_name` (empty: named after `rule`'s metric) and
/// `topic_arn` may be empty.
std::string put_metric_alarm(const std::string& region, const MetricTransformation& metric,
                             const std::string& alarm_name, const std::string& topic_arn,
                             const BuiltinRule& rule);
std::string enable_alarm_actions(const std::string& region, const std::string& alarm_name);
std::string subscribe(const Arn& topic, const std::string& topic_arn);

}  // namespace trailwatch::audit::fix
