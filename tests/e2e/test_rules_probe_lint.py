#!/usr/bin/env python3
"""`trailwatch rules --lint` runs the probe records of each rule, as `audit` does (docs/audit.md "Linting filters
with the probes"): every built-in pattern PASSes; every CIS text of every shipped benchmark version
(docs/filter-patterns.md §8, read from the table, with Security Hub's own texts and v6.0.0 5.15 as shipped) given
in a --config export lints as the audit judges it: PASS where correct, FAIL naming the probe where a defect misses
an event, WARN where only broader; tied to its rule by metric name, and without one by behaviour; the recorded
export folders lint as they audit; --config errors are usage errors."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402

CONTROLS = {
    "Unauthorized API calls": "unauthorized-api-calls",
    "Console sign-in without MFA": "console-signin-without-mfa",
    "Root account usage": "root-account-usage",
    "IAM policy changes": "iam-policy-changes",
    "CloudTrail configuration changes": "cloudtrail-config-changes",
    "Console authentication failures": "console-auth-failures",
    "CMK disable / scheduled deletion": "kms-cmk-disable-or-delete",
    "S3 bucket policy changes": "s3-bucket-policy-changes",
    "AWS Config changes": "aws-config-changes",
    "Security group changes": "security-group-changes",
    "NACL changes": "nacl-changes",
    "Network gateway changes": "network-gateway-changes",
    "Route table changes": "route-table-changes",
    "VPC changes": "vpc-changes",
    "AWS Organizations changes": "organizations-changes",
}
# CIS v6.0.0 5.15 as shipped, with its missing quote: the same text the recorded folders hold.
from record_audit_cis_folders import V6_ORGANIZATIONS  # noqa: E402
# The texts whose verdict is not PASS, by (CIS numbers cell of §8, index of the text in its cell): the status and a
# must-match probe the FAIL names. Every other text must PASS.
NOT_PASS = {
    ("4.1 (v1.4 CLI step)", 0): ("WARN", None),  # exclusions joined with ||: nearly every event
    ("4.2 alternative (v3.0, excludes SSO logins)", 0): ("FAIL", "ConsoleLogin by root without MFA"),
    ("3.10 / 4.10", 0): ("FAIL", "ModifySecurityGroupRules by an assumed role"),
    ("v6.0.0 5.15 as shipped", 0): ("FAIL", None),  # does not parse
}


def published_texts(source_dir):
    """(rule id, CIS numbers cell, index, text) of every pattern in the §8 table, verbatim."""
    path = os.path.join(source_dir, "docs", "filter-patterns.md")
    section = open(path, encoding="utf-8").read().split("## 8.")[1].split("\n## 9.")[0]
    out, control = [], None
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| control") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        control = CONTROLS[cells[0]] if cells[0] else control
        texts = [t.replace("\\|", "|") for t in re.findall(r"`(\{.*?\})`", cells[2])]
        for i, text in enumerate(texts):
            out.append((control, cells[1], i, text))
    # Security Hub's texts that differ from the CIS ones by more than spacing (listed under the table).
    hub = {"1": "root-account-usage", "2": "unauthorized-api-calls", "7": "kms-cmk-disable-or-delete"}
    for number, text in re.findall(r"^- CloudWatch\.(\d+) is `(\{.*\})`", section, re.M):
        out.append((hub[number], "Security Hub CloudWatch." + number, 0, text))
    out.append(("organizations-changes", "v6.0.0 5.15 as shipped", 0, V6_ORGANIZATIONS))
    return out


def export(path, filters):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"metricFilters": [{"filterName": name, "logGroupName": "CloudTrail/management",
                                      "filterPattern": pattern, "creationTime": 1700000000000,
                                      "metricTransformations": [{"metricName": metric, "metricNamespace":
                                                                 "CloudTrailMetrics", "metricValue": "1"}]}
                                     for name, metric, pattern in filters]}, f)


def lint_json(s, args, label):
    return s.run_json(["rules", "--lint", "--format", "json"] + args, label)


def main():
    s = Suite(__doc__)
    code, doc = lint_json(s, [], "built-in")
    if doc is None:
        return s.finish()
    rules = {r["id"]: r["metric"]["name"] for r in doc["rules"]}
    built_in = doc.get("probe_lint", [])
    s.equal([(e["rule"], e["tie"], e["status"], e["verdict"], e["missed"], e["caught"], e["config"])
             for e in built_in],
            [(r, "built-in", "PASS", "equivalent", [], [], None) for r in rules],
            "every built-in rule's own pattern PASSes over its probes")
    s.equal(code, 0, "built-in: exit 0")

    texts = published_texts(s.source_dir)
    s.check(len(texts) >= 24 and {t[0] for t in texts} == set(rules),
            "§8 gives the published texts of every control (%d texts)" % len(texts), repr(texts[:3]))

    for how in ("metric name", "behaviour"):
        path = os.path.join(s.tmp, "filters-%s.json" % how.replace(" ", "-"))
        export(path, [("cis-%d" % n, rules[rule] if how == "metric name" else "cis-metric-%d" % n, text)
                      for n, (rule, _, _, text) in enumerate(texts)])
        code, doc = lint_json(s, ["--config", path], "published texts, tied by " + how)
        if doc is None:
            continue
        s.equal(code, 0, "%s: exit 0 (lint findings are information)" % how)
        by_filter = {e["filter"]: e for e in doc["probe_lint"] if e["config"] == path}
        s.equal(len(by_filter), len(texts), "%s: one entry per configured filter" % how)
        for n, (rule, cell, i, text) in enumerate(texts):
            e = by_filter.get("cis-%d" % n, {})
            status, probe = NOT_PASS.get((cell, i), ("PASS", None))
            label = "%s: %s %s text %d" % (how, rule, cell, i)
            if how == "behaviour" and (cell, i) == ("v6.0.0 5.15 as shipped", 0):
                # No metric name and no behaviour: nothing ties it to a rule.
                s.check(e.get("tie") == "none" and e.get("status") == "WARN" and e.get("rule") is None and
                        "invalid filter pattern" in (e.get("error") or ""),
                        label + ": tied to no rule, WARN with the parser's message", json.dumps(e))
                continue
            s.equal((e.get("rule"), e.get("tie"), e.get("status")), (rule, how, status), label)
            if status == "FAIL" and probe:
                s.check(probe in e.get("missed", []), label + ": the FAIL names the probe " + probe, json.dumps(e))
            if status == "FAIL" and not probe:
                s.check(e.get("verdict") == "unparsable" and "invalid filter pattern" in (e.get("error") or ""),
                        label + ": FAIL as unparsable, with the parser's message", json.dumps(e))
            if status == "WARN":
                s.check(not e.get("missed") and e.get("caught"), label + ": WARN names the look-alikes it catches",
                        json.dumps(e))
            if status == "PASS":
                s.check(not e.get("missed") and not e.get("caught"), label + ": nothing missed or caught",
                        json.dumps(e))

    # A defective config in the table: the FAIL line and one line per missed probe, the note for broader.
    path = os.path.join(s.tmp, "defective.json")
    export(path, [("NoMfaSignIn", rules["console-signin-without-mfa"],
                   '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
                   '($.userIdentity.type = "IAMUser") }'),
                  ("AnyConsoleLogin", "SignIns", '{ $.eventName = "ConsoleLogin" }'),
                  ("Downloads", "Downloads", '{ $.eventName = "GetObject" }')])
    proc = s.run(["rules", "--lint", "--config", path], label="defective config, table")
    if proc is not None:
        out = proc.stdout.decode("utf-8", "replace")
        s.equal(proc.returncode, 0, "defective config: exit 0")
        s.check(re.search(r"\nFAIL +console-signin-without-mfa +filter NoMfaSignIn on log group "
                          r"CloudTrail/management \(.*defective\.json, tied by metric name\): narrower\n"
                          r" +misses ConsoleLogin by root without MFA\n", out) is not None,
                "defective config: FAIL, then the missed probe by name", tail(out, 3000))
        s.check(re.search(r"\nWARN +console-signin-without-mfa +filter AnyConsoleLogin .*tied by behaviour\): broader\n"
                          r" +note: broader, it also catches .*ConsoleLogin", out) is not None,
                "defective config: a broader filter is a WARN with a note", tail(out, 3000))
        s.check(re.search(r"\nSKIPPED +- +filter Downloads .*: stands for no built-in rule", out) is not None,
                "defective config: a filter of no rule is SKIPPED", tail(out, 3000))

    # The recorded folders lint as they audit: a rule FAILs in one exactly when it FAILs in the other.
    for folder in ("cis-compliant", "cis-defects", "cis-broader"):
        root = os.path.join(s.source_dir, "testdata", "audit", folder)
        code, lint = lint_json(s, ["--config", os.path.join(root, "us-east-1", "logs.DescribeMetricFilters.json")],
                               folder + " lint")
        proc = s.run(["audit", "--format", "json", "--rule", "cis", "--from-dir", root], label=folder + " audit")
        if lint is None or proc is None:
            continue
        audit = {e["rule"]: e for e in json.loads(proc.stdout.decode("utf-8"))["rules"]}
        linted = {e["rule"]: e for e in lint["probe_lint"] if e["config"] and e["tie"] == "metric name"}
        s.equal(set(linted), set(audit), "%s: every rule's filter is tied by its metric name" % folder)
        for rule, e in sorted(linted.items()):
            s.equal(e["status"] == "FAIL", audit[rule]["status"] == "FAIL", "%s: %s FAILs in lint as in audit" %
                    (folder, rule))
            if e["status"] == "WARN":
                s.check(any(f["status"] == "WARN" and "broader than " + rule in f["detail"]
                            for r in audit[rule]["regions"] for f in r["findings"]),
                        "%s: %s is broader in lint and in audit" % (folder, rule), json.dumps(audit[rule])[:1500])

    # Usage errors.
    bad = os.path.join(s.tmp, "not-an-export.json")
    with open(bad, "w") as f:
        f.write("[1, 2]")
    for args, label in ((["rules", "--config", path], "--config without --lint"),
                        (["rules", "--lint", "--config", bad], "--config that is not an export"),
                        (["rules", "--lint", "--config", os.path.join(s.tmp, "absent.json")], "--config missing")):
        proc = s.run(args, label=label)
        if proc is not None:
            s.check(proc.returncode == 64 and proc.stderr, label + ": usage error, exit 64, said on stderr",
                    "exit %d\n%s" % (proc.returncode, tail(proc.stderr)))
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
