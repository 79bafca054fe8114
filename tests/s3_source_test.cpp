// s3:// inputs against a scripted S3 (no network): where requests go and how they are signed, listing like a
// walk, reading through the window, and every failure named with its reason. The same against a real
// S3-compatible server: tests/e2e/test_s3_scan.py.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>

#include "aws/retry_policy.hpp"
#include "aws/s3_client.hpp"
#include "aws/s3_source.hpp"
#include "aws/sigv4.hpp"
#include "gzip_fixture.hpp"
#include "testdata_file.hpp"
#include "trailwatch/layout.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch::aws {
namespace {

const Credentials kCredentials{"AKIDTEST", "test-secret-key", ""};
constexpr std::string_view kEndpoint = "http://s3.test:9000";

std::string decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string body(const std::string& name) {
  return testing_support::read_testdata(std::filesystem::path("aws") / name);
}

std::string xml_error(const std::string& code, const std::string& message) {
  return "<Error><Code>" + code + "</Code><Message>" + message + "</Message></Error>";
}

// One bucket, "trail-bucket" in eu-west-1, answering path-style requests as S3 does. HeadBucket answers
// with a 301 naming the region, as S3 does when asked at another region's endpoint.
struct FakeS3 {
  std::mutex mutex;
  std::map<std::string, std::string> objects;
  std::map<std::string, std::deque<HttpResponse>> before;  // answers given for a key before the object
  std::vector<HttpRequest> requests;
  std::vector<double> sleeps;
  std::size_t page_size = 1000;
  bool deny_listing = false;

  HttpResponse answer(const HttpRequest& request) {
    std::lock_guard lock(mutex);
    requests.push_back(request);
    std::string_view url = request.url;
    url.remove_prefix(kEndpoint.size());
    std::string_view query;
    if (size_t q = url.find('?'); q != std::string_view::npos) {
      query = url.substr(q + 1);
      url = url.substr(0, q);
    }
    const std::string path = decode(url.substr(1));
    const size_t slash = path.find('/');
    const std::string bucket = path.substr(0, slash);
    const std::string key = slash == std::string::npos ? "" : path.substr(slash + 1);
    if (bucket != "trail-bucket")
      return request.method == "HEAD"
                 ? HttpResponse{404, ""}
                 : HttpResponse{404, xml_error("NoSuchBucket", "The specified bucket does not exist")};
    if (key.empty() && request.method == "HEAD") return {301, "", {{"x-amz-bucket-region", "eu-west-1"}}};
    if (key.empty()) return list(query);
    if (auto it = before.find(key); it != before.end() && !it->second.empty()) {
      HttpResponse r = it->second.front();
      it->second.pop_front();
      if (r.status == 0) throw ApiError("NetworkError", 0, "Recv failure: Connection reset by peer");
      return r;
    }
    auto it = objects.find(key);
    if (request.method == "HEAD")
      return it == objects.end()
                 ? HttpResponse{404, ""}
                 : HttpResponse{200, "", {{"content-length", std::to_string(it->second.size())}}};
    if (it == objects.end()) return {404, body("error.s3.NoSuchKey.xml")};
    return {200, it->second};
  }

