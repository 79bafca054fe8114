#include "pattern/regex_dialect.hpp"

#include "pattern/cursor.hpp"

namespace trailwatch::pattern_detail {

namespace {

// The documented character set: letters, digits, the symbols `: _ # = @ / ; , -`, the operators
// `^ $ ? [ ] { } | \ * + .`, and space (used by the documented `%^starting|^initializing|^shutting down%`).
constexpr bool allowed(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case ':':
    case '_':
    case '#':
    case '=':
    case '@':
    case '/':
    case ';':
    case ',':
    case '-':
    case '^':
    case '$':
    case '?':
    case '[':
    case ']':
    case '{':
    case '}':
    case '|':
    case '\\':
    case '*':
    case '+':
    case '.':
    case ' ':
      return true;
    default:
      return false;
  }
}

constexpr bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The dialect's \s (docs/filter-patterns.md §3.4) is tab, space and newline. Outside a class these are whole
// classes; inside one they are member lists. \S inside a class is the complement written as byte ranges,
// since RE2 runs in Latin-1 mode where every byte is one character.
constexpr std::string_view kSpaceClass = "[\\t\\n ]";
constexpr std::string_view kNotSpaceClass = "[^\\t\\n ]";
constexpr std::string_view kSpaceMembers = "\\t\\n ";
constexpr std::string_view kNotSpaceMembers = "\\x00-\\x08\\x0b-\\x1f\\x21-\\xff";

class Translator {
 public:
  Translator(std::string_view pattern, std::size_t open, std::size_t close)
      : c_(pattern, open + 1), close_(close) {}

  std::string run() {
    out_.reserve(close_ - c_.pos() + 16);
    while (c_.pos() < close_) {
      check_character(c_.pos());
      const char ch = c_.peek();
      if (ch == '\\') {
        escape();
      } else if (in_class_) {
        class_character();
      } else if (ch == '[') {
        open_class();
      } else if (ch == '{' && c_.text().substr(c_.pos() + 1).starts_with(",")) {
        open_brace();
      } else {
        out_ += ch;
        c_.advance();
      }
    }
    // An unclosed class is left to RE2, which reports it as a bad pattern.
    return std::move(out_);
  }

 private:
  void check_character(std::size_t at) const {
    const char ch = c_.text()[at];
    if (static_cast<unsigned char>(ch) >= 0x80)
      c_.problem("multi-byte characters are not supported in regular expressions", at);
    if (ch == '(' || ch == ')')
      c_.problem(
          std::string("invalid character '") + ch +
              "' in a regular expression (groups are not supported; write \\x28 or \\x29 for a literal "
              "parenthesis)",
          at);
    if (!allowed(ch))
      c_.problem(std::string("invalid character '") + ch +
                     "' in a regular expression (allowed: letters, digits, space, : _ # = @ / ; , - and the "
                     "operators ^ $ ? [ ] { } | \\ * + .)",
                 at);
  }

  void escape() {
    const std::size_t at = c_.pos();
    c_.advance();
    if (c_.pos() >= close_) c_.problem("a regular expression may not end with a single '\\'", at);
    check_character(c_.pos());
    const char e = c_.peek();
    c_.advance();
    switch (e) {
      case 's':
        out_ += in_class_ ? kSpaceMembers : kSpaceClass;
        return;
      case 'S':
        out_ += in_class_ ? kNotSpaceMembers : kNotSpaceClass;
        return;
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        out_ += '\\';
        out_ += e;
        return;
      case 'x':
        // Exactly two hex digits: RE2's \x{...} form is not part of the dialect.
        if (c_.pos() + 2 > close_ || !is_hex(c_.peek()) || !is_hex(c_.text()[c_.pos() + 1]))
          c_.expected("two hexadecimal digits after '\\x'", c_.pos());
        out_ += "\\x";
        out_ += c_.text().substr(c_.pos(), 2);
        c_.advance(2);
        return;
      default:
        break;
    }
    // Letters and digits would be RE2 extensions (\b, \pN, \Q, \C, \1, ...) with no meaning in the dialect.
    if (is_alpha(e) || is_digit(e) || e == '_')
      c_.problem(std::string("unsupported escape '\\") + e +
                     "' in a regular expression (supported: \\d \\D \\s \\S \\w \\W \\xhh and '\\' before a "
                     "symbol)",
                 at);
    out_ += '\\';
    out_ += e;
  }

  // A class's first ']' (after an optional '^') is a member, as in POSIX and RE2; `[:alpha:]` is skipped
  // whole so that its ']' does not end the class.
  void open_class() {
    out_ += '[';
    c_.advance();
    in_class_ = true;
    if (c_.pos() < close_ && c_.peek() == '^') {
      out_ += '^';
      c_.advance();
    }
    if (c_.pos() < close_ && c_.peek() == ']') {
      out_ += ']';
      c_.advance();
    }
  }

  void class_character() {
    const char ch = c_.peek();
    if (ch == ']') {
      in_class_ = false;
    } else if (ch == '[' && c_.text().substr(c_.pos(), close_ - c_.pos()).substr(1).starts_with(":")) {
      const std::size_t end = c_.text().substr(0, close_).find(":]", c_.pos() + 2);
      if (end != std::string_view::npos) {
        for (std::size_t i = c_.pos(); i < end + 2; ++i) check_character(i);
        out_ += c_.text().substr(c_.pos(), end + 2 - c_.pos());
        c_.advance(end + 2 - c_.pos());
        return;
      }
    }
    out_ += ch;
    c_.advance();
  }

  // `{,n}` -> `{0,n}`; any other brace is copied and left to RE2.
  void open_brace() {
    std::size_t i = c_.pos() + 2;
    while (i < close_ && is_digit(c_.text()[i])) ++i;
    if (i > c_.pos() + 2 && i < close_ && c_.text()[i] == '}') {
      out_ += "{0";
    } else {
      out_ += '{';
    }
    c_.advance();
  }

  Cursor c_;
  std::size_t close_;
  std::string out_;
  bool in_class_ = false;
};

}  // namespace

std::string translate_regex(std::string_view pattern, std::size_t open, std::size_t close) {
  return Translator(pattern, open, close).run();
}

}  // namespace trailwatch::pattern_detail
