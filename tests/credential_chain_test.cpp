// The credential chain's sources and their order (docs/design.md "Credentials"), each answered by a fake
// endpoint in the test: STS web identity, the IAM Identity Center portal, the container endpoint, EC2
// instance metadata. tests/e2e/test_credentials.py runs the same sources against real local servers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "aws/aws_client.hpp"
#include "aws/aws_sts.hpp"
#include "aws/container_credentials.hpp"
#include "aws/credential_provider.hpp"
#include "aws/credentials.hpp"
#include "aws/instance_metadata.hpp"
#include "aws/s3_client.hpp"
#include "aws/sso_credentials.hpp"
#include "aws_scratch_environment.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

namespace fs = std::filesystem;

constexpr std::time_t kNow = 1767225600;  // 2026-01-01T00:00:00Z

std::string header(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers)
    if (key == name) return value;
  return "";
}

std::string sts_answer(const std::string& operation, const std::string& key_id) {
  return "<" + operation + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" + operation +
         "Result><Credentials><AccessKeyId>" + key_id +
         "</AccessKeyId><SecretAccessKey>sts-secret</SecretAccessKey><SessionToken>sts-token</SessionToken>"
         "<Expiration>2026-01-01T01:00:00Z</Expiration></Credentials></" +
         operation + "Result></" + operation + "Response>";
}

std::string metadata_answer(const std::string& key_id,
                            const std::string& expiration = "2026-01-01T06:00:00Z") {
  return R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":")" + key_id +
         R"(","SecretAccessKey":"md-secret","Token":"md-token","Expiration":")" + expiration + R"("})";
}

// Every test starts from an empty AWS environment with its own home, config files and fake endpoints, and
// puts the real environment back.
class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.emplace("trailwatch-chain");
    // Instance metadata is asked here only where a test says so, and then at a fake address.
    ::setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://imds.test", 1);
  }

  void TearDown() override { env_.reset(); }

  std::string write(const std::string& name, const std::string& text) { return env_->write(name, text); }

  // Answers by URL prefix; an unknown URL is a refused connection (as 169.254.169.254 is off EC2).
  HttpResponse answer(const HttpRequest& request) {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    for (const auto& [prefix, handler] : handlers_)
      if (request.url.starts_with(prefix)) return handler(request);
    throw ApiError("NetworkError", 0, request.url + ": Failed to connect: Connection refused");
  }

  CredentialContext context() {
    CredentialContext c;
    c.transport = [this](const HttpRequest& r) { return answer(r); };
    c.assume = [this](const Credentials& source, const AssumeRoleRequest& request) {
      assumed_.emplace_back(source, request);
      return Credentials{"ASIAASSUMED", "assumed-secret", "assumed-token", kNow + 3600};
    };
    c.clock = [] { return kNow; };
    c.sleep = [this](double s) { sleeps_.push_back(s); };
    return c;
  }

  Credentials resolve(std::optional<std::string> profile = std::nullopt) {
    return resolve_credentials(profile, context());
  }

  std::string resolve_error(std::optional<std::string> profile = std::nullopt, std::string* code = nullptr) {
    try {
      resolve(profile);
    } catch (const ApiError& e) {
      if (code) *code = e.code();
      return e.what();
    }
    ADD_FAILURE() << "resolved";
    return "";
  }

  // The fake services, each answering as the documented endpoint does.
  void serve_web_identity(const std::string& key_id = "ASIAWEBIDENTITY") {
    handlers_.emplace_back("https://sts.", [key_id](const HttpRequest& r) {
      EXPECT_EQ(header(r, "Authorization"), "") << "AssumeRoleWithWebIdentity is not signed";
      return HttpResponse{200, sts_answer("AssumeRoleWithWebIdentity", key_id)};
    });
  }
  void serve_container(const std::string& prefix, const std::string& key_id = "ASIACONTAINER") {
    handlers_.emplace_back(prefix, [key_id](const HttpRequest&) {
      return HttpResponse{200, metadata_answer(key_id)};
    });
  }
  void serve_imds(bool v2 = true, const std::string& role = "ec2-role") {
    handlers_.emplace_back("http://imds.test", [v2, role](const HttpRequest& r) {
      const std::string path = r.url.substr(std::string("http://imds.test").size());
      if (path == "/latest/api/token") {
        if (r.method != "PUT") return HttpResponse{405, ""};
        if (!v2) return HttpResponse{404, ""};
        EXPECT_EQ(header(r, "x-aws-ec2-metadata-token-ttl-seconds"), "21600");
        return HttpResponse{200, "imds-session-token"};
      }
      if (v2 && header(r, "x-aws-ec2-metadata-token") != "imds-session-token") return HttpResponse{401, ""};
      if (path == "/latest/meta-data/iam/security-credentials/")
        return role.empty() ? HttpResponse{404, ""} : HttpResponse{200, role + "\n"};
      if (path == "/latest/meta-data/iam/security-credentials/" + role)
        return HttpResponse{200, metadata_answer("ASIAIMDS")};
      return HttpResponse{404, ""};
    });
  }
  void serve_sso(int status = 200) {
    handlers_.emplace_back("https://portal.sso.", [status](const HttpRequest& r) {
      if (status != 200) return HttpResponse{status, R"({"message":"Session token not found or invalid"})"};
      EXPECT_EQ(header(r, "x-amz-sso_bearer_token"), "cached-access-token");
      return HttpResponse{200,
                          R"({"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret",)"
                          R"("sessionToken":"sso-token","expiration":1767229200000}})"};
    });
  }

  std::size_t count(const std::string& prefix) {
    std::size_t n = 0;
    for (const HttpRequest& r : requests_) n += r.url.starts_with(prefix) ? 1 : 0;
    return n;
  }

  std::optional<ScratchAwsEnvironment> env_;
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::function<HttpResponse(const HttpRequest&)>>> handlers_;
  std::vector<HttpRequest> requests_;
  std::vector<std::pair<Credentials, AssumeRoleRequest>> assumed_;
  std::vector<double> sleeps_;
};

