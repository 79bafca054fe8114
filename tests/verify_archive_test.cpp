// The checks of docs/design.md "verify" one at a time, on archives built by verify_fixture.hpp: each case is
// reported as what it is, and nothing else is flagged.
#include <gtest/gtest.h>

#include <algorithm>

#include "trailwatch/verify.hpp"
#include "verify_fixture.hpp"

namespace {

using namespace trailwatch::testing_support;
using trailwatch::verify::Finding;
using trailwatch::verify::verify_archive;
using trailwatch::verify::verify_exit_code;
using trailwatch::verify::VerifyOptions;
using trailwatch::verify::VerifyReport;

std::vector<std::string> kinds(const VerifyReport& r) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings) out.push_back(f.kind);
  std::sort(out.begin(), out.end());
  return out;
}

std::string dump(const VerifyReport& r) {
  return trailwatch::verify::verify_json(r);
}

const Finding* find(const VerifyReport& r, const std::string& kind) {
  for (const Finding& f : r.findings)
    if (f.kind == kind) return &f;
  return nullptr;
}

class VerifyArchive : public ::testing::Test {
 protected:
  fs::path root() const { return dir_.path() / "copy"; }
  fs::path at(const std::string& key) const { return root() / key; }

  VerifyOptions options(bool keys = true) const {
    VerifyOptions o;
    o.paths = {root().string()};
    o.threads = 2;
    if (keys) o.public_key_files = {write_public_keys(dir_.path(), {test_key().pkcs1_der()})};
    return o;
  }
  // The newest digest of each chain, with the signature CloudTrail put in its S3 metadata.
  std::string heads(const std::vector<std::pair<const BuiltChain*, int>>& chosen) const {
    std::map<std::string, std::string> map;
    for (const auto& [chain, index] : chosen) map[chain->digest_keys[index]] = chain->signatures[index];
    return write_signatures(dir_.path(), map);
  }
  VerifyReport run(VerifyOptions o) const { return verify_archive(o); }

  TempDir dir_;
};

TEST_F(VerifyArchive, IntactChainWithKeysAndTheNewestSignature) {
  const BuiltChain chain = write_chain(root(), {});
  VerifyOptions o = options();
  o.signatures_file = heads({{&chain, 2}});
  const VerifyReport r = run(o);
  EXPECT_TRUE(r.findings.empty()) << dump(r);
  EXPECT_EQ(r.digests_total, 3u);
  EXPECT_EQ(r.digests_valid, 3u);
  EXPECT_EQ(r.digests_unverified_signature, 0u);
  EXPECT_EQ(r.logs_total, 6u);
  EXPECT_EQ(r.logs_valid, 6u);
  ASSERT_EQ(r.chains.size(), 1u);
  EXPECT_EQ(r.chains[0].account, "111122223333");
  EXPECT_EQ(r.chains[0].region, "us-east-1");
  EXPECT_EQ(r.chains[0].trail, "main");
  EXPECT_EQ(r.chains[0].first, "2026-12-04T00:00:00Z");
  EXPECT_EQ(r.chains[0].last, "2026-12-04T03:00:00Z");
  EXPECT_EQ(r.chains[0].restarts, 0);
  EXPECT_TRUE(r.gaps.empty());
  EXPECT_EQ(verify_exit_code(r), 0);
}

TEST_F(VerifyArchive, WithoutKeysNothingIsFlaggedAndSignaturesAreCounted) {
  write_chain(root(), {});
  const VerifyReport r = run(options(false));
  EXPECT_TRUE(r.findings.empty()) << dump(r);
  EXPECT_EQ(r.digests_unverified_signature, 3u);
  EXPECT_EQ(r.digests_valid, 3u);
  EXPECT_EQ(verify_exit_code(r), 0);
}

TEST_F(VerifyArchive, NewestDigestWithoutASignatureIsUnverifiedNotFailed) {
  const BuiltChain chain = write_chain(root(), {});
  const VerifyReport r = run(options());
  ASSERT_EQ(kinds(r), std::vector<std::string>{"signature_unverified"}) << dump(r);
  EXPECT_EQ(r.findings[0].path, at(chain.digest_keys[2]).string());
  EXPECT_EQ(r.digests_unverified_signature, 1u);
  EXPECT_EQ(r.digests_valid, 3u);
  EXPECT_EQ(verify_exit_code(r), 0);
}

