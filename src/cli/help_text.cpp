#include "cli/help_text.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

namespace trailwatch::cli {

namespace {

constexpr std::size_t kMinWidth = 40;
constexpr std::size_t kMaxWidth = 120;
constexpr std::size_t kDefaultWidth = 80;

// Columns a piece of text takes: UTF-8 code points (the help texts hold no wide characters).
std::size_t columns(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::size_t leading_spaces(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

// "Exit codes: ...", "Output: ...", "Examples:": a short label that opens a paragraph of its own.
bool opens_paragraph(std::string_view line) {
  if (line.starts_with("--")) return true;
  if (line.empty() || line[0] < 'A' || line[0] > 'Z') return false;
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon > 25) return false;
  return std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' '; });
}

std::size_t hang_of(std::string_view line) {
  const std::size_t indent = leading_spaces(line);
  const std::size_t word_end = line.find(' ', indent);
  if (word_end != std::string_view::npos) {
    const std::size_t next = line.find_first_not_of(' ', word_end);
    if (next != std::string_view::npos && next - word_end >= 2) return columns(line.substr(0, next));
  }
  return indent + 2;
}

}  // namespace

std::size_t help_width() {
  std::size_t width = 0;
  if (const char* env = std::getenv("COLUMNS"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    const unsigned long value = std::strtoul(env, &end, 10);
    if (end != nullptr && *end == '\0') width = value;
  }
  if (width == 0) {
    winsize size{};
    if (::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
      width = size.ws_col;
  }
  if (width == 0) width = kDefaultWidth;
  return std::clamp(width, kMinWidth, kMaxWidth);
}

std::vector<TextBlock> text_blocks(std::string_view text) {
  std::vector<TextBlock> blocks;
  bool in_examples = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    start = end + 1;
    if (line.empty()) {
      in_examples = false;
      if (!blocks.empty() && blocks.back().kind != TextBlock::Kind::Blank)
        blocks.push_back({TextBlock::Kind::Blank, "", 0});
      continue;
    }
    if (line[0] == ' ') {
      const std::size_t indent = leading_spaces(line);
      const char first = line[indent];
      // Examples, and sketches of JSON, stay as typed.
      if (in_examples || first == '{' || first == '[' || first == '"') {
        blocks.push_back({TextBlock::Kind::Example, std::string(line), 0});
        continue;
      }
      // A line that starts where the text of the row above does continues it ("  trail      a trail ...\n"
      // "             selectors keep ...").
      TextBlock* above = blocks.empty() ? nullptr : &blocks.back();
      if (above != nullptr && above->kind == TextBlock::Kind::Indented && indent == above->hang &&
          above->hang > leading_spaces(above->text) + 2) {
        above->text += ' ';
        above->text += line.substr(indent);
        continue;
      }
      blocks.push_back({TextBlock::Kind::Indented, std::string(line), hang_of(line)});
      continue;
    }
    in_examples = line.ends_with("Examples:") || line.ends_with("Example:");
    if (!blocks.empty() && blocks.back().kind == TextBlock::Kind::Prose && !opens_paragraph(line) &&
        !blocks.back().text.ends_with(':')) {
      blocks.back().text += ' ';
      blocks.back().text += line;
    } else {
      blocks.push_back({TextBlock::Kind::Prose, std::string(line), 0});
    }
  }
  while (!blocks.empty() && blocks.back().kind == TextBlock::Kind::Blank) blocks.pop_back();
  return blocks;
}

std::string wrap(std::string_view text, std::size_t width, std::size_t first_indent, std::size_t indent) {
  std::string out(first_indent, ' ');
  std::size_t column = first_indent;
  std::size_t line_start_column = first_indent;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos >= text.size()) break;
    std::size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(pos, end - pos);
    const std::size_t w = columns(word);
    const bool line_empty = column == line_start_column;
    if (!line_empty && column + 1 + w > width) {
      out += '\n';
      out.append(indent, ' ');
      column = line_start_column = indent;
    } else if (!line_empty) {
      out += ' ';
      ++column;
    }
    out += word;
    column += w;
    pos = end;
  }
  out += '\n';
  return out;
}

std::size_t indented_body(const TextBlock& block) {
  const std::size_t indent = leading_spaces(block.text);
  const std::size_t word_end = block.text.find(' ', indent);
  if (word_end == std::string::npos) return indent;
  const std::size_t next = block.text.find_first_not_of(' ', word_end);
  return next != std::string::npos && next - word_end >= 2 ? next : indent;
}

std::string layout_text(std::string_view text, std::size_t width) {
  std::string out;
  for (const TextBlock& b : text_blocks(text)) {
    switch (b.kind) {
      case TextBlock::Kind::Prose:
        out += wrap(b.text, width, 0, 0);
        break;
      case TextBlock::Kind::Indented: {
        const std::size_t indent = leading_spaces(b.text);
        const std::size_t body = indented_body(b);
        if (columns(b.text) <= width) {
          out += b.text + '\n';
        } else if (body > indent && b.hang + 20 <= width && b.hang <= width / 2) {
          // "  trail      text...": the first word and its gap as written, the text wrapped under itself.
          std::string lines = wrap(std::string_view(b.text).substr(body), width, b.hang, b.hang);
          out += b.text.substr(0, body) + lines.substr(b.hang);
        } else if (body > indent) {
          // A hang too far right would leave a sliver of text: the first word alone, the text below it.
          out += b.text.substr(0, b.text.find(' ', indent)) + '\n';
          out += wrap(std::string_view(b.text).substr(body), width, indent + 4, indent + 4);
        } else {
          out += wrap(std::string_view(b.text).substr(indent), width, indent, indent + 2);
        }
        break;
      }
      case TextBlock::Kind::Example:
        out += b.text + '\n';
        break;
      case TextBlock::Kind::Blank:
        out += '\n';
        break;
    }
  }
  return out;
}

}  // namespace trailwatch::cli
