// Lists the copy, reads every digest and checks logs, locations, chains and signatures (docs/design.md
// "verify"). Digests and logs are read on worker threads; each result lands in its own slot, so the report
// is the same for any thread count.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <simdjson.h>

#include "trailwatch/ingest.hpp"
#include "trailwatch/verify.hpp"

namespace trailwatch::verify {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kS3Scheme = "s3://";
constexpr std::string_view kDigestFolder = "CloudTrail-Digest";
constexpr std::string_view kLogFolder = "CloudTrail";

// Keys are compared from their AWSLogs/ component on: a local root stands for the bucket, and a prefix before
// AWSLogs/ may or may not have been copied.
std::string anchored(std::string_view key) {
  const std::size_t at = key.find("AWSLogs/");
  return std::string(at == std::string_view::npos ? key : key.substr(at));
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The folder names on the way to a file, without its own name.
std::vector<std::string_view> folders_of(std::string_view path) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0, at; (at = path.find('/', start)) != std::string_view::npos; start = at + 1)
    out.push_back(path.substr(start, at - start));
  return out;
}

bool in_folder(std::string_view path, std::string_view folder) {
  const auto folders = folders_of(path);
  return std::find(folders.begin(), folders.end(), folder) != folders.end();
}

// "s3://BUCKET/KEY" -> BUCKET, KEY; nullopt for a local path.
std::optional<std::pair<std::string, std::string>> s3_location(std::string_view path) {
  if (!path.starts_with(kS3Scheme)) return std::nullopt;
  path.remove_prefix(kS3Scheme.size());
  const std::size_t slash = path.find('/');
  if (slash == std::string_view::npos) return std::pair{std::string(path), std::string()};
  return std::pair{std::string(path.substr(0, slash)), std::string(path.substr(slash + 1))};
}

struct Digest {
  std::string path;  // as listed: local path or s3://BUCKET/KEY
  std::string key;   // anchored key of where it lies
  // From the file name <acct>_CloudTrail-Digest_<region>_<trail>_<home-region>_<time>[_backfill].json.gz
  // (a trail name may hold '_'); empty when the name does not follow it.
  std::string account, region, trail;
  bool backfill = false;
  std::string inflated_sha256;
  std::string start, end, bucket, object, fingerprint;
  std::optional<std::string> account_id;  // awsAccountId
  std::optional<std::string> prev_object, prev_hash, prev_signature;
  std::vector<std::pair<std::string, std::string>> logs;  // s3Object, hashValue (lower case)
  bool invalid = false;
};

void name_parts(Digest& d) {
  std::string name = fs::path(d.path).filename().string();
  if (!name.ends_with(".json.gz")) return;
  name.resize(name.size() - std::string_view(".json.gz").size());
  if (name.ends_with("_backfill")) {
    d.backfill = true;
    name.resize(name.size() - std::string_view("_backfill").size());
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at; (at = name.find('_', start)) != std::string::npos; start = at + 1)
    parts.push_back(name.substr(start, at - start));
  parts.push_back(name.substr(start));
  if (parts.size() < 6 || parts[1] != kDigestFolder) return;
  d.account = parts[0];
  d.region = parts[2];
  for (std::size_t i = 3; i + 2 < parts.size(); ++i) d.trail += (i > 3 ? "_" : "") + parts[i];
}

std::optional<std::string> nullable(simdjson::dom::element object, std::string_view field) {
  std::string_view value;
  if (object[field].get(value)) return std::nullopt;
  return std::string(value);
}

// Reads a local file whole into `bytes` (reused). Returns why it could not, or "".
std::string read_local(const std::string& path, std::uint64_t max_bytes, std::string& bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::strerror(errno);
  struct stat st {};
  std::string error;
  if (::fstat(fd, &st) != 0) {
    error = std::strerror(errno);
  } else if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    error = fmt::format("larger than {} as stored", byte_size_text(max_bytes));
  } else {
    bytes.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error = n < 0 ? std::strerror(errno) : "the file shrank while it was read";
        break;
      }
      done += static_cast<std::size_t>(n);
    }
  }
  ::close(fd);
  return error;
}

