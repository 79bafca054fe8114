// Audit layer: checks a live account (or an export of one) for built-in CIS monitoring rules (by default
// "CMK disabled or scheduled for deletion"), region by region and rule by rule, along the whole chain: trail
// -> CloudWatch Logs delivery -> metric filter -> alarm -> SNS notification. It reads AWS only through
// aws::ApiSource (trailwatch/aws.hpp) and judges a metric filter by running its pattern over the rule's probe
// records (trailwatch/rule_probes.hpp), never by comparing text. This header is what a caller needs: the
// request and report, run_audit, the export-folder sources and the writers.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trailwatch/aws.hpp"
#include "trailwatch/terminal_style.hpp"

namespace trailwatch::audit {

// ---- the audit --------------------------------------------------------------------------------------------

/// Error: the check could not be made (a call failed: access denied, a network failure); its region is ERROR.
enum class CheckStatus : std::uint8_t { Pass, Fail, Warn, Info, Error };
enum class RegionStatus : std::uint8_t { Pass, Fail, Delegated, Skipped, Error };
std::string_view to_string(CheckStatus s);
std::string_view to_string(RegionStatus s);

struct Finding {
  std::string check;  // trail | cloudwatch-logs-delivery | metric-filter | alarm | notification
  CheckStatus status = CheckStatus::Info;
  std::string detail;  // one line
  std::vector<std::string> resources;
};

struct RegionAudit {
  std::string region;
  RegionStatus status = RegionStatus::Fail;
  std::vector<Finding> findings;
  std::vector<std::string> remediation;  // aws CLI lines, one per failing link
  std::string rule = {};                 // the built-in rule audited
};

struct AuditReport {
  std::string account;                       // empty when no region could tell
  RegionStatus status = RegionStatus::Fail;  // Pass, Fail or Error (Error when some region is)
  std::vector<RegionAudit> regions;          // per region, per rule (in `rules` order)
  std::vector<std::string> rules = {};       // the rules audited, in the pack's order
};
/// The status of a set of region audits: ERROR if any is, else FAIL if any is, else PASS.
RegionStatus overall_status(const std::vector<const RegionAudit*>& regions);

struct AuditRequest {
  std::vector<std::string> regions;  // audited in this order (duplicates dropped)
  bool all_regions = false;          // instead: every region ec2 DescribeRegions lists in listing_region
  std::string listing_region = "us-east-1";
  std::int64_t now = 0;  // Unix seconds; a CloudWatch Logs delivery older than a day is stale
  /// Built-in rule ids, "cis" for all (trailwatch/rules.hpp select_builtin_rules); empty: the default rule.
  /// All rules share one set of API calls per region.
  std::vector<std::string> rules = {};
};

/// Audits every requested region through `source`, which is used only during the call. An ApiError in a
/// region makes that region ERROR (with the permission it needed when access was denied); other regions are
/// still audited. Never throws ApiError; throws std::invalid_argument for a rule id that is not built in.
AuditReport run_audit(aws::ApiSource& source, const AuditRequest& request);

// ---- export folders (--save-dir / --from-dir) -------------------------------------------------------------
// One file per call, DIR/<region>/<service>.<Operation>[.<resource>].json, holding the body as the AWS CLI
// prints it with --output json.

/// The regions a folder holds an audit of: its subdirectories with a cloudtrail.DescribeTrails.json (a
/// subdirectory with only logs/cloudwatch/sns files was visited for a chain that crosses regions), sorted.
std::vector<std::string> exported_regions(const std::string& dir);

/// The first region subdirectory (sorted) holding ec2.DescribeRegions.json, or empty.
std::string exported_listing_region(const std::string& dir);

/// Answers calls from a folder; keeps only its path. A call whose file is missing throws
/// ApiError("NotInExport") naming the path; an unreadable file throws ApiError("ExportUnreadable").
class FromDirSource : public aws::ApiSource {
 public:
  explicit FromDirSource(std::string dir) : dir_(std::move(dir)) {}
  std::string fetch(const aws::ApiCall& call) override;

 private:
  std::string dir_;
};

/// Forwards every call to `inner` (which must outlive this source) and writes each successful body to its
/// file in `dir`, creating directories, atomically (temporary file, then rename). A write failure throws
/// ApiError("SaveFailed").
class SaveDirSource : public aws::ApiSource {
 public:
  SaveDirSource(aws::ApiSource& inner, std::string dir) : inner_(inner), dir_(std::move(dir)) {}
  std::string fetch(const aws::ApiCall& call) override;

 private:
  aws::ApiSource& inner_;
  std::string dir_;
};

// ---- the writers ------------------------------------------------------------------------------------------

/// JSON, one document and a newline: schema trailwatch.audit/1 for one rule, trailwatch.audit/2 (the regions
/// grouped by rule) for several (docs/design.md "JSON output of `audit`").
void write_audit_json(std::ostream& out, const AuditReport& report);
/// A table per region and rule: status, findings, remediation. `style` colours PASS green, WARN yellow, FAIL
/// red and ERROR magenta; the default writes no escape.
void write_audit_table(std::ostream& out, const AuditReport& report, const TerminalStyle& style = {});
/// CSV (RFC 4180, CRLF line ends), a header then one line per region, rule and finding (docs/audit.md).
void write_audit_csv(std::ostream& out, const AuditReport& report);

/// The OCSF version `write_audit_ocsf` writes (metadata.version): the one Prowler's json-ocsf output pins.
inline constexpr std::string_view kOcsfVersion = "1.5.0";

/// What every OCSF finding of one run says about the run itself.
struct OcsfRun {
  std::int64_t time_ms = 0;     // the run's one clock reading, Unix milliseconds (time, created_time)
  std::string product_version;  // trailwatch's version (metadata.product.version)
};
/// OCSF Detection Findings (class_uid 2004): a JSON array, one finding per line, one per region and rule,
/// sorted by region then rule (the pack's order), then a newline. The field mapping is docs/ocsf.md.
void write_audit_ocsf(std::ostream& out, const AuditReport& report, const OcsfRun& run);

}  // namespace trailwatch::audit
