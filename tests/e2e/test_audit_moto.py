#!/usr/bin/env python3
"""`trailwatch audit` against a real AWS-compatible server: moto_server on 127.0.0.1 (a free port), populated with
boto3 per scenario. Each scenario is audited live with --save-dir, then again from that folder with --from-dir,
which must give the same report and exit code. No test touches the internet.

moto cannot express some cases; those are covered by the unit tests on hand-written folders
(tests/audit_scenarios_test.cpp): a PendingConfirmation subscription (moto confirms every subscription at once, e-mail
included), a CloudWatch Logs delivery time or error (moto reports neither), an organization trail of another account,
and access denied (moto does not enforce IAM unless configured to)."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402

try:
    from aws_moto import MotoServer, MotoMissing, skip_unless_moto  # noqa: E402
except ImportError as e:  # the helper lives beside this file
    print("FAIL: tests/e2e/aws_moto.py cannot be imported: %s\n0 passed, 1 failed" % e)
    sys.exit(1)

CIS = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"
GROUP = "CloudTrail/management"


class Account:
    """Builds the pieces of a scenario in a moto server."""

    def __init__(self, moto):
        self.moto = moto

    def c(self, service, region):
        return self.moto.client(service, region_name=region)

    def log_group(self, region):
        logs = self.c("logs", region)
        logs.create_log_group(logGroupName=GROUP)
        return next(g["arn"] for g in logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"]
                    if g["logGroupName"] == GROUP)

    def trail(self, region, name="main", multi=True, logs_arn=None, logging=True):
        bucket = "trail-bucket-%s-%s" % (name, region)
        s3 = self.c("s3", region)
        if region == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
        args = {"Name": name, "S3BucketName": bucket, "IsMultiRegionTrail": multi}
        if logs_arn:
            args.update(CloudWatchLogsLogGroupArn=logs_arn,
                        CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/CloudTrail_CloudWatchLogs_Role")
        ct = self.c("cloudtrail", region)
        ct.create_trail(**args)
        if logging:
            ct.start_logging(Name=name)

    def metric_filter(self, region, pattern=CIS):
        self.c("logs", region).put_metric_filter(
            logGroupName=GROUP, filterName="CMKEventCount", filterPattern=pattern,
            metricTransformations=[{"metricName": "CMKEventCount", "metricNamespace": "CloudTrailMetrics",
                                    "metricValue": "1"}])

    def topic(self, region, subscribed=True):
        sns = self.c("sns", region)
        arn = sns.create_topic(Name="cis-alarms")["TopicArn"]
        if subscribed:
            sqs = self.c("sqs", region)
            url = sqs.create_queue(QueueName="security-alerts")["QueueUrl"]
            queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue)
        return arn

    def alarm(self, region, topic, namespace="CloudTrailMetrics", threshold=1.0, enabled=True):
        self.c("cloudwatch", region).put_metric_alarm(
            AlarmName="CMKEventCountAlarm", MetricName="CMKEventCount", Namespace=namespace, Statistic="Sum",
            Period=300, EvaluationPeriods=1, DatapointsToAlarm=1, Threshold=threshold,
            ComparisonOperator="GreaterThanOrEqualToThreshold", TreatMissingData="missing",
            ActionsEnabled=enabled, AlarmActions=[topic])

    def compliant(self, region="us-east-1", multi=True, pattern=CIS, namespace="CloudTrailMetrics", threshold=1.0,
                  enabled=True, subscribed=True, logging=True, logs=True):
        arn = self.log_group(region)
        self.trail(region, multi=multi, logs_arn=arn if logs else None, logging=logging)
        self.metric_filter(region, pattern)
        self.alarm(region, self.topic(region, subscribed), namespace, threshold, enabled)


# name, populate(account), --region flags, {region: expected status}, expected exit,
# [(region, check, status, fragment of detail)] that must be among the findings
SCENARIOS = [
    ("compliant", lambda a: a.compliant(), ["us-east-1"], {"us-east-1": "PASS"}, 0,
     [("us-east-1", "notification", "PASS", "confirmed subscription")]),
    ("no trail", lambda a: None, ["us-east-1"], {"us-east-1": "FAIL"}, 1,
     [("us-east-1", "trail", "FAIL", "no trail records us-east-1")]),
    ("trail not logging", lambda a: a.compliant(logging=False), ["us-east-1"], {"us-east-1": "FAIL"}, 1,
     [("us-east-1", "trail", "FAIL", "is not logging")]),
    ("trail without CloudWatch Logs", lambda a: a.compliant(logs=False), ["us-east-1"], {"us-east-1": "FAIL"}, 1,
     [("us-east-1", "cloudwatch-logs-delivery", "FAIL", "does not send its events to CloudWatch Logs")]),
    ("equivalent pattern, reordered and re-quoted",
     lambda a: a.compliant(pattern='{(($.eventName="ScheduleKeyDeletion")||($.eventName = "DisableKey"))&&'
                                   '($.eventSource= "kms.amazonaws.com")}'),
     ["us-east-1"], {"us-east-1": "PASS"}, 0, [("us-east-1", "metric-filter", "PASS", "equivalent")]),
    ("filter missing ScheduleKeyDeletion",
     lambda a: a.compliant(pattern="{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }"),
     ["us-east-1"], {"us-east-1": "FAIL"}, 1,
     [("us-east-1", "metric-filter", "FAIL", "narrower than the rule: it misses ScheduleKeyDeletion")]),
    ("alarm on another namespace", lambda a: a.compliant(namespace="CISBenchmark"), ["us-east-1"],
     {"us-east-1": "FAIL"}, 1, [("us-east-1", "alarm", "FAIL", "another namespace")]),
    ("alarm with actions disabled", lambda a: a.compliant(enabled=False), ["us-east-1"], {"us-east-1": "FAIL"}, 1,
     [("us-east-1", "alarm", "FAIL", "actions disabled")]),
    ("alarm with threshold 2", lambda a: a.compliant(threshold=2.0), ["us-east-1"], {"us-east-1": "FAIL"}, 1,
     [("us-east-1", "alarm", "FAIL", "cannot fire on one matching event")]),
    ("topic without subscriptions", lambda a: a.compliant(subscribed=False), ["us-east-1"], {"us-east-1": "FAIL"},
     1, [("us-east-1", "notification", "FAIL", "no confirmed subscription (no subscriptions)")]),
    ("multi-region trail homed in another region", lambda a: a.compliant("us-east-1"), ["us-west-2"],
     {"us-west-2": "PASS"}, 0,
     [("us-west-2", "cloudwatch-logs-delivery", "PASS", "(home us-east-1) sends to log group CloudTrail/management "
                                                       "(us-east-1)")]),
    ("two regions, one compliant", lambda a: a.compliant("us-east-1", multi=False), ["us-east-1", "us-west-2"],
     {"us-east-1": "PASS", "us-west-2": "FAIL"}, 1,
     [("us-west-2", "trail", "FAIL", "no trail records us-west-2")]),
]


def audit(s, moto, args, label):
    proc = s.run(["audit", "--format", "json"] + args, timeout=300, label=label)
    if proc is None:
        return None, None
    try:
        doc = json.loads(proc.stdout.decode("utf-8"))
    except ValueError as e:
        s.check(False, "%s: stdout is one JSON document" % label,
                "%s\nstdout: %r\nstderr:\n%s" % (e, proc.stdout[:300], tail(proc.stderr)))
        return proc.returncode, None
    s.equal(doc.get("schema"), "trailwatch.audit/1", "%s: schema" % label)
    return proc.returncode, doc


def has_finding(doc, region, check, status, fragment):
    for r in doc.get("regions", []):
        if r.get("region") != region:
            continue
        for f in r.get("findings", []):
            if f.get("check") == check and f.get("status") == status and fragment in f.get("detail", ""):
                return True
    return False


def run_scenario(s, moto, name, populate, regions, expected, expected_exit, findings):
    moto.reset()
    populate(Account(moto))
    save = os.path.join(s.tmp, name.replace(" ", "-").replace(",", ""))
    flags = [a for r in regions for a in ("--region", r)]
    code, live = audit(s, moto, ["--endpoint-url", moto.endpoint, "--save-dir", save] + flags, name + " (live)")
    if live is None:
        return
    statuses = {r.get("region"): r.get("status") for r in live.get("regions", [])}
    s.equal(statuses, expected, "%s: per-region verdicts" % name)
    s.equal(code, expected_exit, "%s: exit code" % name)
    s.equal(live.get("account"), "123456789012", "%s: account from sts GetCallerIdentity" % name)
    s.equal(live.get("status"), "PASS" if expected_exit == 0 else "FAIL", "%s: account status" % name)
    for region, check, status, fragment in findings:
        s.check(has_finding(live, region, check, status, fragment),
                "%s: %s finding %s %s" % (name, region, check, status),
                "no finding with %r in\n%s" % (fragment, json.dumps(live.get("regions"), indent=1)[:3000]))
    for r in live.get("regions", []):
        if r.get("status") == "FAIL":
            s.check(r.get("remediation") and all(line.startswith("aws ") for line in r["remediation"]),
                    "%s: %s has aws CLI remediation lines" % (name, r.get("region")), repr(r.get("remediation")))

    # The folder alone, with the regions it holds, gives the same report.
    offline_code, offline = audit(s, moto, ["--from-dir", save], name + " (--from-dir)")
    if offline is None:
        return
    s.equal(offline_code, code, "%s: --from-dir exit code equals the live run's" % name)
    s.check(offline == live, "%s: --from-dir report equals the live run's" % name,
            "live:    %s\noffline: %s" % (json.dumps(live)[:1500], json.dumps(offline)[:1500]))


def main():
    s = Suite(__doc__)
    skip_unless_moto()
    try:
        with MotoServer() as moto:
            # trailwatch inherits this: dummy credentials, no user profile, a default region.
            os.environ.clear()
            os.environ.update(moto.env(AWS_DEFAULT_REGION="us-east-1"))
            for scenario in SCENARIOS:
                run_scenario(s, moto, *scenario)

            # Every region moto lists: the multi-region trail covers them all.
            moto.reset()
            Account(moto).compliant("us-east-1")
            code, doc = audit(s, moto, ["--endpoint-url", moto.endpoint, "--all-regions"], "all regions")
            if doc is not None:
                statuses = {r["status"] for r in doc.get("regions", [])}
                s.check(len(doc.get("regions", [])) > 10 and statuses <= {"PASS", "SKIPPED"},
                        "all regions: every listed region is PASS or SKIPPED",
                        "%d regions, statuses %s" % (len(doc.get("regions", [])), statuses))
                s.equal(code, 0, "all regions: exit code")
    except MotoMissing as e:
        s.check(False, "moto_server is available", str(e))
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