std::string read_object(const InputFile& file, std::uint64_t max_bytes, std::string& bytes) {
  if (file.source != nullptr) return file.source->read(file, max_bytes, bytes);
  return read_local(file.path, max_bytes, bytes);
}

struct Listing {
  std::vector<InputFile> digests, logs;
};

void classify(InputFile file, Listing& out) {
  if (!file.path.ends_with(".json.gz")) return;
  if (in_folder(file.path, kDigestFolder))
    out.digests.push_back(std::move(file));
  else if (in_folder(file.path, kLogFolder))
    out.logs.push_back(std::move(file));
}

void walk(const std::string& root, Listing& out, VerifyReport& report) {
  std::error_code ec;
  const fs::file_status status = fs::status(root, ec);
  if (ec || !fs::exists(status)) {
    report.findings.push_back({root, "unreadable", "no such file or directory"});
    return;
  }
  if (!fs::is_directory(status)) {
    // A file argument is what it is named: a digest or a log by the folders on its way.
    classify(InputFile(root, static_cast<std::uint64_t>(fs::file_size(root, ec))), out);
    return;
  }
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec)) classify(InputFile(it->path().string(), it->file_size(ec)), out);
  if (ec) report.findings.push_back({root, "unreadable", ec.message()});
}

void list_arguments(const VerifyOptions& options, Listing& out, VerifyReport& report) {
  for (const std::string& argument : options.paths) {
    const InputSource* source = nullptr;
    for (const InputSource* s : options.sources)
      if (s != nullptr && s->handles(argument)) source = s;
    if (source == nullptr) {
      walk(argument, out, report);
      continue;
    }
    Discovery listed;
    source->list(argument, listed);
    for (const PathMessage& error : listed.errors)
      report.findings.push_back({error.path, "unreadable", error.message});
    for (InputFile& file : listed.files) classify(std::move(file), out);
  }
  // The same file reached twice (a path given twice, nested arguments) is checked once.
  for (std::vector<InputFile>* files : {&out.digests, &out.logs}) {
    std::sort(files->begin(), files->end(),
              [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    files->erase(std::unique(files->begin(), files->end(),
                             [](const InputFile& a, const InputFile& b) { return a.path == b.path; }),
                 files->end());
  }
}

// One digest read: the digest, or why it could not be used, plus findings about the file itself.
struct DigestRead {
  std::optional<Digest> digest;
  std::vector<Finding> findings;
};

DigestRead read_digest(const InputFile& file, std::uint64_t max_bytes, simdjson::dom::parser& parser,
                       std::string& raw) {
  DigestRead out;
  Digest d;
  d.path = file.path;
  const auto s3 = s3_location(file.path);
  d.key = anchored(s3 ? s3->second : file.path);
  name_parts(d);
  if (std::string error = read_object(file, max_bytes, raw); !error.empty()) {
    out.findings.push_back({file.path, "unreadable", error});
    return out;
  }
  Inflated inflated = inflate_one_member(raw, std::uint64_t{1} << 30);
  if (!inflated.error.empty()) {
    out.findings.push_back({file.path, "unreadable", inflated.error});
    return out;
  }
  if (inflated.extra_data) {
    // CloudTrail writes one member: the rest was added. The first member is still checked as the digest.
    d.invalid = true;
    out.findings.push_back({file.path, "extra_gzip_data", "data after the digest's gzip member"});
  }
  d.inflated_sha256 = sha256_hex(inflated.bytes);
  simdjson::dom::element root;
  if (parser.parse(inflated.bytes).get(root) || !root.is_object()) {
    out.findings.push_back({file.path, "unreadable", "not a JSON digest"});
    return out;
  }
  std::string_view s;
  // The fields the AWS CLI requires; previousDigestSignature may be null.
  const bool complete =
      !root["digestStartTime"].get(s) && (d.start = s, true) && !root["digestEndTime"].get(s) &&
      (d.end = s, true) && !root["digestS3Bucket"].get(s) && (d.bucket = s, true) &&
      !root["digestS3Object"].get(s) && (d.object = s, true) && !root["digestPublicKeyFingerprint"].get(s) &&
      (d.fingerprint = lower(s), true) && root["previousDigestSignature"].error() != simdjson::NO_SUCH_FIELD;
  if (!complete) {
    out.findings.push_back({file.path, "unreadable", "a digest without its required fields"});
    return out;
  }
  d.account_id = nullable(root, "awsAccountId");
  d.prev_object = nullable(root, "previousDigestS3Object");
  d.prev_hash = nullable(root, "previousDigestHashValue");
  if (d.prev_hash) d.prev_hash = lower(*d.prev_hash);
  d.prev_signature = nullable(root, "previousDigestSignature");
  simdjson::dom::array logs;
  if (!root["logFiles"].get(logs))
    for (simdjson::dom::element log : logs) {
      std::string_view object, hash;
      if (log["s3Object"].get(object) || log["hashValue"].get(hash)) {
        out.findings.push_back({file.path, "unreadable", "a logFiles entry without s3Object or hashValue"});
        continue;
      }
      d.logs.emplace_back(std::string(object), lower(hash));
    }
  out.digest = std::move(d);
  return out;
}

// Where the digest lies against where it says it was written, and the account and region of its folder
// against its name and awsAccountId. Returns what differs, or "".
std::string misplacement(const Digest& d) {
  std::vector<std::string> why;
  const auto s3 = s3_location(d.path);
  // In the bucket the digest names, the key must be the very one; anywhere else (a local copy, another
  // bucket) it is compared from AWSLogs/ on.
  const bool exact = s3 && s3->first == d.bucket;
  if (exact ? s3->second != d.object : d.key != anchored(d.object))
    why.push_back(fmt::format("the digest says it was written to {}/{}", d.bucket, d.object));
  const auto folders = folders_of(d.key);
  const auto at = std::find(folders.begin(), folders.end(), kDigestFolder);
  const std::string folder_account =
      at != folders.begin() && at != folders.end() ? std::string(*(at - 1)) : "";
  const std::string folder_region =
      at != folders.end() && at + 1 != folders.end() ? std::string(*(at + 1)) : "";
  if (!folder_account.empty() && !d.account.empty() && folder_account != d.account)
    why.push_back(fmt::format("its name is account {}'s but it lies in account {}'s folder", d.account,
                              folder_account));
  if (!folder_account.empty() && d.account_id && *d.account_id != folder_account)
    why.push_back(fmt::format("its awsAccountId is {} but it lies in account {}'s folder", *d.account_id,
                              folder_account));
  if (!folder_region.empty() && !d.region.empty() && folder_region != d.region)
    why.push_back(
        fmt::format("its name is region {}'s but it lies in region {}'s folder", d.region, folder_region));
  return fmt::format("{}", fmt::join(why, "; "));
}

struct HeadSignature {
  std::string signature, algorithm;
};

std::map<std::string, HeadSignature> load_signatures(const std::string& path, VerifyReport& r) {
  std::map<std::string, HeadSignature> out;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.load(path).get(root)) {
    r.findings.push_back({path, "unreadable", "not a JSON object of digest key -> S3 metadata"});
    return out;
  }
  for (auto [key, value] : root) {
    std::string_view signature, algorithm;
    if (value["signature"].get(signature)) {
      r.findings.push_back(
          {path, "unreadable", fmt::format("{}: no \"signature\" (give the object's S3 metadata)", key)});
      continue;
    }
    if (value["signature-algorithm"].get(algorithm)) algorithm = "";
    out[anchored(key)] = {std::string(signature), std::string(algorithm)};
  }
  return out;
}

// A listed log and what the digests that list it say of it.
struct LogCheck {
  InputFile file;
  std::vector<std::pair<std::string, std::string>> listed;  // hashValue, digest path
};

void check_logs(const std::vector<Digest>& digests, const Listing& listing, const VerifyOptions& options,
                unsigned threads, VerifyReport& r) {
  std::map<std::string, const InputFile*> by_key;  // anchored key -> the first copy of the log
  for (const InputFile& file : listing.logs) {
    const auto s3 = s3_location(file.path);
    by_key.emplace(anchored(s3 ? s3->second : file.path), &file);
  }
  std::map<std::string, std::size_t> check_of;  // anchored key -> index in checks
  std::vector<LogCheck> checks;
  std::set<std::string> listed_keys;
  for (const Digest& d : digests)
    for (const auto& [object, hash] : d.logs) {
      const std::string key = anchored(object);
      if (listed_keys.insert(key).second) {
        ++r.logs_total;
        if (auto it = by_key.find(key); it != by_key.end()) {
          check_of[key] = checks.size();
          checks.push_back({*it->second, {}});
        } else {
          ++r.logs_missing;
          r.findings.push_back({object, "missing", fmt::format("listed in {}", d.path)});
        }
      }
      if (auto it = check_of.find(key); it != check_of.end())
        checks[it->second].listed.emplace_back(hash, d.path);
    }

  // Hash every present log once, in listing order (S3 objects are fetched ahead in that order).
  Discovery reads;
  for (const LogCheck& check : checks) reads.files.push_back(check.file);
  std::vector<MemberHash> hashes(checks.size());
  std::vector<std::string> read_errors(checks.size());
  {
    AnnouncedReads announced(reads, options.max_object_bytes);
    std::vector<std::unique_ptr<MemberHasher>> hashers(threads);
    std::vector<std::string> buffers(threads);
    run_workers(threads, checks.size(), [&](unsigned worker, std::size_t i) {
      if (!hashers[worker]) hashers[worker] = std::make_unique<MemberHasher>();
      std::string& raw = buffers[worker];
      read_errors[i] = read_object(reads.files[i], options.max_object_bytes, raw);
      if (!read_errors[i].empty()) return;
      hashes[i] = hashers[worker]->hash(raw);
      // A log's bytes are not kept: the next one reuses the buffer, and a large one gives its memory back.
      if (raw.capacity() > (std::size_t{64} << 20)) std::string().swap(raw);
    });
  }
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const LogCheck& check = checks[i];
    const MemberHash& h = hashes[i];
    if (!read_errors[i].empty()) {
      ++r.logs_unreadable;
      r.findings.push_back({check.file.path, "unreadable", read_errors[i]});
    } else if (!h.error.empty()) {
      ++r.logs_modified;
      r.findings.push_back({check.file.path, "modified", h.error});
    } else if (h.extra_data) {
      ++r.logs_modified;
      r.findings.push_back({check.file.path, "extra_gzip_data", "data after the first gzip member"});
    } else {
      std::vector<std::string> differs;
      for (const auto& [hash, digest] : check.listed)
        if (hash != h.sha256) differs.push_back(digest);
      if (differs.empty()) {
        ++r.logs_valid;
      } else {
        ++r.logs_modified;
        r.findings.push_back({check.file.path, "modified",
                              fmt::format("SHA-256 of the inflated log differs from the hashValue in {}",
                                          fmt::join(differs, ", "))});
      }
    }
  }
  for (const auto& [key, file] : by_key)
    if (!listed_keys.contains(key)) {
      ++r.logs_total;
      ++r.logs_not_in_any_digest;
      r.findings.push_back({file->path, "not_in_any_digest", "no digest here lists this log"});
    }
}

}  // namespace

