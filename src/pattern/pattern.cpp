#include "trailwatch/pattern.hpp"

#include <string>
#include <utility>

#include "pattern/cursor.hpp"
#include "pattern/delimited_pattern.hpp"
#include "pattern/extracted_fields.hpp"
#include "pattern/json_parser.hpp"
#include "pattern/program.hpp"
#include "pattern/regex.hpp"
#include "pattern/required_literals.hpp"
#include "pattern/term_pattern.hpp"

namespace trailwatch {

using pattern_detail::Cursor;
using pattern_detail::DelimitedProgram;
using pattern_detail::Program;
using pattern_detail::Regex;
using pattern_detail::TermProgram;

struct Pattern::Impl {
  enum class Kind { Empty, Json, Terms, Regex, Delimited };

  std::string text;
  Kind kind = Kind::Empty;
  // The JSON program; for the kinds that read the message, one that rejects every record, so that
  // matches(FieldValues) needs no test of the kind.
  Program program;
  TermProgram terms;
  std::shared_ptr<const Regex> regex;
  DelimitedProgram delimited;
};

namespace {

using Kind = Pattern::Impl::Kind;

// PutMetricFilter and the other APIs accept at most 1024 characters (docs/filter-patterns.md §1); counted as
// code points.
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

Program reject_all() {
  Program program;
  program.entry = Program::kReject;
  return program;
}

// The pattern kind follows from the first and last characters after trimming (docs/filter-patterns.md §2).
void compile(std::string_view text, Pattern::Impl& impl) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && pattern_detail::is_space(text[begin])) ++begin;
  while (end > begin && pattern_detail::is_space(text[end - 1])) --end;
  if (begin == end) return;  // the empty pattern matches every record

  const Cursor c(text, begin);
  const bool ends_with_percent = end - begin >= 2 && text[end - 1] == '%';
  switch (text[begin]) {
    case '{':
      if (end - begin < 2 || text[end - 1] != '}')
        c.expected("'}' at the end (if a filter pattern starts with '{' it must end with '}')", end);
      impl.kind = Kind::Json;
      impl.program = pattern_detail::parse_json_pattern(text, begin);
      return;
    case '[':
      // Always structural (docs/filter-patterns.md A14): a term such as [ERROR] must be quoted.
      if (end - begin < 2 || text[end - 1] != ']')
        c.expected(
            "']' at the end (if a filter pattern starts with '[' it is space-delimited and must end with "
            "']')",
            end);
      impl.kind = Kind::Delimited;
      impl.program = reject_all();
      impl.delimited = pattern_detail::parse_delimited_pattern(text, begin, end - 1);
      return;
    case '%':
      if (ends_with_percent) {
        // `%a% %b%` is not one regex but a regex next to a term (docs/filter-patterns.md A9).
        const std::size_t inner = text.substr(0, end - 1).find('%', begin + 1);
        if (inner != std::string_view::npos)
          c.problem(
              "a regular expression cannot be combined with terms: a pattern is either one %regex% or terms "
              "only",
              inner);
        Cursor at(text, begin);
        int regexes = 0;
        impl.kind = Kind::Regex;
        impl.program = reject_all();
        impl.regex = pattern_detail::read_regex(at, regexes);
        return;
      }
      break;
    default:
      break;
  }
  impl.kind = Kind::Terms;
  impl.program = reject_all();
  impl.terms = pattern_detail::parse_term_pattern(text, begin, end);
}

}  // namespace

Pattern Pattern::parse(std::string_view text) {
  check_length(text);
  auto impl = std::make_unique<Impl>();
  compile(text, *impl);
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

bool Pattern::matches(const EventView& event, ExtractedFields* extracted) const {
  // Values from an earlier event would point into a message that may be gone.
  ExtractedFields::Impl* out = extracted != nullptr ? extracted->impl_.get() : nullptr;
  if (out != nullptr) out->clear();
  switch (impl_->kind) {
    case Kind::Empty:
      return true;
    case Kind::Json:
      return event.fields != nullptr && impl_->program.matches(*event.fields);
    case Kind::Terms:
      return impl_->terms.matches(event.message);
    case Kind::Regex:
      return impl_->regex->search(event.message);
    case Kind::Delimited:
      return impl_->delimited.matches(event.message, out);
  }
  return false;
}

bool Pattern::needs_message() const {
  return impl_->kind == Kind::Terms || impl_->kind == Kind::Regex || impl_->kind == Kind::Delimited;
}

const std::string& Pattern::text() const {
  return impl_->text;
}

std::vector<std::vector<std::string>> Pattern::required_literals() const {
  if (impl_->kind != Kind::Json) return {};
  return pattern_detail::required_literals(impl_->program);
}

}  // namespace trailwatch
