// Archives with CloudTrail-Digest chains for the verify tests, built in a temporary folder with a 2048-bit
// RSA key of the test's own: the logs, the digests (fields as docs/design.md "verify" describes them), the
// signatures CloudTrail would have put in the S3 metadata, and a list-public-keys file.
#pragma once

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "gzip_fixture.hpp"
#include "trailwatch/ingest.hpp"
#include "trailwatch/verify.hpp"

namespace trailwatch::testing_support {

namespace fs = std::filesystem;

/// An RSA key pair; the public half in both DER forms CloudTrail's key lists hold.
class SigningKey {
 public:
  SigningKey() : key_(EVP_RSA_gen(2048)) {}
  ~SigningKey() { EVP_PKEY_free(key_); }
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;

  /// PKCS#1 RSAPublicKey DER (what CloudTrail documents for `Value`).
  std::string pkcs1_der() const {
    unsigned char* out = nullptr;
    const int n = i2d_PublicKey(key_, &out);
    std::string der(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
    OPENSSL_free(out);
    return der;
  }
  /// X.509 SubjectPublicKeyInfo DER (also found in CloudTrail's own sample list).
  std::string spki_der() const {
    unsigned char* out = nullptr;
    const int n = i2d_PUBKEY(key_, &out);
    std::string der(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
    OPENSSL_free(out);
    return der;
  }
  /// RSASSA-PKCS1-v1_5 / SHA-256 of `message`, hex: what CloudTrail puts in x-amz-meta-signature.
  std::string sign_hex(const std::string& message) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_);
    std::size_t length = 0;
    EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(message.data()),
                   message.size());
    std::string signature(length, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(message.data()), message.size());
    EVP_MD_CTX_free(ctx);
    std::string hex;
    for (std::size_t i = 0; i < length; ++i)
      hex += fmt::format("{:02x}", static_cast<unsigned char>(signature[i]));
    return hex;
  }

 private:
  EVP_PKEY* key_;
};

/// Two keys for the whole test binary: generating one takes a while.
inline const SigningKey& test_key() {
  static const SigningKey key;
  return key;
}
inline const SigningKey& other_key() {
  static const SigningKey key;
  return key;
}

inline std::string base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

