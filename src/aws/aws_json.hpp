// Small JSON chores of the AWS layer: reading a page's next token, merging pages (quoting is json_quote).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/json_string.hpp"  // json_quote, which the callers of this header write requests with

namespace trailwatch::aws {

/// The string member `key` of the JSON object `body`, nullopt when absent, null, empty or not a string.
/// Throws ApiError("InvalidResponse") when `body` is not a JSON object.
std::optional<std::string> json_string_member(std::string_view body, std::string_view key);

/// One JSON object holding every page: array members are concatenated in page order, other members keep their
/// first value, `token_key` is dropped. Members keep the order in which they first appear.
/// Throws ApiError("InvalidResponse") when a page is not a JSON object.
std::string merge_json_pages(const std::vector<std::string>& pages, std::string_view token_key);

}  // namespace trailwatch::aws
