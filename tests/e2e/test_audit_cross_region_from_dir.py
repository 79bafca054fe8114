#!/usr/bin/env python3
"""`trailwatch audit --from-dir` when the log group is in another region than the trail (a trail homed in us-east-1
delivering to a log group in eu-west-1), on a moto_server account: the live run FAILs (a narrower filter, its finding
naming eu-west-1); a folder written as README's first example describes (every file in us-east-1/) is ERROR, and the
finding names the missing file, why it belongs in eu-west-1/ and the exact `aws ... --region eu-west-1 --output json >
PATH` line; adding each file it names, run after run (by running that line with the AWS CLI when it is installed),
ends in the live run's report. Skipped without moto_server or boto3."""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402

HOME, LOGS = "us-east-1", "eu-west-1"
GROUP = "CloudTrail/management"
# CIS's KMS text without ScheduleKeyDeletion: the live verdict is a FAIL of the metric filter.
NARROWER = "{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }"


def populate(moto):
    logs = moto.client("logs", region_name=LOGS)
    logs.create_log_group(logGroupName=GROUP)
    arn = next(g["arn"] for g in logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"]
               if g["logGroupName"] == GROUP)
    moto.client("s3", region_name=HOME).create_bucket(Bucket="trail-bucket-main")
    ct = moto.client("cloudtrail", region_name=HOME)
    ct.create_trail(Name="main", S3BucketName="trail-bucket-main", IsMultiRegionTrail=False,
                    CloudWatchLogsLogGroupArn=arn,
                    CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/CloudTrail_CloudWatchLogs_Role")
    ct.start_logging(Name="main")
    logs.put_metric_filter(logGroupName=GROUP, filterName="CMKEventCount", filterPattern=NARROWER,
                           metricTransformations=[{"metricName": "CMKEventCount",
                                                   "metricNamespace": "CloudTrailMetrics", "metricValue": "1"}])
    sns = moto.client("sns", region_name=LOGS)
    topic = sns.create_topic(Name="cis-alarms")["TopicArn"]
    sqs = moto.client("sqs", region_name=LOGS)
    url = sqs.create_queue(QueueName="security-alerts")["QueueUrl"]
    queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue)
    moto.client("cloudwatch", region_name=LOGS).put_metric_alarm(
        AlarmName="CMKEventCountAlarm", MetricName="CMKEventCount", Namespace="CloudTrailMetrics", Statistic="Sum",
        Period=300, EvaluationPeriods=1, DatapointsToAlarm=1, Threshold=1.0,
        ComparisonOperator="GreaterThanOrEqualToThreshold", TreatMissingData="missing", ActionsEnabled=True,
        AlarmActions=[topic])


def audit(s, args, label):
    return s.run_json(["audit", "--format", "json", "--region", HOME] + args, label, timeout=300)


def findings(doc):
    return [f for r in doc.get("regions", []) for f in r.get("findings", [])]


