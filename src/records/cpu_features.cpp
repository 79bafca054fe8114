// Kept out of the SIMD kernels' translation units: this code runs before we know the CPU can execute AVX2.
#include <simdjson.h>

#include <string>

#include "records/record_kernel.hpp"

namespace trailwatch {

// simdjson knows which instruction sets each of its implementations needs, and the record kernels are
// compiled for exactly those of the implementation they are named after.
bool cpu_runs_record_kernel(std::string_view name) {
  if (name == "fallback") return true;
  const simdjson::implementation* kernel = simdjson::get_available_implementations()[std::string(name)];
  if (kernel == nullptr || !kernel->supported_by_runtime_system()) return false;
  // simdjson's icelake asks for VBMI2; the multi-literal search's byte lookups need VBMI as well, which
  // every CPU with VBMI2 has, but a hypervisor can hide one and not the other.
  if (name == "icelake") return __builtin_cpu_supports("avx512vbmi");
  return true;
}

#if TRAILWATCH_HAVE_HASWELL_KERNEL
bool kernel_haswell::supported_by_cpu() {
  return cpu_runs_record_kernel("haswell");
}
#endif

#if TRAILWATCH_HAVE_ICELAKE_KERNEL
bool kernel_icelake::supported_by_cpu() {
  return cpu_runs_record_kernel("icelake");
}
#endif

}  // namespace trailwatch
