// The record kernel for AVX-512 CPUs (simdjson's "icelake" kernel): the AVX2 kernel's code with 64-byte
// blocks whose compares give mask registers, which halves the envelope scanner's and the literal search's
// work per byte. Compiled and linked as record_kernel_haswell.cpp is (see there and kernel_prelude.hpp), with
// -mavx512f -mavx512dq -mavx512cd -mavx512bw -mavx512vl -mavx512vbmi -mavx512vbmi2 besides;
// tools/check_avx2_isolation.sh verifies that no AVX-512 code leaves it. RecordReader calls it only when the
// CPU has all of those.
#include "records/kernel_prelude.hpp"

#include <simdjson.h>

#if !SIMDJSON_CAN_ALWAYS_RUN_ICELAKE || !defined(__AVX512VBMI__)
#error \
    "record_kernel_icelake.cpp must be compiled with the AVX2 kernel's flags and AVX-512 F/DQ/CD/BW/VL/VBMI/VBMI2"
#endif

#define TW_KERNEL_NS kernel_icelake
#define TW_KERNEL_NAME "icelake"
#include "records/record_kernel_impl.hpp"
