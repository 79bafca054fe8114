// s3://BUCKET[/PREFIX] as scan inputs (docs/design.md "Reading from S3"): the aws unit's InputSource. A
// prefix is listed like a directory is walked (ListObjectsV2, the walk's name rules), and objects are fetched
// ahead of the workers by a bounded number of concurrent GetObject requests, into the same inflate and
// records pipeline as local files. Same credentials, profile and endpoint as `audit`.
#pragma once

#include <memory>
#include <string_view>

#include "trailwatch/aws.hpp"
#include "trailwatch/ingest.hpp"

namespace trailwatch::aws {

/// GetObject requests in flight at once by default. Measured against moto_server on this machine
/// (docs/design.md "Reading from S3").
inline constexpr unsigned kDefaultS3Concurrency = 8;

struct S3SourceOptions {
  ClientConfig client;  // --profile, --endpoint-url, --ca-bundle
  /// GetObject requests in flight at once; also the most objects fetched and not yet taken by a worker, so
  /// memory holds at most this many objects besides those the workers are reading.
  unsigned concurrency = kDefaultS3Concurrency;
};

/// True when `argument` names S3 objects (starts with "s3://").
bool is_s3_path(std::string_view argument);

/// The source for s3:// arguments. Nothing is resolved or sent before the first listing: a scan of local
/// paths needs no credentials. What fails (no credentials, no such bucket, access denied) is reported per
/// argument or object, with the reason, in the Discovery and the report.
std::unique_ptr<InputSource> make_s3_source(const S3SourceOptions& options);

}  // namespace trailwatch::aws
