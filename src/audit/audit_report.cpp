// The audit's JSON (schema trailwatch.audit/1 for one rule, /2 for several: docs/design.md) and a table for
// people. CSV is audit_csv.cpp.
#include <fmt/format.h>

#include "trailwatch/audit.hpp"
#include "trailwatch/json_string.hpp"
#include "trailwatch/plural.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::audit {

namespace {

// A detail is one line (docs/design.md): line breaks and tabs that came with a name or an AWS error message
// become spaces. Other control characters are escaped by the JSON writer.
std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return out;
}

// For a terminal: names and messages come from the account (or a hand-written export), so control
// characters (C0, DEL and the UTF-8 encoded C1 range, which hold the escape sequences) are shown as '?'.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (c < 0x20 || c == 0x7f) {
      out += '?';
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      out += '?';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

// PASS green, WARN yellow, FAIL red, ERROR magenta; the rest (INFO, DELEGATED, SKIPPED) plain. `padded` is
// the status already padded to its column, so that colour does not move the columns.
std::string painted(std::string_view status, const std::string& padded, const TerminalStyle& style) {
  if (status == "PASS") return style.paint(padded, Tone::Good);
  if (status == "WARN") return style.paint(padded, Tone::Warning);
  if (status == "FAIL") return style.paint(padded, Tone::Alarm);
  if (status == "ERROR") return style.paint(padded, Tone::Error);
  return padded;
}

std::string_view only_rule(const AuditReport& report) {
  return report.rules.empty() ? default_rule().id : std::string_view(report.rules.front());
}

// The regions of `rule` as audit/1 writes them: "[{region...},...]".
void append_regions(std::string& s, const AuditReport& report, std::string_view rule) {
  s += '[';
  bool first_region = true;
  for (const RegionAudit& r : report.regions) {
    if (report.rules.size() > 1 && r.rule != rule) continue;
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
      append_json_string(s, one_line(f.detail));
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
  s += ']';
}

}  // namespace

void write_audit_json(std::ostream& out, const AuditReport& report) {
  const bool several = report.rules.size() > 1;
  std::string s = fmt::format("{{\"schema\":\"trailwatch.audit/{}\",\"account\":", several ? 2 : 1);
  if (report.account.empty())
    s += "null";
  else
    append_json_string(s, report.account);
  if (!several) {
    s += ",\"rule\":";
    append_json_string(s, only_rule(report));
    s += fmt::format(",\"status\":\"{}\",\"regions\":", to_string(report.status));
    append_regions(s, report, only_rule(report));
    out << s << "}\n";
    return;
  }
  s += fmt::format(",\"status\":\"{}\",\"rules\":[", to_string(report.status));
  for (std::size_t i = 0; i < report.rules.size(); ++i) {
    const std::string& rule = report.rules[i];
    std::vector<const RegionAudit*> regions;
    for (const RegionAudit& r : report.regions)
      if (r.rule == rule) regions.push_back(&r);
    if (i > 0) s += ',';
    s += "{\"rule\":";
    append_json_string(s, rule);
    s += fmt::format(",\"status\":\"{}\",\"regions\":", to_string(overall_status(regions)));
    append_regions(s, report, rule);
    s += '}';
  }
  out << s << "]}\n";
}

void write_audit_table(std::ostream& out, const AuditReport& report, const TerminalStyle& style) {
  const bool several = report.rules.size() > 1;
  auto status = [&](auto value) { return painted(to_string(value), std::string(to_string(value)), style); };
  std::string s = fmt::format("account   {}\n{}status    {}\n",
                              report.account.empty() ? "unknown" : printable(report.account),
                              several ? fmt::format("rules     {}\n", report.rules.size())
                                      : fmt::format("rule      {}\n", only_rule(report)),
                              status(report.status));
  for (const RegionAudit& r : report.regions) {
    if (several)
      s += fmt::format("\n{:<16} {:<28} {}\n", printable(r.region), r.rule, status(r.status));
    else
      s += fmt::format("\n{:<16} {}\n", printable(r.region), status(r.status));
    for (const Finding& f : r.findings)
      s += fmt::format("  {} {:<25} {}\n",
                       painted(to_string(f.status), fmt::format("{:<5}", to_string(f.status)), style),
                       f.check, printable(f.detail));
    if (!r.remediation.empty()) s += "  to fix:\n";
    for (const std::string& line : r.remediation) {
      s += "    ";
      s += printable(line);
      s += '\n';
    }
  }
  std::size_t counts[5] = {};
  for (const RegionAudit& r : report.regions) ++counts[static_cast<int>(r.status)];
  s += fmt::format("\n{}: {} PASS, {} FAIL, {} DELEGATED, {} SKIPPED, {} ERROR\n",
                   count_of(report.regions.size(), several ? "region and rule row" : "region"), counts[0],
                   counts[1], counts[2], counts[3], counts[4]);
  out << s;
}

}  // namespace trailwatch::audit