  HttpResponse list(std::string_view query) {
    if (deny_listing) return {403, xml_error("AccessDenied", "Access Denied")};
    std::map<std::string, std::string> params;
    while (!query.empty()) {
      std::string_view pair = query.substr(0, query.find('&'));
      query.remove_prefix(std::min(query.size(), pair.size() + 1));
      const size_t eq = pair.find('=');
      params[decode(pair.substr(0, eq))] = decode(pair.substr(eq + 1));
    }
    EXPECT_EQ(params["list-type"], "2");
    const std::string& prefix = params["prefix"];
    std::size_t start = params.count("continuation-token") ? std::stoul(params["continuation-token"]) : 0;
    std::string xml = "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
    xml += "<EncodingType>url</EncodingType>";
    // With a delimiter, keys below the next '/' come back once each, as the folder holding them.
    const bool folders = params["delimiter"] == "/";
    std::vector<std::pair<std::string, std::string>> entries;  // (key or folder, size or "" for a folder)
    for (const auto& [key, bytes] : objects) {
      if (!key.starts_with(prefix)) continue;
      const size_t slash = folders ? key.find('/', prefix.size()) : std::string::npos;
      if (slash == std::string::npos)
        entries.emplace_back(key, std::to_string(bytes.size()));
      else if (entries.empty() || entries.back().first != key.substr(0, slash + 1))
        entries.emplace_back(key.substr(0, slash + 1), "");
    }
    std::size_t listed = 0;
    bool more = false;
    for (std::size_t index = start; index < entries.size(); ++index) {
      if (listed == page_size) {
        more = true;
        break;
      }
      ++listed;
      const auto& [name, size] = entries[index];
      xml += size.empty()
                 ? "<CommonPrefixes><Prefix>" + uri_encode(name, true) + "</Prefix></CommonPrefixes>"
                 : "<Contents><Key>" + uri_encode(name, true) + "</Key><Size>" + size + "</Size></Contents>";
    }
    if (more) xml += "<NextContinuationToken>" + std::to_string(start + listed) + "</NextContinuationToken>";
    xml += std::string("<IsTruncated>") + (more ? "true" : "false") + "</IsTruncated></ListBucketResult>";
    return {200, xml};
  }

  std::unique_ptr<InputSource> source(unsigned concurrency = 3, int max_attempts = 5, Pruning pruning = {}) {
    S3SourceOptions options;
    options.pruning = std::move(pruning);
    options.client.endpoint_url = std::string(kEndpoint);
    options.client.max_attempts = max_attempts;
    options.concurrency = concurrency;
    return make_s3_source(
        options, [] { return kCredentials; }, [this](const HttpRequest& r) { return answer(r); },
        [this](double s) {
          std::lock_guard lock(mutex);
          sleeps.push_back(s);
        });
  }

  std::size_t count(const std::string& method, const std::string& url_part) {
    std::lock_guard lock(mutex);
    return static_cast<std::size_t>(
        std::count_if(requests.begin(), requests.end(), [&](const HttpRequest& r) {
          return r.method == method && r.url.find(url_part) != std::string::npos;
        }));
  }
};

std::string envelope(const std::string& event_name) {
  return R"({"Records":[{"eventTime":"2024-03-01T00:00:00Z","eventSource":"kms.amazonaws.com","eventName":")" +
         event_name + R"("}]})";
}

std::string header(const HttpRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers)
    if (key == name) return value;
  return "";
}

const std::string kLog = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/";