// ---- web identity
// ------------------------------------------------------------------------------------------

TEST_F(ChainTest, WebIdentityFromTheEnvironment) {
  ::setenv("AWS_WEB_IDENTITY_TOKEN_FILE", write("token", "eyJ.web.token\n").c_str(), 1);
  ::setenv("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/eks-reader", 1);
  ::setenv("AWS_ROLE_SESSION_NAME", "pod-1", 1);
  ::setenv("AWS_REGION", "eu-west-1", 1);
  serve_web_identity();
  Credentials c = resolve();
  EXPECT_EQ(c.access_key_id, "ASIAWEBIDENTITY");
  EXPECT_EQ(c.session_token, "sts-token");
  EXPECT_EQ(c.expiration, kNow + 3600);
  ASSERT_EQ(requests_.size(), 1u);
  EXPECT_EQ(requests_[0].url, "https://sts.eu-west-1.amazonaws.com/");
  const std::string& body = requests_[0].body;
  EXPECT_NE(body.find("Action=AssumeRoleWithWebIdentity"), std::string::npos) << body;
  EXPECT_NE(body.find("RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Feks-reader"), std::string::npos);
  EXPECT_NE(body.find("RoleSessionName=pod-1"), std::string::npos) << body;
  EXPECT_TRUE(body.ends_with("&WebIdentityToken=eyJ.web.token")) << "the newline dropped: " << body;
}

TEST_F(ChainTest, WebIdentityFromAProfileAndTheStsEndpointOverride) {
  write("config", "[profile ci]\nweb_identity_token_file = " + (env_->dir() / "ci-token").string() +
                      "\nrole_arn = arn:aws:iam::1:role/ci\nrole_session_name = ci-run\n");
  write("ci-token", "ci.jwt");
  ::setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:4566", 1);
  handlers_.emplace_back("http://127.0.0.1:4566", [](const HttpRequest&) {
    return HttpResponse{200, sts_answer("AssumeRoleWithWebIdentity", "ASIALOCAL")};
  });
  EXPECT_EQ(resolve(std::string("ci")).access_key_id, "ASIALOCAL");
  EXPECT_NE(requests_.at(0).body.find("RoleSessionName=ci-run"), std::string::npos);
  // --endpoint-url wins over the variable, as in the AWS CLI.
  CredentialContext c = context();
  c.endpoint_url = "http://127.0.0.1:4566/elsewhere";
  resolve_credentials(std::string("ci"), c);
  EXPECT_EQ(requests_.back().url, "http://127.0.0.1:4566/elsewhere");
}

