// Walks the local copy, reads every digest and checks logs, locations, chains and signatures
// (docs/design.md "verify").
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <simdjson.h>

#include "trailwatch/verify.hpp"

namespace trailwatch::verify {

namespace fs = std::filesystem;

namespace {

// Keys are compared from their AWSLogs/ component on: the local root stands for the bucket and any prefix
// before AWSLogs/ may or may not have been copied.
std::string anchored(std::string_view key) {
  const std::size_t at = key.find("AWSLogs/");
  return std::string(at == std::string_view::npos ? key : key.substr(at));
}

struct Digest {
  std::string path;  // local
  std::string key;   // anchored local key
  std::string account, region, trail;
  bool backfill = false;
  std::string inflated_sha256;
  std::string start, end, bucket, object, fingerprint;
  std::optional<std::string> prev_object, prev_hash, prev_signature;
  std::vector<std::pair<std::string, std::string>> logs;  // s3Object, hashValue
  bool invalid = false;
};

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<std::string> nullable(simdjson::dom::element object, std::string_view field) {
  std::string_view value;
  if (object[field].get(value)) return std::nullopt;
  return std::string(value);
}

// <acct>_CloudTrail-Digest_<region>_<trail>_<home-region>_<time>[_backfill].json.gz; a trail name may hold
// '_'.
void name_parts(Digest& d) {
  std::string name = fs::path(d.path).filename().string();
  name = name.substr(0, name.size() - std::string_view(".json.gz").size());
  if (name.ends_with("_backfill")) {
    d.backfill = true;
    name.resize(name.size() - std::string_view("_backfill").size());
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at; (at = name.find('_', start)) != std::string::npos; start = at + 1)
    parts.push_back(name.substr(start, at - start));
  parts.push_back(name.substr(start));
  if (parts.size() < 6) return;
  d.account = parts[0];
  d.region = parts[2];
  for (std::size_t i = 3; i + 2 < parts.size(); ++i) d.trail += (i > 3 ? "_" : "") + parts[i];
}

struct Walk {
  std::vector<std::string> digests, logs;
};

void walk(const std::string& root, Walk& out, VerifyReport& report) {
  std::error_code ec;
  if (!fs::exists(root, ec)) {
    report.findings.push_back({root, "unreadable", "no such file or directory"});
    return;
  }
  auto classify = [&](const std::string& p) {
    if (!p.ends_with(".json.gz")) return;
    if (p.find("/CloudTrail-Digest/") != std::string::npos)
      out.digests.push_back(p);
    else if (p.find("/CloudTrail/") != std::string::npos)
      out.logs.push_back(p);
  };
  if (!fs::is_directory(root, ec)) return classify(root);
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec)) classify(it->path().string());
  if (ec) report.findings.push_back({root, "unreadable", ec.message()});
}

bool read_digest(const std::string& path, Digest& d, VerifyReport& report) {
  d.path = path;
  d.key = anchored(path);
  name_parts(d);
  std::optional<std::string> raw = read_file(path);
  if (!raw) {
    report.findings.push_back({path, "unreadable", "cannot open"});
    return false;
  }
  Inflated inflated = inflate_one_member(*raw);
  if (!inflated.error.empty() || inflated.extra_data) {
    report.findings.push_back(
        {path, "unreadable", inflated.error.empty() ? "data after the gzip member" : inflated.error});
    return false;
  }
  d.inflated_sha256 = sha256_hex(inflated.bytes);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const simdjson::padded_string text(inflated.bytes);
  if (parser.parse(text).get(root)) {
    report.findings.push_back({path, "unreadable", "not a JSON digest"});
    return false;
  }
  std::string_view s;
  const bool complete = !root["digestStartTime"].get(s) && (d.start = s, true) &&
                        !root["digestEndTime"].get(s) && (d.end = s, true) &&
                        !root["digestS3Bucket"].get(s) && (d.bucket = s, true) &&
                        !root["digestS3Object"].get(s) && (d.object = s, true) &&
                        !root["digestPublicKeyFingerprint"].get(s) && (d.fingerprint = s, true);
  if (!complete) {
    report.findings.push_back({path, "unreadable", "a digest without its required fields"});
    return false;
  }
  d.prev_object = nullable(root, "previousDigestS3Object");
  d.prev_hash = nullable(root, "previousDigestHashValue");
  d.prev_signature = nullable(root, "previousDigestSignature");
  simdjson::dom::array logs;
  if (!root["logFiles"].get(logs))
    for (simdjson::dom::element log : logs) {
      std::string_view object, hash;
      if (log["s3Object"].get(object) || log["hashValue"].get(hash)) continue;
      d.logs.emplace_back(std::string(object), std::string(hash));
    }
  return true;
}

