#include "cli/version.hpp"

#include <cstdlib>

#include <fmt/format.h>

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

std::string kernel_in_use() {
  const std::string used = preferred_record_kernel();
  return used == "icelake"   ? "the AVX-512 kernel"
         : used == "haswell" ? "the AVX2 kernel"
                             : "the portable kernel";
}

int rank(std::string_view kernel) {
  return kernel == "icelake" ? 2 : kernel == "haswell" ? 1 : 0;
}

// Whether the SIMD kernel `kernel` is in the build, whether this CPU runs it, and whether scans use it or
// what they use instead (a better kernel, or a lesser one TRAILWATCH_KERNEL asks for).
std::string kernel_line(bool built, const char* kernel, const char* instructions) {
  if (!built) return "not built in (not an x86-64 build): scans use " + kernel_in_use();
  if (!cpu_runs_record_kernel(kernel))
    return fmt::format("not available: this CPU lacks {} (scans use {})", instructions, kernel_in_use());
  const std::string_view used = preferred_record_kernel();
  if (used == kernel) return "available on this CPU (scans use it)";
  if (rank(used) > rank(kernel)) return fmt::format("available on this CPU (scans use {})", kernel_in_use());
  const char* cap = std::getenv("TRAILWATCH_KERNEL");
  return fmt::format("available on this CPU, but TRAILWATCH_KERNEL={}: scans use {}", cap ? cap : "",
                     kernel_in_use());
}

#if TRAILWATCH_HAVE_HASWELL_KERNEL
constexpr bool kHaswellBuilt = true;
#else
constexpr bool kHaswellBuilt = false;
#endif
#if TRAILWATCH_HAVE_ICELAKE_KERNEL
constexpr bool kIcelakeBuilt = true;
#else
constexpr bool kIcelakeBuilt = false;
#endif

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
      build_info::kSanitized ? " with ASan and UBSan" : "", kernel_line(kHaswellBuilt, "haswell", "AVX2"),
      kernel_line(kIcelakeBuilt, "icelake", "AVX-512 F/DQ/CD/BW/VL/VBMI2"));
}

}  // namespace trailwatch::cli