TEST_F(ChainTest, WebIdentityErrorsNameWhatIsMissingNeverTheToken) {
  ::setenv("AWS_WEB_IDENTITY_TOKEN_FILE", (env_->dir() / "absent").c_str(), 1);
  std::string code;
  EXPECT_NE(resolve_error(std::nullopt, &code).find("AWS_ROLE_ARN"), std::string::npos);
  EXPECT_EQ(code, "WebIdentityError");
  ::setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/r", 1);
  std::string message = resolve_error(std::nullopt, &code);
  EXPECT_NE(message.find("cannot be read"), std::string::npos) << message;
  EXPECT_NE(message.find((env_->dir() / "absent").string()), std::string::npos) << message;

  ::setenv("AWS_WEB_IDENTITY_TOKEN_FILE", write("token", "secret.jwt.value").c_str(), 1);
  handlers_.emplace_back("https://sts.", [](const HttpRequest&) {
    return HttpResponse{400,
                        "<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>Token "
                        "secret.jwt.value is not valid</Message></Error></ErrorResponse>"};
  });
  message = resolve_error(std::nullopt, &code);
  EXPECT_EQ(code, "InvalidIdentityToken");
  EXPECT_NE(message.find("arn:aws:iam::1:role/r"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret.jwt.value"), std::string::npos) << message;
}

// ---- container credentials
// ---------------------------------------------------------------------------------

TEST_F(ChainTest, ContainerRelativeUriIsOnTheEcsAgentsAddress) {
  ::setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/task-1", 1);
  serve_container("http://169.254.170.2/v2/credentials/task-1");
  EXPECT_EQ(resolve().access_key_id, "ASIACONTAINER");
  EXPECT_EQ(header(requests_.at(0), "Accept"), "application/json");
  EXPECT_EQ(header(requests_.at(0), "Authorization"), "");
}

TEST_F(ChainTest, ContainerFullUriSendsTheTokenFromTheFileFirst) {
  ::setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:8080/creds", 1);
  ::setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable", 1);
  serve_container("http://127.0.0.1:8080/creds");
  resolve();
  EXPECT_EQ(header(requests_.back(), "Authorization"), "from-variable");
  ::setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", write("eks-token", "from-file\n").c_str(), 1);
  resolve();
  EXPECT_EQ(header(requests_.back(), "Authorization"), "from-file");
}

TEST_F(ChainTest, ContainerFullUriOnlyOnAllowedHosts) {
  for (const char* allowed : {"http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1/credentials",
                              "http://localhost:9/x", "http://[::1]:9/x", "https://creds.example.com/x"}) {
    ::setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", allowed, 1);
    EXPECT_EQ(container_endpoint_from_environment()->url, allowed);
  }
  ::setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://creds.example.com/x", 1);
  std::string code;
  std::string message = resolve_error(std::nullopt, &code);
  EXPECT_EQ(code, "ContainerCredentialsError");
  EXPECT_NE(message.find("only https, a loopback address"), std::string::npos) << message;
}

TEST_F(ChainTest, ContainerFailuresAreRetriedThenNamed) {
  ::setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:8080/creds", 1);
  std::string code;
  std::string message = resolve_error(std::nullopt, &code);
  EXPECT_EQ(code, "ContainerCredentialsError");
  EXPECT_EQ(count("http://127.0.0.1:8080"), 3u);
  EXPECT_EQ(sleeps_, (std::vector<double>{1.0, 1.0}));
  EXPECT_NE(message.find("AWS_CONTAINER_CREDENTIALS_FULL_URI"), std::string::npos) << message;
  EXPECT_NE(message.find("Connection refused"), std::string::npos) << message;
  // A refused token is not asked again.
  ::setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong", 1);
  handlers_.emplace_back("http://127.0.0.1:8080", [](const HttpRequest&) {
    return HttpResponse{401, R"({"Message":"invalid token"})"};
  });
  requests_.clear();
  message = resolve_error();
  EXPECT_EQ(count("http://127.0.0.1:8080"), 1u);
  EXPECT_NE(message.find("HTTP 401"), std::string::npos) << message;
  EXPECT_EQ(message.find("wrong"), std::string::npos) << message;
}

// ---- EC2 instance metadata
// ---------------------------------------------------------------------------------

TEST_F(ChainTest, InstanceMetadataAsksForAnImdsV2TokenFirst) {
  serve_imds();
  Credentials c = resolve();
  EXPECT_EQ(c.access_key_id, "ASIAIMDS");
  EXPECT_EQ(c.expiration, kNow + 6 * 3600);
  ASSERT_EQ(requests_.size(), 3u);
  EXPECT_EQ(requests_[0].method, "PUT");
  EXPECT_EQ(requests_[0].url, "http://imds.test/latest/api/token");
  EXPECT_EQ(requests_[1].url, "http://imds.test/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(requests_[2].url, "http://imds.test/latest/meta-data/iam/security-credentials/ec2-role");
  EXPECT_EQ(header(requests_[2], "x-aws-ec2-metadata-token"), "imds-session-token");
}

TEST_F(ChainTest, InstanceMetadataFallsBackToV1UnlessForbidden) {
  serve_imds(false);
  EXPECT_EQ(resolve().access_key_id, "ASIAIMDS");
  EXPECT_EQ(header(requests_.back(), "x-aws-ec2-metadata-token"), "");
  ::setenv("AWS_EC2_METADATA_V1_DISABLED", "true", 1);
  std::string code;
  std::string message = resolve_error(std::nullopt, &code);
  EXPECT_EQ(code, "NoCredentials");
  EXPECT_NE(message.find("AWS_EC2_METADATA_V1_DISABLED forbids IMDSv1"), std::string::npos) << message;
}

TEST_F(ChainTest, InstanceMetadataWithoutARoleOrAnswerIsNoCredentials) {
  serve_imds(true, "");
  std::string message = resolve_error();
  EXPECT_NE(message.find("no IAM role is attached"), std::string::npos) << message;
  handlers_.clear();
  requests_.clear();
  message = resolve_error();
  EXPECT_NE(message.find("EC2 instance metadata (no answer from http://imds.test within 1 s"),
            std::string::npos)
      << message;
  EXPECT_EQ(requests_.size(), 2u) << "one attempt at the token, one at IMDSv1";
}

TEST_F(ChainTest, InstanceMetadataCanBeSwitchedOff) {
  serve_imds();
  ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  std::string message = resolve_error();
  EXPECT_TRUE(requests_.empty());
  EXPECT_NE(message.find("AWS_EC2_METADATA_DISABLED is true"), std::string::npos) << message;
}

TEST_F(ChainTest, InstanceMetadataSettingsFollowTheCli) {
  ::unsetenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  InstanceMetadataSettings d = instance_metadata_settings(nullptr);
  EXPECT_EQ(d.endpoint, "http://169.254.169.254");
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.timeout_seconds, 1);
  ProfileSettings profile = {{"ec2_metadata_service_endpoint_mode", "IPv6"},
                             {"metadata_service_num_attempts", "2"}};
  InstanceMetadataSettings p = instance_metadata_settings(&profile);
  EXPECT_EQ(p.endpoint, "http://[fd00:ec2::254]");
  EXPECT_EQ(p.attempts, 2);
  ::setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254", 1);
  EXPECT_THROW(instance_metadata_settings(nullptr), ApiError);
}

TEST_F(ChainTest, AnImdsErrorAnswerIsNamed) {
  handlers_.emplace_back("http://imds.test", [](const HttpRequest& r) {
    if (r.url.ends_with("/api/token")) return HttpResponse{200, "t"};
    if (r.url.ends_with("/security-credentials/")) return HttpResponse{200, "r"};
    return HttpResponse{
        200, R"({"Code":"AssumeRoleUnauthorizedAccess","Message":"EC2 cannot assume the role r"})"};
  });
  std::string code;
  std::string message = resolve_error(std::nullopt, &code);
  EXPECT_EQ(code, "InstanceMetadataError");
  EXPECT_NE(message.find("AssumeRoleUnauthorizedAccess: EC2 cannot assume the role r"), std::string::npos);
}

// ---- IAM Identity Center
// -----------------------------------------------------------------------------------

class SsoTest : public ChainTest {
 protected:
  // `aws sso login --sso-session corp` writes ~/.aws/sso/cache/<sha1("corp")>.json.
  void cache(const std::string& key_hash, const std::string& expires_at) {
    write(
        ".aws/sso/cache/" + key_hash + ".json",
        R"({"startUrl":"https://corp.awsapps.com/start","region":"eu-west-1","accessToken":"cached-access-token",)"
        R"("expiresAt":")" +
            expires_at + R"("})");
  }
  static constexpr const char* kCorpHash = "ee0bfd2552fbd840c02cc48b6e823320543c450f";  // sha1("corp")
};

