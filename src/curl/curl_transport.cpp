// The HTTPS transport through libcurl, built as a module of its own (libtrailwatch-curl.so) that the
// executable loads only when it first sends a request: libcurl and the 27 libraries it needs cost 7 ms
// of every run's start-up (12.8 against 5.7 ms for an empty program linked with or without them), a
// scan of local files uses none of them, and the module's own dependency on libcurl stays visible to
// ldd and to packaging. The unit tests link it directly (curl_linked.cpp).
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include "aws/http_client.hpp"
#include "curl/curl_entry.hpp"
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

// Keeps the headers of the last response only: curl hands over those of every response it reads (a
// "100 Continue" first, say), each starting with its status line.
size_t write_header(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
  const size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    headers->clear();
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  headers->emplace_back(std::move(name), std::string(value));
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel != nullptr && cancel->load(std::memory_order_relaxed) ? 1 : 0;
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

using Handle = std::unique_ptr<CURL, void (*)(CURL*)>;

// Finished easy handles, each with its connection cache: the next request to the same host reuses an open
// connection instead of connecting (and for HTTPS, negotiating TLS) again.
class HandlePool {
 public:
  Handle take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        Handle h = std::move(idle_.back());
        idle_.pop_back();
        curl_easy_reset(h.get());  // options back to defaults; connections and caches are kept
        return h;
      }
    }
    global_init();
    Handle h(curl_easy_init(), curl_easy_cleanup);
    if (!h) throw ApiError("NetworkError", 0, "curl_easy_init failed");
    return h;
  }
  void give_back(Handle h) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(h));
  }

 private:
  std::mutex mutex_;
  std::vector<Handle> idle_;
};

HttpResponse perform(const HttpOptions& options, HandlePool& pool, const HttpRequest& request) {
  Handle curl = pool.take();
  struct curl_slist* list = nullptr;
  for (const auto& [name, value] : request.headers)
    list = curl_slist_append(list, (name + ": " + value).c_str());
  // Without this curl waits for "100 Continue" before sending bodies over 1 KB, which some endpoints never
  // send.
  list = curl_slist_append(list, "Expect:");
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(list, curl_slist_free_all);

  HttpResponse response;
  Sink sink{&response.body,
            request.max_response_bytes > 0 ? request.max_response_bytes : options.max_response_bytes};
  char error[CURL_ERROR_SIZE] = {0};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  // The path is sent as signed: an S3 key may hold "." and ".." segments, which curl would otherwise resolve.
  curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_seconds);
  if (options.total_timeout_seconds > 0) curl_easy_setopt(h, CURLOPT_TIMEOUT, options.total_timeout_seconds);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, options.stall_timeout_seconds);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
#endif
  if (options.ca_bundle) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_bundle->c_str());
  if (options.no_proxy) curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, write_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);
  if (request.cancel != nullptr) {
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, request.cancel);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  }
  if (request.method == "POST") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  CURLcode code = curl_easy_perform(h);
  if (sink.overflow) {
    throw ApiError("ResponseTooLarge", 0,
                   "the response is larger than " + std::to_string(sink.limit) + " bytes");
  }
  if (code == CURLE_ABORTED_BY_CALLBACK) throw ApiError("Cancelled", 0, "cancelled");
  if (code != CURLE_OK) throw network_error(request, code, error);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  // Only a handle whose transfer ended cleanly goes back: its connection is in a known state.
  pool.give_back(std::move(curl));
  return response;
}

}  // namespace

}  // namespace trailwatch::aws

extern "C" TRAILWATCH_CURL_EXPORT trailwatch::aws::Transport* TRAILWATCH_CURL_ENTRY(
    const trailwatch::aws::HttpOptions* options) {
  using namespace trailwatch::aws;
  auto pool = std::make_shared<HandlePool>();
  return new Transport(
      [options = *options, pool](const HttpRequest& request) { return perform(options, *pool, request); });
}