TEST(S3Address, VirtualHostedOnAwsPathStyleOnAnEndpoint) {
  S3Address a = s3_address({"trail-bucket", "eu-west-1"}, "AWSLogs/x y.json.gz", std::nullopt);
  EXPECT_EQ(a.origin, "https://trail-bucket.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(a.host, "trail-bucket.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(a.path, "/AWSLogs/x y.json.gz");
  EXPECT_EQ(s3_address({"trail-bucket", "eu-west-1"}, "", std::nullopt).path, "/");
  // A name with dots would not match S3's wildcard certificate as a host name.
  S3Address dotted = s3_address({"logs.example.com", "cn-north-1"}, "k", std::nullopt);
  EXPECT_EQ(dotted.origin, "https://s3.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(dotted.path, "/logs.example.com/k");
  S3Address local = s3_address({"trail-bucket", "us-east-1"}, "a/b", std::string("http://127.0.0.1:5000"));
  EXPECT_EQ(local.origin, "http://127.0.0.1:5000");
  EXPECT_EQ(local.host, "127.0.0.1:5000");
  EXPECT_EQ(local.path, "/trail-bucket/a/b");
  EXPECT_EQ(s3_address({"b-1", ""}, "", std::string("https://minio.example/s3/")).path, "/s3/b-1");
}

TEST(S3Source, AListingIsReadAsAWalkWouldReadItsCopy) {
  FakeS3 s3;
  s3.page_size = 2;  // four pages
  s3.objects = {{kLog + "a.json.gz", "x"},
                {kLog + "b c.json", "yy"},
                {"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/d.json.gz", "d"},
                {"AWSLogs/111122223333/CloudTrail-Insight/us-east-1/i.json.gz", "i"},
                {"AWSLogs/sync-notes.txt", "n"},
                {"AWSLogs/111122223333/", ""},  // a folder marker: no file in a local copy
                {"AWSLogs-old/" + kLog + "z.json.gz", "z"}};
  auto source = s3.source();
  Discovery d = discover_inputs({"s3://trail-bucket/AWSLogs"}, {source.get()});
  EXPECT_TRUE(d.errors.empty()) << d.errors[0].message;
  ASSERT_EQ(d.files.size(), 2u);
  EXPECT_EQ(d.files[0].path, "s3://trail-bucket/" + kLog + "a.json.gz");
  EXPECT_EQ(d.files[0].name, "111122223333/CloudTrail/us-east-1/2024/03/01/a.json.gz");  // decides the shard
  EXPECT_EQ(d.files[1].path, "s3://trail-bucket/" + kLog + "b c.json");
  EXPECT_EQ(d.files[1].size, 2u);
  EXPECT_EQ(d.skipped.digest, 1u);
  EXPECT_EQ(d.skipped.insight, 1u);
  EXPECT_EQ(d.skipped.other_name, 1u);
  EXPECT_EQ(s3.count("GET", "list-type=2"), 3u);  // the prefix is a folder: AWSLogs-old/ is not listed
  EXPECT_EQ(s3.count("GET", "continuation-token=4"), 1u);
  // Every request is signed for the bucket's region, found with one HeadBucket.
  EXPECT_EQ(s3.count("HEAD", "/trail-bucket"), 1u);
  for (const HttpRequest& r : s3.requests) {
    if (r.method == "HEAD") continue;
    EXPECT_NE(header(r, "Authorization").find("/eu-west-1/s3/aws4_request"), std::string::npos);
    EXPECT_EQ(header(r, "x-amz-content-sha256"), sha256_hex(""));
    EXPECT_NE(r.url.find("prefix=AWSLogs%2F"), std::string::npos) << r.url;
  }
}

TEST(S3Source, PruningListsOnlyTheFoldersOnTheWay) {
  FakeS3 s3;
  s3.page_size = 2;
  const std::string kept = "AWSLogs/o-7k2m9x4q1z/111122223333/";
  const std::string other = "AWSLogs/o-7k2m9x4q1z/444455556666/";
  const std::string name = "_CloudTrail_us-east-1_20240301T0005Z_abcdefgh12345678.json.gz";
  const std::string late = "_CloudTrail_us-east-1_20240305T0005Z_abcdefgh12345678.json.gz";
  s3.objects = {
      {kept + "CloudTrail/us-east-1/2024/03/01/111122223333" + name, "x"},
      {kept + "CloudTrail/us-east-1/2024/03/05/111122223333" + late, "x"},
      {kept + "CloudTrail/eu-west-1/2024/03/01/111122223333_CloudTrail_eu-west-1_20240301T0005Z_a.json.gz",
       "x"},
      {kept + "CloudTrail-Digest/us-east-1/2024/03/01/d1.json.gz", "d"},
      {kept + "CloudTrail-Digest/us-east-1/2024/03/02/d2.json.gz", "d"},
      {kept + "notes.txt", "n"},
      {other + "CloudTrail/us-east-1/2024/03/01/444455556666" + name, "x"},
      {other + "CloudTrail-Digest/us-east-1/2024/03/01/d.json.gz", "d"}};
  // 2024-03-01 00:00 to 01:00 with a day of delivery slack: March 5th is out.
  auto source =
      s3.source(3, 5, Pruning({"111122223333"}, {"us-east-1"}, 1709251200, 1709254800, 86400, true));
  Discovery d = discover_inputs({"s3://trail-bucket/AWSLogs"}, {source.get()});
  EXPECT_TRUE(d.errors.empty());
  ASSERT_EQ(d.files.size(), 1u);
  EXPECT_EQ(d.files[0].name, "o-7k2m9x4q1z/111122223333/CloudTrail/us-east-1/2024/03/01/111122223333" + name);
  EXPECT_EQ(d.skipped.digest, 2u);  // under the account read, as a walk counts them; not the other's
  EXPECT_EQ(d.skipped.other_name, 1u);
  EXPECT_EQ(d.pruned.prefixes, 3u);  // the other account, eu-west-1, the day 05
  EXPECT_EQ(d.pruned.files, 0u);
  EXPECT_EQ(s3.count("GET", "prefix=" + uri_encode(other, false)), 0u);  // never listed
  EXPECT_EQ(s3.count("GET", "delimiter=%2F"),
            s3.count("GET", "list-type=2") - 1);  // all but the digest count
}

TEST(S3Source, TheSameKeyFromTwoArgumentsIsReadOnce) {
  FakeS3 s3;
  s3.objects = {{kLog + "a.json.gz", "x"}};
  auto source = s3.source();
  Discovery d = discover_inputs({"s3://trail-bucket", "s3://trail-bucket/AWSLogs/"}, {source.get()});
  ASSERT_EQ(d.files.size(), 1u);
  EXPECT_EQ(d.files[0].name, kLog + "a.json.gz");  // the earliest argument's copy
  EXPECT_EQ(d.skipped.duplicate, 1u);
}

TEST(S3Source, ArgumentsWithoutLogsAreNamed) {
  FakeS3 s3;
  s3.objects = {{"AWSLogs/111122223333/CloudTrail-Digest/d.json.gz", "d"}, {"AWSLogs/README", "r"}};
  auto source = s3.source();
  Discovery d = discover_inputs({"s3://no-such-bucket/AWSLogs", "s3://trail-bucket/elsewhere",
                                 "s3://trail-bucket", "s3://", "s3://trail-bucket/AWSLogs/README"},
                                {source.get()});
  std::map<std::string, std::string> errors;
  for (const PathMessage& e : d.errors) errors[e.path] = e.message;
  EXPECT_EQ(errors["s3://no-such-bucket/AWSLogs"], "the bucket does not exist (NoSuchBucket)");
  EXPECT_EQ(errors["s3://trail-bucket/elsewhere"], "no object under elsewhere/");
  EXPECT_EQ(errors["s3://trail-bucket"],
            "no log file among its 2 objects (1 digest, 1 other_name passed over)");
  EXPECT_EQ(errors["s3://"], "no bucket name: give s3://BUCKET[/PREFIX]");
  // An argument that names one object is read whatever its name, as a file argument is.
  EXPECT_EQ(errors.count("s3://trail-bucket/AWSLogs/README"), 0u);
  ASSERT_EQ(d.files.size(), 1u);
  EXPECT_EQ(d.files[0].path, "s3://trail-bucket/AWSLogs/README");
  EXPECT_EQ(d.files[0].name, "README");
  EXPECT_EQ(d.files[0].size, 1u);
}

TEST(S3Source, DeniedListingNamesThePermission) {
  FakeS3 s3;
  s3.deny_listing = true;
  auto source = s3.source();
  Discovery d = discover_inputs({"s3://trail-bucket/AWSLogs"}, {source.get()});
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].message, "s3:ListBucket denied: Access Denied");
}