TEST_F(SsoTest, SessionProfileUsesTheCachedTokenOfTheSession) {
  write("config",
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n"
        "region = us-east-2\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n");
  SsoProfile sso = *sso_profile("dev", *load_profile("dev"));
  EXPECT_EQ(sso_token_cache_path(sso),
            (env_->dir() / ".aws/sso/cache" / (std::string(kCorpHash) + ".json")).string());
  cache(kCorpHash, "2026-01-01T08:00:00Z");
  serve_sso();
  Credentials c = resolve(std::string("dev"));
  EXPECT_EQ(c.access_key_id, "ASIASSO");
  EXPECT_EQ(c.expiration, kNow + 3600);
  ASSERT_EQ(requests_.size(), 1u);
  EXPECT_EQ(requests_[0].method, "GET");
  EXPECT_EQ(requests_[0].url,
            "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?account_id=111122223333&"
            "role_name=ReadOnly");
}

TEST_F(SsoTest, LegacyProfileHashesTheStartUrl) {
  write("config",
        "[default]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-east-1\n"
        "sso_account_id = 1\nsso_role_name = Admin\n");
  SsoProfile sso = *sso_profile("default", *load_profile("default"));
  // sha1("https://legacy.awsapps.com/start")
  EXPECT_EQ(fs::path(sso_token_cache_path(sso)).filename(), "79e435d7a515078e81c9dffc35f38d5687ebd3a7.json");
}

