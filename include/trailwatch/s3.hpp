// s3://BUCKET[/PREFIX] as scan inputs (docs/design.md "Reading from S3"): the aws unit's InputSource. A
// prefix is listed like a directory is walked (ListObjectsV2, the walk's name rules), and objects are fetched
// ahead of the workers by a bounded number of concurrent GetObject requests, into the same inflate and
// records pipeline as local files. Same credentials, profile and endpoint as `audit`.
#pragma once

#include <memory>
#include <string_view>

#include "trailwatch/aws.hpp"
#include "trailwatch/ingest.hpp"
#include "trailwatch/layout.hpp"

namespace trailwatch::aws {

/// GetObject requests in flight at once by default. Against moto_server with 1,560 objects
/// (bench/s3_compare.py, medians of 3) and 20 ms added to each request, 8 already reaches the server's rate
/// (8: 7.7 s, 16: 7.3 s); with 50 ms, as a distant endpoint answers, 16 takes 9.1 s, 8 13.5 s, 32 8.5 s. Each
/// step also holds more objects in memory (docs/design.md "Reading from S3").
inline constexpr unsigned kDefaultS3Concurrency = 16;

struct S3SourceOptions {
  ClientConfig client;  // --profile, --endpoint-url, --ca-bundle
  /// GetObject requests in flight at once; also the most objects fetched and not yet taken by a worker, so
  /// memory holds at most this many objects besides those the workers are reading.
  unsigned concurrency = kDefaultS3Concurrency;
  /// The scan's pruning by the layout: when it limits anything, a prefix is listed folder by folder
  /// (delimiter '/') and the folders it rules out are never listed, as a walk never enters them.
  Pruning pruning;
  /// List every key below an argument, whatever its name or folder (`CloudTrail-Digest/` included), for
  /// `verify` (which prunes nothing); a scan lists what a walk of the local copy would read.
  bool every_key = false;
};

/// True when `argument` names S3 objects (starts with "s3://").
bool is_s3_path(std::string_view argument);

/// The source for s3:// arguments. Nothing is resolved or sent before the first listing: a scan of local
/// paths needs no credentials. What fails (no credentials, no such bucket, access denied) is reported per
/// argument or object, with the reason, in the Discovery and the report.
std::unique_ptr<InputSource> make_s3_source(const S3SourceOptions& options);

}  // namespace trailwatch::aws
