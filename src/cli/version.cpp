#include "cli/version.hpp"

#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <simdjson.h>

#include "cli/build_info.hpp"
#include "trailwatch/records.hpp"

namespace trailwatch::cli {

namespace {

std::string compiler() {
#if defined(__clang__)
  return fmt::format("Clang {}.{}.{}", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  return fmt::format("GCC {}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  return "unknown compiler";
#endif
}

std::string kernel_line() {
#if TRAILWATCH_HAVE_HASWELL_KERNEL
  const simdjson::implementation* haswell = simdjson::get_available_implementations()["haswell"];
  const bool cpu = haswell != nullptr && haswell->supported_by_runtime_system();
  if (!cpu) return "not available: this CPU lacks AVX2 (scans use the portable kernel)";
  if (std::strcmp(preferred_record_kernel(), "haswell") == 0) return "available on this CPU (scans use it)";
  return "available on this CPU, but TRAILWATCH_KERNEL=fallback: scans use the portable kernel";
#else
  return "not built in (not an x86-64 build): scans use the portable kernel";
#endif
}

}  // namespace

std::string version_line() {
  return fmt::format("trailwatch {}", build_info::kVersion);
}

std::string version_text() {
  return fmt::format(
      "{}\n"
      "commit:      {}{}\n"
      "compiler:    {}, C++{}, {} build{}\n"
      "AVX2 kernel: {}",
      version_line(), build_info::kCommit, build_info::kModified ? " (with uncommitted changes)" : "",
      compiler(), __cplusplus / 100 % 100, build_info::kBuildType,
      build_info::kSanitized ? " with ASan and UBSan" : "", kernel_line());
}

}  // namespace trailwatch::cli