TEST_F(SsoTest, ExpiredOrMissingSignInSaysWhichLoginToRun) {
  write("config",
        "[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n");
  std::string code;
  std::string message = resolve_error(std::string("dev"), &code);
  EXPECT_EQ(code, "SsoTokenExpired");
  EXPECT_NE(message.find("no cached sign-in"), std::string::npos) << message;
  EXPECT_NE(message.find("run `aws sso login --profile dev`"), std::string::npos) << message;
  cache(kCorpHash, "2025-12-31T23:59:59Z");
  message = resolve_error(std::string("dev"), &code);
  EXPECT_EQ(code, "SsoTokenExpired");
  EXPECT_NE(message.find("expired at 2025-12-31T23:59:59Z"), std::string::npos) << message;
  EXPECT_TRUE(requests_.empty()) << "an expired token is not sent";
  cache(kCorpHash, "2026-01-01T08:00:00UTC");  // as AWS CLI v1 wrote it
  serve_sso(401);
  message = resolve_error(std::string("dev"), &code);
  EXPECT_EQ(code, "SsoTokenExpired");
  EXPECT_NE(message.find("refused the cached sign-in"), std::string::npos) << message;
  EXPECT_EQ(message.find("cached-access-token"), std::string::npos) << message;
}

TEST_F(SsoTest, ConfigurationMistakesAreNamed) {
  write("config",
        "[profile nosession]\nsso_session = absent\nsso_account_id = 1\nsso_role_name = R\n"
        "[profile partial]\nsso_account_id = 1\n"
        "[profile clash]\nsso_session = corp\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n");
  std::string code;
  EXPECT_NE(resolve_error(std::string("nosession"), &code).find("no [sso-session absent] section"),
            std::string::npos);
  EXPECT_EQ(code, "SsoError");
  EXPECT_NE(resolve_error(std::string("partial")).find("lacks sso_start_url, sso_region, sso_role_name"),
            std::string::npos);
  EXPECT_NE(resolve_error(std::string("clash")).find("sso_region is us-east-1 in the profile but eu-west-1"),
            std::string::npos);
}

TEST_F(SsoTest, PortalEndpointOverride) {
  write("config",
        "[default]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n");
  cache(kCorpHash, "2026-01-01T08:00:00Z");
  ::setenv("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9999/", 1);
  handlers_.emplace_back("http://127.0.0.1:9999", [](const HttpRequest&) {
    return HttpResponse{200, R"({"roleCredentials":{"accessKeyId":"ASIALOCALSSO","secretAccessKey":"s",)"
                             R"("sessionToken":"t","expiration":1767229200000}})"};
  });
  EXPECT_EQ(resolve().access_key_id, "ASIALOCALSSO");
  EXPECT_EQ(requests_.at(0).url, "http://127.0.0.1:9999/federation/credentials?account_id=1&role_name=R");
}

// ---- the order
// -----------------------------------------------------------------------------------------------

