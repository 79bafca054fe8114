#include "cli/audit_command.hpp"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/build_info.hpp"
#include "cli/color_option.hpp"
#include "cli/exit_codes.hpp"
#include "cli/usage_error.hpp"
#include "trailwatch/audit.hpp"
#include "trailwatch/aws.hpp"
#include "trailwatch/output_file.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::cli {

namespace {

// What the run needs before it can start: the source of answers and the regions to ask about.
struct AuditSetup {
  std::unique_ptr<aws::ApiSource> live;
  std::unique_ptr<aws::ApiSource> source;
  audit::AuditRequest request;
  std::string note;         // for stderr: which region was picked, and why
  std::int64_t now_ms = 0;  // the run's one clock reading: staleness, and the OCSF findings' times
};

AuditSetup set_up(const AuditOptions& o) {
  if (o.all_regions && !o.regions.empty()) throw UsageError{"give --region or --all-regions, not both"};
  AuditSetup setup;
  if (!o.rules.empty()) {
    std::string unknown;
    select_builtin_rules(o.rules, unknown);
    if (!unknown.empty())
      throw UsageError{"--rule " + unknown +
                       ": not a built-in rule (trailwatch rules lists them; cis for all)"};
  }
  setup.request.rules = o.rules;
  setup.request.regions = o.regions;
  setup.request.all_regions = o.all_regions;
  setup.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  setup.request.now = setup.now_ms / 1000;
  if (!o.from_dir.empty()) {
    if (!o.save_dir.empty()) throw UsageError{"--from-dir and --save-dir cannot be combined"};
    if (!o.profile.empty() || !o.endpoint_url.empty() || !o.ca_bundle.empty())
      throw UsageError{"--from-dir reads a folder: --profile, --endpoint-url and --ca-bundle do not apply"};
    setup.source = std::make_unique<audit::FromDirSource>(o.from_dir);
    if (o.all_regions) {
      setup.request.listing_region = audit::exported_listing_region(o.from_dir);
      if (setup.request.listing_region.empty())
        throw UsageError{"--all-regions: no region folder of " + o.from_dir +
                         " holds ec2.DescribeRegions.json"};
    } else if (o.regions.empty()) {
      setup.request.regions = audit::exported_regions(o.from_dir);
      if (setup.request.regions.empty())
        throw UsageError{o.from_dir + " holds no region folder with a cloudtrail.DescribeTrails.json"};
    }
    return setup;
  }
  aws::ClientConfig config;
  if (!o.profile.empty()) config.profile = o.profile;
  if (!o.endpoint_url.empty()) {
    // "localhost:4566" must not quietly become https://localhost:4566: the AWS CLI refuses it too.
    if (std::string problem = aws::endpoint_url_problem(o.endpoint_url); !problem.empty())
      throw UsageError{"--endpoint-url " + problem};
    config.endpoint_url = o.endpoint_url;
  }
  if (!o.ca_bundle.empty()) config.ca_bundle = o.ca_bundle;
  // No region given and none configured: the AWS CLI stops rather than guess, and so do we.
  const std::optional<aws::RegionSetting> home = aws::configured_region(config);
  if (!o.all_regions && o.regions.empty()) {
    if (!home) {
      const std::string profile = o.profile.empty() ? "" : " --profile " + o.profile;
      throw UsageError{
          "no region to audit: give --region R (repeatable) or --all-regions, or configure one "
          "as the AWS CLI reads it (AWS_REGION, AWS_DEFAULT_REGION, or `aws configure set region "
          "R" +
          profile + "`)"};
    }
    setup.request.regions = {home->region};
    setup.note = "auditing " + home->region + ", the region from " + home->source +
                 " (--region or --all-regions for others)";
  }
  setup.request.listing_region = home ? home->region : "us-east-1";
  if (o.all_regions && !home)
    setup.note = "listing the account's regions through us-east-1 (no region configured)";
  setup.live = aws::make_live_source(config);
  if (o.save_dir.empty())
    setup.source = std::move(setup.live);
  else
    setup.source = std::make_unique<audit::SaveDirSource>(*setup.live, o.save_dir);
  return setup;
}

}  // namespace

