#!/usr/bin/env python3
"""`trailwatch audit --rule` for several CIS rules in one run, against moto_server on 127.0.0.1 (docs/audit.md
"Audit of several rules"). One account holds a filter and an alarm per rule; scenarios: every rule compliant, each
filter narrower than its rule (the finding names the probe it misses), each alarm unable to fire (threshold 2), and a
broader filter (PASS with a WARN). Each live run is saved with --save-dir and audited again with --from-dir, which must
give the same report. The API calls of `--rule cis` over three regions are counted from moto's request log against
those of one rule: the rules share one set of calls per region. Also checks --format csv (RFC 4180) and --format ocsf
(OCSF 1.5.0's required attributes, by ocsf_check.py, and agreement with the json)."""
import csv
import io
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402
from aws_moto import MotoServer, MotoMissing, skip_unless_moto  # noqa: E402
import ocsf_check  # noqa: E402

GROUP = "CloudTrail/management"
# The rules under test (besides the KMS rule, which test_audit_moto.py covers), with a filter that drops one way of
# the control's events and the probe label the FAIL must name.
NARROWER = {
    "unauthorized-api-calls": ('{ $.errorCode = "AccessDenied*" }', "Client.UnauthorizedOperation"),
    "console-signin-without-mfa": ('{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
                                   '($.userIdentity.type = "IAMUser") }', "ConsoleLogin by root without MFA"),
    "root-account-usage": ('{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
                           '$.eventType = "AwsApiCall" }', "ConsoleLogin by root"),
    # CIS v1.2.0 3.10 as published, before v6.0.0 added ModifySecurityGroupRules.
    "security-group-changes": ("{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = "
                               "AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || "
                               "($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || "
                               "($.eventName = DeleteSecurityGroup) }", "ModifySecurityGroupRules"),
    "cloudtrail-config-changes": ("{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = "
                                  "DeleteTrail) || ($.eventName = StartLogging) }", "StopLogging"),
    "iam-policy-changes": ("{ ($.eventName = PutUserPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = "
                           "PutGroupPolicy) }", "AttachRolePolicy"),
}
RULES = sorted(NARROWER)
# CIS v1.4.0 4.1's CLI step: its exclusions are joined with ||, so it matches nearly every event.
BROADER_UNAUTHORIZED = ('{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || '
                        '($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }')


def builtin_rules(s):
    proc = s.run(["rules", "--format", "json"], label="rules --format json")
    return {r["id"]: r for r in json.loads(proc.stdout.decode())["rules"]}


