// The one entry point of the libcurl transport module: a new Transport with `options` (the caller owns it).
// Module and executable are built together by the same compiler, so C++ types cross this boundary as they
// are; the name is unmangled so that dlsym finds it.
#pragma once

#include "aws/http_client.hpp"

#define TRAILWATCH_CURL_EXPORT __attribute__((visibility("default")))

extern "C" TRAILWATCH_CURL_EXPORT trailwatch::aws::Transport* trailwatch_curl_transport(
    const trailwatch::aws::HttpOptions* options);

/// The name of the function above, for dlsym.
inline constexpr const char* kCurlTransportEntry = "trailwatch_curl_transport";
