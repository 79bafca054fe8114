// Process exit codes: a contract with scripts (docs/design.md "Exit codes").
#pragma once

namespace trailwatch::cli {

inline constexpr int kExitDone = 0;
inline constexpr int kExitAlarm = 1;    // --fail-on-alarm and an alarm window exists
inline constexpr int kExitPartial = 2;  // some inputs could not be read (wins over kExitAlarm)
inline constexpr int kExitUsage = 64;   // usage error or invalid pattern
inline constexpr int kExitInterrupted = 130;

}  // namespace trailwatch::cli