// Each source is set up, and the chain must take them in the AWS CLI's order: taking one away at a time
// from the front shows the next.
TEST_F(ChainTest, SourcesAreTakenInTheCliOrder) {
  write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n");
  ::setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
  ::setenv("AWS_WEB_IDENTITY_TOKEN_FILE", write("token", "jwt").c_str(), 1);
  ::setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/web", 1);
  ::setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds", 1);
  serve_web_identity();
  serve_container("http://169.254.170.2/creds");
  serve_imds();

  EXPECT_EQ(resolve().access_key_id, "AKIDENV");
  ::unsetenv("AWS_ACCESS_KEY_ID");
  EXPECT_EQ(resolve().access_key_id, "ASIAWEBIDENTITY");  // before the profile's keys
  ::unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
  EXPECT_EQ(resolve().access_key_id, "AKIDFILE");
  write("credentials", "");
  EXPECT_EQ(resolve().access_key_id, "ASIACONTAINER");  // before instance metadata
  ::unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  EXPECT_EQ(resolve().access_key_id, "ASIAIMDS");
}

TEST_F(ChainTest, AProfileWithRoleArnComesBeforeWebIdentity) {
  write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n");
  write("config", "[default]\nrole_arn = arn:aws:iam::1:role/assumed\nsource_profile = base\n");
  ::setenv("AWS_WEB_IDENTITY_TOKEN_FILE", write("token", "jwt").c_str(), 1);
  ::setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/web", 1);
  serve_web_identity();
  EXPECT_EQ(resolve().access_key_id, "ASIAASSUMED");
  EXPECT_EQ(assumed_.at(0).first.access_key_id, "AKIDBASE");
  EXPECT_TRUE(requests_.empty());
}

TEST_F(ChainTest, AnExplicitProfileIgnoresTheEnvironmentsWebIdentity) {
  write("credentials", "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n");
  ::setenv("AWS_WEB_IDENTITY_TOKEN_FILE", write("token", "jwt").c_str(), 1);
  ::setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/web", 1);
  serve_web_identity();
  EXPECT_EQ(resolve(std::string("dev")).access_key_id, "AKIDDEV");
  EXPECT_EQ(resolve().access_key_id, "ASIAWEBIDENTITY");
}

TEST_F(ChainTest, AProfileWithOnlyARegionFallsThroughToTheInstance) {
  write("config", "[profile ops]\nregion = eu-west-1\n");
  serve_imds();
  EXPECT_EQ(resolve(std::string("ops")).access_key_id, "ASIAIMDS");
}

TEST_F(ChainTest, CredentialSourceNamesTheContainerOrTheInstance) {
  write("config",
        "[profile on-ecs]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = EcsContainer\n"
        "[profile on-ec2]\nrole_arn = arn:aws:iam::1:role/y\ncredential_source = Ec2InstanceMetadata\n"
        "[profile odd]\nrole_arn = arn:aws:iam::1:role/z\ncredential_source = Elsewhere\n");
  ::setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds", 1);
  serve_container("http://169.254.170.2/creds");
  serve_imds();
  EXPECT_EQ(resolve(std::string("on-ecs")).access_key_id, "ASIAASSUMED");
  EXPECT_EQ(assumed_.at(0).first.access_key_id, "ASIACONTAINER");
  resolve(std::string("on-ec2"));
  EXPECT_EQ(assumed_.at(1).first.access_key_id, "ASIAIMDS");
  EXPECT_NE(resolve_error(std::string("odd")).find("Environment, EcsContainer, Ec2InstanceMetadata"),
            std::string::npos);
}

TEST_F(ChainTest, ASourceProfileMayUseIdentityCenter) {
  write("config",
        "[profile audit]\nrole_arn = arn:aws:iam::2:role/audit\nsource_profile = sso\n"
        "[profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n");
  write(".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
        R"({"accessToken":"cached-access-token","expiresAt":"2026-01-01T08:00:00Z"})");
  serve_sso();
  EXPECT_EQ(resolve(std::string("audit")).access_key_id, "ASIAASSUMED");
  EXPECT_EQ(assumed_.at(0).first.access_key_id, "ASIASSO");
}

TEST_F(ChainTest, NothingFoundListsEveryPlaceInOrder) {
  std::string code;
  std::string message = resolve_error(std::nullopt, &code);
  EXPECT_EQ(code, "NoCredentials");
  size_t at = 0;
  for (const char* place : {"the environment (AWS_ACCESS_KEY_ID", "web identity (AWS_WEB_IDENTITY_TOKEN_FILE",
                            "a [default] profile", "container credentials", "EC2 instance metadata"}) {
    size_t found = message.find(place, at);
    EXPECT_NE(found, std::string::npos) << place << " in " << message;
    at = found == std::string::npos ? at : found;
  }
  ::setenv("AWS_PROFILE", "missing", 1);
  EXPECT_NE(resolve_error().find("profile 'missing' is in neither"), std::string::npos);
}

// ---- refresh
// -------------------------------------------------------------------------------------------------

