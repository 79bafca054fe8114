#include "audit/audit_body_json.hpp"

#include <cmath>
#include <stdexcept>

#include "trailwatch/time.hpp"

namespace trailwatch::audit::body {

namespace {

[[noreturn]] void wrong_type(std::string_view key, std::string_view expected) {
  throw std::runtime_error("\"" + std::string(key) + "\" is not " + std::string(expected));
}

bool absent(simdjson::simdjson_result<dom::element> field) {
  dom::element e;
  return field.get(e) != simdjson::SUCCESS || e.is_null();
}

}  // namespace

dom::element parse_object(dom::parser& parser, std::string_view text, std::string_view what) {
  dom::element root;
  if (auto error = parser.parse(text.data(), text.size()).get(root); error)
    throw std::runtime_error(std::string(what) + " is not valid JSON: " + simdjson::error_message(error));
  if (!root.is_object()) throw std::runtime_error(std::string(what) + " is not a JSON object");
  return root;
}

std::string text(dom::element e, std::string_view key) {
  auto field = e[key];
  if (absent(field)) return {};
  std::string_view value;
  if (field.get_string().get(value)) wrong_type(key, "a string");
  return std::string(value);
}

bool flag(dom::element e, std::string_view key, bool fallback) {
  auto field = e[key];
  if (absent(field)) return fallback;
  bool value = false;
  if (field.get_bool().get(value)) wrong_type(key, "true or false");
  return value;
}

std::vector<dom::element> list(dom::element e, std::string_view key) {
  auto field = e[key];
  if (absent(field)) return {};
  dom::array array;
  if (field.get_array().get(array)) wrong_type(key, "an array");
  return std::vector<dom::element>(array.begin(), array.end());
}

std::vector<std::string> texts(dom::element e, std::string_view key) {
  std::vector<std::string> out;
  for (dom::element item : list(e, key)) {
    std::string_view value;
    if (item.get_string().get(value)) wrong_type(key, "an array of strings");
    out.emplace_back(value);
  }
  return out;
}

std::optional<std::int64_t> timestamp(dom::element e, std::string_view key) {
  auto field = e[key];
  if (absent(field)) return std::nullopt;
  double number = 0;
  if (!field.get_double().get(number) && std::isfinite(number)) return static_cast<std::int64_t>(number);
  std::string_view value;
  if (field.get_string().get(value)) wrong_type(key, "a timestamp");
  auto parsed = parse_utc_time(value);
  if (!parsed) wrong_type(key, "an ISO-8601 timestamp");
  return parsed;
}

}  // namespace trailwatch::audit::body
