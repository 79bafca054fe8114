// Signature Version 4
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). Each step is
// a pure function so that the AWS test suite (testdata/sigv4) can check it on its own.
#pragma once

#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/credentials.hpp"

namespace trailwatch::aws {

/// A request about to be signed. `path` and `query` are not percent-encoded: signing and sending encode them.
/// Every header in `headers` is signed; the transport may add unsigned ones (Accept, Content-Length).
struct SignableRequest {
  std::string method = "POST";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

/// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

/// RFC 3986 percent-encoding as SigV4 wants it: everything but A-Z a-z 0-9 - . _ ~ (and '/' when keep_slash).
std::string uri_encode(std::string_view text, bool keep_slash);
/// An application/x-www-form-urlencoded body (the Query APIs' and STS's): key=value pairs joined by '&'.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& params);

/// `path` with empty, "." and ".." segments removed, as services other than S3 see it; keeps a trailing
/// slash.
std::string normalize_path(std::string_view path);

/// "20150830T123600Z" for `t`.
std::string amz_date(std::time_t t);

/// Canonical request: method, canonical URI, sorted query, canonical headers (names lower-cased, values
/// trimmed, inner runs of spaces folded, repeated names joined with ','), signed header names and
/// `payload_hash`.
std::string canonical_request(const SignableRequest& request, std::string_view payload_hash, bool normalize);

/// The `;`-joined sorted lower-case names of the request's headers.
std::string signed_header_names(const SignableRequest& request);

/// "YYYYMMDD/region/service/aws4_request".
std::string credential_scope(std::string_view date_time, std::string_view region, std::string_view service);

/// AWS4-HMAC-SHA256, the time, the scope and the hash of the canonical request, one per line.
std::string string_to_sign(std::string_view date_time, std::string_view scope, std::string_view canonical);

/// Hex HMAC of `string_to_sign` under the key derived from the secret, date, region and service.
std::string signature(std::string_view secret_access_key, std::string_view date_time, std::string_view region,
                      std::string_view service, std::string_view string_to_sign);

/// The Authorization header value for `request` as it stands (its headers must already hold X-Amz-Date and,
/// with a session token, X-Amz-Security-Token).
std::string authorization(const SignableRequest& request, const Credentials& credentials,
                          std::string_view region, std::string_view service, std::string_view date_time,
                          bool normalize = true);

/// Adds X-Amz-Date, X-Amz-Security-Token (with a session token) and Authorization to `request`, signed at
/// `now`. `normalize` false for S3, whose keys are signed as they are ("a//b/./c" is another key than
/// "a/b/c").
void sign(SignableRequest& request, const Credentials& credentials, std::string_view region,
          std::string_view service, std::time_t now, bool normalize = true);

}  // namespace trailwatch::aws