bool Finding::operator<(const Finding& other) const {
  return std::tie(path, kind, detail) < std::tie(other.path, other.kind, other.detail);
}

VerifyReport verify_archive(const VerifyOptions& options) {
  VerifyReport r;
  const unsigned threads = options.threads > 0 ? options.threads : default_thread_count();
  PublicKeys keys;
  for (const std::string& file : options.public_key_files) {
    std::string error = load_public_keys(file, keys);
    if (!error.empty()) r.findings.push_back({file, "unreadable", error});
  }
  r.keys_given = !options.public_key_files.empty();
  std::map<std::string, HeadSignature> head_signatures;
  if (!options.signatures_file.empty()) head_signatures = load_signatures(options.signatures_file, r);

  Listing listing;
  list_arguments(options, listing, r);
  if (listing.digests.empty())
    r.findings.push_back({fmt::format("{}", fmt::join(options.paths, " ")), "unreadable",
                          "no CloudTrail-Digest file found, nothing to check against"});

  // Digests: small, read whole, in parallel (each S3 object is a round trip).
  std::vector<DigestRead> reads(listing.digests.size());
  {
    Discovery announce;
    announce.files = listing.digests;
    AnnouncedReads announced(announce, options.max_object_bytes);
    std::vector<simdjson::dom::parser> parsers(threads);
    std::vector<std::string> buffers(threads);
    run_workers(threads, listing.digests.size(), [&](unsigned worker, std::size_t i) {
      reads[i] = read_digest(announce.files[i], options.max_object_bytes, parsers[worker], buffers[worker]);
    });
  }
  std::vector<Digest> digests;
  std::set<std::string> unusable;  // anchored keys of digests present but unreadable
  for (std::size_t i = 0; i < reads.size(); ++i) {
    ++r.digests_total;
    for (Finding& f : reads[i].findings) r.findings.push_back(std::move(f));
    if (reads[i].digest) {
      digests.push_back(std::move(*reads[i].digest));
    } else {
      ++r.digests_invalid;
      const auto s3 = s3_location(listing.digests[i].path);
      unusable.insert(anchored(s3 ? s3->second : listing.digests[i].path));
    }
  }
  reads.clear();
  check_logs(digests, listing, options, threads, r);

  // Digests by where they lie, and by where they say they were written (a moved digest still links its
  // chain).
  std::map<std::string, std::size_t> by_key, by_claim;
  for (std::size_t i = 0; i < digests.size(); ++i) {
    by_key.emplace(digests[i].key, i);
    by_claim.emplace(anchored(digests[i].object), i);
  }
  auto lookup = [&](const std::string& key) -> std::optional<std::size_t> {
    if (auto it = by_key.find(key); it != by_key.end()) return it->second;
    if (auto it = by_claim.find(key); it != by_claim.end()) return it->second;
    return std::nullopt;
  };

  for (Digest& d : digests)
    if (std::string why = misplacement(d); !why.empty()) {
      d.invalid = true;
      r.findings.push_back({d.path, "digest_moved", why});
    }

  // Chains: one per account, region, trail and kind (backfill digests form their own chain), in time order.
  std::map<std::tuple<std::string, std::string, std::string, bool>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < digests.size(); ++i)
    groups[{digests[i].account, digests[i].region, digests[i].trail, digests[i].backfill}].push_back(i);
  std::map<std::string, std::size_t>
      next_of;  // anchored key of a digest -> the digest that names it previous
  for (auto& [id, members] : groups) {
    std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      return std::tie(digests[a].end, digests[a].key) < std::tie(digests[b].end, digests[b].key);
    });
    const auto& [account, region, trail, backfill] = id;
    Chain chain{account, region, trail, backfill, digests[members.front()].start, digests[members.back()].end,
                0};
    for (std::size_t n = 0; n < members.size(); ++n) {
      Digest& d = digests[members[n]];
      if (!d.prev_object) {
        if (n > 0) {
          ++chain.restarts;
          const Digest& before = digests[members[n - 1]];
          r.gaps.push_back({account, region, trail, before.end, d.start});
          r.findings.push_back(
              {d.path, "restart",
               fmt::format("the chain starts again: no digest from {} to {}", before.end, d.start)});
        }
        continue;
      }
      const std::string prev_key = anchored(*d.prev_object);
      next_of.emplace(prev_key, members[n]);
      const std::optional<std::size_t> prev = lookup(prev_key);
      if (!prev) {
        // The oldest digest of a chain in the copy points before the copy's start: where the copy begins,
        // not a break. A digest present but unreadable is already named.
        if (n > 0 && !unusable.contains(prev_key))
          r.findings.push_back({d.path, "previous_digest_missing",
                                fmt::format("its previous digest {} is not here", *d.prev_object)});
        continue;
      }
      Digest& p = digests[*prev];
      if (!d.prev_hash || p.inflated_sha256 != *d.prev_hash) {
        p.invalid = true;
        r.findings.push_back({p.path, "chain_hash_mismatch",
                              fmt::format("its SHA-256 differs from previousDigestHashValue in {}", d.path)});
      }
      // Backfill digests cover the periods they complete, not consecutive hours: no continuity to check.
      if (!backfill && p.end != d.start)
        r.findings.push_back(
            {d.path, "discontinuity",
             fmt::format("digestStartTime {} is not the previous digestEndTime {}", d.start, p.end)});
    }
    r.chains.push_back(chain);
  }

  // A digest named in --signatures is the newest of its chain: gone from a copy that holds that chain, it was
  // deleted (a newest digest deleted leaves no other trace offline).
  std::set<std::tuple<std::string, std::string, std::string, bool>> chain_ids;
  for (const auto& [id, members] : groups) chain_ids.insert(id);
  for (const auto& [key, head] : head_signatures) {
    if (lookup(key) || unusable.contains(key)) continue;
    Digest named;
    named.path = key;
    name_parts(named);
    if (chain_ids.contains({named.account, named.region, named.trail, named.backfill}))
      r.findings.push_back({key, "missing", "--signatures names this digest, and the copy does not hold it"});
  }

  // Signatures: digest k's is in digest k+1; a chain's newest is only in its S3 metadata (--signatures).
  for (Digest& d : digests) {
    std::optional<std::string> signature;
    auto next = next_of.find(d.key);
    if (next == next_of.end()) next = next_of.find(anchored(d.object));
    if (next != next_of.end()) {
      signature = digests[next->second].prev_signature;
    } else if (auto saved = head_signatures.find(d.key); saved != head_signatures.end()) {
      signature = saved->second.signature;
    } else if (auto named = head_signatures.find(anchored(d.object)); named != head_signatures.end()) {
      signature = named->second.signature;
    }
    std::string why_unverified;
    if (!r.keys_given)
      why_unverified = "no --public-keys";
    else if (!signature && next != next_of.end())
      why_unverified =
          fmt::format("{} names it previous with a null previousDigestSignature", digests[next->second].path);
    else if (!signature)
      why_unverified =
          "no signature: no digest here names it previous, and --signatures does not hold its S3 metadata";
    else if (!keys.contains(d.fingerprint))
      why_unverified = fmt::format("no public key with fingerprint {} among --public-keys", d.fingerprint);
    if (!why_unverified.empty()) {
      ++r.digests_unverified_signature;
      if (r.keys_given) r.findings.push_back({d.path, "signature_unverified", why_unverified});
      continue;
    }
    const std::string message =
        string_to_sign(d.end, d.bucket, d.object, d.inflated_sha256, d.prev_signature);
    if (std::string error = check_signature(keys[d.fingerprint], message, *signature); !error.empty()) {
      d.invalid = true;
      r.findings.push_back({d.path, "signature_invalid", error});
    }
  }
  for (const Digest& d : digests) ++(d.invalid ? r.digests_invalid : r.digests_valid);
  std::stable_sort(r.findings.begin(), r.findings.end());
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
