// What `test-pattern` tells about a pattern besides whether it matched: the precedence trap of the published
// CIS texts (`rules --lint`, or-and-precedence) in a pattern of one's own, and the fields a JSON pattern
// reads, with their values in an event, for the preview of each event.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/fields.hpp"

namespace trailwatch::cli {

/// When a JSON pattern joins conditions with both && and || at one level of parentheses (`{ A && B || C }`):
/// the warning `trailwatch rules --lint` gives for the CIS v3.0.0 4.1 text (defect or-and-precedence),
/// showing how the parser groups that level. nullopt for any other pattern. Expects a pattern that parses.
std::optional<std::string> precedence_warning(std::string_view pattern);

/// "eventName", "requestParameters.keyId", "resources[*].ARN", "['key.with.dots']": a selector as written
/// after "$.".
std::string selector_text(const SelectorPath& path);

/// The selectors a pattern reads, as parsed (Pattern::bind); empty for term, regex and space-delimited
/// patterns, which read the whole message.
std::vector<SelectorPath> pattern_selectors(std::string_view pattern);

/// "eventSource=\"kms.amazonaws.com\" eventName=\"DisableKey\" errorCode=(missing)": the values `selectors`
/// reach in `event` (one JSON object), each as JSON, long ones cut. nullopt when the event is not a JSON
/// object.
std::optional<std::string> field_preview(std::string_view event, const std::vector<SelectorPath>& selectors);

}  // namespace trailwatch::cli
