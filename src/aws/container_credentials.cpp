#include "aws/container_credentials.hpp"

#include <arpa/inet.h>
#include <simdjson.h>

#include <array>
#include <fstream>
#include <sstream>

#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

constexpr const char* kError = "ContainerCredentialsError";
constexpr int kAttempts = 3;

// The host of an http(s) URL, without brackets around an IPv6 address; empty when there is none.
std::string url_host(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (rest.starts_with('[')) {
    const size_t close = rest.find(']');
    return close == std::string_view::npos ? std::string() : std::string(rest.substr(1, close - 1));
  }
  return std::string(rest.substr(0, rest.find(':')));
}

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  std::array<unsigned char, 16> address{};
  if (::inet_pton(AF_INET, host.c_str(), address.data()) == 1) return address[0] == 127;
  if (::inet_pton(AF_INET6, host.c_str(), address.data()) == 1) {
    static constexpr std::array<unsigned char, 16> kLoopback = {0, 0, 0, 0, 0, 0, 0, 0,
                                                                0, 0, 0, 0, 0, 0, 0, 1};
    return address == kLoopback;
  }
  return false;
}

bool allowed_full_uri(std::string_view url) {
  if (url.starts_with("https://")) return true;
  if (!url.starts_with("http://")) return false;
  const std::string host = url_host(url);
  return is_loopback(host) || host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23";
}

std::string read_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ApiError(kError, 0, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + path + " cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string first_line(std::string_view text) {
  std::string out(text.substr(0, text.find('\n')));
  if (out.size() > 200) out = out.substr(0, 200) + "...";
  return out;
}

}  // namespace

std::optional<ContainerEndpoint> container_endpoint_from_environment() {
  const std::string relative = env_value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  const std::string full = env_value("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (relative.empty() && full.empty()) return std::nullopt;
  ContainerEndpoint out;
  if (!relative.empty()) {
    out.url = std::string(kContainerCredentialsHost) + (relative.starts_with('/') ? "" : "/") + relative;
    out.variable = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
  } else {
    if (!allowed_full_uri(full)) {
      throw ApiError(kError, 0,
                     "AWS_CONTAINER_CREDENTIALS_FULL_URI " + full +
                         ": only https, a loopback address or 169.254.170.2, 169.254.170.23 or fd00:ec2::23 "
                         "may serve credentials over http");
    }
    out.url = full;
    out.variable = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
  }
  // The AWS CLI sends the token with either URI; the file (EKS Pod Identity rotates it) wins.
  if (const std::string file = env_value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); !file.empty())
    out.authorization = read_token_file(file);
  else
    out.authorization = env_value("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  while (!out.authorization.empty() && (out.authorization.back() == '\n' || out.authorization.back() == '\r'))
    out.authorization.pop_back();  // a file written with echo ends with a newline
  if (out.authorization.find_first_of("\r\n") != std::string::npos)
    throw ApiError(kError, 0, "the container authorization token holds a line break: not a header value");
  return out;
}

Credentials parse_metadata_credentials(std::string_view json, const std::string& source,
                                       const std::string& code) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS || !doc.is_object())
    throw ApiError(code, 0, source + ": the answer is not a JSON object");
  auto text = [&](const char* key) {
    std::string_view value;
    return doc[key].get(value) == simdjson::SUCCESS ? std::string(value) : std::string();
  };
  const std::string status = text("Code");
  if (!status.empty() && status != "Success")
    throw ApiError(code, 0, source + " refused: " + status + ": " + first_line(text("Message")));
  Credentials out{text("AccessKeyId"), text("SecretAccessKey"), text("Token")};
  if (out.access_key_id.empty() || out.secret_access_key.empty())
    throw ApiError(code, 0, source + ": the answer holds no AccessKeyId or SecretAccessKey");
  if (const std::string expiration = text("Expiration"); !expiration.empty()) {
    out.expiration = parse_expiration(expiration);
    if (!out.expiration) throw ApiError(code, 0, source + ": Expiration is not an ISO 8601 time");
  }
  return out;
}

Credentials fetch_container_credentials(const Transport& transport, const ContainerEndpoint& endpoint,
                                        const std::function<void(double)>& sleep) {
  std::string failure;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    if (attempt > 1 && sleep) sleep(1.0);
    HttpRequest request;
    request.method = "GET";
    request.url = endpoint.url;
    request.headers = {{"Accept", "application/json"}, {"User-Agent", "trailwatch/0.1"}};
    if (!endpoint.authorization.empty())
      request.headers.emplace_back("Authorization", endpoint.authorization);
    request.max_response_bytes = 64 << 10;
    try {
      HttpResponse response = transport(request);
      if (response.status == 200)
        return parse_metadata_credentials(response.body, "container credentials at " + endpoint.url, kError);
      failure = "HTTP " + std::to_string(response.status) + ": " + first_line(response.body);
      // 4xx other than throttling will not change on another attempt (a wrong or expired token).
      if (response.status >= 400 && response.status < 500 && response.status != 429) break;
    } catch (const ApiError& error) {
      if (error.code() == kError) throw;  // an answer we cannot use: asking again gives the same
      failure = error.what();
    }
  }
  throw ApiError(kError, 0,
                 "container credentials at " + endpoint.url + " (" + endpoint.variable + "): " + failure);
}

}  // namespace trailwatch::aws