TEST_F(VerifyArchive, HashChainThroughPreviousDigestHashValue) {
  // The middle digest's JSON changed after the next one was written: the next one's previousDigestHashValue
  // no longer matches it. Without keys that is the only thing to see.
  const BuiltChain chain = write_chain(root(), {});
  const fs::path middle = at(chain.digest_keys[1]);
  std::string json = trailwatch::verify::inflate_one_member(read_whole(middle)).bytes;
  json.replace(json.find("\"newestEventTime\":\"2026"), 23, "\"newestEventTime\":\"2027");
  write_file(middle, gzip(json));
  const VerifyReport r = run(options(false));
  ASSERT_EQ(kinds(r), std::vector<std::string>{"chain_hash_mismatch"}) << dump(r);
  EXPECT_EQ(r.findings[0].path, middle.string());
  EXPECT_NE(r.findings[0].detail.find(chain.digest_keys[2]), std::string::npos);
  EXPECT_EQ(r.digests_invalid, 1u);
  EXPECT_EQ(verify_exit_code(r), 1);

  // With keys its own signature (carried by the next digest) fails too: one changed digest, two proofs.
  const VerifyReport signed_r = run(options());
  EXPECT_EQ(kinds(signed_r),
            (std::vector<std::string>{"chain_hash_mismatch", "signature_invalid", "signature_unverified"}))
      << dump(signed_r);
}

TEST_F(VerifyArchive, StartTimeMustBeThePreviousEndTime) {
  ChainSpec spec;
  spec.late_start_at = 2;
  const BuiltChain chain = write_chain(root(), spec);
  const VerifyReport r = run(options(false));
  ASSERT_EQ(kinds(r), std::vector<std::string>{"discontinuity"}) << dump(r);
  EXPECT_EQ(r.findings[0].path, at(chain.digest_keys[2]).string());
  EXPECT_NE(r.findings[0].detail.find("2026-12-04T02:05:00Z"), std::string::npos);
  EXPECT_EQ(verify_exit_code(r), 0);  // a warning: the rule is inferred
}

TEST_F(VerifyArchive, ARestartIsAGapNotAFailure) {
  ChainSpec spec;
  spec.digests = 4;
  spec.restart_at = 2;
  spec.late_start_at = 2;  // logging was off for a while: the new chain starts later
  const BuiltChain chain = write_chain(root(), spec);
  VerifyOptions o = options();
  o.signatures_file = heads({{&chain, 1}, {&chain, 3}});  // each part of the chain has its newest
  const VerifyReport r = run(o);
  ASSERT_EQ(kinds(r), std::vector<std::string>{"restart"}) << dump(r);
  EXPECT_EQ(r.findings[0].path, at(chain.digest_keys[2]).string());
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].from, "2026-12-04T02:00:00Z");
  EXPECT_EQ(r.gaps[0].to, "2026-12-04T02:05:00Z");
  EXPECT_EQ(r.gaps[0].trail, "main");
  ASSERT_EQ(r.chains.size(), 1u);
  EXPECT_EQ(r.chains[0].restarts, 1);
  EXPECT_EQ(r.digests_valid, 4u);
  EXPECT_EQ(verify_exit_code(r), 0);
}

TEST_F(VerifyArchive, ABackfillChainIsAChainOfItsOwn) {
  const BuiltChain normal = write_chain(root(), {});
  ChainSpec spec;
  spec.backfill = true;
  spec.first_hour = 0;
  spec.hour_step = 5;  // backfill digests come when delays needed them, not every hour
  spec.digests = 3;
  const BuiltChain backfill = write_chain(root(), spec);
  VerifyOptions o = options();
  o.signatures_file = heads({{&normal, 2}, {&backfill, 2}});
  const VerifyReport r = run(o);
  EXPECT_TRUE(r.findings.empty()) << dump(r);
  ASSERT_EQ(r.chains.size(), 2u);
  EXPECT_FALSE(r.chains[0].backfill);
  EXPECT_TRUE(r.chains[1].backfill);
  EXPECT_EQ(r.chains[1].last, "2026-12-04T11:00:00Z");
  EXPECT_EQ(r.digests_valid, 6u);
  EXPECT_EQ(r.logs_valid, 12u);
  EXPECT_NE(dump(r).find("\"trail\":\"main_backfill\""), std::string::npos);
  EXPECT_EQ(verify_exit_code(r), 0);

  // Its newest needs its own saved signature: the normal chain's does not cover it.
  o.signatures_file = heads({{&normal, 2}});
  const VerifyReport without = run(o);
  ASSERT_EQ(kinds(without), std::vector<std::string>{"signature_unverified"}) << dump(without);
  EXPECT_EQ(without.findings[0].path, at(backfill.digest_keys[2]).string());
}

