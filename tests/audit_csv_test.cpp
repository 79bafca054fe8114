// Tests of `audit --format csv` (docs/audit.md "CSV output"): RFC 4180 quoting, one line per region, rule and
// finding, and cells a spreadsheet would run as formulas defused.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "trailwatch/audit.hpp"

namespace trailwatch::audit {
namespace {

std::string csv(const AuditReport& report) {
  std::ostringstream out;
  write_audit_csv(out, report);
  return out.str();
}

const char* kHeader =
    "account,region,rule,region_status,check,finding_status,detail,resources,remediation\r\n";

TEST(AuditCsv, OneLinePerRegionRuleAndFindingWithRfc4180Quoting) {
  RegionAudit fail{"us-east-1",
                   RegionStatus::Fail,
                   {Finding{"trail", CheckStatus::Pass, "trail main, \"logging\"", {"arn:a", "arn:b"}},
                    Finding{"metric-filter", CheckStatus::Fail, "misses X\nand Y", {}}},
                   {"aws one", "aws two"},
                   "vpc-changes"};
  RegionAudit skipped{"eu-west-3", RegionStatus::Skipped, {}, {}, "root-account-usage"};
  AuditReport report{
      "123456789012", RegionStatus::Fail, {fail, skipped}, {"root-account-usage", "vpc-changes"}};
  EXPECT_EQ(csv(report),
            std::string(kHeader) +
                "123456789012,us-east-1,vpc-changes,FAIL,trail,PASS,\"trail main, \"\"logging\"\"\","
                "arn:a arn:b,\"aws one\naws two\"\r\n"
                "123456789012,us-east-1,vpc-changes,FAIL,metric-filter,FAIL,\"misses X\nand Y\",,"
                "\"aws one\naws two\"\r\n"
                "123456789012,eu-west-3,root-account-usage,SKIPPED,,,,,\r\n");
}

TEST(AuditCsv, FormulaLikeCellsAreQuotedWithALeadingApostrophe) {
  RegionAudit r{"us-east-1",
                RegionStatus::Fail,
                {Finding{"alarm", CheckStatus::Fail, "=HYPERLINK(\"x\")", {"@SUM"}}},
                {},
                "vpc-changes"};
  const std::string out = csv(AuditReport{"", RegionStatus::Fail, {r}, {"vpc-changes"}});
  EXPECT_NE(out.find(",\"'=HYPERLINK(\"\"x\"\")\",\"'@SUM\","), std::string::npos) << out;
  EXPECT_EQ(out.rfind(kHeader, 0), 0u);
}

}  // namespace
}  // namespace trailwatch::audit
