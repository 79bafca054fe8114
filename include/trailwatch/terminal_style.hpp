// Colour on a terminal (docs/design.md "Output", README "Colour"): whether a stream gets colour, and the few
// tones the tables use. Text written without colour is byte for byte what it was before colour existed, so
// the table writers take a TerminalStyle and ask it to paint; the default one paints nothing. JSON, CSV and
// HTML never take one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trailwatch {

/// --color: auto (colour when the stream is a terminal, NO_COLOR is unset or empty and TERM is not "dumb"),
/// always (even when NO_COLOR is set: an explicit flag wins over the environment, as no-color.org asks) or
/// never.
enum class ColorMode { Auto, Always, Never };

/// "auto", "always" or "never" (any case); nullopt for anything else.
std::optional<ColorMode> parse_color_mode(std::string_view text);

/// The decision itself, without looking at the process: `no_color` and `term` are the environment's values
/// (null when unset).
bool color_wanted(ColorMode mode, bool is_terminal, const char* no_color, const char* term);

/// color_wanted for the stream on file descriptor `fd` (isatty) and this process's NO_COLOR and TERM.
bool color_wanted_for_fd(ColorMode mode, int fd);

/// What a piece of text means, which picks its colour.
enum class Tone {
  Alarm,    // in ALARM, a rule that fired, FAIL, a finding: bold red
  Good,     // never in ALARM, PASS, intact: green
  Warning,  // logs missing, PARTIAL, WARN: yellow
  Error,    // ERROR (could not be checked): bold magenta
  Strong,   // a match in test-pattern: bold
};

class TerminalStyle {
 public:
  /// Paints nothing.
  TerminalStyle() = default;
  explicit TerminalStyle(bool color) : color_(color) {}

  bool color() const { return color_; }
  /// `text` between the tone's SGR escape and the reset, or `text` unchanged without colour.
  std::string paint(std::string_view text, Tone tone) const;

 private:
  bool color_ = false;
};

}  // namespace trailwatch
