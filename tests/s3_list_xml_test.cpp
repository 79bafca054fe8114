// ListObjectsV2 pages as S3 writes them (testdata/aws/s3.*.xml): keys, sizes, tokens, prefixes, encoding.
#include <gtest/gtest.h>

#include <filesystem>

#include "aws/s3_list_xml.hpp"
#include "testdata_file.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

std::string body(const std::string& name) {
  return testing_support::read_testdata(std::filesystem::path("aws") / name);
}

TEST(S3ListXml, APageWithAContinuationToken) {
  S3ListPage page = parse_list_objects_v2(body("s3.ListObjectsV2.page1.xml"));
  ASSERT_EQ(page.objects.size(), 3u);
  EXPECT_EQ(page.objects[0].key,
            "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/"
            "111122223333_CloudTrail_us-east-1_20240301T0005Z_abcdefgh12345678.json.gz");
  EXPECT_EQ(page.objects[0].size, 2731u);
  EXPECT_EQ(page.objects[1].size, 712u);
  // encoding-type=url: '+' is a space and %0A a line break, which XML 1.0 could carry only as a reference.
  EXPECT_EQ(page.objects[2].key, "AWSLogs/notes from the\nsync.txt");
  // A token is opaque: its '/', '+' and '=' are kept as they are.
  EXPECT_EQ(page.next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  EXPECT_TRUE(page.common_prefixes.empty());
}

TEST(S3ListXml, TheLastPageHasNoToken) {
  S3ListPage page = parse_list_objects_v2(body("s3.ListObjectsV2.page2.xml"));
  ASSERT_EQ(page.objects.size(), 2u);
  EXPECT_EQ(page.objects[1].key, "AWSLogs/111122223333/");  // a folder marker is listed as any key
  EXPECT_EQ(page.objects[1].size, 0u);
  EXPECT_FALSE(page.next_token);
}

TEST(S3ListXml, CommonPrefixesOfADelimitedListing) {
  S3ListPage page = parse_list_objects_v2(body("s3.ListObjectsV2.delimited.xml"));
  EXPECT_TRUE(page.objects.empty());
  EXPECT_EQ(page.common_prefixes, (std::vector<std::string>{"AWSLogs/o-7k2m9x4q1z/111122223333/",
                                                            "AWSLogs/o-7k2m9x4q1z/444455556666/"}));
}

TEST(S3ListXml, KeysAreTakenAsWrittenWithoutUrlEncoding) {
  S3ListPage page = parse_list_objects_v2(
      "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a+b%20c.json</Key><Size>1</Size>"
      "</Contents></ListBucketResult>");
  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].key, "a+b%20c.json");
}

TEST(S3ListXml, UrlDecoding) {
  EXPECT_EQ(s3_url_decode("a%2Fb+c%7e"), "a/b c~");
  EXPECT_EQ(s3_url_decode("100%"), "100%");  // not an escape: kept
  EXPECT_EQ(s3_url_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(s3_url_decode("%C3%A9"), "\xC3\xA9");
}

void expect_invalid(const std::string& xml, const std::string& says) {
  try {
    parse_list_objects_v2(xml);
    ADD_FAILURE() << "accepted: " << xml;
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "InvalidResponse");
    EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
  }
}

TEST(S3ListXml, WhatIsNotAListingIsAnInvalidResponse) {
  expect_invalid("<html>502 Bad Gateway", "not XML");
  expect_invalid("<Error><Code>X</Code></Error>", "not a ListBucketResult but <Error>");
  expect_invalid("<ListBucketResult><Contents><Key>a</Key><Size>-1</Size></Contents></ListBucketResult>",
                 "the Size of a is not a whole number");
  expect_invalid("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>", "without a Key");
  // Paging on without a token would list the first page forever.
  expect_invalid("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
                 "truncated page without a NextContinuationToken");
}

}  // namespace
}  // namespace trailwatch::aws