TEST_F(VerifyArchive, ALogNoDigestListsIsReportedNotFailed) {
  const BuiltChain chain = write_chain(root(), {});
  const std::string extra =
      "AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/04/"
      "111122223333_CloudTrail_us-east-1_20261204T0305Z_late.json.gz";
  write_file(at(extra), gzip(R"({"Records":[]})"));
  VerifyOptions o = options();
  o.signatures_file = heads({{&chain, 2}});
  const VerifyReport r = run(o);
  ASSERT_EQ(kinds(r), std::vector<std::string>{"not_in_any_digest"}) << dump(r);
  EXPECT_EQ(r.findings[0].path, at(extra).string());
  EXPECT_EQ(r.logs_total, 7u);
  EXPECT_EQ(r.logs_not_in_any_digest, 1u);
  EXPECT_EQ(verify_exit_code(r), 0);
}

TEST_F(VerifyArchive, ADeletedMiddleDigestBreaksTheChainAndLeavesItsLogsInNoDigest) {
  const BuiltChain chain = write_chain(root(), {});
  fs::remove(at(chain.digest_keys[1]));
  VerifyOptions o = options();
  o.signatures_file = heads({{&chain, 2}});
  const VerifyReport r = run(o);
  // The oldest digest's signature was in the deleted one: it cannot be checked any more, which is part of
  // what a deleted digest does.
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"not_in_any_digest", "not_in_any_digest",
                                                "previous_digest_missing", "signature_unverified"}))
      << dump(r);
  const Finding* missing = find(r, "previous_digest_missing");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->path, at(chain.digest_keys[2]).string());
  EXPECT_NE(missing->detail.find(chain.digest_keys[1]), std::string::npos);
  for (const Finding& f : r.findings) {
    if (f.kind == "not_in_any_digest") {
      EXPECT_TRUE(f.path == at(chain.log_keys[1][0]).string() || f.path == at(chain.log_keys[1][1]).string())
          << f.path;
    }
    if (f.kind == "signature_unverified") {
      EXPECT_EQ(f.path, at(chain.digest_keys[0]).string());
    }
  }
  EXPECT_EQ(r.digests_total, 2u);
  EXPECT_EQ(verify_exit_code(r), 1);
}

TEST_F(VerifyArchive, TheOldestDigestOfACopyMayPointBeforeIt) {
  // A copy of part of the archive starts in the middle of a chain: not a break.
  const BuiltChain chain = write_chain(root(), {});
  fs::remove(at(chain.digest_keys[0]));
  for (const std::string& log : chain.log_keys[0]) fs::remove(at(log));
  VerifyOptions o = options();
  o.signatures_file = heads({{&chain, 2}});
  const VerifyReport r = run(o);
  EXPECT_TRUE(r.findings.empty()) << dump(r);
  EXPECT_EQ(verify_exit_code(r), 0);
}

TEST_F(VerifyArchive, ADeletedNewestDigestIsSeenThroughTheSavedSignatures) {
  const BuiltChain chain = write_chain(root(), {});
  fs::remove(at(chain.digest_keys[2]));
  VerifyOptions o = options();
  o.signatures_file = heads({{&chain, 2}});
  const VerifyReport r = run(o);
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"missing", "not_in_any_digest", "not_in_any_digest",
                                                "signature_unverified"}))
      << dump(r);
  EXPECT_EQ(find(r, "missing")->path, chain.digest_keys[2]);
  EXPECT_EQ(find(r, "signature_unverified")->path, at(chain.digest_keys[1]).string());
  EXPECT_EQ(verify_exit_code(r), 1);
}

