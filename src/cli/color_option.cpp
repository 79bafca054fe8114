#include "cli/color_option.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace trailwatch::cli {

namespace {

ColorMode mode_of(const std::string& mode) {
  return parse_color_mode(mode).value_or(ColorMode::Auto);
}

// Only a character device can be a terminal; a FIFO is not opened a second time, as its reader would see
// the extra writer.
bool path_is_terminal(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISCHR(st.st_mode)) return false;
  const int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  const bool terminal = ::isatty(fd) == 1;
  ::close(fd);
  return terminal;
}

}  // namespace

CLI::Option* add_color_option(CLI::App& command, std::string& mode, const std::string& group) {
  CLI::Option* option =
      command
          .add_option(
              "--color", mode,
              "Colour the table: auto colours only when it goes to a terminal, and not when NO_COLOR "
              "is set to a non-empty value or TERM is dumb; always colours even with NO_COLOR set (the "
              "flag wins over the environment); never does not. Messages on stderr follow the same "
              "rule for stderr. JSON, CSV and HTML are never coloured")
          ->capture_default_str()
          ->transform(CLI::IsMember({"auto", "always", "never"}, CLI::ignore_case));
  if (!group.empty()) option->group(group);
  return option;
}

TerminalStyle report_style(const std::string& mode, const std::string& output) {
  if (output.empty() || output == "-")
    return TerminalStyle(color_wanted_for_fd(mode_of(mode), STDOUT_FILENO));
  const ColorMode m = mode_of(mode);
  if (m != ColorMode::Auto) return TerminalStyle(m == ColorMode::Always);
  return TerminalStyle(
      color_wanted(m, path_is_terminal(output), std::getenv("NO_COLOR"), std::getenv("TERM")));
}

TerminalStyle stderr_style(const std::string& mode) {
  return TerminalStyle(color_wanted_for_fd(mode_of(mode), STDERR_FILENO));
}

}  // namespace trailwatch::cli
