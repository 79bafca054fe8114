// JSON string literals that are valid UTF-8 whatever bytes they are given. Paths (Linux allows any bytes but
// '/' and NUL in a name) and error messages that quote hostile input reach the reports, and a report that is
// not UTF-8 is not JSON (RFC 8259 section 8.1): strict parsers reject the whole document.
#include "trailwatch/json_string.hpp"

namespace trailwatch {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER

bool continuation(unsigned char c) {
  return c >= 0x80 && c <= 0xBF;
}

// The length of the well-formed UTF-8 sequence at the start of `s` (Unicode 15, table 3-7), or 0 when it is
// ill-formed. In that case `bad` is the length of its maximal subpart: the bytes that one U+FFFD replaces, as
// Unicode (section 3.9, "U+FFFD Substitution of Maximal Subparts") and the WHATWG decoder recommend, so that
// a decoder reading our output and one reading the raw bytes agree on where the damage is.
std::size_t utf8_sequence(std::string_view s, std::size_t& bad) {
  const auto lead = static_cast<unsigned char>(s[0]);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // what the second byte may be: excludes overlongs and surrogates
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    bad = 1;
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const bool ok = i < s.size() && (i == 1 ? static_cast<unsigned char>(s[i]) >= low &&
                                                  static_cast<unsigned char>(s[i]) <= high
                                            : continuation(static_cast<unsigned char>(s[i])));
    if (!ok) {
      bad = i;
      return 0;
    }
  }
  return length;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t bad = 0;
      if (std::size_t length = utf8_sequence(text.substr(i), bad); length > 0) {
        out.append(text.substr(i, length));  // valid UTF-8 is kept byte for byte
        i += length;
      } else {
        out += kReplacement;
        i += bad;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        // DEL is escaped with the C0 controls (JSON allows it raw): a report printed on a terminal then
        // cannot carry control bytes from a hostile file name.
        if (c < 0x20 || c == 0x7F) {
          const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
          out.append(escape, sizeof escape);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

std::string json_quote(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

}  // namespace trailwatch
