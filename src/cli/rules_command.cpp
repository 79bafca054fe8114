#include "cli/rules_command.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cli/exit_codes.hpp"
#include "cli/help_text.hpp"
#include "cli/probe_lint_output.hpp"
#include "cli/usage_error.hpp"
#include "trailwatch/json_string.hpp"
#include "trailwatch/plural.hpp"
#include "trailwatch/report.hpp"
#include "trailwatch/rule_lint.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::cli {

namespace {

// The overview names only the numbers; the details say which benchmark versions use each.
std::string cis_numbers(const BuiltinRule& rule) {
  std::string text;
  for (const CisNumber& n : rule.cis) text += fmt::format("{}{}", text.empty() ? "" : " / ", n.number);
  return text;
}

std::string cis_list(const BuiltinRule& rule) {
  std::string text;
  for (const CisNumber& n : rule.cis)
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", n.versions, n.number);
  return text;
}

std::string_view comparison_symbol(std::string_view op) {
  if (op == "GreaterThanOrEqualToThreshold") return ">=";
  if (op == "GreaterThanThreshold") return ">";
  if (op == "LessThanThreshold") return "<";
  if (op == "LessThanOrEqualToThreshold") return "<=";
  return op;
}

std::string alarm_line(const RuleAlarm& a) {
  return fmt::format("{} {} {} over {} s, {} of {}, missing data: {}", a.statistic,
                     comparison_symbol(a.comparison_operator), a.threshold, a.period, a.datapoints_to_alarm,
                     count_of(static_cast<std::uint64_t>(a.evaluation_periods), "period"),
                     a.treat_missing_data);
}

std::string indent(std::string_view text, std::string_view prefix) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    out += std::string(prefix) + std::string(text.substr(start, end - start)) + '\n';
    start = end + 1;
  }
  return out;
}

void write_rules_table(std::ostream& out) {
  const std::vector<BuiltinRule>& rules = builtin_rules();
  std::size_t id_width = 2;
  std::size_t cis_width = 3;
  std::size_t hub_width = std::string_view("SECURITY HUB").size();
  for (const BuiltinRule& r : rules) {
    id_width = std::max(id_width, r.id.size());
    cis_width = std::max(cis_width, cis_numbers(r).size());
    hub_width = std::max(hub_width, r.security_hub.size());
  }
  out << fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", "ID", id_width, "CIS", cis_width, "SECURITY HUB",
                     hub_width, "METRIC");
  for (const BuiltinRule& r : rules)
    out << fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", r.id, id_width, cis_numbers(r), cis_width,
                       r.security_hub.empty() ? "-" : r.security_hub, hub_width, r.metric_name);
  for (const BuiltinRule& r : rules) {
    out << '\n' << r.id << "  " << r.title << '\n';
    out << "  CIS           " << cis_list(r) << '\n';
    out << "  Security Hub  " << (r.security_hub.empty() ? "none" : r.security_hub) << '\n';
    out << fmt::format("  metric        {} {}, {} per match\n", r.metric_namespace, r.metric_name,
                       r.metric_value);
    out << "  alarm         " << alarm_line(r.alarm) << '\n';
    out << "  pattern       " << r.source << '\n';
    out << "    " << r.pattern << '\n';
  }
}

void write_lint_table(std::ostream& out, const std::vector<PublishedTextFinding>& findings) {
  out << "\nKnown defects of published CIS texts, shown with trailwatch's own pattern engine (information "
         "only;\n"
         "the pack above does not use these texts):\n";
  int n = 0;
  for (const PublishedTextFinding& f : findings) {
    out << fmt::format("\n[{}] {}: {} (built-in rule: {})\n", ++n, f.defect, f.source, f.rule_id);
    // The parser's message quotes the pattern with a caret under the fault; printing it twice adds nothing.
    out << (f.error.empty() ? "    " + f.pattern + '\n' : indent(f.error, "    "));
    out << "  " << f.summary << '\n';
    for (const std::string& e : f.evidence) out << "  - " << e << '\n';
    out << "  " << (f.confirmed ? "confirmed by behaviour" : "NOT reproduced by this engine (see above)")
        << '\n';
  }
}

