// The audit's two outputs: JSON (schema trailwatch.audit/1, DESIGN.md) and a table for people.
#include <fmt/format.h>

#include "trailwatch/audit.hpp"
#include "trailwatch/report.hpp"

namespace trailwatch::audit {

void write_audit_json(std::ostream& out, const AuditReport& report) {
  std::string s = "{\"schema\":\"trailwatch.audit/1\",\"account\":";
  if (report.account.empty())
    s += "null";
  else
    append_json_string(s, report.account);
  s += ",\"rule\":";
  append_json_string(s, kRuleId);
  s += fmt::format(",\"status\":\"{}\",\"regions\":[", to_string(report.status));
  bool first_region = true;
  for (const RegionAudit& r : report.regions) {
    if (!first_region) s += ',';
    first_region = false;
    s += "{\"region\":";
    append_json_string(s, r.region);
    s += fmt::format(",\"status\":\"{}\",\"findings\":[", to_string(r.status));
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
      const Finding& f = r.findings[i];
      if (i > 0) s += ',';
      s += "{\"check\":";
      append_json_string(s, f.check);
      s += fmt::format(",\"status\":\"{}\",\"detail\":", to_string(f.status));
      append_json_string(s, f.detail);
      s += ",\"resources\":[";
      for (std::size_t k = 0; k < f.resources.size(); ++k) {
        if (k > 0) s += ',';
        append_json_string(s, f.resources[k]);
      }
      s += "]}";
    }
    s += "],\"remediation\":[";
    for (std::size_t i = 0; i < r.remediation.size(); ++i) {
      if (i > 0) s += ',';
      append_json_string(s, r.remediation[i]);
    }
    s += "]}";
  }
  s += "]}\n";
  out << s;
}

void write_audit_table(std::ostream& out, const AuditReport& report) {
  std::string s =
      fmt::format("account   {}\nrule      {}\nstatus    {}\n",
                  report.account.empty() ? "unknown" : report.account, kRuleId, to_string(report.status));
  for (const RegionAudit& r : report.regions) {
    s += fmt::format("\n{:<16} {}\n", r.region, to_string(r.status));
    for (const Finding& f : r.findings)
      s += fmt::format("  {:<5} {:<25} {}\n", to_string(f.status), f.check, f.detail);
    if (!r.remediation.empty()) s += "  to fix:\n";
    for (const std::string& line : r.remediation) s += "    " + line + '\n';
  }
  std::size_t counts[5] = {};
  for (const RegionAudit& r : report.regions) ++counts[static_cast<int>(r.status)];
  s += fmt::format("\n{} region(s): {} PASS, {} FAIL, {} DELEGATED, {} SKIPPED, {} ERROR\n",
                   report.regions.size(), counts[0], counts[1], counts[2], counts[3], counts[4]);
  out << s;
}

}  // namespace trailwatch::audit