TEST(S3Source, NoCredentialsIsAnErrorOfEachArgument) {
  S3SourceOptions options;
  options.client.endpoint_url = std::string(kEndpoint);
  auto source = make_s3_source(
      options, []() -> Credentials { throw ApiError("NoCredentials", 0, "no AWS credentials found"); },
      [](const HttpRequest&) -> HttpResponse { throw ApiError("NetworkError", 0, "not called"); });
  Discovery d = discover_inputs({"s3://a-bucket", "s3://b-bucket"}, {source.get()});
  ASSERT_EQ(d.errors.size(), 2u);
  EXPECT_EQ(d.errors[1].message, "no AWS credentials found");
}

// Runs the KMS rule over `arguments` with `threads` workers.
ScanReport scan(const std::vector<std::string>& arguments, const InputSource& source, unsigned threads) {
  MetricTransformation m;
  m.name = "M";
  ScanSpec spec;
  spec.filters.push_back(MetricFilter{"r", Pattern::parse("{ $.eventName = DisableKey }"), m});
  ScanPlan plan(std::move(spec));
  ScanRunOptions options;
  options.threads = threads;
  ScanProgress progress;
  std::atomic<bool> stop{false};
  return Scanner(plan, options).run(discover_inputs(arguments, {&source}), progress, stop);
}

