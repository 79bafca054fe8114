#include "pattern/term_pattern.hpp"

#include <string.h>  // memmem: glibc's two-way search beats std::string_view::find on 1-2 KB messages

#include <algorithm>
#include <utility>

#include "pattern/comparison_parser.hpp"
#include "pattern/cursor.hpp"

namespace trailwatch::pattern_detail {

namespace {

// The documented safe set for unquoted terms (docs/filter-patterns.md §4, A5).
constexpr bool is_word_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '_';
}

bool occurs(std::string_view message, const std::string& term) noexcept {
  // Also keeps a null message pointer (an empty view) away from memmem, whose arguments must not be null.
  if (term.size() > message.size()) return false;
  return ::memmem(message.data(), message.size(), term.data(), term.size()) != nullptr;
}

// A term that occurs in every message: an empty or whitespace-only quoted term. `" "` is documented to match
// every event, including one without a space (docs/filter-patterns.md §4), so it is not a substring test.
bool occurs_everywhere(std::string_view term) {
  return std::all_of(term.begin(), term.end(), is_space);
}

enum class Kind { Required, Excluded, Optional };

class TermParser {
 public:
  TermParser(std::string_view text, std::size_t begin, std::size_t end)
      : c_(text.substr(0, end), begin), full_(text) {}

  TermProgram parse() {
    std::vector<std::string> optional;
    bool optional_everywhere = false;
    bool plain_or_excluded = false;
    while (true) {
      c_.skip_space();
      if (c_.at_end()) break;
      Kind kind = Kind::Required;
      const std::size_t prefix_at = c_.pos();
      if (c_.at('-') || c_.at('?')) {
        kind = c_.peek() == '-' ? Kind::Excluded : Kind::Optional;
        c_.advance();
        if (c_.at_end() || is_space(c_.peek()))
          fail_expected(std::string("a term right after '") + full_[prefix_at] + "'", c_.pos());
      }
      const std::string term = read_term();
      if (kind != Kind::Optional) plain_or_excluded = true;
      const bool everywhere = occurs_everywhere(term);
      switch (kind) {
        case Kind::Required:
          if (!everywhere) program_.required.push_back(term);
          break;
        case Kind::Excluded:
          if (everywhere)
            program_.never = true;
          else
            program_.excluded.push_back(term);
          break;
        case Kind::Optional:
          if (everywhere)
            optional_everywhere = true;
          else
            optional.push_back(term);
          break;
      }
    }
    // Mixed with plain or excluded terms, `?` terms are ignored (current documentation;
    // docs/filter-patterns.md A3).
    if (!plain_or_excluded) {
      program_.any_optional = !optional_everywhere;
      program_.optional = std::move(optional);
    }
    return std::move(program_);
  }

 private:
  std::string read_term() {
    const std::size_t start = c_.pos();
    if (c_.at('"')) {
      // read_quoted stops at the pattern's end, not at `end`; a closing quote always lies before `end`
      // because trimming removed only whitespace.
      Cursor full(full_, start);
      std::string term = read_quoted(full);
      c_.advance(full.pos() - start);
      if (!c_.at_end() && !is_space(c_.peek()))
        fail_expected("whitespace between terms (a quoted term ends at its closing '\"')", c_.pos());
      return term;
    }
    if (c_.at('%')) {
      if (full_.find('%', start + 1) != std::string_view::npos)
        fail_problem(
            "a regular expression cannot be combined with terms: a pattern is either one %regex% or terms "
            "only",
            start);
    }
    if (c_.at('*') && (c_.pos() + 1 == c_.text().size() || is_space(c_.text()[c_.pos() + 1])))
      fail_problem("a lone '*' is not a term (write \" \" to match every event)", start);
    while (!c_.at_end() && !is_space(c_.peek())) {
      if (!is_word_char(c_.peek())) {
        std::size_t word_end = c_.pos();
        while (word_end < c_.text().size() && !is_space(c_.text()[word_end])) ++word_end;
        fail_problem(
            std::string("Invalid character(s) in term '")
                .append(c_.text().substr(start, word_end - start))
                .append("': unquoted terms may hold only A-Z a-z 0-9 _; put the term in double quotes"),
            c_.pos());
      }
      c_.advance();
    }
    return std::string(c_.text().substr(start, c_.pos() - start));
  }

  // Errors report the whole pattern, not the trimmed view the cursor reads.
  [[noreturn]] void fail_expected(const std::string& what, std::size_t at) const {
    Cursor(full_, at).expected(what, at);
  }
  [[noreturn]] void fail_problem(const std::string& what, std::size_t at) const {
    Cursor(full_, at).problem(what, at);
  }

  Cursor c_;
  std::string_view full_;
  TermProgram program_;
};

}  // namespace

TermProgram parse_term_pattern(std::string_view text, std::size_t begin, std::size_t end) {
  return TermParser(text, begin, end).parse();
}

bool TermProgram::matches(std::string_view message) const noexcept {
  if (never) return false;
  for (const std::string& term : required)
    if (!occurs(message, term)) return false;
  for (const std::string& term : excluded)
    if (occurs(message, term)) return false;
  if (!any_optional) return true;
  for (const std::string& term : optional)
    if (occurs(message, term)) return true;
  return false;
}

}  // namespace trailwatch::pattern_detail
