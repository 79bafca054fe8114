// The lint of the CIS texts (scan unit): the texts CIS published for the built-in rules are judged by what
// trailwatch's own engine does with them, through the same evaluation a scan uses (EventEvaluator).
#pragma once

#include <string>
#include <vector>

namespace trailwatch {

/// A defect of a published CIS text, shown by running the text through trailwatch's own pattern engine.
struct PublishedTextFinding {
  /// Stable keys: "matches-almost-everything", "or-and-precedence", "rejected-by-parser".
  std::string defect;
  /// The built-in rule for the same control (which does not carry the defect).
  std::string rule_id;
  /// The publication, e.g. "CIS v1.4.0 4.1 (CLI step)".
  std::string source;
  /// The published text, verbatim.
  std::string pattern;
  /// One line: what is wrong and what it costs.
  std::string summary;
  /// What the engine did, one observation per line.
  std::vector<std::string> evidence;
  /// For a text the parser rejects: PatternError::caret_message(). Empty otherwise.
  std::string error;
  /// True when the engine behaved as the defect predicts. False means the engine no longer reproduces it
  /// (the evidence then says what it did instead).
  bool confirmed = false;
};

/// Checks the known defects of the published CIS texts (docs/filter-patterns.md §8 "Known defects") by
/// behaviour: evaluates each text on records built in code, or parses it and keeps the error. Never throws.
std::vector<PublishedTextFinding> lint_published_texts();

}  // namespace trailwatch
