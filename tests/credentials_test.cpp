#include <gtest/gtest.h>

#include <optional>

#include "aws/aws_config_file.hpp"
#include "aws/credentials.hpp"
#include "aws_scratch_environment.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

// Every test starts from an empty AWS environment with its own config files, and puts the real one back.
class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.emplace("trailwatch-creds");
    // No test reaches for 169.254.169.254.
    ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  }

  void TearDown() override { env_.reset(); }

  void write(const std::string& name, const std::string& text) { env_->write(name, text); }

  // Records AssumeRole calls instead of making them; any other request fails (no network here).
  CredentialContext recorder() {
    CredentialContext context;
    context.assume = [this](const Credentials& source, const AssumeRoleRequest& request) {
      sources_.push_back(source);
      requests_.push_back(request);
      return Credentials{"ASIAASSUMED", "assumed-secret", "assumed-token"};
    };
    context.transport = [](const HttpRequest& request) -> HttpResponse {
      throw ApiError("NetworkError", 0, request.url + ": no network in unit tests");
    };
    return context;
  }

  std::optional<ScratchAwsEnvironment> env_;
  std::vector<Credentials> sources_;
  std::vector<AssumeRoleRequest> requests_;
};

TEST_F(CredentialsTest, EnvironmentComesFirst) {
  ::setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
  ::setenv("AWS_SESSION_TOKEN", "env-token", 1);
  write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n");
  Credentials c = resolve_credentials(std::nullopt, recorder());
  EXPECT_EQ(c.access_key_id, "AKIDENV");
  EXPECT_EQ(c.secret_access_key, "env-secret");
  EXPECT_EQ(c.session_token, "env-token");
}

TEST_F(CredentialsTest, ExplicitProfileBeatsTheEnvironmentButAwsProfileDoesNot) {
  ::setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
  write("credentials", "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n");
  EXPECT_EQ(resolve_credentials(std::string("dev"), recorder()).access_key_id, "AKIDDEV");
  ::setenv("AWS_PROFILE", "dev", 1);
  EXPECT_EQ(resolve_credentials(std::nullopt, recorder()).access_key_id, "AKIDENV");
  ::unsetenv("AWS_ACCESS_KEY_ID");
  EXPECT_EQ(resolve_credentials(std::nullopt, recorder()).access_key_id, "AKIDDEV");
}

