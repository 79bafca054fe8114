#include "pattern/regex.hpp"

#include <re2/re2.h>

#include <cstdint>
#include <string>

#include "pattern/regex_dialect.hpp"

namespace trailwatch::pattern_detail {

namespace {

// RE2's own default, stated because it matters: the compiled program and the DFA cache share it, and a
// filter regex of up to ~1000 characters such as `.{1000}x` needs a large program. With 2 MiB the DFA cache
// kept overflowing and RE2 fell back to its NFA: 1.8 s instead of 17 ms on a 200 KB message. Ordinary
// regexes use a few KiB whatever the limit; memory stays bounded and matching linear either way.
constexpr std::int64_t kMaxRegexMemory = std::int64_t{8} << 20;

}  // namespace

Regex::~Regex() = default;

std::shared_ptr<const Regex> Regex::compile(std::string_view pattern, std::size_t open, std::size_t close) {
  std::shared_ptr<Regex> regex(new Regex());
  regex->translated_ = translate_regex(pattern, open, close);

  RE2::Options options;
  // Multi-byte characters are rejected in the regex, so matching bytes loses nothing, and a message that is
  // not valid UTF-8 still matches predictably.
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_dot_nl(true);  // the dialect's `.` is any character, newline included
  options.set_case_sensitive(true);
  options.set_never_capture(true);
  options.set_log_errors(false);
  options.set_max_mem(kMaxRegexMemory);
  regex->re_ = std::make_unique<RE2>(regex->translated_, options);
  if (!regex->re_->ok())
    throw PatternError::problem(
        std::string(pattern), open,
        std::string("invalid regular expression (").append(regex->re_->error()) + ")");
  return regex;
}

bool Regex::search(std::string_view subject) const noexcept {
  return re_->Match(re2::StringPiece(subject.data(), subject.size()), 0, subject.size(), RE2::UNANCHORED,
                    nullptr, 0);
}

std::shared_ptr<const Regex> read_regex(Cursor& c, int& regexes) {
  const std::size_t open = c.pos();
  const std::size_t close = c.text().find('%', open + 1);
  if (close == std::string_view::npos)
    c.problem("unterminated regular expression: expected a closing '%'", open);
  if (close == open + 1) c.expected("a regular expression between '%' and '%'", close);
  if (++regexes > kMaxRegexesPerPattern)
    c.problem(std::string("a pattern may contain at most ").append(std::to_string(kMaxRegexesPerPattern)) +
                  " regular expressions",
              open);
  std::shared_ptr<const Regex> regex = Regex::compile(c.text(), open, close);
  c.advance(close + 1 - c.pos());
  return regex;
}

}  // namespace trailwatch::pattern_detail
