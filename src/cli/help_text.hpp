// Help text as a person reads it: wrapped to the terminal, paragraphs kept, examples left as typed. The same
// reading of the text feeds the help screens (help_formatter) and the man page (man_page).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trailwatch::cli {

/// The width help is wrapped to: COLUMNS when it is a number, else the width of the terminal on stdout, else
/// 80; never below 40 nor above 120 (longer lines are hard to read).
std::size_t help_width();

/// One piece of a description or footer, as written in the command definitions:
/// - Prose: lines starting at column 0, joined into one paragraph (a line starting with "--" or with a short
///   capitalised label such as "Exit codes:" starts a new one);
/// - Indented: a line starting with spaces outside an example list (a table row: "  trail      text"); `hang`
///   is the column its text starts at (after the gap of two or more spaces that follows its first word, else
///   its indentation plus 2); the next line joins it when it starts at that column (the row's text
///   continued);
/// - Example: a line of the indented list that follows a line ending in "Examples:", or an indented line that
///   starts with '{', '[' or '"' (a sketch of JSON): kept as typed (commands must stay copyable);
/// - Blank: an empty line between paragraphs.
struct TextBlock {
  enum class Kind { Prose, Indented, Example, Blank };
  Kind kind = Kind::Prose;
  std::string text;  // Prose: the joined paragraph; Indented, Example: the line with its leading spaces
  std::size_t hang = 0;
};

std::vector<TextBlock> text_blocks(std::string_view text);

/// For an Indented block: the offset its text starts at after the first word and its gap ("  trail text"), or
/// its indentation when it has no such gap.
std::size_t indented_body(const TextBlock& block);

/// `text` broken at spaces into lines of at most `width` columns (a longer word stands alone on its line);
/// the first line starts after `first_indent` spaces, the others after `indent`. Every line ends with '\n'.
std::string wrap(std::string_view text, std::size_t width, std::size_t first_indent, std::size_t indent);

/// A description or footer laid out for a terminal `width` columns wide.
std::string layout_text(std::string_view text, std::size_t width);

}  // namespace trailwatch::cli
