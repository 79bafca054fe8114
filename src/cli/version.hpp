// `trailwatch --version`: the version, the commit built, the compiler, and whether scans run the AVX2 record
// kernel on this CPU.
#pragma once

#include <string>

namespace trailwatch::cli {

/// Several lines, the first "trailwatch 0.1.0"; ends without a newline.
std::string version_text();

/// "trailwatch 0.1.0": the first line of version_text().
std::string version_line();

}  // namespace trailwatch::cli
