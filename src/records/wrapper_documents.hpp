// The wrapper forms (docs/design.md "What is a record") taken apart into record texts. Scalar code compiled
// once, outside the record kernel: simdjson's DOM must not be instantiated in the AVX2 kernel's translation
// unit, whose copies of shared inline functions the linker may keep for portable code too
// (kernel_prelude.hpp).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace trailwatch {

/// True when `data`, which detect_shape took for NDJSON, is rather a wrapper: its first line is not a whole
/// object (a pretty-printed document), or is an object with a wrapper's key.
bool first_line_is_a_wrapper(std::string_view data);

/// Calls `on_record(text, list)` for each record of each JSON document of `data` (padded as the reader's
/// buffers are), `on_failure(reason)` for an element that is not a record, and adds warnings. Returns an
/// empty string, or why the buffer as a whole is unusable.
std::string unwrap_documents(std::string_view data,
                             const std::function<void(std::string text, const char* list)>& on_record,
                             const std::function<void(std::string reason)>& on_failure,
                             std::vector<std::string>& warnings);

}  // namespace trailwatch
