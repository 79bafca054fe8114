// `--shard I/N | auto | auto/N`: which part of the inputs one run of a sharded scan reads. With auto the
// index comes from the batch engine that started the run (Slurm array, Kubernetes Indexed Job, AWS Batch
// array).
#pragma once

#include <functional>
#include <string>

#include "trailwatch/ingest.hpp"

namespace trailwatch::cli {

/// Reads an environment variable; null when it is not set.
using EnvironmentLookup = std::function<const char*(const char*)>;

/// Parses the flag's value. Throws UsageError naming what is missing or wrong.
Shard parse_shard_option(const std::string& value, const EnvironmentLookup& environment);

}  // namespace trailwatch::cli
