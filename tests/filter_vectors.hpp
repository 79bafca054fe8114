// testdata/filter-vectors.jsonl as data, for the tests that check the pattern engine and the prefilter on it.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <string>
#include <vector>

namespace trailwatch::testing_support {

struct Vector {
  std::string pattern;
  std::string event;
  bool match = false;
  std::string source;
  std::string confidence;
  std::size_t line = 0;
};

inline std::vector<Vector> load_vectors() {
  const std::string path = std::string(TW_TESTDATA) + "/filter-vectors.jsonl";
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::vector<Vector> vectors;
  simdjson::dom::parser parser;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    simdjson::dom::element doc;
    const auto error = parser.parse(line).get(doc);
    EXPECT_FALSE(error) << path << ":" << number << ": " << simdjson::error_message(error);
    if (error) continue;
    Vector v;
    v.pattern = std::string(doc["pattern"].get_string().value());
    v.event = std::string(doc["event"].get_string().value());
    v.match = doc["match"].get_bool().value();
    v.source = std::string(doc["source"].get_string().value());
    v.confidence = std::string(doc["confidence"].get_string().value());
    v.line = number;
    vectors.push_back(std::move(v));
  }
  return vectors;
}

}  // namespace trailwatch::testing_support
