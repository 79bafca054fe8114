// HTTPS through libcurl: TLS verified, a CA bundle when given, bounded time and size, proxies from the
// environment as curl reads them (https_proxy, no_proxy, ...). Connections are kept open between requests.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trailwatch::aws {

/// A request ready to send: the full URL (query included, path and query already percent-encoded, sent as
/// they are: "." and ".." segments are S3 key text, not to be resolved) and the headers to send as they are.
struct HttpRequest {
  std::string method = "POST";  // POST, GET, HEAD or PUT
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// The largest body accepted; 0: the transport's limit (HttpOptions::max_response_bytes).
  std::size_t max_response_bytes = 0;
  /// When set, the request ends early (ApiError "Cancelled") once it becomes true.
  const std::atomic<bool>* cancel = nullptr;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  /// Response headers, names lower-cased, in the order received.
  std::vector<std::pair<std::string, std::string>> headers = {};
  /// The value of header `lower_name`, empty when absent.
  std::string header(std::string_view lower_name) const;
};

struct HttpOptions {
  std::optional<std::string> ca_bundle;  // PEM file; nullopt: curl's default store
  long connect_timeout_seconds = 10;
  /// The most one request may take; 0: no bound (S3 objects of any size), the stall bound still applies.
  long total_timeout_seconds = 60;
  /// A request that moves fewer than 1 KiB in this many seconds is abandoned: a stalled connection.
  long stall_timeout_seconds = 30;
  size_t max_response_bytes = 256u << 20;  // an endless answer is an error, not an exhausted machine
  /// Never through a proxy (the container and instance metadata endpoints are link-local or loopback).
  bool no_proxy = false;
};

/// Sends requests; throws ApiError("NetworkError") when no whole HTTP response arrives (a refused or dropped
/// connection, a body cut short of its Content-Length, a stall) and ApiError("ResponseTooLarge") past the
/// size limit. Safe to call from several threads at once.
using Transport = std::function<HttpResponse(const HttpRequest&)>;

/// A Transport backed by libcurl with `options`. It keeps finished handles (and their open connections) for
/// the next request, so many small requests to one host do not each pay for a TCP and TLS handshake.
/// libcurl is in a module of its own (src/curl/), loaded at the first request: beside the executable (a build
/// tree), then in the library folder `cmake --install` puts it in. That request throws
/// ApiError("TransportUnavailable") when it cannot be loaded.
Transport make_curl_transport(HttpOptions options);

/// The libcurl module's entry point (src/curl/curl_entry.hpp).
using CurlTransportEntry = Transport* (*)(const HttpOptions*);

/// For a program that links the transport in instead of loading the module (the unit tests).
void use_linked_curl_transport(CurlTransportEntry entry);

}  // namespace trailwatch::aws
