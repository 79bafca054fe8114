// A mistake in how the command was called: reported in one line, exit code 64.
#pragma once

#include <string>

namespace trailwatch::cli {

struct UsageError {
  std::string message;
};

}  // namespace trailwatch::cli