TEST_F(VerifyArchive, AMovedDigestIsSeenByItsDigestS3Object) {
  const BuiltChain chain = write_chain(root(), {});
  const fs::path moved = root() / "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/12/05" /
                         fs::path(chain.digest_keys[2]).filename();
  fs::create_directories(moved.parent_path());
  fs::rename(at(chain.digest_keys[2]), moved);
  VerifyOptions o = options();
  o.signatures_file = heads({{&chain, 2}});  // saved under its original key: the signature still checks
  const VerifyReport r = run(o);
  ASSERT_EQ(kinds(r), std::vector<std::string>{"digest_moved"}) << dump(r);
  EXPECT_EQ(r.findings[0].path, moved.string());
  EXPECT_NE(r.findings[0].detail.find("bucket/" + chain.digest_keys[2]), std::string::npos);
  EXPECT_EQ(r.digests_invalid, 1u);
  EXPECT_EQ(verify_exit_code(r), 1);
}

TEST_F(VerifyArchive, ADigestInAnotherRegionsFolderIsMoved) {
  const BuiltChain chain = write_chain(root(), {});
  const std::string key = chain.digest_keys[1];
  const fs::path moved = root() / std::string(key).replace(key.find("/us-east-1/"), 11, "/eu-west-1/");
  fs::create_directories(moved.parent_path());
  fs::rename(at(key), moved);
  const VerifyReport r = run(options(false));
  ASSERT_EQ(kinds(r), std::vector<std::string>{"digest_moved"}) << dump(r);
  EXPECT_NE(r.findings[0].detail.find("written to"), std::string::npos);
  EXPECT_NE(r.findings[0].detail.find("lies in region eu-west-1's folder"), std::string::npos);
}

TEST_F(VerifyArchive, ADigestsAccountMustBeItsFoldersAccount) {
  // Where it lies is what it says (digestS3Object), but its awsAccountId is another account's.
  ChainSpec spec;
  spec.account_id = "444455556666";
  write_chain(root(), spec);
  const VerifyReport r = run(options(false));
  ASSERT_EQ(kinds(r), (std::vector<std::string>{"digest_moved", "digest_moved", "digest_moved"})) << dump(r);
  EXPECT_NE(r.findings[0].detail.find("awsAccountId is 444455556666"), std::string::npos)
      << r.findings[0].detail;
  EXPECT_EQ(r.findings[0].detail.find("written to"), std::string::npos);
}

TEST_F(VerifyArchive, ADigestWhoseNameAndFolderDisagreeOnTheRegion) {
  // Written (and signed) at a key whose folder is eu-west-1 while the name says us-east-1.
  ChainSpec spec;
  spec.digests = 1;
  const BuiltChain chain = write_chain(root(), spec);
  const std::string key = chain.digest_keys[0];
  std::string json = trailwatch::verify::inflate_one_member(read_whole(at(key))).bytes;
  const std::string other = std::string(key).replace(key.find("/us-east-1/"), 11, "/eu-west-1/");
  json.replace(json.find(key), key.size(), other);
  fs::remove(at(key));
  write_file(at(other), gzip(json));
  const VerifyReport r = run(options(false));
  ASSERT_EQ(kinds(r), std::vector<std::string>{"digest_moved"}) << dump(r);
  EXPECT_EQ(r.findings[0].detail, "its name is region us-east-1's but it lies in region eu-west-1's folder");
}

TEST_F(VerifyArchive, AChangedLogAnAppendedMemberAndADeletedLog) {
  const BuiltChain chain = write_chain(root(), {});
  const fs::path changed = at(chain.log_keys[0][0]);
  std::string json = trailwatch::verify::inflate_one_member(read_whole(changed)).bytes;
  json.replace(json.find("\"E0\""), 4, "\"F0\"");
  write_file(changed, gzip(json));
  const fs::path appended = at(chain.log_keys[1][0]);
  write_file(appended, read_whole(appended) + gzip(R"({"Records":[{"eventName":"Hidden"}]})"));
  const fs::path deleted = at(chain.log_keys[2][1]);
  fs::remove(deleted);
  VerifyOptions o = options();
  o.signatures_file = heads({{&chain, 2}});
  const VerifyReport r = run(o);
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"extra_gzip_data", "missing", "modified"})) << dump(r);
  EXPECT_EQ(find(r, "modified")->path, changed.string());
  EXPECT_EQ(find(r, "extra_gzip_data")->path, appended.string());
  EXPECT_EQ(find(r, "missing")->path, chain.log_keys[2][1]);
  EXPECT_EQ(r.logs_modified, 2u);
  EXPECT_EQ(r.logs_missing, 1u);
  EXPECT_EQ(r.logs_valid, 3u);
  EXPECT_EQ(r.digests_valid, 3u);  // the digests themselves are intact
  EXPECT_EQ(verify_exit_code(r), 1);
}

