// Text made safe for HTML, for the HTML report. Internal to the report unit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace trailwatch::report {

/// `text` with &, <, >, " and ' escaped, for element content and attribute values alike. Bytes that are
/// not UTF-8 become U+FFFD, so that a hostile record cannot break the page's encoding.
std::string html(std::string_view text);

/// At most `max_chars` code points of `text`, with an ellipsis when cut (user agents run to hundreds).
std::string shortened(std::string_view text, std::size_t max_chars);

}  // namespace trailwatch::report
