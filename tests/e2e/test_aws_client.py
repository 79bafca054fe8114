#!/usr/bin/env python3
"""End-to-end: the AWS access layer against moto_server on 127.0.0.1.

Starts moto, populates it with boto3 (a multi-region trail delivering to CloudWatch Logs, metric filters, an alarm
with an SNS action, a topic with a subscription, an IAM role to assume) and runs the unit-test binary's AwsLive
tests against it with TRAILWATCH_TEST_ENDPOINT set. Those tests call through trailwatch's own SigV4, libcurl,
JSON and Query protocol code; a profile with role_arn and source_profile exercises STS AssumeRole.
Moto does not check signatures (the SigV4 vectors in tests/sigv4_test.cpp do).
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aws_moto import MotoMissing, MotoServer  # noqa: E402
from e2e_common import Suite, tail  # noqa: E402

ACCOUNT = "123456789012"
REGION = "us-east-1"
CIS_PATTERN = ("{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
               "($.eventName = ScheduleKeyDeletion)) }")


def populate(moto):
    moto.client("s3", REGION).create_bucket(Bucket="trail-bucket")
    logs = moto.client("logs", REGION)
    logs.create_log_group(logGroupName="CloudTrail/DefaultLogGroup")
    group_arn = "arn:aws:logs:%s:%s:log-group:CloudTrail/DefaultLogGroup:*" % (REGION, ACCOUNT)
    iam = moto.client("iam", REGION)
    iam.create_role(RoleName="CloudTrail_CloudWatchLogs_Role", AssumeRolePolicyDocument="{}")
    iam.create_role(RoleName="auditor", AssumeRolePolicyDocument="{}")
    ct = moto.client("cloudtrail", REGION)
    trail = ct.create_trail(Name="main", S3BucketName="trail-bucket", IsMultiRegionTrail=True,
                            CloudWatchLogsLogGroupArn=group_arn,
                            CloudWatchLogsRoleArn="arn:aws:iam::%s:role/CloudTrail_CloudWatchLogs_Role" % ACCOUNT)
    ct.start_logging(Name="main")
    for i, name in enumerate(["CMKEventCount", "RootUsage", "ConsoleSignInFailures"]):
        logs.put_metric_filter(logGroupName="CloudTrail/DefaultLogGroup", filterName=name,
                               filterPattern=CIS_PATTERN if i == 0 else '{ $.eventName = "X%d" }' % i,
                               metricTransformations=[{"metricName": name, "metricNamespace": "CloudTrailMetrics",
                                                       "metricValue": "1"}])
    sns = moto.client("sns", REGION)
    topic = sns.create_topic(Name="SecurityAlerts")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="secops@example.com")
    moto.client("cloudwatch", REGION).put_metric_alarm(
        AlarmName="CMKEventCount-alarm", MetricName="CMKEventCount", Namespace="CloudTrailMetrics", Statistic="Sum",
        Period=300, EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=[topic], ActionsEnabled=True)
    return trail["TrailARN"], topic


def main():
    s = Suite(__doc__.splitlines()[0])
    tests_binary = os.path.join(os.path.dirname(s.binary), "tests", "trailwatch_tests")
    if not s.check(os.path.isfile(tests_binary), "the unit-test binary exists", tests_binary):
        return s.finish()
    try:
        moto = MotoServer().start()
    except MotoMissing as e:
        s.check(False, "moto_server is available", str(e))
        return s.finish()
    try:
        trail_arn, topic_arn = populate(moto)
        s.note("moto on %s; trail %s; topic %s" % (moto.endpoint, trail_arn, topic_arn))
        config = os.path.join(s.tmp, "config")
        credentials = os.path.join(s.tmp, "credentials")
        with open(config, "w") as f:
            f.write("[profile auditor]\nrole_arn = arn:aws:iam::%s:role/auditor\nsource_profile = base\n"
                    "role_session_name = trailwatch-e2e\nduration_seconds = 900\nregion = %s\n" % (ACCOUNT, REGION))
        with open(credentials, "w") as f:
            f.write("[base]\naws_access_key_id = AKIDBASEPROFILE\naws_secret_access_key = base-profile-secret\n")
        env = moto.env(TRAILWATCH_TEST_ENDPOINT=moto.endpoint, TRAILWATCH_TEST_TRAIL_ARN=trail_arn,
                       TRAILWATCH_TEST_TOPIC_ARN=topic_arn, TRAILWATCH_TEST_ROLE_PROFILE="auditor",
                       AWS_CONFIG_FILE=config, AWS_SHARED_CREDENTIALS_FILE=credentials, AWS_DEFAULT_REGION=REGION)
        proc = subprocess.run([tests_binary, "--gtest_filter=AwsLive.*", "--gtest_brief=0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        out = proc.stdout.decode("utf-8", "replace")
        s.check(proc.returncode == 0, "AwsLive gtests pass against moto", tail(out, 6000))
        ran = out.count("[       OK ]")
        s.check(ran >= 8, "every AwsLive test ran (%d passed)" % ran, tail(out, 3000))
        s.check("[  SKIPPED ]" not in out, "no AwsLive test was skipped", tail(out, 3000))
        s.check("base-profile-secret" not in out, "the source profile's secret appears nowhere in the output",
                tail(out, 3000))
    except Exception as e:  # a failure to populate is the test's failure, with moto's log for context
        s.check(False, "moto scenario ran", "%s: %s\nmoto log:\n%s" % (type(e).__name__, e, moto.output()))
    finally:
        moto.stop()
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
