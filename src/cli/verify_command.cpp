#include "cli/verify_command.hpp"

#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/color_option.hpp"
#include "cli/exit_codes.hpp"
#include "trailwatch/aws.hpp"
#include "trailwatch/ingest.hpp"
#include "trailwatch/output_file.hpp"
#include "trailwatch/s3.hpp"
#include "trailwatch/verify.hpp"

namespace trailwatch::cli {

CLI::App* add_verify_command(CLI::App& app, VerifyOptions& options) {
  CLI::App* cmd = app.add_subcommand("verify",
                                     "Is this copy of the archive intact? Checks logs, the digest chain and "
                                     "(with keys) signatures, offline.");
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
  add_color_option(*cmd, options.color);
  cmd->add_option("-o,--output", options.output, "write here ('-' is stdout)")->type_name("FILE");
  cmd->add_option("--threads", options.threads, "Worker threads (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--profile", options.profile,
                  "s3:// paths: AWS CLI profile (default: AWS_PROFILE, else default)");
  cmd->add_option("--endpoint-url", options.endpoint_url,
                  "s3:// paths: send S3 requests to this URL, path style (S3-compatible servers)");
  cmd->add_option("--ca-bundle", options.ca_bundle, "s3:// paths: PEM file of CAs to verify TLS with")
      ->check(CLI::ExistingFile);
  cmd->add_option("PATH", options.paths,
                  "local directories or files, or s3://BUCKET[/PREFIX] (every key below it is listed)")
      ->required();
  cmd->footer(
      "Exit: 0 intact, 1 a log modified or missing, a digest moved or missing, a broken chain or a bad\n"
      "signature, 2 something could not be read or checked, 64 usage.\n\n"
      "Examples:\n"
      "  trailwatch verify ~/AWSLogs\n"
      "  trailwatch verify --public-keys keys-us-east-1.json --signatures sigs.json ~/AWSLogs\n"
      "  trailwatch verify --profile audit s3://my-trail-bucket/AWSLogs/111122223333/\n"
      "    reads the objects themselves (s3:ListBucket, s3:GetObject); nothing else is asked of AWS");
  return cmd;
}

int run_verify(const VerifyOptions& options) {
  // As scan and audit: a URL without a scheme is refused before anything is read or written.
  if (!options.endpoint_url.empty())
    if (std::string problem = aws::endpoint_url_problem(options.endpoint_url); !problem.empty()) {
      std::cerr << "trailwatch verify: --endpoint-url " << problem << '\n';
      return kExitUsage;
    }
  OutputFile out(options.output);
  if (!out.ok()) {
    std::cerr << "trailwatch verify: cannot write -o " << options.output << ": " << out.error() << '\n';
    return kExitUsage;
  }
  // Built only for s3:// paths, and it resolves credentials only when it lists: a local copy needs no AWS.
  std::unique_ptr<InputSource> s3;
  if (std::any_of(options.paths.begin(), options.paths.end(),
                  [](const std::string& p) { return aws::is_s3_path(p); })) {
    aws::S3SourceOptions s3_options;
    if (!options.profile.empty()) s3_options.client.profile = options.profile;
    if (!options.endpoint_url.empty()) s3_options.client.endpoint_url = options.endpoint_url;
    if (!options.ca_bundle.empty()) s3_options.client.ca_bundle = options.ca_bundle;
    s3_options.every_key = true;  // the digests are what verify reads first
    s3 = aws::make_s3_source(s3_options);
  }
  verify::VerifyOptions request;
  request.paths = options.paths;
  request.public_key_files = options.public_keys;
  request.signatures_file = options.signatures;
  request.sources = {s3.get()};
  request.threads = options.threads;
  const verify::VerifyReport report = verify::verify_archive(request);
  out.stream() << (options.format == "json"
                       ? verify::verify_json(report)
                       : verify::verify_table(report, report_style(options.color, options.output)));
  if (std::string error = out.commit(); !error.empty()) {
    std::cerr << "trailwatch verify: " << error << '\n';
    return kExitPartial;
  }
  return verify::verify_exit_code(report);
}

}  // namespace trailwatch::cli
