#include "aws/xml_to_json.hpp"

#include <pugixml.hpp>

#include <array>
#include <cctype>

#include "aws/aws_json.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

// The Query services' shapes are not shipped with us, so the members the audit reads are typed by name. The
// lists are those of DescribeAlarms, ListSubscriptionsByTopic and DescribeRegions that can come back empty.
// (Dimensions' `Value` stays a string: a dimension value "123" is text.)
constexpr std::array<std::string_view, 6> kNumbers = {"Period",    "EvaluationPeriods", "DatapointsToAlarm",
                                                      "Threshold", "DurationSeconds",   "PackedPolicySize"};
constexpr std::array<std::string_view, 3> kBooleans = {"ActionsEnabled", "ReturnData", "Enabled"};
constexpr std::array<std::string_view, 11> kLists = {
    "MetricAlarms", "CompositeAlarms", "AlarmActions",  "OKActions", "InsufficientDataActions",
    "Dimensions",   "Metrics",         "Subscriptions", "Regions",   "Topics",
    "Tags"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

ApiError invalid(std::string_view what) {
  return ApiError("InvalidResponse", 0, std::string(what));
}

bool has_element_children(const pugi::xml_node& node) {
  for (const pugi::xml_node& child : node.children()) {
    if (child.type() == pugi::node_element) return true;
  }
  return false;
}

bool is_list(const pugi::xml_node& node) {
  bool any = false;
  for (const pugi::xml_node& child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = child.name();
    if (name != "member" && name != "item") return false;
    any = true;
  }
  return any;
}

using Rename = std::string (*)(std::string_view);

std::string keep_name(std::string_view name) {
  return std::string(name);
}

std::string ec2_name(std::string_view name) {
  if (name == "regionInfo") return "Regions";
  if (name == "regionEndpoint") return "Endpoint";
  std::string out(name);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::string scalar(std::string_view name, std::string_view text) {
  if (contains(kNumbers, name) && is_json_number(text)) return std::string(text);
  if (contains(kBooleans, name) && (text == "true" || text == "false")) return std::string(text);
  return json_quote(text);
}

void append_value(const pugi::xml_node& node, std::string_view name, Rename rename, std::string& out);

void append_object(const pugi::xml_node& node, Rename rename, std::string& out,
                   std::string_view skip = "ResponseMetadata") {
  out += '{';
  bool first = true;
  for (const pugi::xml_node& child : node.children()) {
    if (child.type() != pugi::node_element || skip == child.name() ||
        std::string_view(child.name()) == "requestId") {
      continue;
    }
    if (!first) out += ',';
    first = false;
    std::string name = rename(child.name());
    out += json_quote(name);
    out += ':';
    append_value(child, name, rename, out);
  }
  out += '}';
}

void append_value(const pugi::xml_node& node, std::string_view name, Rename rename, std::string& out) {
  if (is_list(node)) {
    out += '[';
    bool first = true;
    for (const pugi::xml_node& child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      if (!first) out += ',';
      first = false;
      append_value(child, "member", rename, out);
    }
    out += ']';
  } else if (has_element_children(node)) {
    append_object(node, rename, out);
  } else if (contains(kLists, name)) {
    out += "[]";
  } else {
    out += scalar(name, node.child_value());
  }
}

pugi::xml_node load_root(pugi::xml_document& doc, std::string_view xml) {
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) throw invalid(std::string("the response is not XML: ") + parsed.description());
  pugi::xml_node root = doc.document_element();
  if (!root) throw invalid("the response has no XML root element");
  return root;
}

}  // namespace

bool is_json_number(std::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

std::string query_xml_to_json(std::string_view xml, std::string_view action) {
  pugi::xml_document doc;
  pugi::xml_node root = load_root(doc, xml);
  std::string result_name = std::string(action) + "Result";
  pugi::xml_node result = root.child(result_name.c_str());
  std::string out;
  if (!result) return "{}";  // operations without output (and moto for some of them) send no Result element
  append_object(result, keep_name, out);
  return out;
}

std::string ec2_xml_to_json(std::string_view xml) {
  pugi::xml_document doc;
  pugi::xml_node root = load_root(doc, xml);
  std::string out;
  append_object(root, ec2_name, out);
  return out;
}

}  // namespace trailwatch::aws