std::string json_rule(const BuiltinRule& r) {
  std::string cis;
  for (const CisNumber& n : r.cis)
    cis += fmt::format("{}{{\"versions\": {}, \"number\": {}}}", cis.empty() ? "" : ", ",
                       json_quote(n.versions), json_quote(n.number));
  const RuleAlarm& a = r.alarm;
  return fmt::format(
      "{{\"id\": {}, \"title\": {}, \"pattern\": {}, \"source\": {}, "
      "\"metric\": {{\"namespace\": {}, \"name\": {}, \"value\": {}}}, \"cis\": [{}], \"security_hub\": {}, "
      "\"alarm\": {{\"statistic\": {}, \"comparison_operator\": {}, \"threshold\": {}, \"period\": {}, "
      "\"evaluation_periods\": {}, \"datapoints_to_alarm\": {}, \"treat_missing_data\": {}}}}}",
      json_quote(r.id), json_quote(r.title), json_quote(r.pattern), json_quote(r.source),
      json_quote(r.metric_namespace), json_quote(r.metric_name), json_quote(r.metric_value), cis,
      r.security_hub.empty() ? "null" : json_quote(r.security_hub), json_quote(a.statistic),
      json_quote(a.comparison_operator), a.threshold, a.period, a.evaluation_periods, a.datapoints_to_alarm,
      json_quote(a.treat_missing_data));
}

std::string json_finding(const PublishedTextFinding& f) {
  std::string evidence;
  for (const std::string& e : f.evidence) evidence += (evidence.empty() ? "" : ", ") + json_quote(e);
  return fmt::format(
      "{{\"defect\": {}, \"rule\": {}, \"source\": {}, \"pattern\": {}, \"summary\": {}, \"evidence\": [{}], "
      "\"error\": {}, \"confirmed\": {}}}",
      json_quote(f.defect), json_quote(f.rule_id), json_quote(f.source), json_quote(f.pattern),
      json_quote(f.summary), evidence, f.error.empty() ? "null" : json_quote(f.error), f.confirmed);
}

void write_json_document(std::ostream& out, bool lint, const std::vector<LintedFilter>& probe_lint) {
  out << "{\n  \"schema\": \"trailwatch.rules/1\",\n  \"rules\": [\n";
  const std::vector<BuiltinRule>& rules = builtin_rules();
  for (std::size_t i = 0; i < rules.size(); ++i)
    out << "    " << json_rule(rules[i]) << (i + 1 < rules.size() ? ",\n" : "\n");
  out << "  ]";
  if (lint) {
    out << ",\n  \"lint\": [\n";
    const std::vector<PublishedTextFinding> findings = lint_published_texts();
    for (std::size_t i = 0; i < findings.size(); ++i)
      out << "    " << json_finding(findings[i]) << (i + 1 < findings.size() ? ",\n" : "\n");
    out << "  ],\n  \"probe_lint\": [\n";
    write_probe_lint_json(out, probe_lint, "    ");
    out << "  ]";
  }
  out << "\n}\n";
}

}  // namespace

