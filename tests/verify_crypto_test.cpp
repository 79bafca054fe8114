// Vectors of docs/design.md "verify" (from the aws-cli tests and CloudTrail's list-public-keys sample).
#include <gtest/gtest.h>
#include <zlib.h>

#include <optional>
#include <string>

#include "trailwatch/verify.hpp"

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

TEST(VerifyCrypto, HashIsOfTheInflatedBytes) {
  const std::string log = R"({"Records":[]})";
  const auto inflated = inflate_one_member(gzip(log));
  EXPECT_TRUE(inflated.error.empty());
  EXPECT_FALSE(inflated.extra_data);
  EXPECT_EQ(sha256_hex(inflated.bytes), sha256_hex(log));
  EXPECT_NE(sha256_hex(gzip(log)), sha256_hex(log));
}

TEST(VerifyCrypto, SecondMemberAndTruncationAreSeen) {
  const std::string one = gzip("{}");
  EXPECT_TRUE(inflate_one_member(one + gzip("{}")).extra_data);
  EXPECT_TRUE(inflate_one_member(one + "x").extra_data);
  EXPECT_FALSE(inflate_one_member(one.substr(0, one.size() - 3)).error.empty());
}

}  // namespace