TEST(CredentialProvider, RefreshesWhenLessThanFiveMinutesAreLeft) {
  std::time_t now = kNow;
  int resolved = 0;
  CredentialProvider provider(
      [&] {
        ++resolved;
        return Credentials{"ASIA" + std::to_string(resolved), "s", "t", now + 3600};
      },
      [&] { return now; });
  EXPECT_EQ(provider.get().access_key_id, "ASIA1");
  now += 3600 - 301;
  EXPECT_EQ(provider.get().access_key_id, "ASIA1");
  now += 2;  // 299 s left
  EXPECT_EQ(provider.get().access_key_id, "ASIA2");
  EXPECT_EQ(resolved, 2);
}

TEST(CredentialProvider, LongTermKeysAreNeverResolvedAgain) {
  int resolved = 0;
  CredentialProvider provider([&] {
    ++resolved;
    return Credentials{"AKID", "s", "", std::nullopt};
  });
  for (int i = 0; i < 5; ++i) provider.get();
  EXPECT_EQ(resolved, 1);
  EXPECT_EQ(CredentialProvider::fixed(Credentials{"A", "s", "", kNow})->get().expiration, std::nullopt);
}

TEST(CredentialProvider, AFailedRefreshKeepsWorkingCredentialsUntilTheyExpire) {
  std::time_t now = kNow;
  bool fail = false;
  int resolved = 0;
  CredentialProvider provider(
      [&] {
        ++resolved;
        if (fail) throw ApiError("NetworkError", 0, "169.254.170.2: timed out");
        return Credentials{"ASIAOLD", "s", "t", kNow + 3600};
      },
      [&] { return now; });
  provider.get();
  fail = true;
  now = kNow + 3600 - 60;
  EXPECT_EQ(provider.get().access_key_id, "ASIAOLD");  // a minute left: still usable
  EXPECT_EQ(resolved, 2);
  EXPECT_EQ(provider.get().access_key_id, "ASIAOLD");  // not asked again at once
  EXPECT_EQ(resolved, 2);
  now += kRefreshRetrySeconds;
  provider.get();
  EXPECT_EQ(resolved, 3);
  now = kNow + 3600;  // expired
  try {
    provider.get();
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "NetworkError");
  }
}

