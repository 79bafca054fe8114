// The audit as OCSF Detection Findings (OCSF 1.5.0, class_uid 2004), one per region and rule, shaped as
// Prowler's json-ocsf output so that the tools that ingest Prowler's findings ingest ours. Which attribute
// holds what, and why, is docs/ocsf.md; the schema's required attributes are checked by
// tests/e2e/ocsf_check.py against testdata/ocsf/.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "trailwatch/audit.hpp"
#include "trailwatch/json_string.hpp"
#include "trailwatch/rules.hpp"
#include "trailwatch/time.hpp"

namespace trailwatch::audit {

namespace {

// Enum values of the pinned schema (docs/ocsf.md lists their captions).
constexpr int kClassUid = 2004;     // Detection Finding
constexpr int kCategoryUid = 2;     // Findings
constexpr int kActivityCreate = 1;  // every run reports its findings afresh, as Prowler does
constexpr int kStatusNew = 1;
// Prowler rates each of its CloudWatch metric-filter checks (the same CIS controls) "medium", whatever the
// outcome: severity is the control's weight, status_code the verdict.
constexpr int kSeverityMedium = 3;
constexpr int kAnalyticRule = 1;
constexpr int kAccountTypeAws = 10;  // account.type_id "AWS Account"

void key(std::string& s, std::string_view name) {
  s += '"';
  s += name;
  s += "\":";
}

void string_field(std::string& s, std::string_view name, std::string_view value) {
  key(s, name);
  append_json_string(s, value);
  s += ',';
}

void int_field(std::string& s, std::string_view name, long long value) {
  key(s, name);
  s += fmt::format("{},", value);
}

void string_array(std::string& s, std::string_view name, const std::vector<std::string>& values) {
  key(s, name);
  s += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) s += ',';
    append_json_string(s, values[i]);
  }
  s += "],";
}

// Replaces the trailing comma an object's last field left with the closing brace.
void close(std::string& s) {
  if (!s.empty() && s.back() == ',') s.pop_back();
  s += '}';
}

// RFC 3339 with milliseconds, as the datetime profile's *_dt attributes are written.
std::string datetime(std::int64_t ms) {
  std::string text = format_utc_time(ms / 1000);
  text.pop_back();  // the 'Z'
  return fmt::format("{}.{:03}Z", text, ms % 1000);
}

// A resource named by one of the ARNs the findings carry.
struct Resource {
  std::string uid, name, type, service, partition, region;
};

// The Security Hub (ASFF) type names Prowler writes in resources[].type.
Resource resource_of(const std::string& arn) {
  Resource r{arn, arn, "Other", "", "", ""};
  std::vector<std::string> part;
  std::size_t from = 0;
  for (int i = 0; i < 5; ++i) {
    const std::size_t colon = arn.find(':', from);
    if (colon == std::string::npos) return r;
    part.push_back(arn.substr(from, colon - from));
    from = colon + 1;
  }
  if (part[0] != "arn") return r;
  std::string rest = arn.substr(from);
  r.partition = part[1];
  r.service = part[2];
  r.region = part[3];
  auto strip = [&rest](std::string_view prefix) {
    if (!rest.starts_with(prefix)) return false;
    rest.erase(0, prefix.size());
    return true;
  };
  if (r.service == "cloudtrail" && strip("trail/")) {
    r.type = "AwsCloudTrailTrail";
  } else if (r.service == "logs" && strip("log-group:")) {
    if (rest.ends_with(":*")) rest.resize(rest.size() - 2);
    r.type = "AwsLogsLogGroup";
  } else if (r.service == "cloudwatch" && strip("alarm:")) {
    r.type = "AwsCloudWatchAlarm";
  } else if (r.service == "sns") {
    r.type = "AwsSnsTopic";
  } else if (r.service == "iam" && strip("role/")) {
    rest.erase(0, rest.rfind('/') == std::string::npos ? 0 : rest.rfind('/') + 1);
    r.type = "AwsIamRole";
  }
  r.name = rest;
  return r;
}

// Every ARN the region's findings name, once, in the order they are first named; the account when none is.
std::vector<Resource> resources_of(const RegionAudit& r, const std::string& account) {
  std::vector<Resource> out;
  for (const Finding& f : r.findings)
    for (const std::string& arn : f.resources)
      if (std::none_of(out.begin(), out.end(), [&arn](const Resource& x) { return x.uid == arn; }))
        out.push_back(resource_of(arn));
  if (out.empty() && !account.empty())
    out.push_back(Resource{"AWS::::Account:" + account, account, "AwsAccount", "account", "aws", r.region});
  return out;
}

