// How the readers word a simdjson error for the report. Plain code, compiled once in the library.
#pragma once

#include <string>

#include <simdjson.h>

namespace trailwatch {

std::string describe_json_error(simdjson::error_code error);

}  // namespace trailwatch
