// Reading a file of testdata/ whole, for the tests that compare against recorded bodies and vectors.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace trailwatch::testing_support {

/// The bytes of TW_TESTDATA/`relative`; a missing file fails the test that asked and reads as "".
inline std::string read_testdata(const std::filesystem::path& relative) {
  std::ifstream in(std::filesystem::path(TW_TESTDATA) / relative, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open testdata/" << relative.string();
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace trailwatch::testing_support
