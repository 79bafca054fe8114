#include "aws/http_client.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

struct Sink {
  std::string* body;
  size_t limit;
  bool overflow = false;
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t bytes = size * count;
  if (sink->body->size() + bytes > sink->limit) {
    sink->overflow = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  sink->body->append(data, bytes);
  return bytes;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// curl's message names the host and the failure, never our headers, so it is safe to pass on.
ApiError network_error(const HttpRequest& request, CURLcode code, const char* detail) {
  std::string host = request.url;
  if (size_t q = host.find('?'); q != std::string::npos) host.resize(q);
  return ApiError(
      "NetworkError", 0,
      host + ": " + (detail && *detail ? std::string(detail) : std::string(curl_easy_strerror(code))));
}

HttpResponse perform(const HttpOptions& options, const HttpRequest& request) {
  global_init();
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw ApiError("NetworkError", 0, "curl_easy_init failed");
  struct curl_slist* list = nullptr;
  for (const auto& [name, value] : request.headers)
    list = curl_slist_append(list, (name + ": " + value).c_str());
  // Without this curl waits for "100 Continue" before sending bodies over 1 KB, which some endpoints never
  // send.
  list = curl_slist_append(list, "Expect:");
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(list, curl_slist_free_all);

  HttpResponse response;
  Sink sink{&response.body, options.max_response_bytes};
  char error[CURL_ERROR_SIZE] = {0};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_seconds);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, options.total_timeout_seconds);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
#endif
  if (options.ca_bundle) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_bundle->c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  if (request.method == "POST") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  CURLcode code = curl_easy_perform(h);
  if (sink.overflow) {
    throw ApiError("NetworkError", 0,
                   "the response is larger than " + std::to_string(options.max_response_bytes) + " bytes");
  }
  if (code != CURLE_OK) throw network_error(request, code, error);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace

Transport make_curl_transport(HttpOptions options) {
  return [options = std::move(options)](const HttpRequest& request) { return perform(options, request); };
}

}  // namespace trailwatch::aws
