// The match digest: who-counts over every matched record, the earliest records kept in time order (ties in
// arrival order, records without a usable time last), and matched records described field by field.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "trailwatch/matched_events.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch {
namespace {

ScanSpec two_rules() {
  MetricTransformation m;
  m.name = "Count";
  ScanSpec spec;
  spec.filters.push_back(
      MetricFilter{"kms-cmk-disable-or-delete", Pattern::parse("{ $.eventName = DisableKey }"), m});
  spec.filters.push_back(MetricFilter{"other", Pattern::parse("{ $.eventName = CreateVpc }"), m});
  return spec;
}

std::string record(const std::string& time, const std::string& arn, const std::string& ip) {
  return R"({"eventTime":")" + time +
         R"(","eventName":"DisableKey","userIdentity":{"type":"IAMUser","arn":")" + arn +
         R"("},"sourceIPAddress":")" + ip +
         R"(","requestParameters":{"keyId":"k1"},"awsRegion":"eu-west-1",)"
         R"("recipientAccountId":"111122223333","userAgent":"aws-cli/2"})";
}

MatchedRecord match(std::size_t filter, std::string raw) {
  MatchedRecord m;
  m.filter = filter;
  m.raw = std::move(raw);
  return m;
}

TEST(MatchDigest, KeepsTheEarliestInTimeOrderAndCountsEveryRecord) {
  const ScanPlan plan(two_rules());
  MatchDigest digest(plan, 3);
  digest.add("b.json", {match(0, record("2024-03-01T12:00:05Z", "arn:a", "1.1.1.1")),
                        match(0, record("2024-03-01T11:00:00Z", "arn:b", "1.1.1.1")),
                        match(0, R"({"eventName":"DisableKey"})")});
  digest.add("c.json", {match(0, record("2024-03-01T11:00:00Z", "arn:c", "2.2.2.2")),
                        match(0, record("2024-03-01T10:00:00Z", "arn:a", "2.2.2.2")),
                        match(1, record("2024-03-02T00:00:00Z", "arn:d", "3.3.3.3"))});
  std::vector<MatchedEventSample> samples = digest.take();
  ASSERT_EQ(samples.size(), 2u);
  const MatchedEventSample& kms = samples[0];
  EXPECT_EQ(kms.total, 5u);
  ASSERT_EQ(kms.earliest.size(), 3u);
  EXPECT_EQ(kms.earliest[0].time, "2024-03-01T10:00:00Z");
  // Two records at 11:00: the one that arrived first comes first.
  EXPECT_EQ(kms.earliest[1].actor, "arn:b");
  EXPECT_EQ(kms.earliest[2].actor, "arn:c");
  EXPECT_EQ(kms.earliest[2].file, "c.json");
  EXPECT_EQ(kms.who.actors.at("arn:a"), 2u);
  EXPECT_EQ(kms.who.actors.at("(none)"), 1u);  // the record without userIdentity still counts
  EXPECT_EQ(kms.who.source_ips.at("2.2.2.2"), 2u);
  EXPECT_EQ(kms.who.resources.at("k1"), 4u);
  EXPECT_EQ(samples[1].total, 1u);
  EXPECT_EQ(samples[1].who.actors.at("arn:d"), 1u);
}

TEST(MatchDigest, RecordsWithoutATimeComeLast) {
  const ScanPlan plan(two_rules());
  MatchDigest digest(plan, 10);
  digest.add("a",
             {match(0, R"({"eventTime":"not a time"})"), match(0, record("2024-03-01T12:00:00Z", "x", "y"))});
  std::vector<MatchedEventSample> samples = digest.take();
  ASSERT_EQ(samples[0].earliest.size(), 2u);
  EXPECT_EQ(samples[0].earliest[0].time, "2024-03-01T12:00:00Z");
  EXPECT_EQ(samples[0].earliest[1].time, "not a time");
}

