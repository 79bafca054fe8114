#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "aws/sigv4.hpp"

namespace trailwatch::aws {
namespace {

namespace fs = std::filesystem;

const fs::path kSuite = fs::path(TW_TESTDATA) / "sigv4";

struct Context {
  Credentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  std::string region = "us-east-1";
  std::string service = "service";
  std::string date_time = "20150830T123600Z";
  bool normalize = true;
  std::optional<int64_t> query_expires;
};

std::optional<std::string> read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string percent_decode(std::string_view text) {
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

// The suite's request files: "METHOD TARGET HTTP/1.1", headers, a blank line, the body. The target may hold
// spaces (get-space-normalized), so the version is cut from the end.
SignableRequest parse_request(const std::string& text, std::string* authorization) {
  SignableRequest request;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  size_t first = line.find(' ');
  size_t last = line.rfind(' ');
  request.method = line.substr(0, first);
  std::string target = line.substr(first + 1, last - first - 1);
  size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) {
    std::string_view query = std::string_view(target).substr(question + 1);
    while (!query.empty()) {
      std::string_view pair = query.substr(0, query.find('&'));
      query = pair.size() == query.size() ? std::string_view{} : query.substr(pair.size() + 1);
      size_t equals = pair.find('=');
      request.query.emplace_back(
          percent_decode(pair.substr(0, equals)),
          equals == std::string_view::npos ? "" : percent_decode(pair.substr(equals + 1)));
    }
  }
  while (std::getline(in, line) && !line.empty()) {
    if (line.front() == ' ' || line.front() == '\t') {
      request.headers.emplace_back(request.headers.back().first, line);
      continue;
    }
    size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    if (name == "Authorization") {
      *authorization = value;
    } else {
      request.headers.emplace_back(name, value);
    }
  }
  std::ostringstream body;
  body << in.rdbuf();
  request.body = body.str();
  return request;
}

Context load_context(const fs::path& dir) {
  Context context;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto text = read(dir / "context.json")) {
    EXPECT_EQ(parser.parse(*text).get(doc), simdjson::SUCCESS);
    std::string_view value;
    if (doc["credentials"]["token"].get(value) == simdjson::SUCCESS)
      context.credentials.session_token = value;
    EXPECT_EQ(doc["credentials"]["secret_access_key"].get(value), simdjson::SUCCESS);
    context.credentials.secret_access_key = value;
    EXPECT_EQ(doc["region"].get(value), simdjson::SUCCESS);
    context.region = value;
    EXPECT_EQ(doc["service"].get(value), simdjson::SUCCESS);
    context.service = value;
  }
  auto text = read(dir / "case.json");
  EXPECT_TRUE(text.has_value()) << dir;
  simdjson::dom::parser case_parser;
  EXPECT_EQ(case_parser.parse(*text).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(doc["normalize"].get(context.normalize), simdjson::SUCCESS);
  int64_t expires = 0;
  if (doc["query_expires"].get(expires) == simdjson::SUCCESS) context.query_expires = expires;
  return context;
}

std::vector<fs::path> cases() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(kSuite)) {
    if (entry.is_directory()) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SigV4Suite, HasTheCasesWeRelyOn) {
  std::set<std::string> names;
  for (const fs::path& dir : cases()) names.insert(dir.filename().string());
  EXPECT_GE(names.size(), 20u);
  for (const char* name :
       {"get-vanilla-with-session-token", "get-vanilla-query-order-key-case", "get-utf8",
        "get-vanilla-utf8-query", "get-header-value-trim", "get-header-value-multiline", "get-unreserved",
        "post-x-www-form-urlencoded", "get-slashes-normalized", "get-relative-relative-unnormalized"}) {
    EXPECT_TRUE(names.count(name)) << name;
  }
}

TEST(SigV4Suite, HeaderSigningGivesThePublishedAuthorization) {
  for (const fs::path& dir : cases()) {
    SCOPED_TRACE(dir.filename().string());
    Context context = load_context(dir);
    std::string expected;
    SignableRequest request = parse_request(*read(dir / "header-signed-request.txt"), &expected);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(authorization(request, context.credentials, context.region, context.service, context.date_time,
                            context.normalize),
              expected);
  }
}

TEST(SigV4Suite, QuerySigningGivesThePublishedCanonicalRequestAndStringToSign) {
  int compared = 0;
  for (const fs::path& dir : cases()) {
    SCOPED_TRACE(dir.filename().string());
    auto expected_creq = read(dir / "query-canonical-request.txt");
    auto expected_sts = read(dir / "query-string-to-sign.txt");
    if (!expected_creq && !expected_sts) continue;
    Context context = load_context(dir);
    std::string ignored;
    SignableRequest request = parse_request(*read(dir / "header-signed-request.txt"), &ignored);
    std::erase_if(request.headers, [](const auto& h) { return h.first == "X-Amz-Date"; });
    std::string scope = credential_scope(context.date_time, context.region, context.service);
    request.query.emplace_back("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
    request.query.emplace_back("X-Amz-Credential", context.credentials.access_key_id + "/" + scope);
    request.query.emplace_back("X-Amz-Date", context.date_time);
    if (context.query_expires)
      request.query.emplace_back("X-Amz-Expires", std::to_string(*context.query_expires));
    if (!context.credentials.session_token.empty()) {
      request.query.emplace_back("X-Amz-Security-Token", context.credentials.session_token);
    }
    request.query.emplace_back("X-Amz-SignedHeaders", signed_header_names(request));
    std::string creq = canonical_request(request, sha256_hex(request.body), context.normalize);
    if (expected_creq) {
      EXPECT_EQ(creq, *expected_creq);
    }
    if (expected_sts) {
      EXPECT_EQ(string_to_sign(context.date_time, scope, creq), *expected_sts);
    }
    ++compared;
  }
  EXPECT_GE(compared, 17);
}

TEST(SigV4, DerivesTheDocumentedSigningKeyChain) {
  // get-vanilla: the canonical request is short enough to write out; its signature is the suite's.
  std::string creq =
      "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  std::string sts = string_to_sign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", creq);
  EXPECT_EQ(sts,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(
      signature("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830T123600Z", "us-east-1", "service", sts),
      "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4, SignAddsDateTokenAndAuthorization) {
  SignableRequest request;
  request.headers = {{"Host", "example.amazonaws.com"}};
  Credentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "TOKEN"};
  sign(request, credentials, "us-east-1", "service", 1440938160);  // 2015-08-30T12:36:00Z
  ASSERT_EQ(request.headers.size(), 4u);
  EXPECT_EQ(request.headers[1], (std::pair<std::string, std::string>{"X-Amz-Date", "20150830T123600Z"}));
  EXPECT_EQ(request.headers[2].first, "X-Amz-Security-Token");
  EXPECT_EQ(request.headers[3].first, "Authorization");
  EXPECT_NE(request.headers[3].second.find("SignedHeaders=host;x-amz-date;x-amz-security-token,"),
            std::string::npos);
  EXPECT_EQ(request.headers[3].second.find("wJalrXUtnFEMI"), std::string::npos);
}

TEST(SigV4, NormalizesPathsAsServicesOtherThanS3) {
  EXPECT_EQ(normalize_path(""), "/");
  EXPECT_EQ(normalize_path("/"), "/");
  EXPECT_EQ(normalize_path("/./"), "/");
  EXPECT_EQ(normalize_path("//example//"), "/example/");
  EXPECT_EQ(normalize_path("/example1/example2/../.."), "/");
  EXPECT_EQ(normalize_path("/a/b/../c"), "/a/c");
  EXPECT_EQ(normalize_path("/../a"), "/a");
}

TEST(SigV4, EncodesAllButUnreservedCharacters) {
  EXPECT_EQ(uri_encode("a b/c~", false), "a%20b%2Fc~");
  EXPECT_EQ(uri_encode("a b/c~", true), "a%20b/c~");
  EXPECT_EQ(uri_encode("\xe1\x88\xb4", false), "%E1%88%B4");
  EXPECT_EQ(uri_encode("=&+*", false), "%3D%26%2B%2A");
}

}  // namespace
}  // namespace trailwatch::aws
