// The record kernel for any CPU: simdjson's builtin kernel as the compiler flags allow it (fallback on plain
// x86-64).
#include "records/kernel_prelude.hpp"

#include <simdjson.h>

#define TW_KERNEL_NS kernel_fallback
#define TW_KERNEL_NAME "fallback"
#include "records/record_kernel_impl.hpp"