CLI::App* add_audit_command(CLI::App& app, AuditOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "audit",
      "Check a live AWS account, region by region, for CIS monitoring rules (--rule; default: 'CMK "
      "disabled or\n"
      "scheduled for deletion', Security Hub CloudWatch.7), following the whole chain:\n"
      "  trail      a trail records the region (multi-region, or homed there), is logging, and its event\n"
      "             selectors keep the rule's management events\n"
      "  delivery   it sends to a CloudWatch Logs log group (region and account from the log group ARN)\n"
      "  filter     a metric filter on that log group catches the rule's events (for the KMS rule\n"
      "             DisableKey and ScheduleKeyDeletion), judged by running it over the rule's built-in\n"
      "             CloudTrail records, so any equivalent pattern passes\n"
      "  alarm      an alarm in that region on the filter's namespace, metric and dimensions fires on ONE\n"
      "             matching event, and on many in one period, among the log group's other events (value,\n"
      "             defaultValue, unit, statistic, operator, threshold, M of N) and has actions enabled\n"
      "  notify     its action is an SNS topic with at least one confirmed subscription");
  cmd->add_option("--region", o.regions,
                  "Region to audit; repeatable (default: the configured one, as the AWS CLI picks it)")
      ->allow_extra_args(false);
  cmd->add_flag("--all-regions", o.all_regions,
                "Audit every region of the account (ec2 DescribeRegions); regions not opted in are SKIPPED");
  cmd->add_option("--profile", o.profile, "AWS CLI profile (default: AWS_PROFILE, else default)");
  cmd->add_option("--endpoint-url", o.endpoint_url,
                  "Send every call to this http:// or https:// URL (AWS-compatible servers)");
  cmd->add_option("--ca-bundle", o.ca_bundle, "PEM file of CAs to verify TLS with")->check(CLI::ExistingFile);
  cmd->add_option("--rule", o.rules,
                  "Built-in rule to audit (trailwatch rules lists them), or cis for all; repeatable. All "
                  "rules share one set of API calls per region")
      ->type_name("ID");
  cmd->add_option("--format", o.format,
                  "Output format: table, json (trailwatch.audit/1 for one rule, /2 for several), csv, or "
                  "ocsf (OCSF 1.5.0 Detection Findings, one per region and rule: docs/ocsf.md) (default: "
                  "table on a terminal, else json)")
      ->transform(CLI::IsMember({"table", "json", "csv", "ocsf"}, CLI::ignore_case));
  add_color_option(*cmd, o.color);
  cmd->add_option("-o,--output", o.output,
                  "Write the report to FILE (a regular file appears whole or not at all; a FIFO or device is "
                  "written in place) instead of stdout")
      ->type_name("FILE");
  cmd->add_option("--save-dir", o.save_dir, "Also write every API response to DIR (layout below)");
  cmd->add_option("--from-dir", o.from_dir, "Audit from such a folder: no network, no credentials")
      ->check(CLI::ExistingDirectory);
  cmd->footer(
      "Permissions needed: cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus, "
      "cloudtrail:GetEventSelectors,\n"
      "logs:DescribeMetricFilters, cloudwatch:DescribeAlarms, sns:ListSubscriptionsByTopic, "
      "sts:GetCallerIdentity,\n"
      "and ec2:DescribeRegions for --all-regions (the AWS managed policy SecurityAudit has them all). A "
      "region\n"
      "where one is denied is reported as ERROR, naming it.\n\n"
      "Credentials: as the AWS CLI finds them, in its order: environment variables, the profile's role_arn,\n"
      "web identity (AWS_WEB_IDENTITY_TOKEN_FILE), IAM Identity Center (after aws sso login), the profile's "
      "keys\n"
      "or credential_process, container credentials (ECS, EKS Pod Identity, Batch), EC2 instance metadata.\n"
      "Temporary ones are refreshed before they expire. docs/design.md \"Credentials\" has the details.\n\n"
      "Region statuses: PASS; FAIL (each failing link has an aws CLI line that fixes it); DELEGATED (an\n"
      "organization trail of another account records the region: check that account); SKIPPED (not opted "
      "in);\n"
      "ERROR (could not be audited). CloudWatch Logs delivery that is missing or stale is a WARN, not a "
      "FAIL.\n\n"
      "--save-dir / --from-dir layout, one file per call, the body as 'aws ... --output json' prints it:\n"
      "  DIR/<region>/<service>.<Operation>[.<resource name>].json, e.g.\n"
      "  us-east-1/sts.GetCallerIdentity.json              aws sts get-caller-identity\n"
      "  us-east-1/cloudtrail.DescribeTrails.json          aws cloudtrail describe-trails\n"
      "  us-east-1/cloudtrail.GetTrailStatus.main.json     aws cloudtrail get-trail-status --name <trail "
      "ARN>\n"
      "  us-east-1/cloudtrail.GetEventSelectors.main.json  aws cloudtrail get-event-selectors --trail-name "
      "<ARN>\n"
      "  us-east-1/logs.DescribeMetricFilters.json         aws logs describe-metric-filters\n"
      "  us-east-1/cloudwatch.DescribeAlarms.json          aws cloudwatch describe-alarms\n"
      "  us-east-1/sns.ListSubscriptionsByTopic.MyTopic.json  aws sns list-subscriptions-by-topic "
      "--topic-arn ..\n"
      "  us-east-1/ec2.DescribeRegions.json                aws ec2 describe-regions --all-regions\n"
      "Trail calls go to the trail's home region, topic calls to the topic's region. --from-dir audits the\n"
      "region folders that hold cloudtrail.DescribeTrails.json unless --region is given.\n\n"
      "Exit codes: 0 every region PASS, DELEGATED or SKIPPED; 1 some region FAIL; 2 some region ERROR (wins\n"
      "over 1); 64 usage error.\n\n"
      "Examples:\n"
      "  trailwatch audit --region us-east-1 --region eu-west-1\n"
      "  trailwatch audit --all-regions --profile audit --format json -o audit.json --save-dir export/\n"
      "  trailwatch audit --from-dir export/\n"
      "  trailwatch audit --rule cis --all-regions --format csv -o audit.csv\n"
      "  trailwatch audit --rule cis --all-regions --format ocsf -o findings.ocsf.json");
  return cmd;
}