TEST(CredentialProvider, ConcurrentRequestsShareOneRefresh) {
  std::atomic<std::time_t> now{kNow};
  std::atomic<int> resolved{0};
  CredentialProvider provider(
      [&] {
        const int n = ++resolved;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a slow source: others must wait
        return Credentials{"ASIA" + std::to_string(n), "s", "t", now.load() + 900};
      },
      [&] { return now.load(); });
  for (int round = 0; round < 3; ++round) {
    std::vector<std::thread> threads;
    std::atomic<int> stale{0};
    for (int i = 0; i < 16; ++i) {
      threads.emplace_back([&] {
        for (int k = 0; k < 20; ++k) {
          Credentials c = provider.get();
          if (!c.expiration || *c.expiration - now.load() <= kRefreshBeforeExpirySeconds) ++stale;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(stale.load(), 0);
    EXPECT_EQ(resolved.load(), round + 1);
    now += 900 - 200;  // into the last five minutes
  }
}

// A long run: the audit's client and S3's sign each attempt with what the provider gives then.
TEST(CredentialProvider, ClientsSignWithRefreshedCredentials) {
  std::time_t now = kNow;
  int resolved = 0;
  auto provider = std::make_shared<CredentialProvider>(
      [&] {
        ++resolved;
        return Credentials{"ASIAGEN" + std::to_string(resolved), "s", "t", now + 900};
      },
      [&] { return now; });
  std::vector<std::string> authorizations;
  Transport transport = [&](const HttpRequest& r) {
    authorizations.push_back(header(r, "Authorization"));
    return HttpResponse{200, "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>"};
  };
  AwsClient client(provider, std::string("http://127.0.0.1:1"), 1, transport, {}, [&] { return now; });
  S3Client s3(provider, std::string("http://127.0.0.1:1"), RetryPolicy(1), transport, [&] { return now; });
  client.call_query("us-east-1", *find_service("sts"), "GetCallerIdentity", {});
  s3.list_page({"bucket", "us-east-1"}, "", "", std::nullopt);
  now += 700;
  client.call_query("us-east-1", *find_service("sts"), "GetCallerIdentity", {});
  s3.list_page({"bucket", "us-east-1"}, "", "", std::nullopt);
  ASSERT_EQ(authorizations.size(), 4u);
  EXPECT_NE(authorizations[0].find("Credential=ASIAGEN1/"), std::string::npos);
  EXPECT_NE(authorizations[1].find("Credential=ASIAGEN1/"), std::string::npos);
  EXPECT_NE(authorizations[2].find("Credential=ASIAGEN2/"), std::string::npos);
  EXPECT_NE(authorizations[3].find("Credential=ASIAGEN2/"), std::string::npos);
}

TEST(CredentialTimes, Iso8601AsAwsWritesIt) {
  EXPECT_EQ(parse_expiration("2026-01-01T00:00:00Z"), kNow);
  EXPECT_EQ(parse_expiration("2026-01-01T00:00:00.123456Z"), kNow);
  EXPECT_EQ(parse_expiration("2026-01-01T00:00:00UTC"), kNow);
  EXPECT_EQ(parse_expiration("2026-01-01T01:00:00+01:00"), kNow);
  EXPECT_EQ(parse_expiration("2025-12-31T23:00:00-0100"), kNow);
  EXPECT_EQ(parse_expiration("2026-01-01 00:00:00Z"), kNow);
  EXPECT_EQ(parse_expiration("2026-13-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_expiration("yesterday"), std::nullopt);
  EXPECT_EQ(parse_expiration("2026-01-01T00:00:00 PST"), std::nullopt);
  EXPECT_EQ(
      parse_credential_process_output(
          R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2026-01-01T00:00:00Z"})", "p")
          .expiration,
      kNow);
}

// ---- endpoints
// -------------------------------------------------------------------------------------------------

TEST_F(ChainTest, EndpointUrlsNeedASchemeAndFollowTheCliPrecedence) {
  EXPECT_EQ(endpoint_url_problem("http://localhost:4566"), "");
  EXPECT_EQ(endpoint_url_problem("HTTPS://s3.example"), "");
  EXPECT_EQ(endpoint_url_problem("localhost:4566"),
            "'localhost:4566' has no scheme: give http://localhost:4566 or https://localhost:4566");
  EXPECT_EQ(endpoint_url_problem("http:///x"), "'http:///x' names no host");
  EXPECT_THROW(endpoint_for(*find_service("sts"), "us-east-1", std::string("localhost:4566")), ApiError);

  EXPECT_EQ(configured_endpoint_url("STS", std::nullopt), std::nullopt);
  ::setenv("AWS_ENDPOINT_URL", "http://all:1", 1);
  EXPECT_EQ(configured_endpoint_url("STS", std::nullopt), "http://all:1");
  ::setenv("AWS_ENDPOINT_URL_STS", "http://sts:2", 1);
  EXPECT_EQ(configured_endpoint_url("STS", std::nullopt), "http://sts:2");
  EXPECT_EQ(configured_endpoint_url("CLOUDTRAIL", std::nullopt), "http://all:1");
  EXPECT_EQ(configured_endpoint_url("STS", std::string("http://flag:3")), "http://flag:3");
  ::setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
  EXPECT_EQ(configured_endpoint_url("STS", std::nullopt), std::nullopt);
  ::unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  ::setenv("AWS_ENDPOINT_URL_STS", "sts:2", 1);
  try {
    configured_endpoint_url("STS", std::nullopt);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "InvalidEndpoint");
    EXPECT_EQ(std::string(e.what()),
              "AWS_ENDPOINT_URL_STS 'sts:2' has no scheme: give http://sts:2 or https://sts:2");
  }
  try {
    configured_endpoint_url("S3", std::string("localhost:4566"));
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_NE(std::string(e.what()).find("--endpoint-url 'localhost:4566' has no scheme"), std::string::npos);
  }
}

TEST_F(ChainTest, ConfiguredRegionSaysWhereItCameFrom) {
  ClientConfig config;
  EXPECT_EQ(configured_region(config), std::nullopt);
  EXPECT_EQ(default_region(config), "us-east-1");
  write("config", "[profile eu]\nregion = eu-west-3\n");
  config.profile = "eu";
  EXPECT_EQ(configured_region(config)->region, "eu-west-3");
  EXPECT_EQ(configured_region(config)->source, "profile 'eu' in " + (env_->dir() / "config").string());
  ::setenv("AWS_DEFAULT_REGION", "ap-south-1", 1);
  EXPECT_EQ(configured_region(config)->source, "AWS_DEFAULT_REGION");
}

}  // namespace
}  // namespace trailwatch::aws
