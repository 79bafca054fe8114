// Writing JSON text: a string literal from any bytes. Below the scan unit because a plan serializes its
// settings, and the report, audit and AWS units all write JSON.
#pragma once

#include <string>
#include <string_view>

namespace trailwatch {

/// Appends `text` to `out` as a JSON string literal (quotes included), escaping as RFC 8259 requires. The
/// literal is valid UTF-8 whatever `text` holds: valid UTF-8 is copied byte for byte, each ill-formed
/// sequence becomes U+FFFD, and control characters are escaped (\n, \r, \t by name, the rest and DEL as
/// \u00XX).
void append_json_string(std::string& out, std::string_view text);

/// `text` as a JSON string literal, quotes included, by the same rules.
std::string json_quote(std::string_view text);

}  // namespace trailwatch