void check_logs(const std::vector<Digest>& digests, const std::vector<std::string>& local_logs,
                VerifyReport& r) {
  std::map<std::string, std::string> by_key;  // anchored key -> local path
  for (const std::string& p : local_logs) by_key.emplace(anchored(p), p);
  std::set<std::string> listed;
  for (const Digest& d : digests)
    for (const auto& [object, hash] : d.logs) {
      const std::string key = anchored(object);
      if (!listed.insert(key).second) continue;
      ++r.logs_total;
      auto it = by_key.find(key);
      if (it == by_key.end()) {
        ++r.logs_missing;
        r.findings.push_back({object, "missing", fmt::format("listed in {}", d.path)});
        continue;
      }
      std::optional<std::string> raw = read_file(it->second);
      if (!raw) {
        ++r.logs_unreadable;
        r.findings.push_back({it->second, "unreadable", "cannot open"});
        continue;
      }
      Inflated inflated = inflate_one_member(*raw);
      if (!inflated.error.empty()) {
        ++r.logs_modified;
        r.findings.push_back({it->second, "modified", inflated.error});
      } else if (inflated.extra_data) {
        ++r.logs_modified;
        r.findings.push_back({it->second, "extra_gzip_data", "data after the first gzip member"});
      } else if (sha256_hex(inflated.bytes) != hash) {
        ++r.logs_modified;
        r.findings.push_back(
            {it->second, "modified", "SHA-256 of the inflated log differs from the digest's"});
      } else {
        ++r.logs_valid;
      }
    }
  for (const auto& [key, path] : by_key)
    if (!listed.contains(key)) {
      ++r.logs_total;
      ++r.logs_not_in_any_digest;
      r.findings.push_back({path, "not_in_any_digest", "no digest lists this log"});
    }
}

std::map<std::string, std::pair<std::string, std::string>> load_signatures(const std::string& path,
                                                                           VerifyReport& r) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.load(path).get(root)) {
    r.findings.push_back({path, "unreadable", "not a JSON object of digest key -> S3 metadata"});
    return out;
  }
  for (auto [key, value] : root) {
    std::string_view signature, algorithm;
    if (value["signature"].get(signature)) continue;
    if (value["signature-algorithm"].get(algorithm)) algorithm = "";
    out[anchored(key)] = {std::string(signature), std::string(algorithm)};
  }
  return out;
}

}  // namespace