TEST_F(CredentialsTest, StaticKeysFromEitherFile) {
  write("credentials",
        "# comment\n[default]\naws_access_key_id=AKIDDEFAULT\naws_secret_access_key = s1\n"
        "aws_session_token = t1\n");
  write("config",
        "[profile cfg]\naws_access_key_id = AKIDCFG\naws_secret_access_key = s2\nregion = eu-west-1\n");
  Credentials d = resolve_credentials(std::nullopt, recorder());
  EXPECT_EQ(d.access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(d.session_token, "t1");
  EXPECT_EQ(resolve_credentials(std::string("cfg"), recorder()).access_key_id, "AKIDCFG");
}

TEST_F(CredentialsTest, CredentialsFileWinsOverConfigForTheSameProfile) {
  write("credentials", "[p]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = s1\n");
  write("config",
        "[profile p]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s2\n"
        "credential_process = false\n");
  EXPECT_EQ(resolve_credentials(std::string("p"), recorder()).access_key_id, "AKIDCREDS");
}

TEST_F(CredentialsTest, CredentialProcessOutputIsParsed) {
  write("config",
        "[profile proc]\ncredential_process = printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
        "\"SecretAccessKey\": \"proc-secret\", \"SessionToken\": \"proc-token\", "
        "\"Expiration\": \"2099-01-01T00:00:00Z\"}'\n");
  Credentials c = resolve_credentials(std::string("proc"), recorder());
  EXPECT_EQ(c.access_key_id, "AKIDPROC");
  EXPECT_EQ(c.secret_access_key, "proc-secret");
  EXPECT_EQ(c.session_token, "proc-token");
}

TEST_F(CredentialsTest, CredentialProcessFailuresNameTheProfileNotTheOutput) {
  write("config",
        "[profile fails]\ncredential_process = /bin/sh -c 'echo leaked-secret; exit 3'\n"
        "[profile badjson]\ncredential_process = printf '{\"Version\": 2, \"SecretAccessKey\": "
        "\"very-secret\"}'\n");
  try {
    resolve_credentials(std::string("fails"), recorder());
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "CredentialProcessError");
    EXPECT_NE(std::string(e.what()).find("'fails'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("status 3"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("leaked-secret"), std::string::npos) << e.what();
  }
  try {
    resolve_credentials(std::string("badjson"), recorder());
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_NE(std::string(e.what()).find("Version"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("very-secret"), std::string::npos) << e.what();
  }
}

TEST_F(CredentialsTest, RoleArnAssumesWithTheSourceProfilesKeys) {
  write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  write("config",
        "[profile auditor]\nrole_arn = arn:aws:iam::111122223333:role/auditor\nsource_profile = base\n"
        "role_session_name = audit-session\nexternal_id = ext-123\nduration_seconds = 1800\n"
        "region = eu-central-1\n");
  Credentials c = resolve_credentials(std::string("auditor"), recorder());
  EXPECT_EQ(c.access_key_id, "ASIAASSUMED");
  ASSERT_EQ(requests_.size(), 1u);
  EXPECT_EQ(sources_[0].access_key_id, "AKIDBASE");
  EXPECT_EQ(sources_[0].secret_access_key, "base-secret");
  EXPECT_EQ(requests_[0].role_arn, "arn:aws:iam::111122223333:role/auditor");
  EXPECT_EQ(requests_[0].role_session_name, "audit-session");
  EXPECT_EQ(requests_[0].external_id, "ext-123");
  EXPECT_EQ(requests_[0].duration_seconds, 1800);
  EXPECT_EQ(requests_[0].region, "eu-central-1");
}

TEST_F(CredentialsTest, RoleChainsAndLoops) {
  write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  write("config",
        "[profile first]\nrole_arn = arn:aws:iam::1:role/first\nsource_profile = base\n"
        "[profile second]\nrole_arn = arn:aws:iam::2:role/second\nsource_profile = first\n"
        "[profile loop-a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = loop-b\n"
        "[profile loop-b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = loop-a\n");
  resolve_credentials(std::string("second"), recorder());
  ASSERT_EQ(requests_.size(), 2u);
  EXPECT_EQ(requests_[0].role_arn, "arn:aws:iam::1:role/first");
  EXPECT_EQ(sources_[1].access_key_id, "ASIAASSUMED");
  EXPECT_EQ(requests_[1].role_arn, "arn:aws:iam::2:role/second");
  EXPECT_TRUE(requests_[1].role_session_name.starts_with("trailwatch-"));
  EXPECT_THROW(resolve_credentials(std::string("loop-a"), recorder()), ApiError);
}

TEST_F(CredentialsTest, MissingCredentialsSayWhereWeLooked) {
  try {
    resolve_credentials(std::nullopt, recorder());
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "NoCredentials");
    EXPECT_NE(std::string(e.what()).find("AWS_ACCESS_KEY_ID"), std::string::npos);
  }
  try {
    resolve_credentials(std::string("nope"), recorder());
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_NE(std::string(e.what()).find("'nope'"), std::string::npos);
  }
}

TEST_F(CredentialsTest, ErrorsNeverQuoteTheSecret) {
  write("credentials", "[half]\naws_secret_access_key = do-not-print-me\n");
  write("config", "[profile half]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = half\n");
  try {
    resolve_credentials(std::string("half"), recorder());
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(std::string(e.what()).find("do-not-print-me"), std::string::npos) << e.what();
  }
}

TEST_F(CredentialsTest, RegionFromEnvironmentThenProfile) {
  write("config", "[default]\nregion = ap-southeast-2\n[profile other]\nregion = sa-east-1\n");
  ClientConfig config;
  EXPECT_EQ(default_region(config), "ap-southeast-2");
  config.profile = "other";
  EXPECT_EQ(default_region(config), "sa-east-1");
  config.profile = "absent";
  EXPECT_EQ(default_region(config), "us-east-1");
  ::setenv("AWS_DEFAULT_REGION", "eu-west-3", 1);
  EXPECT_EQ(default_region(config), "eu-west-3");
  ::setenv("AWS_REGION", "eu-north-1", 1);
  EXPECT_EQ(default_region(config), "eu-north-1");
}

TEST(AwsConfigFile, ParsesSectionsCommentsAndNestedValues) {
  auto ini = parse_ini(
      "[default]\r\nregion = us-west-2 \r\n; comment\n# comment\ns3 =\n  max_concurrent_requests = 20\n"
      "[profile  spaced ]\nkey=value=with=equals\n");
  EXPECT_EQ(ini["default"]["region"], "us-west-2");
  EXPECT_EQ(ini["default"]["s3"], "\nmax_concurrent_requests = 20");
  EXPECT_EQ(ini["profile  spaced"]["key"], "value=with=equals");
}

}  // namespace
}  // namespace trailwatch::aws
