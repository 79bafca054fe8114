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

bool cpu_runs(const char* implementation) {
  const simdjson::implementation* kernel = simdjson::get_available_implementations()[implementation];
  return kernel != nullptr && kernel->supported_by_runtime_system();
}

std::string kernel_in_use() {
  const std::string used = preferred_record_kernel();
  return used == "icelake"   ? "the AVX-512 kernel"
         : used == "haswell" ? "the AVX2 kernel"
                             : "the portable kernel";
}

std::string avx2_kernel_line() {
#if TRAILWATCH_HAVE_HASWELL_KERNEL
  if (!cpu_runs("haswell")) return "not available: this CPU lacks AVX2 (scans use the portable kernel)";
  if (std::strcmp(preferred_record_kernel(), "haswell") == 0) return "available on this CPU (scans use it)";
  if (std::strcmp(preferred_record_kernel(), "icelake") == 0)
    return "available on this CPU (scans use the AVX-512 kernel)";
  return "available on this CPU, but TRAILWATCH_KERNEL=fallback: scans use the portable kernel";
#else
  return "not built in (not an x86-64 build): scans use the portable kernel";
#endif
}

std::string avx512_kernel_line() {
#if TRAILWATCH_HAVE_ICELAKE_KERNEL
  if (!cpu_runs("icelake"))
    return "not available: this CPU lacks AVX-512 F/DQ/CD/BW/VL/VBMI2 (scans use " + kernel_in_use() + ")";
  if (std::strcmp(preferred_record_kernel(), "icelake") == 0) return "available on this CPU (scans use it)";
  return fmt::format("available on this CPU, but TRAILWATCH_KERNEL={}: scans use {}",
                     std::getenv("TRAILWATCH_KERNEL") ? std::getenv("TRAILWATCH_KERNEL") : "",
                     kernel_in_use());
#else
  return "not built in (not an x86-64 build): scans use " + kernel_in_use();
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
      "AVX2 kernel: {}\n"
      "AVX-512 kernel: {}",
      version_line(), build_info::kCommit, build_info::kModified ? " (with uncommitted changes)" : "",
      compiler(), __cplusplus / 100 % 100, build_info::kBuildType,
      build_info::kSanitized ? " with ASan and UBSan" : "", avx2_kernel_line(), avx512_kernel_line());
}

}  // namespace trailwatch::cli
