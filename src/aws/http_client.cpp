#include "aws/http_client.hpp"

#include <dlfcn.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "curl/curl_entry.hpp"
#include "trailwatch/aws.hpp"

#ifndef TRAILWATCH_MODULE_DIR_FROM_BINARY
#define TRAILWATCH_MODULE_DIR_FROM_BINARY "../lib/trailwatch"
#endif

namespace trailwatch::aws {

namespace {

constexpr const char* kModuleName = "libtrailwatch-curl.so";

std::atomic<CurlTransportEntry> linked_entry{nullptr};

ApiError unavailable(const std::string& why) {
  return ApiError("TransportUnavailable", 0, std::string("HTTPS requests go through ") + kModuleName + why);
}

std::filesystem::path executable_path() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : self;
}

// Beside the executable (a build tree), then where `cmake --install` puts the module relative to the
// installed executable: the two travel together, wherever the prefix is. Never relative to the working
// directory, which would load whatever library stands there.
CurlTransportEntry load_module() {
  const std::filesystem::path self = executable_path();
  if (!self.is_absolute())
    throw unavailable(", looked for beside the executable, whose location /proc/self/exe does not give");
  const std::filesystem::path dir = self.parent_path();
  const std::vector<std::filesystem::path> candidates = {
      dir / kModuleName, (dir / TRAILWATCH_MODULE_DIR_FROM_BINARY / kModuleName).lexically_normal()};
  std::string failures;
  for (const std::filesystem::path& candidate : candidates) {
    std::error_code ec;
    if (!std::filesystem::exists(candidate, ec)) continue;
    void* module = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
      const char* why = ::dlerror();  // e.g. libcurl.so.4 itself is missing
      failures += "; " + candidate.string() + ": " + (why != nullptr ? why : "cannot be loaded");
      continue;
    }
    if (void* entry = ::dlsym(module, kCurlTransportEntry); entry != nullptr)
      return reinterpret_cast<CurlTransportEntry>(entry);
    ::dlclose(module);
    failures += "; " + candidate.string() + ": not from this build of trailwatch (it has no " +
                kCurlTransportEntry + ")";
  }
  if (!failures.empty()) throw unavailable(" (libcurl), which could not be loaded" + failures);
  throw unavailable(" (libcurl), which is neither beside " + self.string() + " nor in " +
                    candidates.back().parent_path().string() +
                    ": install trailwatch with `cmake --install`, which puts it there");
}

// The entry given to use_linked_curl_transport, else the module's, loaded once.
CurlTransportEntry curl_transport_entry() {
  if (CurlTransportEntry linked = linked_entry.load()) return linked;
  // Loaded once; after a failure the next call tries again (and fails alike).
  static const CurlTransportEntry loaded = load_module();
  return loaded;
}

}  // namespace

std::string HttpResponse::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return value;
  return {};
}

void use_linked_curl_transport(CurlTransportEntry entry) {
  linked_entry.store(entry);
}

// The module is loaded at the first request, not here: sources and clients are made before anything is sent,
// and a module that cannot be loaded must fail the request, reported where its failure would be.
Transport make_curl_transport(HttpOptions options) {
  struct Loaded {
    HttpOptions options;
    std::once_flag once;  // not set when loading throws: the next request tries again
    Transport transport;
  };
  auto loaded = std::make_shared<Loaded>();
  loaded->options = std::move(options);
  return [loaded](const HttpRequest& request) {
    std::call_once(loaded->once, [&] {
      const std::unique_ptr<Transport> made(curl_transport_entry()(&loaded->options));
      loaded->transport = std::move(*made);
    });
    return loaded->transport(request);
  };
}

}  // namespace trailwatch::aws
