// The one entry point of the libcurl transport module: a new Transport with `options` (the caller owns it).
// Module and executable are built together by the same compiler, so C++ types cross this boundary as they
// are: the entry's name carries the version (TRAILWATCH_CURL_ABI, set by CMake), so that a module left from
// another version is refused by name instead of called with other types. ApiError, thrown in the module, is
// caught in the executable: libstdc++ matches exception types by name across libraries, each of which keeps
// its own hidden copy of the type's information.
#pragma once

#include "aws/http_client.hpp"

#ifndef TRAILWATCH_CURL_ABI
#error "TRAILWATCH_CURL_ABI must be defined (CMakeLists.txt) where the module's entry is named"
#endif

#define TRAILWATCH_CURL_EXPORT __attribute__((visibility("default")))
#define TRAILWATCH_CURL_JOIN2(a, b) a##b
#define TRAILWATCH_CURL_JOIN(a, b) TRAILWATCH_CURL_JOIN2(a, b)
#define TRAILWATCH_CURL_TEXT2(a) #a
#define TRAILWATCH_CURL_TEXT(a) TRAILWATCH_CURL_TEXT2(a)
#define TRAILWATCH_CURL_ENTRY TRAILWATCH_CURL_JOIN(trailwatch_curl_transport_, TRAILWATCH_CURL_ABI)

extern "C" TRAILWATCH_CURL_EXPORT trailwatch::aws::Transport* TRAILWATCH_CURL_ENTRY(
    const trailwatch::aws::HttpOptions* options);

/// The name of the function above, for dlsym.
inline constexpr const char* kCurlTransportEntry = TRAILWATCH_CURL_TEXT(TRAILWATCH_CURL_ENTRY);
