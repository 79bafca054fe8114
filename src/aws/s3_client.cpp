#include "aws/s3_client.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "aws/aws_client.hpp"
#include "aws/aws_errors.hpp"
#include "aws/sigv4.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

// SHA-256 of the empty body: S3 wants the payload hash in x-amz-content-sha256 on every request.
constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::time_t real_clock() {
  return std::time(nullptr);
}

// A bucket name that can be the first label of a host name covered by S3's TLS certificate: no dots (they
// would add labels the wildcard does not match), lower case, digits and hyphens.
bool virtual_host_name(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63 || bucket.front() == '-' || bucket.back() == '-') return false;
  for (char c : bucket)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

std::string encoded_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [name, value] : query)
    encoded.emplace_back(uri_encode(name, false), uri_encode(value, false));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded)
    out += fmt::format("{}{}={}", out.empty() ? "?" : "&", name, value);
  return out;
}

// What a status without an XML error body (every HEAD answer) means.
std::string code_for_status(int status) {
  switch (status) {
    case 301:
      return "PermanentRedirect";
    case 403:
      return "AccessDenied";
    case 404:
      return "NotFound";
    default:
      return status >= 500 ? "ServiceUnavailable" : "HttpError";
  }
}

bool ok(const HttpResponse& response) {
  return response.status >= 200 && response.status < 300;
}

}  // namespace

S3Address s3_address(const S3Bucket& bucket, std::string_view key,
                     const std::optional<std::string>& endpoint_url) {
  S3Address out;
  const std::string region = bucket.region.empty() ? "us-east-1" : bucket.region;
  const std::string_view tail = key.empty() ? std::string_view() : key;
  if (endpoint_url && !endpoint_url->empty()) {
    // Path style: S3-compatible servers (moto, MinIO) answer on one host name.
    ServiceInfo s3{"s3", "s3", Protocol::Query, "", "", "S3"};
    Endpoint endpoint = endpoint_for(s3, region, endpoint_url);
    out.host = endpoint.host;
    out.origin = endpoint.url.substr(0, endpoint.url.size() - endpoint.path.size());
    std::string base = endpoint.path;
    while (base.ends_with('/')) base.pop_back();
    out.path = fmt::format("{}/{}{}{}", base, bucket.name, key.empty() ? "" : "/", tail);
    return out;
  }
  const std::string_view domain = region.starts_with("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  if (virtual_host_name(bucket.name)) {
    out.host = fmt::format("{}.s3.{}.{}", bucket.name, region, domain);
    out.path = fmt::format("/{}", tail);
  } else {
    out.host = fmt::format("s3.{}.{}", region, domain);
    out.path = fmt::format("/{}{}{}", bucket.name, key.empty() ? "" : "/", tail);
  }
  out.origin = "https://" + out.host;
  return out;
}

S3Client::S3Client(Credentials credentials, std::optional<std::string> endpoint_url, RetryPolicy retry,
                   Transport transport, Clock clock)
    : S3Client(CredentialProvider::fixed(std::move(credentials)), std::move(endpoint_url), std::move(retry),
               std::move(transport), std::move(clock)) {}

S3Client::S3Client(std::shared_ptr<CredentialProvider> credentials, std::optional<std::string> endpoint_url,
                   RetryPolicy retry, Transport transport, Clock clock)
    : credentials_(std::move(credentials)),
      endpoint_url_(std::move(endpoint_url)),
      retry_(std::move(retry)),
      transport_(std::move(transport)),
      clock_(clock ? std::move(clock) : Clock(real_clock)) {}

HttpResponse S3Client::send(const std::string& method, const S3Bucket& bucket, std::string_view key,
                            const std::vector<std::pair<std::string, std::string>>& query,
                            std::string_view action, std::uint64_t max_bytes, const std::atomic<bool>* cancel,
                            int* attempts) const {
  const S3Address address = s3_address(bucket, key, endpoint_url_);
  const std::string region = bucket.region.empty() ? "us-east-1" : bucket.region;
  const bool head_bucket = method == "HEAD" && key.empty();
  return retry_.run([&](int attempt) {
    if (attempts != nullptr) *attempts = attempt;
    const Credentials credentials = credentials_->get();
    SignableRequest signable;
    signable.method = method;
    signable.path = address.path;
    signable.query = query;
    signable.headers = {{"Host", address.host}, {"x-amz-content-sha256", std::string(kEmptyPayloadHash)}};
    // Signed again on every attempt: a signature is valid for a few minutes only. S3 signs the key as it is.
    sign(signable, credentials, region, "s3", clock_(), false);

    HttpRequest request;
    request.method = method;
    request.url = address.origin + uri_encode(address.path, true) + encoded_query(query);
    request.headers = std::move(signable.headers);
    request.headers.emplace_back("User-Agent", "trailwatch/0.1");
    request.max_response_bytes = static_cast<std::size_t>(max_bytes);
    request.cancel = cancel;
    HttpResponse response = transport_(request);
    // HeadBucket's answer names the region with a redirect or a refusal too.
    if (ok(response) || (head_bucket && !response.header("x-amz-bucket-region").empty())) return response;
    ApiError error = response.body.empty()
                         ? make_api_error(code_for_status(response.status), response.status, "", action)
                         : parse_xml_error(response.status, response.body, action);
    throw ApiError(error.code(), error.http_status(), redact(error.what(), credentials));
  });
}

std::string S3Client::bucket_region(const std::string& bucket, const std::string& guess) const {
  try {
    HttpResponse response = send("HEAD", {bucket, guess}, "", {}, "s3:ListBucket");
    std::string region = response.header("x-amz-bucket-region");
    return region.empty() ? guess : region;
  } catch (const ApiError& error) {
    if (error.http_status() == 404) throw ApiError("NoSuchBucket", 404, "the bucket does not exist");
    throw;
  }
}

S3ListPage S3Client::list_page(const S3Bucket& bucket, std::string_view prefix, std::string_view delimiter,
                               const std::optional<std::string>& token) const {
  // encoding-type=url: XML 1.0 cannot carry every byte a key may hold (control characters).
  std::vector<std::pair<std::string, std::string>> query = {
      {"list-type", "2"}, {"encoding-type", "url"}, {"prefix", std::string(prefix)}};
  if (!delimiter.empty()) query.emplace_back("delimiter", std::string(delimiter));
  if (token) query.emplace_back("continuation-token", *token);
  return parse_list_objects_v2(send("GET", bucket, "", query, "s3:ListBucket").body);
}

std::string S3Client::get_object(const S3Bucket& bucket, std::string_view key, std::uint64_t max_bytes,
                                 const std::atomic<bool>* cancel, int* attempts) const {
  return std::move(send("GET", bucket, key, {}, "s3:GetObject", max_bytes, cancel, attempts).body);
}

std::optional<std::uint64_t> S3Client::object_size(const S3Bucket& bucket, std::string_view key) const {
  try {
    HttpResponse response = send("HEAD", bucket, key, {}, "s3:GetObject");
    const std::string length = response.header("content-length");
    std::uint64_t size = 0;
    std::from_chars(length.data(), length.data() + length.size(), size);  // none or garbage: 0
    return size;
  } catch (const ApiError& error) {
    if (error.http_status() == 404) return std::nullopt;
    throw;
  }
}

}  // namespace trailwatch::aws
