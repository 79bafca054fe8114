// An empty AWS environment for one test: every variable the credential chain reads is unset, HOME and the
// config and credentials files point into a fresh folder of the test's own, and the real environment comes
// back when the object goes. Shared by the credential tests, which each need it whole.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace trailwatch::aws {

class ScratchAwsEnvironment {
 public:
  /// Every variable the AWS CLI's chain reads (docs/design.md "Credentials").
  static constexpr const char* kVariables[] = {"AWS_ACCESS_KEY_ID",
                                               "AWS_SECRET_ACCESS_KEY",
                                               "AWS_SESSION_TOKEN",
                                               "AWS_PROFILE",
                                               "AWS_CONFIG_FILE",
                                               "AWS_SHARED_CREDENTIALS_FILE",
                                               "AWS_REGION",
                                               "AWS_DEFAULT_REGION",
                                               "HOME",
                                               "AWS_WEB_IDENTITY_TOKEN_FILE",
                                               "AWS_ROLE_ARN",
                                               "AWS_ROLE_SESSION_NAME",
                                               "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                                               "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                               "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                                               "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                                               "AWS_EC2_METADATA_DISABLED",
                                               "AWS_EC2_METADATA_V1_DISABLED",
                                               "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                               "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                                               "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
                                               "AWS_METADATA_SERVICE_TIMEOUT",
                                               "AWS_ENDPOINT_URL",
                                               "AWS_ENDPOINT_URL_STS",
                                               "AWS_ENDPOINT_URL_SSO",
                                               "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"};

  /// The folder is named after `prefix`, the process and the running test.
  explicit ScratchAwsEnvironment(const std::string& prefix) {
    for (const char* name : kVariables) {
      if (const char* value = std::getenv(name)) saved_[name] = value;
      ::unsetenv(name);
    }
    dir_ = std::filesystem::temp_directory_path() /
           (prefix + "-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ::setenv("HOME", dir_.c_str(), 1);
    ::setenv("AWS_CONFIG_FILE", (dir_ / "config").c_str(), 1);
    ::setenv("AWS_SHARED_CREDENTIALS_FILE", (dir_ / "credentials").c_str(), 1);
  }
  ~ScratchAwsEnvironment() {
    for (const char* name : kVariables) ::unsetenv(name);
    for (const auto& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
    std::filesystem::remove_all(dir_);
  }
  ScratchAwsEnvironment(const ScratchAwsEnvironment&) = delete;
  ScratchAwsEnvironment& operator=(const ScratchAwsEnvironment&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  /// Writes `text` to `name` below the folder (its folders made); returns the file's path.
  std::string write(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }

 private:
  std::filesystem::path dir_;
  std::map<std::string, std::string> saved_;
};

}  // namespace trailwatch::aws
