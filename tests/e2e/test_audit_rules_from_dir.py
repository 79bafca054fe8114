#!/usr/bin/env python3
"""`trailwatch audit --rule` over recorded export folders (--from-dir, no network): every built-in rule through
testdata/audit/cis-compliant (each rule's own published pattern, alarm and subscribed topic: all PASS) and
testdata/audit/cis-defects (CIS texts with known defects: v1.2.0 3.10, which misses ModifySecurityGroupRules, FAILs
naming it; v6.0.0 5.15, which no parser takes, FAILs as not judged; the other rules PASS) and cis-broader (v1.4.0
4.1's CLI step, broader, PASSes with a WARN; it matches nearly every event, so every other rule's events too). The folders were recorded from moto_server by record_audit_cis_folders.py."""
import csv
import io
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "testdata", "audit")


def audit(s, args, label):
    proc = s.run(["audit", "--format", "json"] + args, label=label)
    try:
        return proc.returncode, json.loads(proc.stdout.decode("utf-8"))
    except ValueError as e:
        s.check(False, "%s: one JSON document" % label, "%s\n%s" % (e, tail(proc.stderr)))
        return proc.returncode, None


def details(entry, check, status):
    return [f["detail"] for r in entry["regions"] for f in r["findings"] if f["check"] == check and
            f["status"] == status]


def main():
    s = Suite(__doc__)
    rules = [r["id"] for r in json.loads(s.run(["rules", "--format", "json"]).stdout.decode())["rules"]]
    s.equal(len(rules), 15, "the pack has 15 rules")

    code, doc = audit(s, ["--from-dir", os.path.join(TESTDATA, "cis-compliant"), "--rule", "cis"], "compliant")
    if doc is not None:
        s.equal(doc["schema"], "trailwatch.audit/2", "compliant: schema")
        s.equal([e["rule"] for e in doc["rules"]], rules, "compliant: every rule, in the pack's order")
        for e in doc["rules"]:
            s.equal(e["status"], "PASS", "compliant: %s PASS" % e["rule"])
            s.check(any("equivalent" in d for d in details(e, "metric-filter", "PASS")),
                    "compliant: %s's own pattern is equivalent" % e["rule"], json.dumps(e)[:1500])
        s.equal((doc["status"], code), ("PASS", 0), "compliant: account PASS, exit 0")

    code, doc = audit(s, ["--from-dir", os.path.join(TESTDATA, "cis-defects"), "--rule", "cis"], "defects")
    if doc is not None:
        by_rule = {e["rule"]: e for e in doc["rules"]}
        sg = by_rule["security-group-changes"]
        s.equal(sg["status"], "FAIL", "defects: CIS v1.2.0 3.10 FAILs")
        s.check(any("narrower than the rule: it misses ModifySecurityGroupRules" in d
                    for d in details(sg, "metric-filter", "FAIL")),
                "defects: the FAIL names the ModifySecurityGroupRules probe", json.dumps(sg)[:1500])
        # The root-usage filter catches the security-group changes root makes: it is another rule's filter, not a
        # narrower copy of this one, so it is neither reported as narrower nor the one the fix rewrites.
        s.check(not any("RootAccountUsage" in d for d in details(sg, "metric-filter", "FAIL")),
                "defects: another rule's filter is not called narrower", json.dumps(sg)[:1500])
        fixes = [line for r in sg["regions"] for line in r["remediation"]]
        s.check(fixes and all("--filter-name SecurityGroupChanges" in line for line in fixes
                              if "put-metric-filter" in line),
                "defects: the fix rewrites the rule's own filter", repr(fixes))
        org = by_rule["organizations-changes"]
        s.equal(org["status"], "FAIL", "defects: CIS v6.0.0 5.15 FAILs")
        s.check(any("was not judged" in d for d in details(org, "metric-filter", "WARN")),
                "defects: v6.0.0 5.15 was not judged (the parser rejects it)", json.dumps(org)[:1500])
        others = {r: e["status"] for r, e in by_rule.items()
                  if r not in ("security-group-changes", "organizations-changes")}
        s.equal(set(others.values()), {"PASS"}, "defects: the other rules PASS")
        s.equal((doc["status"], code), ("FAIL", 1), "defects: account FAIL, exit 1")

        # One rule of the same folder: trailwatch.audit/1, as before.
        code1, one = audit(s, ["--from-dir", os.path.join(TESTDATA, "cis-defects"), "--rule",
                               "security-group-changes"], "one rule")
        if one is not None:
            s.equal((one["schema"], one["rule"], one["status"], code1),
                    ("trailwatch.audit/1", "security-group-changes", "FAIL", 1), "one rule: audit/1")
            s.equal(one["regions"], sg["regions"], "one rule: the same regions as in audit/2")

        proc = s.run(["audit", "--format", "csv", "--from-dir", os.path.join(TESTDATA, "cis-defects"), "--rule",
                      "cis"], label="csv")
        rows = list(csv.reader(io.StringIO(proc.stdout.decode("utf-8"), newline="")))
        want = sum(max(1, len(r["findings"])) for e in doc["rules"] for r in e["regions"])
        s.equal(len(rows) - 1, want, "csv: one line per region, rule and finding")
        s.equal(rows[0][:3], ["account", "region", "rule"], "csv: header")

    code, doc = audit(s, ["--from-dir", os.path.join(TESTDATA, "cis-broader"), "--rule", "cis"], "broader")
    if doc is not None:
        by_rule = {e["rule"]: e for e in doc["rules"]}
        un = by_rule["unauthorized-api-calls"]
        s.check(any("broader than unauthorized-api-calls" in d and "RunInstances" in d
                    for d in details(un, "metric-filter", "WARN")),
                "broader: CIS v1.4.0 4.1's CLI step has a WARN naming what else it catches", json.dumps(un)[:1500])
        s.equal({e["status"] for e in doc["rules"]}, {"PASS"}, "broader: every rule PASS")
        s.equal((doc["status"], code), ("PASS", 0), "broader: account PASS, exit 0")

    # No --rule: the KMS rule, audit/1.
    code, doc = audit(s, ["--from-dir", os.path.join(TESTDATA, "cis-compliant")], "default rule")
    if doc is not None:
        s.equal((doc["schema"], doc["rule"], code), ("trailwatch.audit/1", "kms-cmk-disable-or-delete", 0),
                "default rule: audit/1 for the KMS rule")
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
