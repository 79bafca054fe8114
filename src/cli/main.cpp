#include "cli/app.hpp"
#include "cli/heap_pages.hpp"
#include "cli/help_text.hpp"

int main(int argc, char** argv) {
  trailwatch::cli::use_huge_pages_for_heap();
  trailwatch::cli::CommandLine command_line(trailwatch::cli::help_width());
  return command_line.run(argc, argv);
}
