// Offline integrity check of a CloudTrail archive against its CloudTrail-Digest files (docs/design.md
// "verify"). A copy is read from local paths or, through an InputSource, from s3://BUCKET[/PREFIX]; nothing
// else is asked of AWS: the public keys and the digests' own S3 metadata (the newest signature of each chain)
// come from files the user saved before going offline.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/terminal_style.hpp"

namespace trailwatch {
class InputSource;
}

namespace trailwatch::verify {

/// Lower-case hex of SHA-256 and MD5 (MD5 only names keys: CloudTrail's fingerprint is MD5 of the key DER).
std::string sha256_hex(std::string_view bytes);
std::string md5_hex(std::string_view bytes);

/// One gzip member inflated. CloudTrail writes exactly one member per file; anything after it (a second
/// member, trailing bytes) means the file is not what was delivered, so it is reported, not inflated.
struct Inflated {
  std::string bytes;
  std::string error;        // corrupt, truncated or past max_bytes; empty when the member inflated
  bool extra_data = false;  // bytes follow the first member
};
/// Inflates the first member of `gzip` whole (digests: small). More than `max_bytes` inflated is an error.
Inflated inflate_one_member(std::string_view gzip, std::uint64_t max_bytes = std::uint64_t{1} << 30);

/// What a log file as stored says against its digest's `hashValue`.
struct MemberHash {
  std::string sha256;       // lower-case hex of the first member's inflated bytes; empty with `error`
  std::string error;        // not gzip, corrupt or truncated
  bool extra_data = false;  // bytes follow the first member (a second member or trailing bytes)
};

/// Hashes the inflated bytes of a gzip file's first member. One per thread: it keeps its buffers. A member
/// that inflates to at most `whole_limit` bytes is inflated whole with libdeflate; a larger one is streamed
/// through zlib into the hash in pieces, so memory stays at `whole_limit` whatever the file holds.
class MemberHasher {
 public:
  explicit MemberHasher(std::size_t whole_limit = std::size_t{256} << 20);
  ~MemberHasher();
  MemberHasher(const MemberHasher&) = delete;
  MemberHasher& operator=(const MemberHasher&) = delete;

  MemberHash hash(std::string_view gzip);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The exact text CloudTrail signs (docs/design.md "verify": end time, bucket/object, SHA-256 hex of the
/// inflated digest, previous signature or the four characters `null`; no trailing newline).
std::string string_to_sign(std::string_view digest_end_time, std::string_view bucket, std::string_view object,
                           std::string_view digest_sha256_hex,
                           const std::optional<std::string>& previous_signature);

/// Public keys by fingerprint (MD5 hex of the DER bytes as CloudTrail gives them).
using PublicKeys = std::map<std::string, std::string>;
/// Reads one `aws cloudtrail list-public-keys --output json` file into `keys`. Returns why it failed or "".
/// The fingerprint is computed from the DER, never taken from the file's `Fingerprint`.
std::string load_public_keys(const std::string& path, PublicKeys& keys);

/// RSASSA-PKCS1-v1_5 / SHA-256 check of `signature_hex` over `message` with a PKCS#1 or SubjectPublicKeyInfo
/// DER key. Returns "" when valid, else why not.
std::string check_signature(std::string_view der, std::string_view message, std::string_view signature_hex);

struct VerifyOptions {
  /// Local files and directories, and arguments some source in `sources` handles (s3://BUCKET[/PREFIX]).
  std::vector<std::string> paths;
  std::vector<std::string> public_key_files;
  std::string signatures_file;  // JSON map: digest key -> {"signature", "signature-algorithm"}
  /// Where non-local arguments are listed and read. A source must list every key below an argument, digest
  /// folders included (aws::S3SourceOptions::every_key); its objects are named `s3://BUCKET/KEY`.
  std::vector<const InputSource*> sources;
  unsigned threads = 0;  // 0: one per core
  /// The most bytes one object may hold as stored; a larger one is unreadable (not read into memory).
  std::uint64_t max_object_bytes = std::uint64_t{4} << 30;
};

struct Finding {
  std::string path;
  std::string kind;  // the kinds of docs/design.md "verify"
  std::string detail;
  bool operator<(const Finding& other) const;
};

struct Chain {
  std::string account, region, trail;
  bool backfill = false;
  std::string first, last;  // first digestStartTime, last digestEndTime
  int restarts = 0;
};

struct Gap {
  std::string account, region, trail, from, to;
};

struct VerifyReport {
  std::uint64_t digests_total = 0, digests_valid = 0, digests_invalid = 0, digests_unverified_signature = 0;
  std::uint64_t logs_total = 0, logs_valid = 0, logs_modified = 0, logs_missing = 0,
                logs_not_in_any_digest = 0, logs_unreadable = 0;
  bool keys_given = false;
  std::vector<Chain> chains;  // by account, region, trail, backfill last
  std::vector<Gap> gaps;
  std::vector<Finding> findings;  // by path, then kind
};

/// Checks everything under `options.paths`. Never throws for what it reads: what cannot be read is a finding
/// of kind `unreadable`. Memory: the digests' fields and log lists, plus per thread one object as stored and
/// at most MemberHasher's whole_limit of inflated bytes.
VerifyReport verify_archive(const VerifyOptions& options);

/// 0 nothing checked is wrong; 1 tampering or a broken chain; 2 something could not be read or checked.
int verify_exit_code(const VerifyReport& report);

std::string verify_json(const VerifyReport& report);
/// The table; `style` colours the findings and a gap red or yellow and the result line by its verdict
/// (intact green, not intact red, not fully checked yellow). The default writes no escape.
std::string verify_table(const VerifyReport& report, const TerminalStyle& style = {});

}  // namespace trailwatch::verify