TEST(S3Source, AScanReadsEveryObjectOnceThroughTheWindow) {
  FakeS3 s3;
  for (int i = 0; i < 40; ++i)
    s3.objects[kLog + std::to_string(100 + i) + ".json.gz"] = testing_support::gzip(envelope("DisableKey"));
  auto source = s3.source(3);
  ScanReport report = scan({"s3://trail-bucket/AWSLogs"}, *source, 2);
  EXPECT_EQ(report.input.files, 40u);
  EXPECT_EQ(report.rules[0].matched_events, 40u);
  EXPECT_TRUE(report.input.errors.empty());
  EXPECT_EQ(s3.count("GET", "/trail-bucket/AWSLogs/111122223333/CloudTrail/"), 40u);
}

TEST(S3Source, RetriedFailuresReadAndLastingOnesAreNamed) {
  FakeS3 s3;
  const std::string slow_down = body("error.s3.SlowDown.xml");
  for (const char* name : {"retried", "throttled", "gone", "denied", "reset", "read"})
    s3.objects[kLog + name + ".json.gz"] = testing_support::gzip(envelope("DisableKey"));
  s3.before[kLog + "retried.json.gz"] = {
      {503, slow_down}, {500, xml_error("InternalError", "We encountered an internal error.")}, {0, ""}};
  s3.before[kLog + "throttled.json.gz"] = {
      {503, slow_down}, {503, slow_down}, {503, slow_down}, {503, slow_down}};
  s3.before[kLog + "denied.json.gz"] = {{403, body("error.s3.AccessDenied.xml")}};
  s3.before[kLog + "reset.json.gz"] = {{0, ""}, {0, ""}, {0, ""}, {0, ""}};
  auto source = s3.source(4, 4);
  Discovery inputs = discover_inputs({"s3://trail-bucket/AWSLogs"}, {source.get()});
  s3.objects.erase(kLog + "gone.json.gz");  // deleted between the listing and the reading
  MetricTransformation m;
  m.name = "M";
  ScanSpec spec;
  spec.filters.push_back(MetricFilter{"r", Pattern::parse("{ $.eventName = DisableKey }"), m});
  ScanPlan plan(std::move(spec));
  ScanProgress progress;
  std::atomic<bool> stop{false};
  ScanReport report = Scanner(plan, {}).run(inputs, progress, stop);
  std::map<std::string, std::string> errors;
  for (const PathMessage& e : report.input.errors) errors[e.path.substr(e.path.rfind('/') + 1)] = e.message;
  EXPECT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors["gone.json.gz"], "deleted after it was listed (NoSuchKey)");
  EXPECT_EQ(errors["denied.json.gz"], "s3:GetObject denied: Access Denied");
  EXPECT_EQ(errors["throttled.json.gz"],
            "s3:GetObject failed: SlowDown (HTTP 503): Please reduce your request rate. (gave up after 4 "
            "attempts)");
  EXPECT_EQ(errors["reset.json.gz"],
            "s3:GetObject failed: Recv failure: Connection reset by peer (gave up after 4 attempts)");
  EXPECT_EQ(report.rules[0].matched_events, 2u);  // retried.json.gz (fourth attempt) and read.json.gz
  EXPECT_EQ(report.input.files_failed, 4u);
  EXPECT_TRUE(report.input.partial);
  std::lock_guard lock(s3.mutex);
  EXPECT_EQ(s3.sleeps.size(), 9u);               // 3 for each of retried, throttled and reset
  for (double s : s3.sleeps) EXPECT_LE(s, 4.0);  // full jitter under 2^(retry-1) seconds
}

}  // namespace
}  // namespace trailwatch::aws
