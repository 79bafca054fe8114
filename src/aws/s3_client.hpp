// The S3 REST calls a scan makes: where a bucket lives (HeadBucket), one page of its listing (ListObjectsV2),
// one object (GetObject), whether one key exists (HeadObject). Each is signed (SigV4, service s3, the path as
// it is), retried by the standard policy, and addressed virtual-hosted style on AWS
// (https://BUCKET.s3.REGION.amazonaws.com/KEY; path style for bucket names with dots) and path style on an
// --endpoint-url (URL/BUCKET/KEY), as S3-compatible servers expect.
#pragma once

#include <atomic>
#include <cstdint>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <memory>

#include "aws/credential_provider.hpp"
#include "aws/credentials.hpp"
#include "aws/http_client.hpp"
#include "aws/retry_policy.hpp"
#include "aws/s3_list_xml.hpp"

namespace trailwatch::aws {

/// A bucket and the region its requests are signed for.
struct S3Bucket {
  std::string name;
  std::string region;
};

class S3Client {
 public:
  using Clock = std::function<std::time_t()>;

  /// Each attempt is signed with what `credentials` gives then (refreshed before temporary credentials
  /// expire, from whichever thread asks first).
  S3Client(std::shared_ptr<CredentialProvider> credentials, std::optional<std::string> endpoint_url,
           RetryPolicy retry, Transport transport, Clock clock = {});
  S3Client(Credentials credentials, std::optional<std::string> endpoint_url, RetryPolicy retry,
           Transport transport, Clock clock = {});

  /// The bucket's region, from the x-amz-bucket-region header of HeadBucket sent to `guess`'s endpoint: S3
  /// sends it with a 200, with the 301 of a bucket in another region and with the 403 of a caller without
  /// s3:ListBucket. `guess` when the answer has no such header (some S3-compatible servers). Throws
  /// ApiError NoSuchBucket (404), or whatever else failed.
  std::string bucket_region(const std::string& bucket, const std::string& guess) const;

  /// One page of ListObjectsV2 under `prefix`, from `token` (nullopt: the first page); with a `delimiter`
  /// ("/"), keys below the next delimiter come back as common prefixes instead. Throws ApiError (action
  /// s3:ListBucket, the permission it needs).
  S3ListPage list_page(const S3Bucket& bucket, std::string_view prefix, std::string_view delimiter,
                       const std::optional<std::string>& token) const;

  /// The object's bytes as stored. Throws ApiError (action s3:GetObject): NoSuchKey, AccessDenied,
  /// ResponseTooLarge past `max_bytes`, Cancelled once `cancel` is set, or the last error once retries ran
  /// out; `attempts` (when given) says how many requests were made.
  std::string get_object(const S3Bucket& bucket, std::string_view key, std::uint64_t max_bytes,
                         const std::atomic<bool>* cancel = nullptr, int* attempts = nullptr) const;

  /// The size of the object `key`, or nullopt when there is none (HeadObject's 404).
  std::optional<std::uint64_t> object_size(const S3Bucket& bucket, std::string_view key) const;

 private:
  HttpResponse send(const std::string& method, const S3Bucket& bucket, std::string_view key,
                    const std::vector<std::pair<std::string, std::string>>& query, std::string_view action,
                    std::uint64_t max_bytes = 0, const std::atomic<bool>* cancel = nullptr,
                    int* attempts = nullptr) const;

  std::shared_ptr<CredentialProvider> credentials_;
  std::optional<std::string> endpoint_url_;
  RetryPolicy retry_;
  Transport transport_;
  Clock clock_;
};

/// Where a request for `key` of `bucket` goes: the URL's scheme and authority, the Host header, and the
/// path before encoding (for signing). Exposed for tests.
struct S3Address {
  std::string origin;  // "https://bkt.s3.eu-west-1.amazonaws.com", "http://127.0.0.1:5000"
  std::string host;
  std::string path;  // "/KEY" or "/BUCKET/KEY", not percent-encoded
};
S3Address s3_address(const S3Bucket& bucket, std::string_view key,
                     const std::optional<std::string>& endpoint_url);

}  // namespace trailwatch::aws
