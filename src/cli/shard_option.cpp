#include "cli/shard_option.hpp"

#include <charconv>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "cli/usage_error.hpp"

namespace trailwatch::cli {

namespace {

std::optional<std::uint64_t> whole_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::uint64_t environment_number(const EnvironmentLookup& environment, const char* name) {
  const char* text = environment(name);
  const std::optional<std::uint64_t> value = whole_number(text);
  if (!value) throw UsageError{fmt::format("--shard auto: {}='{}' is not a whole number", name, text)};
  return *value;
}

// The index the engine gave this run, from the first engine whose variable is set.
std::uint64_t engine_index(const EnvironmentLookup& environment) {
  if (environment("SLURM_ARRAY_TASK_ID") != nullptr) {
    const std::uint64_t id = environment_number(environment, "SLURM_ARRAY_TASK_ID");
    // Arrays may start anywhere (--array=1-8): the index counts from the first task.
    const std::uint64_t first = environment("SLURM_ARRAY_TASK_MIN") != nullptr
                                    ? environment_number(environment, "SLURM_ARRAY_TASK_MIN")
                                    : 0;
    if (id < first)
      throw UsageError{
          fmt::format("--shard auto: SLURM_ARRAY_TASK_ID {} is below SLURM_ARRAY_TASK_MIN {}", id, first)};
    return id - first;
  }
  if (environment("JOB_COMPLETION_INDEX") != nullptr)
    return environment_number(environment, "JOB_COMPLETION_INDEX");
  if (environment("AWS_BATCH_JOB_ARRAY_INDEX") != nullptr)
    return environment_number(environment, "AWS_BATCH_JOB_ARRAY_INDEX");
  throw UsageError{
      "--shard auto: no shard index in the environment (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or "
      "AWS_BATCH_JOB_ARRAY_INDEX); outside an array job give --shard I/N"};
}

}  // namespace

Shard parse_shard_option(const std::string& value, const EnvironmentLookup& environment) {
  const std::string_view text = value;
  const std::size_t slash = text.find('/');
  const std::string_view first = text.substr(0, slash);
  Shard shard;
  if (first == "auto") {
    shard.index = engine_index(environment);
    if (slash == std::string_view::npos) {
      if (environment("SLURM_ARRAY_TASK_COUNT") == nullptr)
        throw UsageError{
            "--shard auto: the shard count is only in the environment under Slurm (SLURM_ARRAY_TASK_COUNT); "
            "give it: --shard auto/N"};
      shard.count = environment_number(environment, "SLURM_ARRAY_TASK_COUNT");
    }
  } else {
    const std::optional<std::uint64_t> index = whole_number(first);
    if (!index || slash == std::string_view::npos)
      throw UsageError{fmt::format("--shard '{}': expected I/N (e.g. 0/8), auto or auto/N", value)};
    shard.index = *index;
  }
  if (slash != std::string_view::npos) {
    const std::optional<std::uint64_t> count = whole_number(text.substr(slash + 1));
    if (!count)
      throw UsageError{fmt::format("--shard '{}': the count after '/' is not a whole number", value)};
    shard.count = *count;
  }
  if (shard.count == 0) throw UsageError{fmt::format("--shard '{}': the count must be at least 1", value)};
  if (shard.index >= shard.count)
    throw UsageError{fmt::format("--shard: index {} is not below the count {} (indexes run from 0 to {})",
                                 shard.index, shard.count, shard.count - 1)};
  return shard;
}

}  // namespace trailwatch::cli
