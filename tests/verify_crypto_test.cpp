// Vectors of docs/design.md "verify" (from the aws-cli tests and CloudTrail's list-public-keys sample).
#include <gtest/gtest.h>
#include <zlib.h>

#include <optional>
#include <random>
#include <string>

#include "trailwatch/verify.hpp"
#include "verify_fixture.hpp"

namespace {

using trailwatch::verify::inflate_one_member;
using trailwatch::verify::sha256_hex;
using trailwatch::verify::string_to_sign;

std::string gzip(const std::string& text) {
  z_stream s{};
  deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&s, text.size()) + 32, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  s.avail_in = static_cast<uInt>(text.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  deflate(&s, Z_FINISH);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

TEST(VerifyCrypto, StringToSignWithoutPreviousSignature) {
  EXPECT_EQ(string_to_sign("a", "b", "c", sha256_hex("abc"), std::nullopt),
            "a\nb/c\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\nnull");
  EXPECT_EQ(string_to_sign("a", "b", "c", "00", std::string("ff")), "a\nb/c\n00\nff");
}

TEST(VerifyCrypto, FingerprintIsMd5OfTheDerBytes) {
  EXPECT_EQ(trailwatch::verify::md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(trailwatch::verify::md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

// The three keys of the CloudTrail User Guide's list-public-keys sample response, as given there (two PKCS#1
// RSAPublicKey, one SubjectPublicKeyInfo), with the fingerprints AWS lists beside them.
struct SampleKey {
  const char* value;
  const char* fingerprint;
  std::size_t der_size;
};
constexpr SampleKey kSampleKeys[] = {
    {"MIIBCgKCAQEAn11L2YZ9h7onug2ILi1MWyHiMRsTQjfWE+pHVRLk1QjfWhirG+lpOa8NrwQ/"
     "r7Ah5bNL6HepznOU9XTDSfmmnP97mqyc7z/"
     "upfZdS/AHhYcGaz7n6Wc/RRBU6VmiPCrAUojuSk6/GjvA8iOPFsYDuBtviXarvuLPlrT9kAd4Lb+rFfR5peEgBEkhlzc5HuWO7S0y+"
     "KunqxX6jQBnXGMtxmPBPP0FylgWGNdFtks/4YSKcgqwH0YDcawP9GGGDAeCIqPWIXDLG1jOjRRzWfCmD0iJUkz8vTsn4hq/"
     "5ZxRFE7UBAUiVcGbdnDdvVfhF9C3dQiDq3k7adQIziLT0cShgQIDAQAB",
     "8eba5db5bea9b640d1c96a77256fe7f2", 270},
    {"MIIBCgKCAQEApfYL2FiZhpN74LNWVUzhR+"
     "VheYhwhYm8w0n5Gf6i95ylW5kBAWKVEmnAQG7BvS5g9SMqFDQx52fW7NWV44IvfJ2xGXT+wT+"
     "DgR6ZQ+6yxskQNqV5YcXj4Aa5Zz4jJfsYjDuO2MDTZNIzNvBNzaBJ+r2WIWAJ/"
     "Xq54kyF63B6WE38vKuDE7nSd1FqQuEoNBFLPInvgggYe2Ym1Ref"
     "e2z71wNcJ2kY+q0h1BSHrSM8RWuJIw7MXwF9iQncg9jYzUlNJomozQzAG5wSRfbplcCYNY40xvGd/"
     "aAmO0m+Y+XFMrKwtLCwseHPvj843qVno6x4"
     "BJN9bpWnoPo9sdsbGoiK3QIDAQAB",
     "8933b39ddc64d26d8e14ffbf6566fee4", 270},
    {"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqlzPJbvZJ42UdcmLfPUqXYNfOs6I8lCfao/"
     "tOs8CmzPOEdtLWugB9xoIUz78qVHdKIqx"
     "baG4jWHfJBiOSSFBM0lt8cdVo4TnRa7oG9io5pysS6DJhBBAeXsicufsiFJR+wrUNh8RSLxL4k6G1+BhLX20tJkZ/"
     "erT97tDGBujAelqseGg3vPZ"
     "bTx9SMfOLN65PdLFudLP7Gat0Z9p5jw/"
     "rjpclKfo9Bfc3heeBxWGKwBBOKnFAaN9V57pOaosCvPKmHd9bg7jsQkI9Xp22IzGLsTFJZYVA3KiTAEl"
     "DMu80iFXPHEq9hKNbt9e4URFam+1utKVEiLkR2disdCmPTK0VQIDAQAB",
     "31e8b5433410dfb61a9dc45cc65b22ff", 294},
};

TEST(VerifyCrypto, FingerprintsOfCloudTrailsSampleKeys) {
  trailwatch::testing_support::TempDir dir;
  std::string list;
  for (const SampleKey& k : kSampleKeys)
    list += fmt::format(R"({}{{"Value":"{}","Fingerprint":"{}"}})", list.empty() ? "" : ",", k.value,
                        k.fingerprint);
  const auto path = dir.path() / "sample.json";
  trailwatch::testing_support::write_file(path, fmt::format(R"({{"PublicKeyList":[{}]}})", list));
  trailwatch::verify::PublicKeys keys;
  ASSERT_EQ(trailwatch::verify::load_public_keys(path.string(), keys), "");
  ASSERT_EQ(keys.size(), 3u);
  for (const SampleKey& k : kSampleKeys) {
    ASSERT_TRUE(keys.contains(k.fingerprint)) << k.fingerprint;
    EXPECT_EQ(keys[k.fingerprint].size(), k.der_size);
    EXPECT_EQ(trailwatch::verify::md5_hex(keys[k.fingerprint]), k.fingerprint);
  }
  // The SPKI key's fingerprint is of its SPKI bytes: its PKCS#1 part (after the 24-byte SPKI header) has
  // another.
  EXPECT_NE(trailwatch::verify::md5_hex(keys["31e8b5433410dfb61a9dc45cc65b22ff"].substr(24)),
            "31e8b5433410dfb61a9dc45cc65b22ff");
}

TEST(VerifyCrypto, AFingerprintInTheFileIsNotTrusted) {
  // A file whose Fingerprint was edited still names the key by the MD5 of its bytes.
  trailwatch::testing_support::TempDir dir;
  const auto path = dir.path() / "edited.json";
  trailwatch::testing_support::write_file(
      path, fmt::format(
                R"({{"PublicKeyList":[{{"Value":"{}","Fingerprint":"00000000000000000000000000000000"}}]}})",
                kSampleKeys[0].value));
  trailwatch::verify::PublicKeys keys;
  ASSERT_EQ(trailwatch::verify::load_public_keys(path.string(), keys), "");
  EXPECT_TRUE(keys.contains(kSampleKeys[0].fingerprint));
  EXPECT_FALSE(keys.contains("00000000000000000000000000000000"));
}

TEST(VerifyCrypto, BadKeyFilesSayWhy) {
  trailwatch::testing_support::TempDir dir;
  trailwatch::verify::PublicKeys keys;
  const auto not_json = dir.path() / "a.json";
  trailwatch::testing_support::write_file(not_json, "not json");
  EXPECT_NE(trailwatch::verify::load_public_keys(not_json.string(), keys), "");
  const auto no_list = dir.path() / "b.json";
  trailwatch::testing_support::write_file(no_list, R"({"Keys":[]})");
  EXPECT_NE(trailwatch::verify::load_public_keys(no_list.string(), keys).find("PublicKeyList"),
            std::string::npos);
  const auto not_a_key = dir.path() / "c.json";
  trailwatch::testing_support::write_file(not_a_key, R"({"PublicKeyList":[{"Value":"aGVsbG8="}]})");
  EXPECT_NE(trailwatch::verify::load_public_keys(not_a_key.string(), keys).find("not an RSA public key"),
            std::string::npos);
}

TEST(VerifyCrypto, SignaturesCheckWithEitherKeyForm) {
  const auto& key = trailwatch::testing_support::test_key();
  const std::string message =
      string_to_sign("2026-12-04T01:00:00Z", "bucket", "AWSLogs/x.json.gz", sha256_hex("{}"), std::nullopt);
  const std::string signature = key.sign_hex(message);
  EXPECT_EQ(trailwatch::verify::check_signature(key.pkcs1_der(), message, signature), "");
  EXPECT_EQ(trailwatch::verify::check_signature(key.spki_der(), message, signature), "");
  std::string changed = message;
  changed[0] = '3';
  EXPECT_NE(trailwatch::verify::check_signature(key.pkcs1_der(), changed, signature), "");
  EXPECT_NE(trailwatch::verify::check_signature(trailwatch::testing_support::other_key().pkcs1_der(), message,
                                                signature),
            "");
  EXPECT_EQ(trailwatch::verify::check_signature(key.pkcs1_der(), message, "zz"), "the signature is not hex");
}

TEST(VerifyCrypto, HashIsOfTheInflatedBytes) {
  const std::string log = R"({"Records":[]})";
  const auto inflated = inflate_one_member(gzip(log));
  EXPECT_TRUE(inflated.error.empty());
  EXPECT_FALSE(inflated.extra_data);
  EXPECT_EQ(sha256_hex(inflated.bytes), sha256_hex(log));
  EXPECT_NE(sha256_hex(gzip(log)), sha256_hex(log));
}

TEST(VerifyCrypto, MemberHasherHashesTheFirstMembersInflatedBytes) {
  trailwatch::verify::MemberHasher hasher;
  const std::string log = R"({"Records":[{"eventName":"E"}]})";
  EXPECT_EQ(hasher.hash(gzip(log)).sha256, sha256_hex(log));
  const auto two = hasher.hash(gzip(log) + gzip("{}"));
  EXPECT_EQ(two.sha256, sha256_hex(log));
  EXPECT_TRUE(two.extra_data);
  EXPECT_TRUE(hasher.hash(gzip(log) + "x").extra_data);
  EXPECT_FALSE(hasher.hash(gzip(log)).extra_data);
  const std::string whole = gzip(log);
  EXPECT_EQ(hasher.hash(whole.substr(0, whole.size() - 5)).error, "truncated gzip");
  std::string corrupt = whole;
  corrupt[12] = static_cast<char>(corrupt[12] ^ 0x55);
  EXPECT_FALSE(hasher.hash(corrupt).error.empty());
  EXPECT_EQ(hasher.hash("").error, "empty file");
  EXPECT_NE(hasher.hash(log).error.find("not gzip"), std::string::npos);
}

TEST(VerifyCrypto, MemberHasherStreamsMembersPastItsLimit) {
  // 3 MB of varied text through a hasher allowed 64 KiB whole: streamed through zlib, same answer.
  std::mt19937 random(7);
  std::string text;
  while (text.size() < (3u << 20)) text += fmt::format("{{\"n\":{}}},", random() % 100000);
  trailwatch::verify::MemberHasher small(1 << 16);
  trailwatch::verify::MemberHasher large;
  const std::string member = gzip(text);
  EXPECT_EQ(small.hash(member).sha256, sha256_hex(text));
  EXPECT_EQ(large.hash(member).sha256, sha256_hex(text));
  EXPECT_TRUE(small.hash(member + gzip("{}")).extra_data);
  EXPECT_EQ(small.hash(member.substr(0, member.size() / 2)).error, "truncated gzip");
  // A trailer that lies about the size (the last member's ISIZE) changes nothing.
  const auto lying = large.hash(member + gzip(std::string(5, 'x')));
  EXPECT_EQ(lying.sha256, sha256_hex(text));
  EXPECT_TRUE(lying.extra_data);
}

TEST(VerifyCrypto, InflateOneMemberHasALimit) {
  EXPECT_FALSE(inflate_one_member(gzip(std::string(1 << 20, 'a')), 1000).error.empty());
  EXPECT_TRUE(inflate_one_member(gzip(std::string(1 << 20, 'a'))).error.empty());
}

TEST(VerifyCrypto, SecondMemberAndTruncationAreSeen) {
  const std::string one = gzip("{}");
  EXPECT_TRUE(inflate_one_member(one + gzip("{}")).extra_data);
  EXPECT_TRUE(inflate_one_member(one + "x").extra_data);
  EXPECT_FALSE(inflate_one_member(one.substr(0, one.size() - 3)).error.empty());
}

}  // namespace
