#include "cli/pattern_hints.hpp"

#include <algorithm>

#include <simdjson.h>

#include <fmt/format.h>

#include "trailwatch/pattern.hpp"

namespace trailwatch::cli {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() &&
         (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r'))
    text.remove_prefix(1);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

// One level of parentheses (or the braces) of a JSON pattern: where it starts, its operators in order, and
// where each operand starts.
struct Level {
  std::size_t open = 0;           // offset of the '(' or '{'
  std::vector<std::size_t> cuts;  // offset of each operator
  std::vector<char> ops;          // '&' or '|', parallel to cuts
};

// "A || B && C && D" -> "A || (B && C && D)": the operands the parser binds with && first.
std::string grouped(std::string_view text, const Level& level, std::size_t close) {
  std::vector<std::string_view> operands;
  std::size_t start = level.open + 1;
  for (std::size_t cut : level.cuts) {
    operands.push_back(trim(text.substr(start, cut - start)));
    start = cut + 2;
  }
  operands.push_back(trim(text.substr(start, close - start)));
  std::string out;
  std::size_t i = 0;
  while (i < operands.size()) {
    std::size_t j = i;
    while (j < level.ops.size() && level.ops[j] == '&') ++j;
    // operands i..j are joined by &&
    if (!out.empty()) out += " || ";
    if (j > i) out += '(';
    for (std::size_t k = i; k <= j; ++k) {
      if (k > i) out += " && ";
      out += operands[k];
    }
    if (j > i) out += ')';
    i = j + 1;
  }
  return out;
}

}  // namespace

std::optional<std::string> precedence_warning(std::string_view pattern) {
  std::size_t pos = pattern.find_first_not_of(" \t\r\n");
  if (pos == std::string_view::npos || pattern[pos] != '{') return std::nullopt;
  std::vector<Level> stack;
  std::vector<std::string> readings;
  for (; pos < pattern.size(); ++pos) {
    const char c = pattern[pos];
    if (c == '"' || c == '\'' || c == '%') {
      // A quoted value, a quoted key ($.['k']) or a regex (%...%): nothing inside is structure.
      for (++pos; pos < pattern.size() && pattern[pos] != c; ++pos)
        if (pattern[pos] == '\\') ++pos;
      continue;
    }
    if (c == '{' || c == '(') {
      stack.push_back({pos, {}, {}});
    } else if ((c == '&' || c == '|') && pos + 1 < pattern.size() && pattern[pos + 1] == c &&
               !stack.empty()) {
      stack.back().cuts.push_back(pos);
      stack.back().ops.push_back(c);
      ++pos;
    } else if ((c == ')' || c == '}') && !stack.empty()) {
      const Level level = std::move(stack.back());
      stack.pop_back();
      const bool has_and = std::find(level.ops.begin(), level.ops.end(), '&') != level.ops.end();
      const bool has_or = std::find(level.ops.begin(), level.ops.end(), '|') != level.ops.end();
      if (has_and && has_or)
        readings.push_back(fmt::format("  {}\nreads as\n  {}",
                                       trim(pattern.substr(level.open + 1, pos - level.open - 1)),
                                       grouped(pattern, level, pos)));
    }
  }
  if (readings.empty()) return std::nullopt;
  std::string text =
      "warning: && binds tighter than || (or-and-precedence: the trap of the CIS v3.0.0 4.1 text that "
      "'trailwatch rules --lint' shows), so\n";
  for (const std::string& r : readings) text += r + '\n';
  text += "Add parentheses if you meant another grouping.";
  return text;
}

std::string selector_text(const SelectorPath& path) {
  std::string out;
  for (const SelectorStep& step : path) {
    switch (step.kind) {
      case SelectorStep::Kind::Member: {
        const bool plain =
            !step.key.empty() &&
            step.key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") ==
                std::string::npos;
        if (plain)
          out += (out.empty() ? "" : ".") + step.key;
        else
          out += (out.empty() ? "['" : ".['") + step.key + "']";
        break;
      }
      case SelectorStep::Kind::Index:
        out += fmt::format("[{}]", step.index);
        break;
      case SelectorStep::Kind::AnyMember:
        out += out.empty() ? "*" : ".*";
        break;
      case SelectorStep::Kind::AnyElement:
        out += "[*]";
        break;
    }
  }
  return out;
}

std::vector<SelectorPath> pattern_selectors(std::string_view pattern) {
  Pattern parsed = Pattern::parse(pattern);
  FieldPlan plan;
  parsed.bind(plan);
  std::vector<SelectorPath> paths;
  for (SelectorId id = 0; id < plan.size(); ++id) paths.push_back(plan.path(id));
  return paths;
}

namespace {

void reach(simdjson::dom::element e, const SelectorPath& path, std::size_t step,
           std::vector<simdjson::dom::element>& found) {
  if (step == path.size()) {
    found.push_back(e);
    return;
  }
  const SelectorStep& s = path[step];
  switch (s.kind) {
    case SelectorStep::Kind::Member: {
      simdjson::dom::object object;
      simdjson::dom::element member;
      if (e.get(object) == simdjson::SUCCESS && object.at_key(s.key).get(member) == simdjson::SUCCESS)
        reach(member, path, step + 1, found);
      break;
    }
    case SelectorStep::Kind::Index: {
      simdjson::dom::array array;
      simdjson::dom::element item;
      if (e.get(array) == simdjson::SUCCESS && array.at(s.index).get(item) == simdjson::SUCCESS)
        reach(item, path, step + 1, found);
      break;
    }
    case SelectorStep::Kind::AnyMember: {
      simdjson::dom::object object;
      if (e.get(object) == simdjson::SUCCESS)
        for (auto field : object) reach(field.value, path, step + 1, found);
      break;
    }
    case SelectorStep::Kind::AnyElement: {
      simdjson::dom::array array;
      if (e.get(array) == simdjson::SUCCESS)
        for (simdjson::dom::element item : array) reach(item, path, step + 1, found);
      break;
    }
  }
}

std::string shown(std::string text) {
  constexpr std::size_t kLongest = 60;
  if (text.size() > kLongest) {
    std::size_t cut = kLongest - 3;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      --cut;  // not inside a character
    text = text.substr(0, cut) + "...";
  }
  return text;
}

}  // namespace

std::optional<std::string> field_preview(std::string_view event, const std::vector<SelectorPath>& selectors) {
  static thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(event.data(), event.size()).get(root) != simdjson::SUCCESS || !root.is_object())
    return std::nullopt;
  std::string out;
  for (const SelectorPath& path : selectors) {
    std::vector<simdjson::dom::element> found;
    reach(root, path, 0, found);
    if (!out.empty()) out += ' ';
    out += selector_text(path);
    out += '=';
    if (found.empty()) out += "(missing)";
    for (std::size_t i = 0; i < found.size(); ++i) {
      if (i > 0) out += ',';
      out += shown(simdjson::minify(found[i]));
    }
  }
  return out;
}

}  // namespace trailwatch::cli
