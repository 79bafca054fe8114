#include "cli/verify_command.hpp"

#include <iostream>

#include "cli/exit_codes.hpp"
#include "trailwatch/output_file.hpp"
#include "trailwatch/verify.hpp"

namespace trailwatch::cli {

CLI::App* add_verify_command(CLI::App& app, VerifyOptions& options) {
  CLI::App* cmd = app.add_subcommand("verify",
                                     "Is this local copy of the archive intact? Checks logs, digest chain "
                                     "and (with keys) signatures offline.");
  cmd->add_option("--public-keys", options.public_keys,
                  "'aws cloudtrail list-public-keys --output json' file (repeatable; one per region)")
      ->check(CLI::ExistingFile);
  cmd->add_option(
         "--signatures", options.signatures,
         "JSON map digest key -> its S3 metadata {\"signature\", \"signature-algorithm\"}: the newest "
         "digest of each chain is signed only there")
      ->check(CLI::ExistingFile);
  cmd->add_option("--format", options.format, "table or json")
      ->transform(CLI::IsMember({"table", "json"}, CLI::ignore_case));
  cmd->add_option("-o,--output", options.output, "write here ('-' is stdout)")->type_name("FILE");
  cmd->add_option("PATH", options.paths, "local directories or files (s3:// is not supported yet)")
      ->required();
  cmd->footer(
      "Exit: 0 intact, 1 a log modified or missing, a digest moved, a broken chain or a bad signature,\n"
      "2 something could not be read or checked, 64 usage.");
  return cmd;
}

int run_verify(const VerifyOptions& options) {
  for (const std::string& p : options.paths)
    if (p.starts_with("s3://")) {
      std::cerr << "trailwatch verify: s3:// paths are not supported yet; copy the archive locally first\n";
      return kExitUsage;
    }
  OutputFile out(options.output);
  if (!out.ok()) {
    std::cerr << "trailwatch verify: " << out.error() << '\n';
    return kExitUsage;
  }
  verify::VerifyOptions request{options.paths, options.public_keys, options.signatures};
  const verify::VerifyReport report = verify::verify_archive(request);
  out.stream() << (options.format == "json" ? verify::verify_json(report) : verify::verify_table(report));
  if (std::string error = out.commit(); !error.empty()) {
    std::cerr << "trailwatch verify: " << error << '\n';
    return kExitPartial;
  }
  return verify::verify_exit_code(report);
}

}  // namespace trailwatch::cli
