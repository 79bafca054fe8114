// The audit as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes
// doubled), one line per region, rule and finding, for spreadsheets and SIEM imports (docs/audit.md).
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/audit.hpp"

namespace trailwatch::audit {

namespace {

// `value` as one CSV field.
std::string field(std::string_view value) {
  std::string line;
  // A cell a spreadsheet would read as a formula is prefixed with a quote (values come from the account).
  const bool formula = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                                          value[0] == '@' || value[0] == '\t' || value[0] == '\r');
  const bool quote = formula || value.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) return std::string(value);
  line += '"';
  if (formula) line += '\'';
  for (char c : value) {
    if (c == '"') line += '"';
    line += c;
  }
  return line + '"';
}

std::string row(std::initializer_list<std::string_view> values) {
  std::string line;
  bool first = true;
  for (std::string_view v : values) {
    if (!first) line += ',';
    first = false;
    line += field(v);
  }
  return line + "\r\n";
}

}  // namespace

void write_audit_csv(std::ostream& out, const AuditReport& report) {
  std::string s = "account,region,rule,region_status,check,finding_status,detail,resources,remediation\r\n";
  for (const RegionAudit& r : report.regions) {
    std::string remediation;
    for (const std::string& line : r.remediation) remediation += (remediation.empty() ? "" : "\n") + line;
    // A region without findings still gets its line, so every region and rule appears.
    std::vector<Finding> none = {Finding{"", CheckStatus::Info, "", {}}};
    const std::vector<Finding>& findings = r.findings.empty() ? none : r.findings;
    for (const Finding& f : findings) {
      std::string resources;
      for (const std::string& x : f.resources) resources += (resources.empty() ? "" : " ") + x;
      s +=
          row({report.account, r.region, r.rule, to_string(r.status), f.check,
               f.check.empty() ? std::string_view() : to_string(f.status), f.detail, resources, remediation});
    }
  }
  out << s;
}

}  // namespace trailwatch::audit
