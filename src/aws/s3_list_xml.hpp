// One page of an S3 ListObjectsV2 answer, read from its XML.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trailwatch::aws {

struct S3Object {
  std::string key;
  std::uint64_t size = 0;
};

struct S3ListPage {
  std::vector<S3Object> objects;
  /// With a delimiter: the "folders" one level down (each ending in the delimiter), to list in turn.
  std::vector<std::string> common_prefixes;
  /// Where the next page starts; nullopt on the last page.
  std::optional<std::string> next_token;
};

/// Parses a ListBucketResult. Keys and prefixes come back decoded when the answer says EncodingType url (we
/// ask for it: XML 1.0 cannot carry every byte a key may hold). Throws ApiError("InvalidResponse") for text
/// that is not such a result, a Size that is not a whole number, or a truncated page without a token.
S3ListPage parse_list_objects_v2(std::string_view xml);

/// `text` with %XX sequences decoded and '+' read as a space (S3's url encoding type, as the AWS SDKs read
/// it). A '%' not followed by two hex digits is kept as it is.
std::string s3_url_decode(std::string_view text);

}  // namespace trailwatch::aws