// Hundreds of records in shuffled time order, some at the same second, through a digest keeping 50: the
// kept ones are the 50 earliest by (time, arrival), in that order, whatever slots they were kept in.
TEST(MatchDigest, KeepsTheEarliestOfManyInShuffledOrder) {
  const ScanPlan plan(two_rules());
  MatchDigest digest(plan, 50);
  std::mt19937 random(11);
  std::vector<std::pair<int, std::string>> want;  // (second, actor) in arrival order
  for (int file = 0; file < 8; ++file) {
    std::vector<MatchedRecord> records;
    for (int i = 0; i < 40; ++i) {
      const int second = static_cast<int>(random() % 300);
      const std::string actor = "arn:" + std::to_string(file * 40 + i);
      char time[32];
      std::snprintf(time, sizeof time, "2024-03-01T10:%02d:%02dZ", second / 60, second % 60);
      records.push_back(match(0, record(time, actor, "1.1.1.1")));
      want.emplace_back(second, actor);
    }
    digest.add("f" + std::to_string(file), records);
  }
  std::stable_sort(want.begin(), want.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  want.resize(50);
  const std::vector<MatchedEventSample> samples = digest.take();
  ASSERT_EQ(samples[0].earliest.size(), 50u);
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(samples[0].earliest[i].actor, want[i].second) << i;
  EXPECT_EQ(samples[0].total, 320u);
}

TEST(MatchDigest, AMatchWithoutAUsableTimeIsListedButNotCounted) {
  const ScanPlan plan(two_rules());
  MatchDigest digest(plan, 10);
  MatchedRecord untimed = match(0, R"({"eventTime":"soon","userIdentity":{"arn":"arn:z"}})");
  untimed.time_error = "eventTime is not a time";
  digest.add("a", {untimed});
  std::vector<MatchedEventSample> samples = digest.take();
  EXPECT_EQ(samples[0].earliest.size(), 1u);
  EXPECT_TRUE(samples[0].who.empty());
}

TEST(MatchedEvent, ActorResourceAndAccountFollowTheDocumentedOrder) {
  MatchedEvent service = describe_matched_event(
      R"({"userIdentity":{"type":"AWSService","invokedBy":"cloudtrail.amazonaws.com"},)"
      R"("resources":[{"type":"x"},{"ARN":"arn:aws:ec2:eu-west-1:1:vpc/vpc-1"}],)"
      R"("requestParameters":{"vpcId":"vpc-1"},"userIdentity2":1})",
      "vpc-changes", "f");
  EXPECT_EQ(service.actor, "AWSService cloudtrail.amazonaws.com");
  EXPECT_EQ(service.resource, "arn:aws:ec2:eu-west-1:1:vpc/vpc-1");
  MatchedEvent root = describe_matched_event(
      R"({"userIdentity":{"type":"Root","accountId":"123456789012"},"requestParameters":{"groupId":"sg-1"}})",
      "security-group-changes", "f");
  EXPECT_EQ(root.actor, "Root");
  EXPECT_EQ(root.account, "123456789012");
  EXPECT_EQ(root.resource, "sg-1");
  MatchedEvent kms =
      describe_matched_event(R"({"requestParameters":{"keyId":"k"},"resources":[{"ARN":"arn:other"}]})",
                             "kms-cmk-disable-or-delete", "f");
  EXPECT_EQ(kms.resource, "k");
  MatchedEvent broken = describe_matched_event("[1,2", "x", "file.json");
  EXPECT_EQ(broken.file, "file.json");
  EXPECT_TRUE(broken.actor.empty());
  EXPECT_FALSE(broken.epoch.has_value());
}

TEST(WhoCounts, AddingCountsAddsThem) {
  WhoCounts a;
  a.actors["x"] = 2;
  a.resources["r"] = 1;
  WhoCounts b;
  b.actors["x"] = 3;
  b.source_ips["ip"] = 4;
  a.add(b);
  EXPECT_EQ(a.actors.at("x"), 5u);
  EXPECT_EQ(a.source_ips.at("ip"), 4u);
  EXPECT_EQ(a.resources.at("r"), 1u);
}

}  // namespace
}  // namespace trailwatch
