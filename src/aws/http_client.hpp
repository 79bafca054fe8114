// HTTPS through libcurl: TLS verified, a CA bundle when given, bounded time and size, proxies from the
// environment as curl reads them (https_proxy, no_proxy, ...).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace trailwatch::aws {

/// A request ready to send: the full URL (query included) and the headers to send as they are.
struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::string body;
};

struct HttpOptions {
  std::optional<std::string> ca_bundle;  // PEM file; nullopt: curl's default store
  long connect_timeout_seconds = 10;
  long total_timeout_seconds = 60;
  size_t max_response_bytes = 256u << 20;  // an endless answer is an error, not an exhausted machine
};

/// Sends requests; throws ApiError("NetworkError") when no HTTP response arrives.
using Transport = std::function<HttpResponse(const HttpRequest&)>;

/// A Transport backed by libcurl with `options`.
Transport make_curl_transport(HttpOptions options);

}  // namespace trailwatch::aws
