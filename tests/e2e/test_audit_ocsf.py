#!/usr/bin/env python3
"""`trailwatch audit --format ocsf` (docs/ocsf.md) over every recorded export folder of testdata/audit (--from-dir,
no network): the default rule on each folder, every rule (--rule cis) on the CIS folders, and --all-regions where a
folder lists its regions. Every finding is checked against OCSF 1.5.0's attribute table (testdata/ocsf/, by
ocsf_check.py: required attributes present, types and enums right, class_uid/type_uid consistent) and against
the same run's --format json (one finding per region and rule, status_code = the region's status, sorted by
region then rule); the exit code is the json run's; -o writes the same findings; two runs differ only in their
times."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402
import ocsf_check  # noqa: E402

TIME_FIELDS = ("time", "time_dt")


def run(s, fmt, args, label):
    proc = s.run(["audit", "--format", fmt] + args, label=label)
    try:
        return proc.returncode, json.loads(proc.stdout.decode("utf-8"))
    except ValueError as e:
        s.check(False, "%s: --format %s gives one JSON document" % (label, fmt), "%s\n%s" % (e, tail(proc.stderr)))
        return proc.returncode, None


def without_times(findings):
    out = json.loads(json.dumps(findings))
    for f in out:
        for k in TIME_FIELDS:
            f.pop(k, None)
        for k in ("created_time", "created_time_dt"):
            f.get("finding_info", {}).pop(k, None)
    return out


def audit_both(s, table, args, label):
    code, findings = run(s, "ocsf", args, label + " (ocsf)")
    json_code, doc = run(s, "json", args, label + " (json)")
    if findings is None or doc is None:
        return None, None
    problems = ocsf_check.check_findings(findings, table) + ocsf_check.check_against_audit(findings, doc)
    s.check(not problems, "%s: %d finding(s) meet OCSF 1.5.0 and agree with the json" % (label, len(findings)),
            "\n".join(problems[:20]))
    s.equal(code, json_code, "%s: exit code as with --format json" % label)
    for f in findings:
        times = {f.get("time"), f.get("finding_info", {}).get("created_time")}
        if len(times) != 1:
            s.check(False, "%s: one run clock for every time" % label, repr(times))
            break
    return findings, doc


def main():
    s = Suite(__doc__)
    table = ocsf_check.load_table(s.source_dir)
    root = os.path.join(s.source_dir, "testdata", "audit")
    folders = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    s.check(len(folders) >= 20, "testdata/audit holds the recorded folders", repr(folders))
    for name in folders:
        folder = os.path.join(root, name)
        audit_both(s, table, ["--from-dir", folder], name)
        listing = any(os.path.isfile(os.path.join(folder, r, "ec2.DescribeRegions.json")) for r in os.listdir(folder))
        if listing:
            audit_both(s, table, ["--from-dir", folder, "--all-regions"], name + " --all-regions")

    for name in ("cis-compliant", "cis-defects", "cis-broader"):
        folder = os.path.join(root, name)
        findings, doc = audit_both(s, table, ["--from-dir", folder, "--rule", "cis"], name + " --rule cis")
        if findings is None:
            continue
        s.equal(len(findings), 15 * len(doc["rules"][0]["regions"]), "%s: one finding per rule and region" % name)
        again = run(s, "ocsf", ["--from-dir", folder, "--rule", "cis"], name + " again")[1]
        s.check(again is not None and without_times(again) == without_times(findings),
                "%s: a second run differs only in its times" % name)

    # The defect folder's failing rule: the finding names the rule, the probe it misses, the ARN, the fix.
    folder = os.path.join(root, "cis-defects")
    _, findings = run(s, "ocsf", ["--from-dir", folder, "--rule", "security-group-changes"], "defects, one rule")
    if findings:
        f = findings[0]
        s.equal((f["status_code"], f["metadata"]["event_code"], f["finding_info"]["analytic"]["uid"]),
                ("FAIL", "security-group-changes", "security-group-changes"), "defects: FAIL of the rule")
        s.check("ModifySecurityGroupRules" in f["status_detail"] and "ModifySecurityGroupRules" in f["message"],
                "defects: status_detail and message name the missed probe", f["status_detail"][:800])
        s.check(any(r["type"] == "AwsLogsLogGroup" and r["uid"].startswith("arn:aws:logs:") for r in f["resources"]),
                "defects: the log group's ARN is a resource", json.dumps(f["resources"]))
        s.check(any(ref.startswith("aws logs put-metric-filter") for ref in f["remediation"]["references"]),
                "defects: the remediation carries the aws CLI fix", json.dumps(f["remediation"]))
        s.equal(f["unmapped"]["findings"], [x for x in run(s, "json", ["--from-dir", folder, "--rule",
                                                                        "security-group-changes"], "json")[1]
                                            ["regions"][0]["findings"]],
                "defects: unmapped.findings are the json's findings")

    # -o: the same findings in a file, nothing on stdout.
    out = os.path.join(s.tmp, "findings.ocsf.json")
    proc = s.run(["audit", "--format", "ocsf", "--from-dir", os.path.join(root, "cis-defects"), "--rule", "cis", "-o",
                  out], label="-o")
    s.equal((proc.returncode, proc.stdout), (1, b""), "-o: exit 1 (a rule FAILs), nothing on stdout")
    if os.path.isfile(out):
        with open(out) as f:
            written = json.load(f)
        s.check(not ocsf_check.check_findings(written, table), "-o: the file holds valid findings")
    else:
        s.check(False, "-o writes the file", out)
    proc = s.run(["audit", "--format", "OCSF", "--from-dir", os.path.join(root, "compliant")], label="upper case")
    s.equal(proc.returncode, 0, "--format OCSF is accepted as ocsf (formats ignore case)")
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
