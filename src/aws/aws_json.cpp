#include "aws/aws_json.hpp"

#include <simdjson.h>

#include <map>

#include "trailwatch/aws.hpp"
#include "trailwatch/json_string.hpp"

namespace trailwatch::aws {
namespace {

ApiError invalid(std::string_view what) {
  return ApiError("InvalidResponse", 0, std::string(what));
}

simdjson::dom::object parse_object(simdjson::dom::parser& parser, std::string_view body) {
  simdjson::dom::object object;
  if (parser.parse(body.data(), body.size()).get(object) != simdjson::SUCCESS) {
    throw invalid("the response is not a JSON object: " + std::string(body.substr(0, 120)));
  }
  return object;
}

}  // namespace

std::optional<std::string> json_string_member(std::string_view body, std::string_view key) {
  simdjson::dom::parser parser;
  simdjson::dom::object object = parse_object(parser, body);
  std::string_view value;
  if (object[key].get(value) != simdjson::SUCCESS || value.empty()) return std::nullopt;
  return std::string(value);
}

std::string merge_json_pages(const std::vector<std::string>& pages, std::string_view token_key) {
  // Each parser keeps its document alive, so every page gets its own.
  std::vector<simdjson::dom::parser> parsers(pages.size());
  std::vector<std::string> order;
  std::map<std::string, std::string, std::less<>>
      merged;  // key -> JSON text (arrays without the closing ']')
  std::map<std::string, bool, std::less<>> is_array;
  for (size_t i = 0; i < pages.size(); ++i) {
    for (auto [key, value] : parse_object(parsers[i], pages[i])) {
      if (key == token_key) continue;
      std::string name(key);
      bool array = value.is_array();
      auto it = merged.find(name);
      if (it == merged.end()) {
        order.push_back(name);
        is_array[name] = array;
        if (array) {
          std::string text = "[";
          // Bound to a variable: a range-for over get_array().value_unsafe() would outlive its temporary.
          simdjson::dom::array items = value.get_array().value_unsafe();
          for (auto element : items) {
            if (text.size() > 1) text += ',';
            text += simdjson::minify(element);
          }
          merged[name] = std::move(text);
        } else {
          merged[name] = simdjson::minify(value);
        }
      } else if (array && is_array[name]) {
        simdjson::dom::array items = value.get_array().value_unsafe();
        for (auto element : items) {
          if (it->second.size() > 1) it->second += ',';
          it->second += simdjson::minify(element);
        }
      }
    }
  }
  std::string out = "{";
  for (const std::string& name : order) {
    if (out.size() > 1) out += ',';
    out += json_quote(name);
    out += ':';
    out += merged[name];
    if (is_array[name]) out += ']';
  }
  out += '}';
  return out;
}

}  // namespace trailwatch::aws