TEST_F(VerifyArchive, TrailingBytesAndATruncatedLog) {
  const BuiltChain chain = write_chain(root(), {});
  write_file(at(chain.log_keys[0][0]), read_whole(at(chain.log_keys[0][0])) + "junk");
  const std::string whole = read_whole(at(chain.log_keys[0][1]));
  write_file(at(chain.log_keys[0][1]), whole.substr(0, whole.size() - 6));
  const VerifyReport r = run(options(false));
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"extra_gzip_data", "modified"})) << dump(r);
  EXPECT_NE(find(r, "modified")->detail.find("truncated"), std::string::npos) << dump(r);
  EXPECT_EQ(r.logs_modified, 2u);
}

TEST_F(VerifyArchive, AWrongKeyFailsTheSignatureItSigned) {
  ChainSpec spec;
  spec.other_key_at = 1;
  const BuiltChain chain = write_chain(root(), spec);
  VerifyOptions o = options();
  o.signatures_file = heads({{&chain, 2}});
  const VerifyReport r = run(o);
  ASSERT_EQ(kinds(r), std::vector<std::string>{"signature_invalid"}) << dump(r);
  EXPECT_EQ(r.findings[0].path, at(chain.digest_keys[1]).string());
  EXPECT_EQ(r.digests_invalid, 1u);
  EXPECT_EQ(verify_exit_code(r), 1);
}

TEST_F(VerifyArchive, KeysOfAnotherFingerprintLeaveSignaturesUnverified) {
  const BuiltChain chain = write_chain(root(), {});
  VerifyOptions o = options(false);
  o.public_key_files = {write_public_keys(dir_.path(), {other_key().pkcs1_der()}, "other.json")};
  o.signatures_file = heads({{&chain, 2}});
  const VerifyReport r = run(o);
  EXPECT_EQ(kinds(r), std::vector<std::string>(3, "signature_unverified")) << dump(r);
  EXPECT_NE(r.findings[0].detail.find("no public key with fingerprint"), std::string::npos);
  EXPECT_EQ(verify_exit_code(r), 0);
}

TEST_F(VerifyArchive, ASubjectPublicKeyInfoKeyIsNamedByTheMd5OfItsOwnDer) {
  ChainSpec spec;
  spec.spki_fingerprint = true;
  const BuiltChain chain = write_chain(root(), spec);
  VerifyOptions o = options(false);
  o.public_key_files = {write_public_keys(dir_.path(), {test_key().spki_der()}, "spki.json")};
  o.signatures_file = heads({{&chain, 2}});
  const VerifyReport r = run(o);
  EXPECT_TRUE(r.findings.empty()) << dump(r);
  EXPECT_EQ(r.digests_valid, 3u);
  EXPECT_EQ(r.digests_unverified_signature, 0u);
}

TEST_F(VerifyArchive, ACorruptDigestIsUnreadableAndNotAlsoMissing) {
  const BuiltChain chain = write_chain(root(), {});
  const std::string whole = read_whole(at(chain.digest_keys[1]));
  write_file(at(chain.digest_keys[1]), whole.substr(0, whole.size() / 2));
  const VerifyReport r = run(options(false));
  // Its logs are then in no digest this run could read.
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"not_in_any_digest", "not_in_any_digest", "unreadable"}))
      << dump(r);
  EXPECT_EQ(find(r, "unreadable")->path, at(chain.digest_keys[1]).string());
  EXPECT_EQ(verify_exit_code(r), 2);
}

TEST_F(VerifyArchive, ALogListedTwiceIsCheckedAgainstEachListing) {
  const BuiltChain chain = write_chain(root(), {});
  // Append the first digest's first log to the second digest's list, with another hash, and sign again by
  // rebuilding nothing: without keys only the log is in question.
  const fs::path second = at(chain.digest_keys[1]);
  std::string json = trailwatch::verify::inflate_one_member(read_whole(second)).bytes;
  const std::string entry = fmt::format(R"({{"s3Bucket":"bucket","s3Object":"{}","hashValue":"{}"}},)",
                                        chain.log_keys[0][0], std::string(64, 'a'));
  json.insert(json.find("\"logFiles\":[") + 12, entry);
  write_file(second, gzip(json));
  const VerifyReport r = run(options(false));
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"chain_hash_mismatch", "modified"})) << dump(r);
  EXPECT_NE(find(r, "modified")->detail.find(second.string()), std::string::npos);
}

