#include "records/json_error.hpp"

namespace trailwatch {

std::string describe_json_error(simdjson::error_code error) {
  switch (error) {
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8 in JSON";
    case simdjson::DEPTH_ERROR:
      return "JSON nested deeper than the limit";
    case simdjson::UNCLOSED_STRING:
      return "JSON string not closed";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
    case simdjson::TAPE_ERROR:
      return "invalid or truncated JSON";
    default:
      return std::string("invalid JSON: ") + simdjson::error_message(error);
  }
}

}  // namespace trailwatch
