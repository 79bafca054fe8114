// Every standard header that <simdjson.h> and the record kernel use. The AVX2 kernel includes this before it
// switches the target to AVX2, so the inline functions of these headers are compiled for any x86-64 CPU and
// the copies the linker keeps are safe to run everywhere.
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