TEST_F(VerifyArchive, NoDigestAtAllIsUnreadable) {
  write_file(root() / "AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/04/x.json.gz", gzip("{}"));
  const VerifyReport r = run(options(false));
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"not_in_any_digest", "unreadable"})) << dump(r);
  EXPECT_EQ(verify_exit_code(r), 2);
}

TEST_F(VerifyArchive, TheReportIsTheSameForAnyThreadCount) {
  const BuiltChain chain = write_chain(root(), {});
  ChainSpec other;
  other.region = "eu-west-1";
  other.digests = 5;
  other.restart_at = 3;
  write_chain(root(), other);
  fs::remove(at(chain.log_keys[1][0]));
  VerifyOptions o = options();
  o.threads = 1;
  const std::string one = dump(run(o));
  o.threads = 7;
  EXPECT_EQ(dump(run(o)), one);
}

// --- s3:// copies, through an InputSource that lists every key --------------------------------------------

TEST_F(VerifyArchive, AnS3CopyComparesTheRealKeyInItsOwnBucket) {
  ChainSpec spec;
  spec.prefix = "trail/";
  const BuiltChain chain = write_chain(root(), spec);
  MemoryS3 s3;
  s3.put_tree("bucket", root());
  VerifyOptions o = options();
  o.paths = {"s3://bucket/trail"};
  o.sources = {&s3};
  o.signatures_file = heads({{&chain, 2}});
  const VerifyReport r = run(o);
  EXPECT_TRUE(r.findings.empty()) << dump(r);
  EXPECT_EQ(r.digests_valid, 3u);
  EXPECT_EQ(r.logs_valid, 6u);

  // Moved to another prefix of the same bucket: a local copy cannot see it (it compares from AWSLogs/ on),
  // the bucket itself can.
  auto& objects = s3.objects();
  const std::string from = "s3://bucket/" + chain.digest_keys[2];
  const std::string to = "s3://bucket/old/" + chain.digest_keys[2];
  objects[to] = objects[from];
  objects.erase(from);
  o.paths = {"s3://bucket/"};
  const VerifyReport moved = run(o);
  ASSERT_EQ(kinds(moved), std::vector<std::string>{"digest_moved"}) << dump(moved);
  EXPECT_EQ(moved.findings[0].path, to);
}

TEST_F(VerifyArchive, AnS3CopyInAnotherBucketIsComparedLikeALocalCopy) {
  const BuiltChain chain = write_chain(root(), {});
  MemoryS3 s3;
  s3.put_tree("evidence", root(), "case-42/");
  VerifyOptions o = options();
  o.paths = {"s3://evidence/case-42"};
  o.sources = {&s3};
  o.signatures_file = heads({{&chain, 2}});
  const VerifyReport r = run(o);
  EXPECT_TRUE(r.findings.empty()) << dump(r);

  // A changed object and a deleted one, named by their s3:// paths.
  auto& objects = s3.objects();
  objects["s3://evidence/case-42/" + chain.log_keys[0][0]] += gzip("{}");
  objects.erase("s3://evidence/case-42/" + chain.log_keys[1][1]);
  const VerifyReport tampered = run(o);
  EXPECT_EQ(kinds(tampered), (std::vector<std::string>{"extra_gzip_data", "missing"})) << dump(tampered);
  EXPECT_EQ(find(tampered, "extra_gzip_data")->path, "s3://evidence/case-42/" + chain.log_keys[0][0]);
}

TEST_F(VerifyArchive, AnS3ArgumentWithNothingBelowItIsUnreadable) {
  MemoryS3 s3;
  VerifyOptions o = options(false);
  o.paths = {"s3://empty/AWSLogs"};
  o.sources = {&s3};
  const VerifyReport r = run(o);
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"unreadable", "unreadable"})) << dump(r);
  EXPECT_EQ(verify_exit_code(r), 2);
}

}  // namespace
