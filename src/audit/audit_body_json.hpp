// Reading AWS CLI response bodies with simdjson DOM: absent fields are defaults, wrong types are errors.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trailwatch::audit::body {

namespace dom = simdjson::dom;

/// Parses `text` (which must be a JSON object) into `parser`. Throws std::runtime_error naming `what`.
dom::element parse_object(dom::parser& parser, std::string_view text, std::string_view what);

/// The string at `key`, "" when absent or null. Throws when it is another type.
std::string text(dom::element e, std::string_view key);
/// The boolean at `key`, `fallback` when absent or null. Throws when it is another type.
bool flag(dom::element e, std::string_view key, bool fallback);
/// The array at `key`, empty when absent or null. Throws when it is another type.
std::vector<dom::element> list(dom::element e, std::string_view key);
/// The strings of the array at `key`.
std::vector<std::string> texts(dom::element e, std::string_view key);
/// A timestamp as epoch seconds (number, as the raw API gives it) or ISO-8601 text (as the AWS CLI prints
/// it).
std::optional<std::int64_t> timestamp(dom::element e, std::string_view key);

}  // namespace trailwatch::audit::body
