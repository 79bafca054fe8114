// trailwatch_docgen OUTDIR: writes the man page and the completion scripts that `cmake --install` installs,
// from the same command definitions (CommandLine) and the same code as `trailwatch completion` and `--help`.
// Run by the build; not installed.
#include <fstream>
#include <iostream>
#include <string>

#include "cli/app.hpp"
#include "cli/completion_command.hpp"
#include "cli/man_page.hpp"
#include "cli/version.hpp"

namespace {

bool write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) std::cerr << "trailwatch_docgen: cannot write " << path << '\n';
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: trailwatch_docgen OUTDIR\n";
    return 64;
  }
  const std::string dir = argv[1];
  // Man pages are laid out by man itself; completion scripts do not depend on the width.
  const trailwatch::cli::CommandLine command_line(80);
  const CLI::App& app = command_line.app();
  bool ok = write(dir + "/trailwatch.1", trailwatch::cli::man_page(app, trailwatch::cli::version_line()));
  ok = write(dir + "/trailwatch.bash", trailwatch::cli::completion_script(app, "bash")) && ok;
  ok = write(dir + "/_trailwatch", trailwatch::cli::completion_script(app, "zsh")) && ok;
  ok = write(dir + "/trailwatch.fish", trailwatch::cli::completion_script(app, "fish")) && ok;
  return ok ? 0 : 1;
}
