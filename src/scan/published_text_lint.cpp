#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trailwatch/pattern.hpp"
#include "trailwatch/rule_lint.hpp"
#include "trailwatch/rules.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch {

namespace {

// The published texts with known defects, verbatim from docs/filter-patterns.md §8 (checked against the CIS
// documents as shipped in turbot/steampipe-mod-aws-compliance).
constexpr std::string_view kV14UnauthorizedCli =
    R"({ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") })";
constexpr std::string_view kV30Unauthorized =
    R"({ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") })";
constexpr std::string_view kV60Unauthorized =
    R"({ ($.errorCode="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") })";
// What the v3.0.0 text was meant to say: the exclusions apply whichever error code matched.
constexpr std::string_view kUnauthorizedAsMeant =
    R"({ (($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*")) && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") })";
constexpr std::string_view kV60Organizations =
    R"({ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) })";

// A record as the records layer would see it: a string value for each named top-level field, nothing else.
struct Field {
  std::string_view name;
  std::string_view value;
};
using Record = std::vector<Field>;

std::string describe(const Record& record) {
  std::string text;
  bool has_error_code = false;
  for (const Field& f : record) {
    text += std::string(text.empty() ? "" : ", ") + std::string(f.name) + "=" + std::string(f.value);
    has_error_code |= f.name == "errorCode";
  }
  return has_error_code ? text : text + ", errorCode absent";
}

// A record as JSON text: the values here are plain words, so only quotes and backslashes need escaping.
std::string to_json(const Record& record) {
  std::string json = "{";
  auto quoted = [&json](std::string_view text) {
    json += '"';
    for (char c : text) {
      if (c == '"' || c == '\\') json += '\\';
      json += c;
    }
    json += '"';
  };
  for (const Field& f : record) {
    if (json.size() > 1) json += ',';
    quoted(f.name);
    json += ':';
    quoted(f.value);
  }
  return json + "}";
}

// A published text as a one-rule plan, evaluated on records exactly as a scan evaluates them.
class Probe {
 public:
  explicit Probe(std::string_view text) : plan_(spec(text)), evaluator_(plan_) {}

  bool matches(const Record& record) const { return evaluator_.evaluate(to_json(record)).front().matched; }

 private:
  static ScanSpec spec(std::string_view text) {
    MetricTransformation metric;
    metric.name = "Lint";
    ScanSpec s;
    s.filters.push_back(MetricFilter{"lint", Pattern::parse(text), std::move(metric)});
    return s;
  }
  ScanPlan plan_;
  mutable EventEvaluator evaluator_;
};

PublishedTextFinding matches_almost_everything() {
  PublishedTextFinding f;
  f.defect = "matches-almost-everything";
  f.rule_id = "unauthorized-api-calls";
  f.source = "CIS v1.4.0 4.1 (CLI step)";
  f.pattern = kV14UnauthorizedCli;
  f.summary =
      "the exclusions are joined with ||, so any record whose sourceIPAddress is not "
      "delivery.logs.amazonaws.com "
      "or whose eventName is not HeadBucket matches: the alarm fires on nearly every API call";
  // Successful calls of the kinds that fill a CloudTrail archive.
  const std::vector<Record> ordinary = {
      {{"eventSource", "s3.amazonaws.com"}, {"eventName", "GetObject"}, {"sourceIPAddress", "203.0.113.10"}},
      {{"eventSource", "kms.amazonaws.com"},
       {"eventName", "Decrypt"},
       {"sourceIPAddress", "s3.amazonaws.com"}},
      {{"eventSource", "sts.amazonaws.com"},
       {"eventName", "AssumeRole"},
       {"sourceIPAddress", "lambda.amazonaws.com"}},
      {{"eventSource", "ec2.amazonaws.com"},
       {"eventName", "DescribeInstances"},
       {"sourceIPAddress", "10.0.1.17"}},
      {{"eventSource", "signin.amazonaws.com"},
       {"eventName", "ConsoleLogin"},
       {"sourceIPAddress", "198.51.100.7"}},
  };
  const Record log_delivery = {{"eventSource", "s3.amazonaws.com"},
                               {"eventName", "HeadBucket"},
                               {"sourceIPAddress", "delivery.logs.amazonaws.com"}};
  try {
    const Probe published(f.pattern);
    const Probe pack(find_builtin_rule(f.rule_id)->pattern);
    std::size_t matched = 0;
    std::size_t pack_matched = 0;
    for (const Record& r : ordinary) {
      const bool m = published.matches(r);
      matched += m;
      pack_matched += pack.matches(r);
      f.evidence.push_back(std::string(m ? "matches: " : "does not match: ") + describe(r));
    }
    const bool delivery_matches = published.matches(log_delivery);
    f.evidence.push_back(std::string(delivery_matches ? "matches: " : "does not match: ") +
                         describe(log_delivery) +
                         ": only HeadBucket from delivery.logs.amazonaws.com fails both != clauses");
    f.evidence.push_back(std::to_string(matched) + " of " + std::to_string(ordinary.size()) +
                         " ordinary successful calls match; the pack's " + f.rule_id + " text matches " +
                         std::to_string(pack_matched) + " of them");
    f.confirmed = matched == ordinary.size() && pack_matched == 0 && !delivery_matches;
  } catch (const PatternError& e) {
    f.error = e.caret_message();
    f.evidence.push_back("the text no longer parses, so the defect cannot be shown");
  }
  return f;
}

