// Every standard header that <simdjson.h> and the record kernel use, included first by each kernel TU: the
// kernel's *_impl.hpp parts have no includes of their own.
//
// Including them first does not make the AVX2 kernel's copies of their inline functions portable: CMake
// compiles all of record_kernel_haswell.cpp with -mavx2 -mbmi -mpclmul -mlzcnt, so every inline function it
// emits, from these headers, from simdjson's shared code or from our shared headers (is_json_blank,
// FieldTrieNode's lookups), is AVX2 code. Which copy of such a function a binary runs is the linker's choice:
// the first it meets. trailwatch_lib links the kernel's library PUBLIC, so on every link line CMake writes
// the kernel's library comes after the library's portable objects, whose copies win.
// tools/check_avx2_isolation.sh verifies the outcome on each binary that links the kernel, and .ci/run checks
// all of them. The kernel's own code is safe by construction: it is all in its namespace (TW_KERNEL_NS), and
// its scalar parts (search_plan.hpp, record_limits.hpp, json_error.hpp) are functions defined out of line in
// the library.
#pragma once

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cfloat>
#include <cinttypes>
#include <climits>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iomanip>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <ranges>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "records/field_trie.hpp"
#include "records/record_kernel.hpp"
#include "trailwatch/records.hpp"
