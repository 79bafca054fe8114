// The record kernel for AVX2 CPUs (simdjson's "haswell" kernel). CMake compiles this file alone with
// -mavx2 -mbmi -mpclmul -mlzcnt, into its own library linked after every other object: the linker keeps the
// first copy of an inline function it meets, so shared inline code (std::, simdjson::) always comes from an
// object built for any x86-64, and only code in namespace kernel_haswell / simdjson::haswell uses AVX2
// (kernel_prelude.hpp says more). tools/check_avx2_isolation.sh verifies that on every binary that links it.
// RecordReader calls this kernel only when the CPU has AVX2, BMI1, PCLMUL and LZCNT.
#include "records/kernel_prelude.hpp"

#include <simdjson.h>

#if !SIMDJSON_CAN_ALWAYS_RUN_HASWELL
#error "record_kernel_haswell.cpp must be compiled with -mavx2 -mbmi -mpclmul -mlzcnt"
#endif

#define TW_KERNEL_NS kernel_haswell
#define TW_KERNEL_NAME "haswell"
#include "records/record_kernel_impl.hpp"
