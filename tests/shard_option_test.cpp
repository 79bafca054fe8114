// `--shard I/N | auto | auto/N`: the flag's value and, for auto, the batch engine's environment. The
// environment is a fake lookup over a map: the tests never set variables of the process.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cli/shard_option.hpp"
#include "cli/usage_error.hpp"

namespace trailwatch::cli {
namespace {

using Environment = std::map<std::string, std::string>;

EnvironmentLookup lookup(const Environment& environment) {
  return [&environment](const char* name) -> const char* {
    const auto it = environment.find(name);
    return it == environment.end() ? nullptr : it->second.c_str();
  };
}

// The UsageError's message, or "no error: I/N" when the value parsed.
std::string error_of(const std::string& value, const Environment& environment = {}) {
  try {
    const Shard shard = parse_shard_option(value, lookup(environment));
    return "no error: " + std::to_string(shard.index) + "/" + std::to_string(shard.count);
  } catch (const UsageError& e) {
    return e.message;
  }
}

::testing::AssertionResult is_shard(const std::string& value, const Environment& environment,
                                    std::uint64_t index, std::uint64_t count) {
  try {
    const Shard shard = parse_shard_option(value, lookup(environment));
    if (shard.index == index && shard.count == count) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "'" << value << "' gave " << shard.index << "/" << shard.count
                                         << ", expected " << index << "/" << count;
  } catch (const UsageError& e) {
    return ::testing::AssertionFailure() << "'" << value << "' threw UsageError: " << e.message;
  }
}

TEST(ShardOption, IndexSlashCount) {
  EXPECT_TRUE(is_shard("0/1", {}, 0, 1));
  EXPECT_TRUE(is_shard("3/8", {}, 3, 8));
  EXPECT_TRUE(is_shard("7/8", {}, 7, 8));
  // An explicit I/N ignores the batch engine's environment.
  EXPECT_TRUE(is_shard("2/8", {{"SLURM_ARRAY_TASK_ID", "5"}, {"SLURM_ARRAY_TASK_COUNT", "6"}}, 2, 8));
}

TEST(ShardOption, MalformedValuesAreUsageErrors) {
  for (const char* value :
       {"8/8",    "9/8",         "x/8",    "1",     "1/0",   "0/0",  "-1/3", "1/-3", "1/",
        "/3",     "/",           "",       "auto",  "1/2/3", " 1/3", "1/3 ", "1/x",  "0x1/3",
        "auto/0", "automatic/3", "AUTO/3", "1.0/3", "+1/3"}) {
    SCOPED_TRACE(std::string("--shard '") + value + "'");
    EXPECT_THROW(parse_shard_option(value, lookup({})), UsageError);
  }
}

TEST(ShardOption, MessagesSayWhatIsWrong) {
  EXPECT_NE(error_of("8/8").find("index 8 is not below the count 8"), std::string::npos) << error_of("8/8");
  EXPECT_NE(error_of("1/0").find("at least 1"), std::string::npos) << error_of("1/0");
  EXPECT_NE(error_of("x/8").find("expected I/N"), std::string::npos) << error_of("x/8");
  EXPECT_NE(error_of("1/2/3").find("count after '/'"), std::string::npos) << error_of("1/2/3");
  // auto outside an array job names the variables it looked for.
  const std::string none = error_of("auto/4");
  EXPECT_NE(none.find("SLURM_ARRAY_TASK_ID"), std::string::npos) << none;
  EXPECT_NE(none.find("JOB_COMPLETION_INDEX"), std::string::npos) << none;
  EXPECT_NE(none.find("AWS_BATCH_JOB_ARRAY_INDEX"), std::string::npos) << none;
}

TEST(ShardOption, AutoUnderSlurmCountsFromTheArraysFirstTask) {
  const Environment slurm{
      {"SLURM_ARRAY_TASK_ID", "5"}, {"SLURM_ARRAY_TASK_MIN", "4"}, {"SLURM_ARRAY_TASK_COUNT", "3"}};
  EXPECT_TRUE(is_shard("auto", slurm, 1, 3));
  // A count given on the command line wins over the environment's.
  EXPECT_TRUE(is_shard("auto/2", slurm, 1, 2));
  // Without SLURM_ARRAY_TASK_MIN the array is taken to start at 0.
  EXPECT_TRUE(is_shard("auto", {{"SLURM_ARRAY_TASK_ID", "2"}, {"SLURM_ARRAY_TASK_COUNT", "3"}}, 2, 3));
  EXPECT_TRUE(is_shard("auto/8", {{"SLURM_ARRAY_TASK_ID", "5"}}, 5, 8));
  // An id below the array's first task cannot be.
  EXPECT_THROW(
      parse_shard_option("auto/8", lookup({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_MIN", "2"}})),
      UsageError);
}

TEST(ShardOption, AutoWithoutACountInTheEnvironmentNeedsOne) {
  // Only Slurm puts the count in the environment.
  const std::string k8s = error_of("auto", {{"JOB_COMPLETION_INDEX", "1"}});
  EXPECT_NE(k8s.find("auto/N"), std::string::npos) << k8s;
  EXPECT_THROW(parse_shard_option("auto", lookup({{"AWS_BATCH_JOB_ARRAY_INDEX", "1"}})), UsageError);
  EXPECT_THROW(parse_shard_option("auto", lookup({{"SLURM_ARRAY_TASK_ID", "1"}})), UsageError);
}

TEST(ShardOption, AutoUnderKubernetesAndAwsBatch) {
  EXPECT_TRUE(is_shard("auto/4", {{"JOB_COMPLETION_INDEX", "2"}}, 2, 4));
  EXPECT_TRUE(is_shard("auto/4", {{"AWS_BATCH_JOB_ARRAY_INDEX", "3"}}, 3, 4));
  EXPECT_TRUE(is_shard("auto/4", {{"AWS_BATCH_JOB_ARRAY_INDEX", "0"}}, 0, 4));
}

TEST(ShardOption, SlurmWinsWhenSeveralEnginesAreSet) {
  const Environment all{
      {"SLURM_ARRAY_TASK_ID", "1"}, {"JOB_COMPLETION_INDEX", "2"}, {"AWS_BATCH_JOB_ARRAY_INDEX", "3"}};
  EXPECT_TRUE(is_shard("auto/4", all, 1, 4));
  // Then Kubernetes over AWS Batch.
  EXPECT_TRUE(is_shard("auto/4", {{"JOB_COMPLETION_INDEX", "2"}, {"AWS_BATCH_JOB_ARRAY_INDEX", "3"}}, 2, 4));
}

TEST(ShardOption, AnIndexFromTheEnvironmentMustBeBelowTheCount) {
  const std::string message = error_of("auto/2", {{"JOB_COMPLETION_INDEX", "2"}});
  EXPECT_NE(message.find("index 2 is not below the count 2"), std::string::npos) << message;
  EXPECT_THROW(
      parse_shard_option("auto", lookup({{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "3"}})),
      UsageError);
}

TEST(ShardOption, ANonNumericVariableIsNamed) {
  const std::vector<std::pair<std::string, Environment>> cases{
      {"SLURM_ARRAY_TASK_ID", {{"SLURM_ARRAY_TASK_ID", "x"}, {"SLURM_ARRAY_TASK_COUNT", "3"}}},
      {"SLURM_ARRAY_TASK_MIN", {{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_MIN", "one"}}},
      {"SLURM_ARRAY_TASK_COUNT", {{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "3x"}}},
      {"JOB_COMPLETION_INDEX", {{"JOB_COMPLETION_INDEX", ""}}},
      {"AWS_BATCH_JOB_ARRAY_INDEX", {{"AWS_BATCH_JOB_ARRAY_INDEX", "-1"}}},
  };
  for (const auto& [variable, environment] : cases) {
    SCOPED_TRACE(variable);
    const std::string message =
        error_of(variable == "SLURM_ARRAY_TASK_COUNT" ? "auto" : "auto/4", environment);
    EXPECT_NE(message.find(variable), std::string::npos) << message;
    EXPECT_EQ(message.find("no error"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace trailwatch::cli