CLI::App* add_rules_command(CLI::App& app, RulesOptions& o) {
  CLI::App* rules = app.add_subcommand(
      "rules",
      "List the built-in rules: the CIS AWS Foundations Benchmark monitoring controls as metric filters, "
      "with\n"
      "their CIS numbers per benchmark version, Security Hub control, metric, default alarm and pattern.");
  CLI::Option* lint_flag = rules->add_flag(
      "--lint", o.lint,
      "Also show the known defects of published CIS texts, judged by evaluating them with "
      "trailwatch's pattern engine, and run every rule's pattern (and every --config filter) over "
      "the probe records of its rule, as audit judges a deployed filter");
  rules
      ->add_option(
          "--config", o.configs,
          "With --lint: JSON of 'aws logs describe-metric-filters' (repeatable); each filter is judged "
          "by the probes of the rule whose metric name it publishes, else of the rule it catches best")
      ->allow_extra_args(false)
      ->check(CLI::ExistingFile)
      ->needs(lint_flag)
      ->type_name("FILE");
  rules->add_option("--format", o.format, "Output format")
      ->capture_default_str()
      ->transform(CLI::IsMember({"table", "json"}, CLI::ignore_case));
  rules->footer(
      "Every rule counts 1 per matched event into namespace CloudTrailMetrics; its alarm is Sum >= 1 over "
      "300 s,\n"
      "1 of 1 period, missing data treated as missing. 'trailwatch scan --rule ID' runs one rule, '--rule "
      "cis'\n"
      "all of them.\n\n"
      "--format json (schema trailwatch.rules/1; \"lint\" only with --lint):\n"
      "  {\"schema\": \"trailwatch.rules/1\",\n"
      "   \"rules\": [{\"id\": \"unauthorized-api-calls\", \"title\": \"...\", \"pattern\": \"{ ... }\",\n"
      "              \"source\": \"the publication the pattern is copied from\",\n"
      "              \"metric\": {\"namespace\": \"CloudTrailMetrics\", \"name\": \"UnauthorizedAPICalls\", "
      "\"value\": \"1\"},\n"
      "              \"cis\": [{\"versions\": \"v1.2.0\", \"number\": \"3.1\"}, "
      "{\"versions\": \"v1.3.0-v5.0.0\", \"number\": \"4.1\"}, ...],\n"
      "              \"security_hub\": \"CloudWatch.2\" or null,\n"
      "              \"alarm\": {\"statistic\": \"Sum\", \"comparison_operator\": "
      "\"GreaterThanOrEqualToThreshold\", "
      "\"threshold\": 1,\n"
      "                        \"period\": 300, \"evaluation_periods\": 1, \"datapoints_to_alarm\": 1,\n"
      "                        \"treat_missing_data\": \"missing\"}}],\n"
      "   \"lint\": [{\"defect\": \"matches-almost-everything|or-and-precedence|rejected-by-parser\",\n"
      "              \"rule\": \"the built-in rule of the same control\", \"source\": \"CIS v1.4.0 4.1 (CLI "
      "step)\",\n"
      "              \"pattern\": \"the published text\", \"summary\": \"one line\", \"evidence\": [\"one "
      "line\", ...],\n"
      "              \"error\": \"the parser's message with a caret\" or null, \"confirmed\": true}],\n"
      "   \"probe_lint\": [{\"rule\": \"unauthorized-api-calls\" or null, \"filter\": \"the --config "
      "filter\" or null,\n"
      "                    \"log_group\": string or null, \"config\": \"the --config file\" or null,\n"
      "                    \"tie\": \"built-in|metric name|behaviour|none\", \"status\": "
      "\"PASS|WARN|FAIL|SKIPPED\",\n"
      "                    \"verdict\": \"equivalent|broader|narrower|unrelated|unparsable\" or null,\n"
      "                    \"missed\": [\"must-match probe\", ...], \"caught\": [\"look-alike\", ...],\n"
      "                    \"error\": string or null}]}\n\n"
      "--lint runs each rule's pattern, and each filter of --config, over the probe records of its rule "
      "with\n"
      "audit's judge: PASS equivalent, WARN broader (also catches a look-alike), FAIL misses a must-match "
      "probe\n"
      "(each named) or does not parse. A --config filter is tied to the rule whose metric name it publishes\n"
      "(as 'trailwatch rules' lists them), else to the rule whose must-match probes it catches best; "
      "SKIPPED\n"
      "when it catches none.\n\n"
      "Exit codes: 0 listed (lint findings, FAIL ones included, are information, not failures); 64 usage "
      "error.\n\n"
      "Examples:\n"
      "  trailwatch rules\n"
      "  trailwatch rules --lint\n"
      "  aws logs describe-metric-filters --output json > filters.json && trailwatch rules --lint --config "
      "filters.json\n"
      "  trailwatch rules --format json | jq -r '.rules[] | [.id, .metric.name] | @tsv'\n"
      "  trailwatch scan --rule root-account-usage --rule console-signin-without-mfa ~/AWSLogs");
  return rules;
}

std::vector<std::string> rule_ids() {
  std::vector<std::string> ids = {"cis"};
  for (const BuiltinRule& r : builtin_rules()) ids.emplace_back(r.id);
  return ids;
}

int run_rules(const RulesOptions& o) {
  std::vector<LintedFilter> probe_lint;
  try {
    if (o.lint) probe_lint = lint_with_probes(o.configs);
  } catch (const UsageError& e) {
    std::cerr << "trailwatch: " << e.message << '\n';
    return kExitUsage;
  }
  std::ostringstream text;
  if (o.format == "json") {
    write_json_document(text, o.lint, probe_lint);
  } else {
    write_rules_table(text);
    if (o.lint) {
      write_lint_table(text, lint_published_texts());
      write_probe_lint_table(text, probe_lint);
    }
  }
  std::cout << text.str() << std::flush;
  return kExitDone;
}

}  // namespace trailwatch::cli
