#include "trailwatch/terminal_style.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <string>

namespace trailwatch {

std::optional<ColorMode> parse_color_mode(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "auto") return ColorMode::Auto;
  if (lower == "always") return ColorMode::Always;
  if (lower == "never") return ColorMode::Never;
  return std::nullopt;
}

bool color_wanted(ColorMode mode, bool is_terminal, const char* no_color, const char* term) {
  switch (mode) {
    case ColorMode::Always:
      return true;
    case ColorMode::Never:
      return false;
    case ColorMode::Auto:
      break;
  }
  // no-color.org: NO_COLOR set to an empty string is the same as unset.
  if (no_color != nullptr && *no_color != '\0') return false;
  // A dumb terminal (Emacs' shell, some CI consoles) shows escapes as garbage.
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return is_terminal;
}

bool color_wanted_for_fd(ColorMode mode, int fd) {
  return color_wanted(mode, ::isatty(fd) == 1, std::getenv("NO_COLOR"), std::getenv("TERM"));
}

std::string TerminalStyle::paint(std::string_view text, Tone tone) const {
  if (!color_) return std::string(text);
  const char* start = "";
  switch (tone) {
    case Tone::Alarm:
      start = "\x1b[1;31m";
      break;
    case Tone::Good:
      start = "\x1b[32m";
      break;
    case Tone::Warning:
      start = "\x1b[33m";
      break;
    case Tone::Error:
      start = "\x1b[1;35m";
      break;
    case Tone::Strong:
      start = "\x1b[1m";
      break;
  }
  std::string out = start;
  out += text;
  out += "\x1b[0m";
  return out;
}

}  // namespace trailwatch
