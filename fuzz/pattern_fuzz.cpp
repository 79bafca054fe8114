// libFuzzer target for the pattern layer: any bytes go to Pattern::parse; a pattern that parses is bound and
// evaluated against a few fixed events, fields and messages, with field extraction. Parsing must either
// succeed or throw PatternError with a column inside the pattern; nothing may crash, leak or hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"

namespace {

using trailwatch::EventView;
using trailwatch::ExtractedFields;
using trailwatch::FieldPlan;
using trailwatch::FieldValues;
using trailwatch::JsonKind;
using trailwatch::JsonValue;
using trailwatch::Pattern;
using trailwatch::PatternError;

constexpr std::string_view kMessages[] = {
    R"({"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"DisableKey","errorCode":)"
    R"("AccessDenied","userIdentity":{"type":"Root"},"resources":[{"ARN":"arn:aws:kms:k"}],"n":404})",
    "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534",
    "ERROR 09/25/2014 12:00:02 Failed to process request\n\tat Worker.run(Worker.java:42)",
    "a \"unterminated [x y",
    "",
    " \t ",
};

// The values every selector reaches: one of each JSON kind, in turn, so that every test meets every kind.
const JsonValue kValues[] = {
    {JsonKind::String, "DisableKey"}, {JsonKind::Number, "404"},  {JsonKind::String, "1534"},
    {JsonKind::True, "true"},         {JsonKind::Null, {}},       {JsonKind::Array, {}},
    {JsonKind::String, ""},           {JsonKind::False, "false"}, {JsonKind::Number, "-1e3"},
};

void check_error(const PatternError& e, std::string_view text) {
  if (e.column() > text.size()) std::abort();
  if (e.caret_message().empty() || e.detail().empty()) std::abort();
}

void evaluate(Pattern& pattern) {
  FieldPlan plan;
  pattern.bind(plan);
  if (pattern.needs_message() != plan.message_required()) std::abort();

  constexpr std::size_t kValueCount = sizeof kValues / sizeof kValues[0];
  FieldValues some(plan.size());
  FieldValues wildcard(plan.size());
  for (std::size_t id = 0; id < plan.size(); ++id) {
    some.add(static_cast<trailwatch::SelectorId>(id), kValues[id % kValueCount]);
    for (const JsonValue& v : kValues) wildcard.add(static_cast<trailwatch::SelectorId>(id), v);
  }
  const FieldValues none(plan.size());

  const FieldValues* const field_sets[] = {&some, &wildcard, &none};
  ExtractedFields extracted;
  for (std::string_view message : kMessages) {
    for (const FieldValues* fields : field_sets) {
      const bool by_event = pattern.matches(EventView{fields, message}, &extracted);
      if (!pattern.needs_message() && by_event != pattern.matches(*fields)) std::abort();
      // Every extracted view must point into the message.
      for (const char* name : {"1", "2", "3", "7", "ip", "status_code", "a", "x"}) {
        const auto value = extracted.get(name);
        if (!value || value->empty()) continue;
        if (value->data() < message.data() || value->data() + value->size() > message.data() + message.size())
          std::abort();
      }
    }
    (void)pattern.matches(EventView{nullptr, message});
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    Pattern pattern = Pattern::parse(text);
    if (pattern.text() != text) std::abort();
    evaluate(pattern);
  } catch (const PatternError& e) {
    check_error(e, text);
  }
  return 0;
}