std::string finding_line(const Finding& f) {
  return fmt::format("{} {}: {}", to_string(f.status), f.check, f.detail);
}

// The one-line message: the verdict, and when it is not PASS the first finding that says why.
std::string message_of(const RegionAudit& r, const BuiltinRule& rule) {
  std::string text = fmt::format("{} ({}) in {}: {}", rule.title, rule.id, r.region, to_string(r.status));
  if (r.status == RegionStatus::Pass) return text;
  const auto why = std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& f) {
    return f.status == CheckStatus::Fail || f.status == CheckStatus::Error;
  });
  if (why != r.findings.end()) text += ": " + why->detail;
  return text;
}

std::string cis_text(const BuiltinRule& rule) {
  std::vector<std::string> numbers;
  for (const CisNumber& n : rule.cis) numbers.push_back(fmt::format("{} {}", n.versions, n.number));
  return fmt::format("CIS AWS Foundations Benchmark {}", fmt::join(numbers, ", "));
}

std::string desc_of(const BuiltinRule& rule) {
  return fmt::format(
      "Whole-chain audit of the CIS monitoring control \"{}\" ({}{}): a trail records the region's "
      "management "
      "events and sends them to CloudWatch Logs, a metric filter there catches the control's events (judged "
      "by running it over trailwatch's probe records), an alarm on its metric fires on one event and "
      "notifies "
      "an SNS topic with a confirmed subscription.",
      rule.title, cis_text(rule),
      rule.security_hub.empty() ? "" : fmt::format("; AWS Security Hub {}", rule.security_hub));
}

std::string remediation_desc(const RegionAudit& r, const BuiltinRule& rule) {
  if (r.remediation.empty())
    return fmt::format(
        "Keep the chain for \"{}\" whole: trail logging to CloudWatch Logs, the metric filter, an alarm with "
        "actions enabled and a confirmed SNS subscription.",
        rule.title);
  return fmt::format(
      "Run, in this order, the aws CLI commands in references (placeholders in <> are "
      "yours to fill): they mend each failing link of \"{}\" in {}.",
      rule.title, r.region);
}