int run_audit_command(const AuditOptions& o) {
  // Opened before any call is made: a path that cannot be written is a usage error before the audit runs, and
  // a FIFO or a device (-o /dev/null) is written in place: an atomic rename would replace it with a regular
  // file.
  OutputFile out(o.output.empty() ? "-" : o.output);
  if (!out.ok()) {
    std::cerr << "trailwatch: cannot write -o " << o.output << ": " << out.error() << '\n';
    return kExitUsage;
  }
  AuditSetup setup;
  try {
    setup = set_up(o);
  } catch (const UsageError& e) {
    std::cerr << "trailwatch: " << e.message << '\n';
    return kExitUsage;
  } catch (const aws::ApiError& e) {
    const std::string what = e.code() == "NetworkError"      ? "cannot reach AWS"
                             : e.code() == "InvalidEndpoint" ? "bad endpoint"
                                                             : "no AWS credentials";
    std::cerr << "trailwatch: " << what << ": " << e.code() << ": " << e.what() << '\n';
    return kExitPartial;
  }
  if (!setup.note.empty()) std::cerr << "trailwatch: " << setup.note << '\n';

  audit::AuditReport report = audit::run_audit(*setup.source, setup.request);

  std::string format = o.format;
  if (format.empty()) format = o.output.empty() && ::isatty(STDOUT_FILENO) == 1 ? "table" : "json";
  std::ostringstream text;
  if (format == "json")
    audit::write_audit_json(text, report);
  else if (format == "csv")
    audit::write_audit_csv(text, report);
  else if (format == "ocsf")
    audit::write_audit_ocsf(text, report, audit::OcsfRun{setup.now_ms, build_info::kVersion});
  else
    audit::write_audit_table(text, report, report_style(o.color, o.output));

  int code = kExitDone;
  for (const audit::RegionAudit& r : report.regions) {
    if (r.status == audit::RegionStatus::Fail && code == kExitDone) code = kExitAlarm;
    if (r.status == audit::RegionStatus::Error) code = kExitPartial;
  }
  out.stream() << text.str();
  if (std::string problem = out.commit(); !problem.empty()) {
    std::cerr << "trailwatch: cannot write " << (o.output.empty() ? "stdout" : o.output) << ": " << problem
              << '\n';
    return kExitPartial;
  }
  return code;
}

}  // namespace trailwatch::cli