PublishedTextFinding or_and_precedence() {
  PublishedTextFinding f;
  f.defect = "or-and-precedence";
  f.rule_id = "unauthorized-api-calls";
  f.source = "CIS v3.0.0 4.1 and v6.0.0 5.1";
  f.pattern = kV30Unauthorized;
  f.summary =
      "A || B && C && D parses as A || (B && C && D) (&& binds tighter), so the delivery.logs.amazonaws.com "
      "and "
      "HeadBucket exclusions guard only the AccessDenied* branch, not *UnauthorizedOperation";
  const Record unauthorized = {{"errorCode", "Client.UnauthorizedOperation"},
                               {"eventName", "HeadBucket"},
                               {"sourceIPAddress", "delivery.logs.amazonaws.com"}};
  const Record denied = {{"errorCode", "AccessDenied"},
                         {"eventName", "HeadBucket"},
                         {"sourceIPAddress", "delivery.logs.amazonaws.com"}};
  try {
    const Probe as_meant(kUnauthorizedAsMeant);
    const bool meant_excludes = !as_meant.matches(unauthorized) && !as_meant.matches(denied);
    bool confirmed = meant_excludes;
    for (const auto& [version, text] :
         {std::pair{"v3.0.0 4.1", kV30Unauthorized}, {"v6.0.0 5.1", kV60Unauthorized}}) {
      const Probe published(text);
      const bool through = published.matches(unauthorized);
      const bool guarded = !published.matches(denied);
      f.evidence.push_back(std::string(version) + (through ? " matches " : " does not match ") +
                           describe(unauthorized) +
                           (through ? ", although it is HeadBucket from delivery.logs.amazonaws.com" : ""));
      f.evidence.push_back(std::string(version) + (guarded ? " does not match " : " matches ") +
                           describe(denied) +
                           (guarded ? ": the exclusions work on the AccessDenied* branch only" : ""));
      confirmed = confirmed && through && guarded;
    }
    f.evidence.push_back(std::string("with the error codes parenthesised, { ((A) || (B)) && C && D }, ") +
                         (meant_excludes ? "neither record matches" : "a record still matches"));
    f.confirmed = confirmed;
  } catch (const PatternError& e) {
    f.error = e.caret_message();
    f.evidence.push_back("the text no longer parses, so the defect cannot be shown");
  }
  return f;
}

PublishedTextFinding rejected_by_parser() {
  PublishedTextFinding f;
  f.defect = "rejected-by-parser";
  f.rule_id = "organizations-changes";
  f.source = "CIS v6.0.0 5.15";
  f.pattern = kV60Organizations;
  f.summary =
      "($.eventName = AcceptHandshake\") lacks its opening quote; the pattern does not parse, so the metric "
      "filter cannot be created as published (the pack uses the v1.4.0 4.15 text)";
  try {
    const Probe published(f.pattern);
    // The engine accepted it: say what the text now means instead of claiming the defect.
    const Record handshake = {{"eventSource", "organizations.amazonaws.com"},
                              {"eventName", "AcceptHandshake"}};
    f.evidence.push_back(std::string("the text parses; ") +
                         (published.matches(handshake) ? "matches " : "does not match ") +
                         describe(handshake));
  } catch (const PatternError& e) {
    f.error = e.caret_message();
    // The defect is the stray quote: an error anywhere else would be a different problem.
    const std::size_t quote =
        f.pattern.find("AcceptHandshake\")") + std::string_view("AcceptHandshake").size();
    f.confirmed = e.column() == quote;
    f.evidence.push_back(f.confirmed
                             ? "the parser rejects it at the stray quote after AcceptHandshake"
                             : "the parser rejects it, but not at the stray quote: " + std::string(e.what()));
  }
  return f;
}

}  // namespace

std::vector<PublishedTextFinding> lint_published_texts() {
  std::vector<PublishedTextFinding> findings;
  for (PublishedTextFinding (*check)() : {matches_almost_everything, or_and_precedence, rejected_by_parser}) {
    try {
      findings.push_back(check());
    } catch (const std::exception& e) {
      // Only allocation can fail here; a lint that cannot run says so rather than ending the command.
      PublishedTextFinding failed;
      failed.defect = "lint-failed";
      failed.summary = e.what();
      findings.push_back(std::move(failed));
    }
  }
  return findings;
}

}  // namespace trailwatch