VerifyReport verify_archive(const VerifyOptions& options) {
  VerifyReport r;
  PublicKeys keys;
  for (const std::string& file : options.public_key_files) {
    std::string error = load_public_keys(file, keys);
    if (!error.empty()) r.findings.push_back({file, "unreadable", error});
  }
  r.keys_given = !options.public_key_files.empty();
  std::map<std::string, std::pair<std::string, std::string>> head_signatures;
  if (!options.signatures_file.empty()) head_signatures = load_signatures(options.signatures_file, r);

  Walk files;
  for (const std::string& p : options.paths) walk(p, files, r);
  std::sort(files.digests.begin(), files.digests.end());
  std::sort(files.logs.begin(), files.logs.end());
  if (files.digests.empty())
    r.findings.push_back({fmt::format("{}", fmt::join(options.paths, " ")), "unreadable",
                          "no CloudTrail-Digest file found, nothing to check against"});

  std::vector<Digest> digests;
  for (const std::string& p : files.digests) {
    Digest d;
    ++r.digests_total;
    if (read_digest(p, d, r))
      digests.push_back(std::move(d));
    else
      ++r.digests_invalid;
  }
  check_logs(digests, files.logs, r);

  std::map<std::string, std::size_t> by_key;
  for (std::size_t i = 0; i < digests.size(); ++i) by_key[digests[i].key] = i;
  std::map<std::string, std::size_t> next_of;  // anchored key of a digest -> the digest that points at it
  for (std::size_t i = 0; i < digests.size(); ++i)
    if (digests[i].prev_object) next_of[anchored(*digests[i].prev_object)] = i;

  for (Digest& d : digests)
    if (anchored(d.object) != d.key) {
      d.invalid = true;
      r.findings.push_back(
          {d.path, "digest_moved", fmt::format("the digest says it was written to {}", d.object)});
    }

  // Chains: one per account, region, trail and kind (backfill digests form their own chain).
  std::map<std::tuple<std::string, std::string, std::string, bool>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < digests.size(); ++i)
    groups[{digests[i].account, digests[i].region, digests[i].trail, digests[i].backfill}].push_back(i);
  for (auto& [id, members] : groups) {
    std::sort(members.begin(), members.end(),
              [&](std::size_t a, std::size_t b) { return digests[a].end < digests[b].end; });
    Chain chain{std::get<0>(id),
                std::get<1>(id),
                std::get<2>(id),
                std::get<3>(id),
                digests[members.front()].start,
                digests[members.back()].end,
                0};
    for (std::size_t n = 0; n < members.size(); ++n) {
      Digest& d = digests[members[n]];
      if (!d.prev_object) {
        if (n > 0) {
          ++chain.restarts;
          const Digest& before = digests[members[n - 1]];
          r.gaps.push_back({chain.account, chain.region, chain.trail, before.end, d.start});
          r.findings.push_back(
              {d.path, "restart",
               fmt::format("the chain restarts: no digest from {} to {}", before.end, d.start)});
        }
        continue;
      }
      auto prev = by_key.find(anchored(*d.prev_object));
      if (prev == by_key.end()) {
        d.invalid = true;
        r.findings.push_back(
            {d.path, "previous_digest_missing", fmt::format("{} is not here", *d.prev_object)});
        continue;
      }
      Digest& p = digests[prev->second];
      if (!d.prev_hash || p.inflated_sha256 != *d.prev_hash) {
        p.invalid = true;
        r.findings.push_back({p.path, "chain_hash_mismatch",
                              fmt::format("its SHA-256 differs from previousDigestHashValue in {}", d.path)});
      }
      if (p.end != d.start)
        r.findings.push_back(
            {d.path, "discontinuity",
             fmt::format("digestStartTime {} is not the previous digestEndTime {}", d.start, p.end)});
    }
    r.chains.push_back(chain);
  }

  // Signatures: digest k's is in digest k+1; a chain's newest only in the saved S3 metadata.
  for (Digest& d : digests) {
    std::optional<std::string> signature;
    auto next = next_of.find(d.key);
    if (next != next_of.end())
      signature = digests[next->second].prev_signature;
    else if (auto saved = head_signatures.find(anchored(d.object)); saved != head_signatures.end())
      signature = saved->second.first;
    std::string why_unverified;
    if (!r.keys_given)
      why_unverified = "no --public-keys";
    else if (!signature)
      why_unverified = "no signature: the newest digest's is only in its S3 metadata (--signatures)";
    else if (!keys.contains(d.fingerprint))
      why_unverified = fmt::format("no public key with fingerprint {}", d.fingerprint);
    if (!why_unverified.empty()) {
      ++r.digests_unverified_signature;
      if (r.keys_given) r.findings.push_back({d.path, "signature_unverified", why_unverified});
      continue;
    }
    const std::string message =
        string_to_sign(d.end, d.bucket, d.object, d.inflated_sha256, d.prev_signature);
    std::string error = check_signature(keys[d.fingerprint], message, *signature);
    if (!error.empty()) {
      d.invalid = true;
      r.findings.push_back({d.path, "signature_invalid", error});
    }
  }
  for (const Digest& d : digests) ++(d.invalid ? r.digests_invalid : r.digests_valid);
  return r;
}

int verify_exit_code(const VerifyReport& report) {
  int code = 0;
  for (const Finding& f : report.findings) {
    if (f.kind == "unreadable") return 2;
    if (f.kind != "not_in_any_digest" && f.kind != "signature_unverified" && f.kind != "discontinuity" &&
        f.kind != "restart")
      code = 1;
  }
  return code;
}

}  // namespace trailwatch::verify