inline void write_file(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

inline std::string read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// One chain of hourly digests on 2026-12-04, each listing `logs_per_digest` logs delivered in its hour.
struct ChainSpec {
  std::string prefix;  // before AWSLogs/, with its trailing '/'
  std::string account = "111122223333";
  std::string region = "us-east-1";
  std::string trail = "main";
  int first_hour = 0;
  int digests = 3;
  int logs_per_digest = 2;
  bool backfill = false;
  int restart_at = -1;            // this digest's previous fields are null (logging stopped before it)
  int late_start_at = -1;         // this digest's digestStartTime is 5 minutes after the previous end
  int other_key_at = -1;          // this digest is signed with other_key()
  bool spki_fingerprint = false;  // digestPublicKeyFingerprint is the MD5 of the SPKI form
  std::string account_id;         // awsAccountId when not empty, else `account`
  int hour_step = 1;              // hours between digests (backfill digests come when they come)
};

struct BuiltChain {
  std::vector<std::string> digest_keys;            // oldest first
  std::vector<std::vector<std::string>> log_keys;  // per digest
  std::vector<std::string> signatures;             // per digest: its x-amz-meta-signature
};

inline std::string digest_key(const ChainSpec& s, int hour) {
  return fmt::format(
      "{}AWSLogs/{}/CloudTrail-Digest/{}/2026/12/04/"
      "{}_CloudTrail-Digest_{}_{}_{}_20261204T{:02d}0000Z{}.json.gz",
      s.prefix, s.account, s.region, s.account, s.region, s.trail, s.region, hour,
      s.backfill ? "_backfill" : "");
}

inline std::string log_key(const ChainSpec& s, int hour, int n) {
  return fmt::format(
      "{}AWSLogs/{}/CloudTrail/{}/2026/12/04/{}_CloudTrail_{}_20261204T{:02d}{:02d}Z_{}{}.json.gz", s.prefix,
      s.account, s.region, s.account, s.region, hour, 5 + n, s.backfill ? "b" : "a", n);
}

inline std::string quoted_or_null(const std::optional<std::string>& value) {
  return value ? fmt::format("\"{}\"", *value) : "null";
}

/// Writes the chain's logs and digests under `root` (the bucket's copy) and returns their keys and
/// signatures.
inline BuiltChain write_chain(const fs::path& root, const ChainSpec& s,
                              const std::string& bucket = "bucket") {
  BuiltChain built;
  const SigningKey& key = test_key();
  const std::string fingerprint = verify::md5_hex(s.spki_fingerprint ? key.spki_der() : key.pkcs1_der());
  std::optional<std::string> prev_key, prev_hash, prev_signature;
  std::string prev_end;
  for (int i = 0; i < s.digests; ++i) {
    const int hour = s.first_hour + i * s.hour_step;
    std::string start = fmt::format("2026-12-04T{:02d}:00:00Z", hour);
    const std::string end = fmt::format("2026-12-04T{:02d}:00:00Z", hour + 1);
    if (i == s.restart_at) {
      prev_key.reset();
      prev_hash.reset();
      prev_signature.reset();
    }
    if (i == s.late_start_at) start = fmt::format("2026-12-04T{:02d}:05:00Z", hour);
    std::string log_entries;
    std::vector<std::string> logs;
    for (int n = 0; n < s.logs_per_digest; ++n) {
      const std::string k = log_key(s, hour, n);
      const std::string json = fmt::format(
          R"({{"Records":[{{"eventVersion":"1.08","eventTime":"2026-12-04T{:02d}:0{}:00Z","eventName":"E{}","recipientAccountId":"{}"}}]}})",
          hour, n % 10, n, s.account);
      write_file(root / k, gzip(json));
      log_entries += fmt::format(
          R"({}{{"s3Bucket":"{}","s3Object":"{}","hashValue":"{}","hashAlgorithm":"SHA-256","newestEventTime":"{}","oldestEventTime":"{}"}})",
          n ? "," : "", bucket, k, verify::sha256_hex(json), end, start);
      logs.push_back(k);
    }
    const std::string k = digest_key(s, hour);
    const std::string json = fmt::format(
        R"({{"awsAccountId":"{}","digestStartTime":"{}","digestEndTime":"{}","digestS3Bucket":"{}","digestS3Object":"{}",)"
        R"("digestPublicKeyFingerprint":"{}","digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":"{}","oldestEventTime":"{}",)"
        R"("previousDigestS3Bucket":{},"previousDigestS3Object":{},"previousDigestHashValue":{},"previousDigestHashAlgorithm":{},)"
        R"("previousDigestSignature":{},"logFiles":[{}]}})",
        s.account_id.empty() ? s.account : s.account_id, start, end, bucket, k, fingerprint, end, start,
        quoted_or_null(prev_key ? std::optional<std::string>(bucket) : std::nullopt),
        quoted_or_null(prev_key), quoted_or_null(prev_hash),
        quoted_or_null(prev_key ? std::optional<std::string>("SHA-256") : std::nullopt),
        quoted_or_null(prev_signature), log_entries);
    const std::string hash = verify::sha256_hex(json);
    const std::string signature = (i == s.other_key_at ? other_key() : key)
                                      .sign_hex(verify::string_to_sign(end, bucket, k, hash, prev_signature));
    write_file(root / k, gzip(json));
    built.digest_keys.push_back(k);
    built.log_keys.push_back(logs);
    built.signatures.push_back(signature);
    prev_key = k;
    prev_hash = hash;
    prev_signature = signature;
    prev_end = end;
  }
  return built;
}

/// A list-public-keys file holding `ders` (base64), written under `dir`; returns its path.
inline std::string write_public_keys(const fs::path& dir, const std::vector<std::string>& ders,
                                     const std::string& name = "keys.json") {
  std::string list;
  for (const std::string& der : ders)
    list += fmt::format(R"({}{{"Value":"{}","ValidityStartTime":"2026-01-01T00:00:00Z","Fingerprint":"{}"}})",
                        list.empty() ? "" : ",", base64(der), verify::md5_hex(der));
  const fs::path path = dir / name;
  write_file(path, fmt::format(R"({{"PublicKeyList":[{}]}})", list));
  return path.string();
}

/// A --signatures file: digest key -> the S3 metadata of that digest.
inline std::string write_signatures(const fs::path& dir, const std::map<std::string, std::string>& by_key,
                                    const std::string& name = "sigs.json") {
  std::string map;
  for (const auto& [key, signature] : by_key)
    map += fmt::format(R"({}"{}":{{"signature":"{}","signature-algorithm":"SHA256withRSA"}})",
                       map.empty() ? "" : ",", key, signature);
  const fs::path path = dir / name;
  write_file(path, "{" + map + "}");
  return path.string();
}

/// A temporary folder, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "tw-verify-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// s3://BUCKET/KEY objects held in memory, listed like S3 lists them with every key (as verify's source).
class MemoryS3 final : public InputSource {
 public:
  /// Every file under `root` becomes the object `prefix` + its path relative to `root`.
  void put_tree(const std::string& bucket, const fs::path& root, const std::string& prefix = "") {
    for (const auto& entry : fs::recursive_directory_iterator(root))
      if (entry.is_regular_file())
        objects_[fmt::format("s3://{}/{}{}", bucket, prefix,
                             fs::relative(entry.path(), root).generic_string())] = read_whole(entry.path());
  }
  std::map<std::string, std::string>& objects() { return objects_; }

  bool handles(std::string_view argument) const override { return argument.starts_with("s3://"); }
  void list(std::string_view argument, Discovery& out) const override {
    std::string folder(argument);
    if (!folder.ends_with('/') && folder.find('/', 5) != std::string::npos) folder += '/';
    if (folder.find('/', 5) == std::string::npos) folder += '/';
    bool any = false;
    for (const auto& [path, bytes] : objects_)
      if (path.starts_with(folder)) {
        out.files.push_back({path, bytes.size(), this, path.substr(folder.size())});
        any = true;
      }
    if (!any) out.errors.push_back({std::string(argument), "no object under it"});
  }
  std::string read(const InputFile& file, std::uint64_t, std::string& bytes) const override {
    ++reads_;
    auto it = objects_.find(file.path);
    if (it == objects_.end()) return "deleted after it was listed (NoSuchKey)";
    bytes = it->second;
    return "";
  }
  int reads() const { return reads_; }

 private:
  std::map<std::string, std::string> objects_;
  mutable std::atomic<int> reads_{0};
};

}  // namespace trailwatch::testing_support
