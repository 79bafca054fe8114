// What the build recorded about itself (written at every build by cmake/build_info.cmake into the build
// tree).
#pragma once

namespace trailwatch::build_info {

extern const char* const kVersion;    // the project version, "0.1.0"
extern const char* const kCommit;     // the git commit built, abbreviated; "unknown" outside a git checkout
extern const bool kModified;          // the checkout had uncommitted changes to tracked files
extern const char* const kBuildType;  // CMAKE_BUILD_TYPE, e.g. "Release"
extern const bool kSanitized;         // built with TRAILWATCH_SANITIZE (ASan + UBSan)

}  // namespace trailwatch::build_info