def main():
    s = Suite(__doc__)
    from aws_moto import MotoServer, MotoMissing, skip_unless_moto
    skip_unless_moto()
    cli, search_path = shutil.which("aws"), os.environ.get("PATH", "")
    try:
        with MotoServer() as moto:
            os.environ.clear()
            os.environ.update(moto.env(AWS_DEFAULT_REGION=HOME, AWS_EC2_METADATA_DISABLED="true"))
            populate(moto)
            live_dir = os.path.join(s.tmp, "live")
            code, live = audit(s, ["--endpoint-url", moto.endpoint, "--save-dir", live_dir], "live")
            if live is None:
                return s.finish()
            s.equal((code, [r["status"] for r in live["regions"]]), (1, ["FAIL"]), "live: FAIL, exit 1")
            s.check(any(f["check"] == "metric-filter" and f["status"] == "FAIL" and
                        "on log group %s (%s) is narrower than the rule: it misses ScheduleKeyDeletion" % (GROUP, LOGS)
                        in f["detail"] for f in findings(live)),
                    "live: the narrower finding names the log group's region", json.dumps(live)[:2000])
            s.check(os.path.isfile(os.path.join(live_dir, LOGS, "logs.DescribeMetricFilters.json")) and
                    os.path.isfile(os.path.join(live_dir, LOGS, "cloudwatch.DescribeAlarms.json")),
                    "--save-dir keeps the filters and alarms in the log group's region folder",
                    repr(sorted(os.listdir(live_dir))))

            # As README's first example writes it: every call with --region us-east-1, into us-east-1/.
            folder = os.path.join(s.tmp, "by-hand")
            shutil.copytree(os.path.join(live_dir, HOME), os.path.join(folder, HOME))
            home_logs = moto.client("logs", region_name=HOME).describe_metric_filters()
            home_alarms = moto.client("cloudwatch", region_name=HOME).describe_alarms()
            with open(os.path.join(folder, HOME, "logs.DescribeMetricFilters.json"), "w") as f:
                json.dump({"metricFilters": home_logs["metricFilters"]}, f)
            with open(os.path.join(folder, HOME, "cloudwatch.DescribeAlarms.json"), "w") as f:
                json.dump({"MetricAlarms": home_alarms["MetricAlarms"], "CompositeAlarms": []}, f)

            code, doc = audit(s, ["--from-dir", folder], "README folder")
            if doc is None:
                return s.finish()
            s.equal((code, [r["status"] for r in doc["regions"]]), (2, ["ERROR"]),
                    "README folder: ERROR (not a verdict), exit 2")
            missing = os.path.join(folder, LOGS, "logs.DescribeMetricFilters.json")
            want = ("aws logs describe-metric-filters --region %s --output json > %s" % (LOGS, missing))
            errors = [f for f in findings(doc) if f["status"] == "ERROR"]
            s.check(len(errors) == 1 and errors[0]["check"] == "metric-filter" and
                    "the export has no %s" % missing in errors[0]["detail"] and
                    "metric filters are read from the log group's region, %s" % LOGS in errors[0]["detail"] and
                    errors[0]["detail"].endswith("add it with: " + want),
                    "README folder: the ERROR names the file, why eu-west-1/, and the aws line that writes it",
                    json.dumps(errors))

            # Follow the findings: each names one more file; add it until the folder is complete. With the AWS CLI
            # installed, by running the very line the finding gives (against moto, through AWS_ENDPOINT_URL);
            # without it, by copying the body the live account answered, as --save-dir kept it.
            if not cli:
                s.note("the AWS CLI is not installed: the named files are copied from the live export instead")
            cli_env = dict(os.environ, AWS_ENDPOINT_URL=moto.endpoint, PATH=search_path)
            added = []
            for _ in range(6):
                errors = [f for f in findings(doc) if f["status"] == "ERROR"]
                if not errors:
                    break
                m = re.search(r"add it with: (aws \S+ \S+ .*--region (\S+) --output json) > (\S+)$",
                              errors[0]["detail"])
                if not s.check(m is not None, "each ERROR ends with an aws line", errors[0]["detail"]):
                    break
                path = m.group(3)
                rel = os.path.relpath(path, folder)
                s.check(rel.split(os.sep)[0] == m.group(2), "%s: written into its --region's folder" % rel, path)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                if cli:
                    ran = subprocess.run(m.group(0)[len("add it with: "):], shell=True, env=cli_env,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
                    if not s.check(ran.returncode == 0, "the line for %s runs" % rel, tail(ran.stderr)):
                        break
                else:
                    shutil.copyfile(os.path.join(live_dir, rel), path)
                added.append(rel)
                code, doc = audit(s, ["--from-dir", folder], "after adding %s" % rel)
                if doc is None:
                    return s.finish()
            s.equal(added, [os.path.join(LOGS, "logs.DescribeMetricFilters.json"),
                            os.path.join(LOGS, "cloudwatch.DescribeAlarms.json"),
                            os.path.join(LOGS, "sns.ListSubscriptionsByTopic.cis-alarms.json")],
                    "the findings name the filters, the alarms and the topic's subscriptions, in eu-west-1/")
            s.equal(code, 1, "completed folder: exit 1, as live")
            s.check(doc == live, "completed folder: the report equals the live run's",
                    "live:    %s\noffline: %s" % (json.dumps(live)[:1500], json.dumps(doc)[:1500]))
    except MotoMissing as e:
        print("SKIP: %s" % e)
        sys.exit(77)
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