std::vector<std::string> references_of(const RegionAudit& r, const BuiltinRule& rule) {
  std::vector<std::string> out = r.remediation;
  if (!rule.security_hub.empty()) {
    std::string anchor(rule.security_hub);
    std::transform(anchor.begin(), anchor.end(), anchor.begin(), [](char c) {
      return c == '.' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    out.push_back("https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#" +
                  anchor);
  }
  return out;
}

void append_finding(std::string& s, const AuditReport& report, const RegionAudit& r, const BuiltinRule& rule,
                    const OcsfRun& run) {
  const std::string time_dt = datetime(run.time_ms);
  const std::string account = report.account.empty() ? "unknown" : report.account;
  s += '{';
  string_field(s, "message", message_of(r, rule));
  // metadata
  key(s, "metadata");
  s += '{';
  string_field(s, "event_code", rule.id);
  key(s, "product");
  s += '{';
  string_field(s, "name", "trailwatch");
  string_field(s, "uid", "trailwatch");
  string_field(s, "vendor_name", "trailwatch");
  string_field(s, "version", run.product_version);
  close(s);
  s += ",\"profiles\":[\"cloud\",\"datetime\"],";
  string_field(s, "version", kOcsfVersion);
  close(s);
  s += ',';
  int_field(s, "severity_id", kSeverityMedium);
  string_field(s, "severity", "Medium");
  int_field(s, "status_id", kStatusNew);
  string_field(s, "status", "New");
  string_field(s, "status_code", to_string(r.status));
  std::vector<std::string> lines;
  for (const Finding& f : r.findings) lines.push_back(finding_line(f));
  string_field(s, "status_detail", fmt::format("{}", fmt::join(lines, "\n")));
  int_field(s, "activity_id", kActivityCreate);
  string_field(s, "activity_name", "Create");
  // finding_info
  key(s, "finding_info");
  s += '{';
  key(s, "analytic");
  s += '{';
  string_field(s, "uid", rule.id);
  string_field(s, "name", rule.title);
  int_field(s, "type_id", kAnalyticRule);
  string_field(s, "type", "Rule");
  close(s);
  s += ',';
  int_field(s, "created_time", run.time_ms);
  string_field(s, "created_time_dt", time_dt);
  string_field(s, "desc", desc_of(rule));
  string_field(s, "title", rule.title);
  string_array(s, "types",
               {"Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations "
                "Benchmark"});
  string_field(s, "uid", fmt::format("trailwatch-aws-{}-{}-{}", rule.id, account, r.region));
  close(s);
  s += ',';
  // resources
  const std::vector<Resource> resources = resources_of(r, report.account);
  if (!resources.empty()) {
    key(s, "resources");
    s += '[';
    for (std::size_t i = 0; i < resources.size(); ++i) {
      const Resource& x = resources[i];
      if (i > 0) s += ',';
      s += '{';
      if (!x.partition.empty()) string_field(s, "cloud_partition", x.partition);
      if (!x.region.empty()) string_field(s, "region", x.region);
      if (!x.service.empty()) {
        key(s, "group");
        s += '{';
        string_field(s, "name", x.service);
        close(s);
        s += ',';
      }
      string_field(s, "name", x.name);
      string_field(s, "type", x.type);
      string_field(s, "uid", x.uid);
      close(s);
    }
    s += "],";
  }
  string_field(s, "category_name", "Findings");
  int_field(s, "category_uid", kCategoryUid);
  string_field(s, "class_name", "Detection Finding");
  int_field(s, "class_uid", kClassUid);
  // cloud
  key(s, "cloud");
  s += '{';
  if (!report.account.empty()) {
    key(s, "account");
    s += '{';
    int_field(s, "type_id", kAccountTypeAws);
    string_field(s, "type", "AWS Account");
    string_field(s, "uid", report.account);
    close(s);
    s += ',';
  }
  string_field(s, "provider", "AWS");
  string_field(s, "region", r.region);
  close(s);
  s += ',';
  key(s, "remediation");
  s += '{';
  string_field(s, "desc", remediation_desc(r, rule));
  string_array(s, "references", references_of(r, rule));
  close(s);
  s += ',';
  string_field(s, "risk_details",
               fmt::format("Without a metric filter and alarm that reach someone, \"{}\" events in {} go "
                           "unnoticed: CIS and AWS Security Hub count the control as failed.",
                           rule.title, r.region));
  int_field(s, "time", run.time_ms);
  string_field(s, "time_dt", time_dt);
  int_field(s, "type_uid", kClassUid * 100 + kActivityCreate);
  string_field(s, "type_name", "Detection Finding: Create");
  // unmapped: what has no OCSF attribute, in trailwatch.audit's own spelling.
  key(s, "unmapped");
  s += '{';
  key(s, "compliance");
  s += '{';
  for (const CisNumber& n : rule.cis) {
    key(s, fmt::format("CIS-{}", n.versions));
    s += '[';
    append_json_string(s, n.number);
    s += "],";
  }
  if (!rule.security_hub.empty()) {
    key(s, "AWS-Security-Hub");
    s += '[';
    append_json_string(s, rule.security_hub);
    s += "],";
  }
  close(s);
  s += ",\"findings\":[";
  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    if (i > 0) s += ',';
    s += '{';
    string_field(s, "check", f.check);
    string_field(s, "status", to_string(f.status));
    string_field(s, "detail", f.detail);
    string_array(s, "resources", f.resources);
    close(s);
  }
  s += "],";
  string_field(s, "provider", "aws");
  string_field(s, "rule", rule.id);
  close(s);
  close(s);
}

}  // namespace

void write_audit_ocsf(std::ostream& out, const AuditReport& report, const OcsfRun& run) {
  // Rule order is the pack's (report.rules); a report without rules is of the default rule.
  auto rank = [&report](const RegionAudit& r) {
    const auto at = std::find(report.rules.begin(), report.rules.end(), r.rule);
    return at - report.rules.begin();
  };
  std::vector<const RegionAudit*> order;
  for (const RegionAudit& r : report.regions) order.push_back(&r);
  std::stable_sort(order.begin(), order.end(), [&rank](const RegionAudit* a, const RegionAudit* b) {
    if (a->region != b->region) return a->region < b->region;
    return rank(*a) < rank(*b);
  });
  std::string s = "[";
  bool first = true;
  for (const RegionAudit* r : order) {
    const BuiltinRule* rule = find_builtin_rule(r->rule);
    if (rule == nullptr) rule = &default_rule();
    s += first ? "\n" : ",\n";
    first = false;
    append_finding(s, report, *r, *rule, run);
  }
  out << s << (first ? "]\n" : "\n]\n");
}

}  // namespace trailwatch::audit
