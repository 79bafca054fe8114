// Kept out of the SIMD kernels' translation units: this code runs before we know the CPU can execute AVX2.
#include <simdjson.h>

#include "records/record_kernel.hpp"

#if TRAILWATCH_HAVE_HASWELL_KERNEL
namespace trailwatch::kernel_haswell {

bool supported_by_cpu() {
  const simdjson::implementation* haswell = simdjson::get_available_implementations()["haswell"];
  return haswell != nullptr && haswell->supported_by_runtime_system();
}

}  // namespace trailwatch::kernel_haswell
#endif

#if TRAILWATCH_HAVE_ICELAKE_KERNEL
namespace trailwatch::kernel_icelake {

bool supported_by_cpu() {
  const simdjson::implementation* icelake = simdjson::get_available_implementations()["icelake"];
  return icelake != nullptr && icelake->supported_by_runtime_system();
}

}  // namespace trailwatch::kernel_icelake
#endif
