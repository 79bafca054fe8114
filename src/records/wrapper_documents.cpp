#include "records/wrapper_documents.hpp"

#include <simdjson.h>

#include <algorithm>

#include "records/json_error.hpp"

namespace trailwatch {

namespace {

namespace dom = simdjson::dom;

bool has(const dom::object& object, std::string_view key) {
  dom::element value;
  return !object[key].get(value);
}

// A list is of this wrapper when its first item has the member as a string (an empty list is of any).
bool holds_strings(const dom::array& items, std::string_view member) {
  for (dom::element item : items) {
    std::string_view text;
    return !item[member].get(text);
  }
  return true;
}

class Unwrapper {
 public:
  Unwrapper(const std::function<void(std::string, const char*)>& on_record,
            const std::function<void(std::string)>& on_failure, std::vector<std::string>& warnings)
      : on_record_(on_record), on_failure_(on_failure), warnings_(warnings) {}

  // One document: returns an error when it is not something trailwatch reads.
  std::string document(const dom::element& root) {
    dom::array array;
    if (!root.get(array)) {
      std::size_t n = 0;
      for (dom::element element : array) object(element, "array element", ++n);
      return {};
    }
    dom::object object;
    if (root.get(object)) return "a JSON document that is neither an object nor an array";
    dom::array items;
    if (!object["Records"].get(items)) {
      std::string others;
      for (auto [key, value] : object)
        if (key != "Records") others += (others.empty() ? "" : ", ") + std::string(key);
      if (!others.empty())
        warnings_.push_back("the envelope has keys besides \"Records\" (" + others +
                            "); only its records are read");
      std::size_t n = 0;
      for (dom::element element : items) this->object(element, "Records element", ++n);
      return {};
    }
    if (!object["Events"].get(items) && holds_strings(items, "CloudTrailEvent")) {
      std::size_t n = 0;
      for (dom::element element : items) string_member(element, "CloudTrailEvent", "Events", ++n);
      return {};
    }
    if (!object["events"].get(items) && holds_strings(items, "message")) {
      std::size_t n = 0;
      for (dom::element element : items) string_member(element, "message", "events", ++n);
      return {};
    }
    if (has(object, "eventVersion") || (has(object, "eventTime") && has(object, "eventName"))) {
      on_record_(simdjson::minify(root), "record");
      return {};
    }
    std::string keys;
    std::size_t shown = 0;
    for (auto [key, value] : object) {
      if (shown++ == 5) {
        keys += ", ...";
        break;
      }
      keys += (keys.empty() ? "" : ", ") + std::string(key);
    }
    return "a JSON object with keys " + (keys.empty() ? std::string("(none)") : keys) +
           " is not CloudTrail input; trailwatch reads {\"Records\":[...]}, one record per line, a bare "
           "array of "
           "records, one record, and the output of 'aws cloudtrail lookup-events' and 'aws logs "
           "filter-log-events'";
  }

 private:
  void object(const dom::element& element, const char* what, std::size_t n) {
    if (!element.is_object()) {
      on_failure_(std::string(what) + " " + std::to_string(n) + " is not a JSON object");
      return;
    }
    on_record_(simdjson::minify(element), what);
  }

  void string_member(const dom::element& element, std::string_view member, const char* list, std::size_t n) {
    std::string_view text;
    if (element[member].get(text)) {
      on_failure_(std::string(list) + " element " + std::to_string(n) + " has no \"" + std::string(member) +
                  "\" string");
      return;
    }
    on_record_(std::string(text), list);
  }

  const std::function<void(std::string, const char*)>& on_record_;
  const std::function<void(std::string)>& on_failure_;
  std::vector<std::string>& warnings_;
};

}  // namespace

bool first_line_is_a_wrapper(std::string_view data) {
  std::size_t begin = 0;
  while (begin < data.size() &&
         (data[begin] == ' ' || data[begin] == '\t' || data[begin] == '\n' || data[begin] == '\r'))
    ++begin;
  std::size_t end = data.find('\n', begin);
  if (end == std::string_view::npos) end = data.size();
  std::string_view line = data.substr(begin, end - begin);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
    line.remove_suffix(1);
  if (line.empty() || line.back() != '}') return true;
  thread_local dom::parser parser;
  dom::element root;
  // Parsed from a padded copy: the line is inside the caller's buffer, which is padded only at its end.
  if (parser.parse(line.data(), line.size(), true).get(root)) return false;
  dom::object object;
  if (root.get(object)) return false;
  for (auto [key, value] : object)
    if (key == "Records" || key == "Events" || key == "events") return true;
  return false;
}

std::string unwrap_documents(std::string_view data,
                             const std::function<void(std::string text, const char* list)>& on_record,
                             const std::function<void(std::string reason)>& on_failure,
                             std::vector<std::string>& warnings) {
  thread_local dom::parser parser;
  dom::document_stream documents;
  if (auto e = parser.parse_many(data.data(), data.size(), std::max<std::size_t>(data.size(), 1 << 16))
                   .get(documents);
      e)
    return describe_json_error(e);
  Unwrapper unwrapper(on_record, on_failure, warnings);
  std::size_t count = 0;
  for (auto it = documents.begin(); it != documents.end(); ++it) {
    dom::element root;
    if (auto e = (*it).get(root); e)
      return describe_json_error(e) + " near byte " + std::to_string(it.current_index());
    ++count;
    if (std::string problem = unwrapper.document(root); !problem.empty()) return problem;
  }
  if (documents.truncated_bytes() > 0)
    return "invalid or truncated JSON: the last " + std::to_string(documents.truncated_bytes()) +
           " bytes do not complete a JSON value";
  if (count == 0) return "no JSON content";
  return {};
}

}  // namespace trailwatch
