#include "trailwatch/pattern.hpp"

#include <string>
#include <utility>

#include "pattern/cursor.hpp"
#include "pattern/json_parser.hpp"
#include "pattern/program.hpp"

namespace trailwatch {

using pattern_detail::Cursor;
using pattern_detail::Program;

struct Pattern::Impl {
  std::string text;
  Program program;
};

namespace {

// PutMetricFilter and the other APIs accept at most 1024 characters (spec §1); counted as code points.
constexpr std::size_t kMaxPatternChars = 1024;

void check_length(std::string_view text) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++chars > kMaxPatternChars)
      throw PatternError::problem(
          std::string(text), i,
          std::string("a filter pattern may be at most ").append(std::to_string(kMaxPatternChars)) +
              " characters long");
  }
}

// The pattern kind follows from the first and last characters after trimming (spec §2).
Program compile(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && pattern_detail::is_space(text[begin])) ++begin;
  while (end > begin && pattern_detail::is_space(text[end - 1])) --end;
  if (begin == end) return Program{};  // the empty pattern matches every record

  const Cursor c(text, begin);
  switch (text[begin]) {
    case '{':
      if (end - begin < 2 || text[end - 1] != '}')
        c.expected("'}' at the end (if a filter pattern starts with '{' it must end with '}')", end);
      return pattern_detail::parse_json_pattern(text, begin);
    case '[':
      c.problem("space-delimited patterns ('[...]') are not supported yet", begin);
    case '%':
      if (end - begin >= 2 && text[end - 1] == '%')
        c.problem("standalone regular expression patterns ('%...%') are not supported yet", begin);
      [[fallthrough]];
    default:
      c.problem("term patterns are not supported yet; JSON patterns start with '{'", begin);
  }
}

}  // namespace

Pattern Pattern::parse(std::string_view text) {
  check_length(text);
  auto impl = std::make_unique<Impl>();
  impl->program = compile(text);
  impl->text = std::string(text);
  return Pattern(std::move(impl));
}

Pattern::Pattern(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;
Pattern::~Pattern() = default;

void Pattern::bind(FieldPlan& plan) {
  impl_->program.bind(plan);
  if (needs_message()) plan.require_message();
}

bool Pattern::matches(const FieldValues& fields) const {
  return impl_->program.matches(fields);
}

bool Pattern::matches(const EventView& event, ExtractedFields* /*extracted*/) const {
  return event.fields != nullptr && impl_->program.matches(*event.fields);
}

bool Pattern::needs_message() const {
  return false;
}

const std::string& Pattern::text() const {
  return impl_->text;
}

}  // namespace trailwatch
