// The literal text a JSON pattern's matches must contain, for the prefilter that lets a scan skip records and
// buffers that provably cannot match.
#pragma once

#include <string>
#include <vector>

#include "pattern/program.hpp"

namespace trailwatch::pattern_detail {

/// Clauses (in conjunction) of literals (in disjunction): every record the program accepts holds, in the
/// decoded text of some value, at least one literal of each clause. No clause: nothing is required. An empty
/// clause: the program accepts nothing.
std::vector<std::vector<std::string>> required_literals(const Program& program);

}  // namespace trailwatch::pattern_detail
