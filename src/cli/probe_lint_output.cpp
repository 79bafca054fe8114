#include "cli/probe_lint_output.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "cli/usage_error.hpp"
#include "trailwatch/json_string.hpp"

namespace trailwatch::cli {

namespace {

std::string json_or_null(std::string_view text) {
  return text.empty() ? "null" : json_quote(text);
}

std::string json_list(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + json_quote(i);
  return "[" + out + "]";
}

// "filter SecurityGroupChanges on log group CloudTrail/management (filters.json, tied by metric name)"
std::string what_was_linted(const LintedFilter& l) {
  const ProbeLint& p = l.lint;
  if (p.tie == RuleTie::Builtin) return "built-in pattern";
  std::string text = "filter " + p.filter;
  if (!p.log_group.empty()) text += " on log group " + p.log_group;
  text += " (" + l.config;
  if (p.tie != RuleTie::None) text += ", tied by " + std::string(to_string(p.tie));
  return text + ")";
}

}  // namespace

std::vector<LintedFilter> lint_with_probes(const std::vector<std::string>& configs) {
  std::vector<LintedFilter> out;
  for (const BuiltinRule& rule : builtin_rules()) out.push_back({lint_builtin_rule(rule), {}});
  for (const std::string& path : configs) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError{"--config: cannot open " + path};
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    AccountConfig config;
    try {
      load_account_config(text, config);
    } catch (const std::runtime_error& e) {
      throw UsageError{"--config " + path + ": " + e.what()};
    }
    for (const ConfiguredFilter& f : config.filters) out.push_back({lint_configured_filter(f), path});
  }
  return out;
}

void write_probe_lint_table(std::ostream& out, const std::vector<LintedFilter>& lints) {
  out << "\nFilters run over the probe records of their rule, judged as `trailwatch audit` judges a deployed "
         "filter\n(docs/audit.md \"Probe records\"):\n\n";
  std::size_t rule_width = 1;
  for (const LintedFilter& l : lints) rule_width = std::max(rule_width, l.lint.rule_id.size());
  for (const LintedFilter& l : lints) {
    const ProbeLint& p = l.lint;
    std::string verdict =
        p.tie == RuleTie::None
            ? (p.error.empty() ? "stands for no built-in rule: it catches none of any rule's "
                                 "must-match probes"
                               : "not linted: its pattern does not parse")
            : p.verdict;
    out << fmt::format("{:<7}  {:<{}}  {}: {}\n", to_string(p.status), p.rule_id.empty() ? "-" : p.rule_id,
                       rule_width, what_was_linted(l), verdict);
    for (const std::string& m : p.missed) out << "           misses " << m << '\n';
    if (!p.caught.empty()) out << "           note: broader, it also catches " << p.caught_summary << '\n';
    if (!p.error.empty()) {
      std::string_view rest = p.error;
      while (!rest.empty()) {
        const std::size_t end = std::min(rest.find('\n'), rest.size());
        out << "           " << rest.substr(0, end) << '\n';
        rest.remove_prefix(std::min(end + 1, rest.size()));
      }
    }
  }
}

void write_probe_lint_json(std::ostream& out, const std::vector<LintedFilter>& lints,
                           const std::string& indent) {
  for (std::size_t i = 0; i < lints.size(); ++i) {
    const ProbeLint& p = lints[i].lint;
    out << indent
        << fmt::format(
               "{{\"rule\": {}, \"filter\": {}, \"log_group\": {}, \"config\": {}, \"tie\": {}, \"status\": "
               "{}, "
               "\"verdict\": {}, \"missed\": {}, \"caught\": {}, \"error\": {}}}",
               json_or_null(p.rule_id), json_or_null(p.filter), json_or_null(p.log_group),
               json_or_null(lints[i].config), json_quote(to_string(p.tie)), json_quote(to_string(p.status)),
               json_or_null(p.verdict), json_list(p.missed), json_list(p.caught), json_or_null(p.error))
        << (i + 1 < lints.size() ? ",\n" : "\n");
  }
}

}  // namespace trailwatch::cli