class Account:
    def __init__(self, moto, rules):
        self.moto = moto
        self.rules = rules

    def c(self, service, region="us-east-1"):
        return self.moto.client(service, region_name=region)

    def chain(self, patterns, threshold=1.0, region="us-east-1"):
        """A multi-region trail to a log group, and per rule a filter (pattern from `patterns`, else the rule's) and
        an alarm on a subscribed topic."""
        logs = self.c("logs", region)
        logs.create_log_group(logGroupName=GROUP)
        arn = next(g["arn"] for g in logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"])
        self.c("s3", region).create_bucket(Bucket="trail-bucket")
        ct = self.c("cloudtrail", region)
        ct.create_trail(Name="main", S3BucketName="trail-bucket", IsMultiRegionTrail=True,
                        CloudWatchLogsLogGroupArn=arn,
                        CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/CloudTrail_CloudWatchLogs_Role")
        ct.start_logging(Name="main")
        sns = self.c("sns", region)
        topic = sns.create_topic(Name="cis-alarms")["TopicArn"]
        sqs = self.c("sqs", region)
        url = sqs.create_queue(QueueName="security-alerts")["QueueUrl"]
        queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue)
        for rule_id, rule in self.rules.items():
            metric = rule["metric"]["name"]
            logs.put_metric_filter(logGroupName=GROUP, filterName=metric,
                                   filterPattern=patterns.get(rule_id, rule["pattern"]),
                                   metricTransformations=[{"metricName": metric, "metricNamespace": "CloudTrailMetrics",
                                                           "metricValue": "1"}])
            self.c("cloudwatch", region).put_metric_alarm(
                AlarmName=metric + "Alarm", MetricName=metric, Namespace="CloudTrailMetrics", Statistic="Sum",
                Period=300, EvaluationPeriods=1, DatapointsToAlarm=1, Threshold=threshold,
                ComparisonOperator="GreaterThanOrEqualToThreshold", TreatMissingData="missing", AlarmActions=[topic])


def audit(s, args, label, fmt="json"):
    proc = s.run(["audit", "--format", fmt] + args, timeout=300, label=label)
    if proc is None:
        return None, None
    if fmt != "json":
        return proc.returncode, proc.stdout.decode("utf-8")
    try:
        return proc.returncode, json.loads(proc.stdout.decode("utf-8"))
    except ValueError as e:
        s.check(False, "%s: stdout is one JSON document" % label, "%s\nstderr:\n%s" % (e, tail(proc.stderr)))
        return proc.returncode, None


def rule_entry(doc, rule):
    return next((r for r in doc.get("rules", []) if r.get("rule") == rule), None)


def findings(entry, region="us-east-1"):
    for r in entry.get("regions", []):
        if r.get("region") == region:
            return r.get("findings", [])
    return []


def has(entry, check, status, fragment):
    fragments = fragment if isinstance(fragment, tuple) else (fragment,)
    return any(f["check"] == check and f["status"] == status and all(x in f["detail"] for x in fragments)
               for f in findings(entry))


def scenario(s, moto, name, patterns, threshold, expect):
    """`expect(rule) -> (status, check, finding status, fragment)` for each rule."""
    moto.reset()
    Account(moto, s.rules).chain(patterns, threshold)
    save = os.path.join(s.tmp, name)
    flags = [a for r in RULES for a in ("--rule", r)]
    code, live = audit(s, ["--endpoint-url", moto.endpoint, "--region", "us-east-1", "--save-dir", save] + flags,
                       name + " (live)")
    if live is None:
        return
    s.equal(live.get("schema"), "trailwatch.audit/2", "%s: several rules give trailwatch.audit/2" % name)
    s.equal([r.get("rule") for r in live.get("rules", [])], [r for r in s.rule_order if r in RULES],
            "%s: one entry per rule, in the pack's order" % name)
    for rule in RULES:
        entry = rule_entry(live, rule)
        status, check, finding_status, fragment = expect(rule)
        if entry is None:
            s.check(False, "%s: %s reported" % (name, rule), json.dumps(live)[:500])
            continue
        s.equal(entry.get("status"), status, "%s: %s status" % (name, rule))
        s.check(has(entry, check, finding_status, fragment), "%s: %s has %s %s %r" % (name, rule, check,
                                                                                 finding_status, fragment),
                json.dumps(findings(entry), indent=1)[:2500])
    want_exit = 1 if any(expect(r)[0] == "FAIL" for r in RULES) else 0
    s.equal(code, want_exit, "%s: exit code" % name)
    offline_code, offline = audit(s, ["--from-dir", save] + flags, name + " (--from-dir)")
    s.equal(offline_code, code, "%s: --from-dir exit code equals the live run's" % name)
    s.check(offline == live, "%s: --from-dir report equals the live run's" % name,
            "live: %s\noffline: %s" % (json.dumps(live)[:1000], json.dumps(offline)[:1000]))


def request_count(moto):
    """Requests moto has answered so far: werkzeug logs one line per request, just after answering it."""
    time.sleep(0.5)
    moto.log.seek(0)
    return sum(1 for line in moto.log.read().decode("utf-8", "replace").splitlines() if '"POST ' in line or
               '"GET ' in line)


def count_calls(s, moto):
    moto.reset()
    Account(moto, s.rules).chain({})
    regions = ["--region", "us-east-1", "--region", "us-west-2", "--region", "eu-west-1"]
    counts = {}
    for label, rules in (("one rule", ["--rule", "kms-cmk-disable-or-delete"]), ("cis", ["--rule", "cis"])):
        for where, flags in (("3 regions", regions), ("all regions", ["--all-regions"])):
            before = request_count(moto)
            code, doc = audit(s, ["--endpoint-url", moto.endpoint] + flags + rules, "%s, %s" % (label, where))
            counts[(label, where)] = request_count(moto) - before
            s.check(doc is not None and code == 0, "%s, %s: audited, every region PASS or SKIPPED" % (label, where),
                    "exit %s" % code)
    for where in ("3 regions", "all regions"):
        print("  API calls, %s: --rule kms-cmk-disable-or-delete %d, --rule cis %d" %
              (where, counts[("one rule", where)], counts[("cis", where)]))
        # Every rule's alarm notifies the same topic: the 15 rules make no call the one rule does not.
        s.equal(counts[("cis", where)], counts[("one rule", where)],
                "%s: --rule cis makes the same calls as one rule (one topic)" % where)
    s.check(counts[("one rule", "3 regions")] > 0, "the request log counts calls", repr(counts))


def check_csv(s, moto):
    moto.reset()
    Account(moto, s.rules).chain({"security-group-changes": NARROWER["security-group-changes"][0]})
    code, text = audit(s, ["--endpoint-url", moto.endpoint, "--region", "us-east-1", "--rule", "cis"], "csv", "csv")
    _, doc = audit(s, ["--endpoint-url", moto.endpoint, "--region", "us-east-1", "--rule", "cis"], "csv's json")
    if text is None or doc is None:
        return
    s.check("\r\n" in text, "csv: CRLF line ends (RFC 4180)", repr(text[:200]))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    s.equal(rows[0], ["account", "region", "rule", "region_status", "check", "finding_status", "detail", "resources",
                      "remediation"], "csv: header")
    want = sum(max(1, len(r["findings"])) for e in doc["rules"] for r in e["regions"])
    s.equal(len(rows) - 1, want, "csv: one line per region, rule and finding")
    s.equal({r[2] for r in rows[1:]}, set(s.rule_order), "csv: every rule")
    failing = [r for r in rows[1:] if r[2] == "security-group-changes" and r[5] == "FAIL"]
    s.check(failing and "ModifySecurityGroupRules" in failing[0][6] and failing[0][3] == "FAIL" and
            failing[0][8].startswith("aws logs put-metric-filter"),
            "csv: the narrower filter's line names the probe and carries the fix", repr(failing[:1]))
    s.equal(code, 1, "csv: exit code")


def check_ocsf(s, moto):
    """A live run over two regions, one rule narrower: the OCSF findings meet the schema and agree with the json."""
    moto.reset()
    Account(moto, s.rules).chain({"security-group-changes": NARROWER["security-group-changes"][0]})
    args = ["--endpoint-url", moto.endpoint, "--region", "us-east-1", "--region", "eu-west-1", "--rule", "cis"]
    code, text = audit(s, args, "ocsf", "ocsf")
    json_code, doc = audit(s, args, "ocsf's json")
    if text is None or doc is None:
        return
    try:
        findings = json.loads(text)
    except ValueError as e:
        s.check(False, "ocsf: one JSON document", str(e))
        return
    problems = (ocsf_check.check_findings(findings, ocsf_check.load_table(s.source_dir)) +
                ocsf_check.check_against_audit(findings, doc))
    s.check(not problems, "ocsf: %d findings meet OCSF 1.5.0 and agree with the json" % len(findings),
            "\n".join(problems[:20]))
    s.equal(len(findings), 2 * len(s.rule_order), "ocsf: one finding per region and rule")
    s.equal(code, json_code, "ocsf: exit code as with --format json")
    sg = [f for f in findings if f["metadata"]["event_code"] == "security-group-changes" and
          f["cloud"]["region"] == "us-east-1"]
    s.check(sg and sg[0]["status_code"] == "FAIL" and "ModifySecurityGroupRules" in sg[0]["status_detail"] and
            sg[0]["cloud"]["account"]["uid"] == "123456789012",
            "ocsf: the narrower filter's finding FAILs naming the probe, in the account", json.dumps(sg[:1])[:1500])


def main():
    s = Suite(__doc__)
    skip_unless_moto()
    all_rules = builtin_rules(s)
    s.rule_order = list(all_rules)
    s.rules = all_rules
    try:
        with MotoServer() as moto:
            os.environ.clear()
            os.environ.update(moto.env(AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true"))
            scenario(s, moto, "compliant", {}, 1.0,
                     lambda rule: ("PASS", "metric-filter", "PASS", "equivalent"))
            scenario(s, moto, "narrower", {r: NARROWER[r][0] for r in RULES}, 1.0,
                     lambda rule: ("FAIL", "metric-filter", "FAIL", ("narrower than the rule: it misses ",
                                                                    NARROWER[rule][1])))
            scenario(s, moto, "cannot-fire", {}, 2.0,
                     lambda rule: ("FAIL", "alarm", "FAIL", "cannot fire on one matching event"))
            scenario(s, moto, "broader", {"unauthorized-api-calls": BROADER_UNAUTHORIZED}, 1.0,
                     lambda rule: ("PASS", "metric-filter", "WARN", "is broader than unauthorized-api-calls")
                     if rule == "unauthorized-api-calls" else ("PASS", "metric-filter", "PASS", "equivalent"))

            # One rule keeps trailwatch.audit/1.
            moto.reset()
            Account(moto, all_rules).chain({})
            code, doc = audit(s, ["--endpoint-url", moto.endpoint, "--region", "us-east-1", "--rule",
                                  "root-account-usage"], "one rule")
            if doc is not None:
                s.equal((doc.get("schema"), doc.get("rule"), doc.get("status"), code),
                        ("trailwatch.audit/1", "root-account-usage", "PASS", 0), "one rule: audit/1, PASS")
            proc = s.run(["audit", "--rule", "no-such-rule", "--from-dir", s.tmp], label="unknown rule")
            s.equal(proc.returncode, 64, "an unknown --rule is a usage error")

            check_csv(s, moto)
            check_ocsf(s, moto)
            count_calls(s, moto)
    except MotoMissing as e:
        print("SKIP: %s" % e)
        sys.exit(77)
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
